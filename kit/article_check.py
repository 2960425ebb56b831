"""`kit article check`: validate article files and say, one line each, what is wrong."""
from __future__ import annotations

from kit.article_loader import ArticleInvalid, load_article


def check_files(files: list[str], out, err) -> int:
    """Print every problem of every file; return 0 only if all files are valid."""
    failed = 0
    for name in files:
        try:
            article = load_article(name)
        except ArticleInvalid as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=err)
            continue
        sentences = article.sentences
        what = "text only (assessment)" if not article.annotated else (
            f"{len(article.flags)} flags, {len(article.checks)} checks")
        print(f"{name}: ok: {len(sentences)} sentences, {what}", file=out)
    return 1 if failed else 0
