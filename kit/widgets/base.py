"""What every kit widget shares: a key in the notebook's answers file, a status line,
and feedback HTML that never relies on colour alone (a text marker comes first)."""
from __future__ import annotations

import html

import ipywidgets as w

from kit.answers import AnswerStore

RIGHT = "✔ Right"
ACCEPTED = "✔ Accepted"
WRONG = "✘ Not quite"
INFO = "ℹ"


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def feedback_html(marker: str, headline: str, body: str = "", tone: str = "info") -> str:
    """A feedback block: marker and headline in words first, colour only as a second cue.

    role=status makes screen readers announce the feedback when it changes.
    """
    colours = {"right": "#1b5e20", "wrong": "#8a1c1c", "info": "#0d3c61", "warn": "#6d4c00"}
    border = colours.get(tone, colours["info"])
    return (f'<div class="wss-feedback wss-{tone}" role="status" aria-live="polite" '
            f'style="border-left:4px solid {border};padding:4px 10px;margin:4px 0;">'
            f'<strong>{esc(marker)}: {esc(headline)}</strong>'
            + (f'<div style="margin-top:2px">{body}</div>' if body else "") + "</div>")


# ipywidgets' toggle buttons show the pressed one by a darker shade only, and tell screen
# readers nothing: every widget adds a bold outline here and a "Your choice" line in text.
SELECTION_STYLE = ("<style>.wss-widget .widget-toggle-button.mod-active{font-weight:bold;"
                   "outline:2px solid currentColor;outline-offset:-3px}</style>")


def chosen_html(label: str | None, what: str = "choice") -> str:
    """A live line saying in words what is selected (never colour alone)."""
    if not label:
        return f"<p class='wss-chosen' style='margin:2px 0'>No {esc(what)} yet.</p>"
    return (f"<p class='wss-chosen' role='status' aria-live='polite' style='margin:2px 0'>"
            f"Your {esc(what)}: <strong>{esc(label)}</strong></p>")


class SharedParts:
    """Makes the many small parts of a kit widget share their Layout and style models.

    ipywidgets gives every widget a Layout model and most a style model of their own, and
    each model is a message to the browser when it is made (and, when a notebook is
    graded, a message through nbclient and an entry in the saved notebook). The sorter's
    16 rows were 315 models, two thirds of them identical default layouts and styles.
    Parts whose layout and style are never changed one by one share them: `part(w.HTML,
    value=...)` is `w.HTML(value=..., layout=<shared>, style=<shared HTMLStyle>)`; a style
    given as a dict is shared by every part with the same class and dict.
    """

    def __init__(self):
        self.layout = w.Layout()
        self._layouts: dict[tuple, w.Layout] = {}
        self._styles: dict[tuple, w.Widget] = {}

    def layout_with(self, **css) -> w.Layout:
        """One shared Layout per set of CSS properties (e.g. display="none")."""
        key = tuple(sorted(css.items()))
        if key not in self._layouts:
            self._layouts[key] = w.Layout(**css)
        return self._layouts[key]

    def __call__(self, cls, *args, **kwargs):
        kwargs.setdefault("layout", self.layout)
        trait = cls.class_traits().get("style")
        style = kwargs.get("style")
        if trait is not None and (style is None or isinstance(style, dict)):
            klass = getattr(trait, "klass", None)
            if isinstance(klass, type):
                key = (klass, tuple(sorted((style or {}).items())))
                if key not in self._styles:
                    self._styles[key] = klass(**(style or {}))
                kwargs["style"] = self._styles[key]
        return cls(*args, **kwargs)


class AnswerWidget(w.VBox):
    """A VBox whose answers are saved under `key` in an AnswerStore on every change.

    Subclasses build their controls, call `self.restore(entry)` with what was saved,
    and call `self.save()` from their observers. `restoring` is True while a saved state
    is being put back, so observers do not save (or judge) a state nobody clicked.
    """

    family = "widget"

    def __init__(self, store: AnswerStore, key: str, **kwargs):
        super().__init__(**kwargs)
        self.store = store
        self.key = key
        self.restoring = False
        self.status = w.HTML(value=SELECTION_STYLE)
        self.add_class("wss-widget")
        if store.notice:
            self.status.value = SELECTION_STYLE + feedback_html("⚠ Note", store.notice, tone="warn")

    def state(self) -> dict:
        """The plain data to save; subclasses add their answers."""
        return {"type": self.family}

    def save(self) -> None:
        if self.restoring:
            return
        result = self.store.put(self.key, self.state())
        if not result.saved:
            self.status.value = SELECTION_STYLE + feedback_html("⚠ Not saved", result.message, tone="warn")
        elif "Not saved" in self.status.value:
            self.status.value = SELECTION_STYLE
