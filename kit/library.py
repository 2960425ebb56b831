"""The articles that ship with the kit: practice articles with their keys, and the
text-only assessment articles whose keys live in solutions/."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kit.article import Article
from kit.article_loader import load_article

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
ASSESSMENT_DIR = ARTICLES_DIR / "assessment"
SEED_ID = "seed-airborne-leak"


def practice_paths() -> list[Path]:
    """Every practice article file, seed first, then by id."""
    paths = sorted(ARTICLES_DIR.glob("*.yaml"))
    return sorted(paths, key=lambda p: (p.stem != SEED_ID, p.stem))


def practice_ids() -> list[str]:
    return [p.stem for p in practice_paths()]


def assessment_paths() -> list[Path]:
    return sorted(ASSESSMENT_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def _load_cached(path: str, mtime: float) -> Article:
    return load_article(path)


def load(article_id_or_path: str | Path) -> Article:
    """Load a shipped article by id (e.g. "seed-airborne-leak") or any article by path."""
    text = str(article_id_or_path)
    candidates = [Path(text)] if text.endswith((".yaml", ".yml")) else [
        ARTICLES_DIR / f"{text}.yaml", ASSESSMENT_DIR / f"{text}.yaml"]
    for path in candidates:
        if path.is_file():
            return _load_cached(str(path), path.stat().st_mtime)
    if len(candidates) == 1:
        return load_article(candidates[0])  # raises a readable "no such file"
    from kit.article_loader import ArticleInvalid, Problem
    known = ", ".join(practice_ids())
    raise ArticleInvalid([Problem(text, "", "", f"no article with this id in the kit; "
                                  f"known ids: {known}")])


def seed() -> Article:
    return load(SEED_ID)


def practice_articles() -> list[Article]:
    return [load(p) for p in practice_paths()]
