"""Who Says So? -- a media-literacy kit: who says so, and what do they actually know?

`import kit` stays light: it loads the article model only. Widgets, the analyser and
the course tools live in their own modules and are imported where they are used.
"""
from kit.article import Article, Flag, Furniture, Sentence, Source
from kit.article_loader import ArticleInvalid, load_article
from kit.taxonomy import KINDS, SOURCE_TYPES

__version__ = "0.1.0"

__all__ = ["Article", "ArticleInvalid", "Flag", "Furniture", "KINDS", "SOURCE_TYPES",
           "Sentence", "Source", "load_article"]
