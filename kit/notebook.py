"""What a lesson or exercise notebook calls first: one answers file, one factory.

    from kit.notebook import start
    nb = start("04-fact-or-inference")      # answers go to 04-fact-or-inference.answers.json
    nb.sorter("seed-airborne-leak")          # a widget, restored from the file

Widget keys default to "<family>:<article id>", so the same widget in a re-run cell
finds its answers again; give `key=` when one notebook has two of the same family
on one article.
"""
from __future__ import annotations

import os

from kit.answers import AnswerStore
from kit.article import Article


class Notebook:
    """The answers file of one notebook and a factory for its widgets."""

    def __init__(self, name: str, folder: str | os.PathLike | None = None):
        self.name = name
        self.store = AnswerStore.for_notebook(name, folder)

    @staticmethod
    def _article(article: Article | str) -> Article:
        if isinstance(article, Article):
            return article
        from kit.library import load
        return load(article)

    def sorter(self, article, key: str | None = None, **kwargs):
        from kit.widgets.sorter import ClaimSorter
        article = self._article(article)
        return ClaimSorter(article, self.store, key or f"sorter:{article.id}", **kwargs)

    def sources(self, article, key: str | None = None, **kwargs):
        """Who says so? Name each sentence's source and its type (SourceFinder)."""
        from kit.widgets.sources import SourceFinder
        article = self._article(article)
        return SourceFinder(article, self.store, key or f"sources:{article.id}", **kwargs)

    def hedges(self, article, key: str | None = None, **kwargs):
        """Mark the words that weaken or strengthen a claim (HedgeSpotter)."""
        from kit.widgets.hedges import HedgeSpotter
        article = self._article(article)
        return HedgeSpotter(article, self.store, key or f"hedges:{article.id}", **kwargs)

    def errorhunt(self, article, key: str | None = None, **kwargs):
        """Find the article's flagged errors, omissions and overreach (ErrorHunt)."""
        from kit.widgets.errorhunt import ErrorHunt
        article = self._article(article)
        return ErrorHunt(article, self.store, key or f"errorhunt:{article.id}", **kwargs)

    def highlighter(self, article, key: str | None = None, **kwargs):
        """The article with switchable layers of highlights (ArticleHighlighter)."""
        from kit.widgets.highlighter import ArticleHighlighter
        article = self._article(article)
        return ArticleHighlighter(article, self.store, key or f"highlighter:{article.id}", **kwargs)

    def quiz(self, questions: list[dict], article=None, key: str | None = None, **kwargs):
        """Multiple-choice questions (Quiz). The key defaults to "quiz:<article id>" when
        an article is given, else "quiz:<first question id>"."""
        from kit.widgets.quiz import Quiz
        article_id = None
        if article is not None:
            article_id = article.id if isinstance(article, Article) else str(article)
        if key is None:
            first = questions[0]["id"] if questions and isinstance(questions[0], dict) else "questions"
            key = f"quiz:{article_id or first}"
        return Quiz(questions, self.store, key, article_id=article_id, **kwargs)

    def progress(self, folder: str | os.PathLike | None = None, **kwargs):
        """Progress across every answers file in `folder` (default: this notebook's)."""
        from kit.widgets.progress import ProgressView
        return ProgressView(folder or self.store.path.parent, **kwargs)


def start(name: str, folder: str | os.PathLike | None = None) -> Notebook:
    """Open (or create) the answers file for notebook `name` in `folder` (default: here)."""
    return Notebook(name, folder)
