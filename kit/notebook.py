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


def start(name: str, folder: str | os.PathLike | None = None) -> Notebook:
    """Open (or create) the answers file for notebook `name` in `folder` (default: here)."""
    return Notebook(name, folder)
