"""ErrorHunt: the whole page, numbered line by line; the student reports where something
is wrong and what kind of problem it is.

A report at a flagged place finds the flag and shows why it is there; a wrong problem
type still finds it, and the feedback explains the right type. The count of flags found
and remaining is always shown, and Hint gives the hint of the next flag not yet found
(a second press on the same flag says where it is). Hints used are counted and saved.
"""
from __future__ import annotations

import ipywidgets as w

from kit.article import Article, Flag, Furniture, Sentence
from kit.taxonomy import FLAG_TYPES
from kit.widgets.base import RIGHT, WRONG, AnswerWidget, esc, feedback_html

FOUND_OTHER_TYPE = "✔ Found"
EXCERPT_CHARS = 48


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def page_items(article: Article) -> list[Sentence | Furniture]:
    """Furniture and sentences in the order a reader meets them on the page."""
    items: list[Sentence | Furniture] = []
    for s in article.sentences:
        items.extend(f for f in article.furniture if f.before == s.id)
        items.append(s)
    ids = {s.id for s in article.sentences}
    items.extend(f for f in article.furniture if f.before not in ids)  # "end"
    return items


def place_label(item: Sentence | Furniture) -> str:
    if isinstance(item, Furniture):
        return f"{item.id} · page furniture ({item.role}): {excerpt(item.text)}"
    return f"{item.id} · {excerpt(item.text)}"


class ErrorHunt(AnswerWidget):
    """Find the article's flagged problems: pick a place and a problem type, press Report.

    `report(place, flag_type)` does what the Report button does with those choices;
    `hint()` what the Hint button does. `found` maps flag id to the type reported.
    """

    family = "errorhunt"

    def __init__(self, article: Article, store, key: str, title: str = "Hunt for problems"):
        super().__init__(store, key)
        if not article.annotated:
            raise ValueError(f"{article.id}: this article has no key in the kit, so it cannot give feedback")
        self.article = article
        self.items = page_items(article)
        self.found: dict[str, str] = {}   # flag id -> type the student reported
        self.hints: dict[str, int] = {}   # flag id -> hint level shown (1 the hint, 2 the place)
        self.misses = 0                   # reports where nothing is flagged

        heading = w.HTML(
            f"<h4 style='margin:4px 0'>{esc(title)}: {esc(article.title)}</h4>"
            "<p style='margin:0 0 4px 0'>Read the whole page, including the lines around the "
            "story (page furniture). When something is wrong or missing, pick the place and the "
            "kind of problem and press <em>Report</em>. Stuck? Press <em>Hint</em>. Keyboard: Tab "
            "to a list, arrows to choose, Enter or Space on the buttons.</p>")
        self.page = w.HTML()
        self.place = w.Dropdown(options=[(place_label(i), i.id) for i in self.items], value=None,
                                description="Place:", layout=w.Layout(width="520px"))
        self.flag_type = w.Dropdown(options=[(f"{t}: {m}", t) for t, m in FLAG_TYPES.items()],
                                    value=None, description="Problem:",
                                    layout=w.Layout(width="520px"))
        self.report_button = w.Button(description="Report", button_style="primary",
                                      tooltip="Report this kind of problem at this place")
        self.hint_button = w.Button(description="Hint",
                                    tooltip="Show a hint for a problem you have not found yet")
        self.report_button.on_click(lambda _: self.report())
        self.hint_button.on_click(lambda _: self.hint())
        self.feedback = w.HTML()
        self.hint_box = w.HTML()
        self.tally = w.HTML()
        self.found_list = w.HTML()
        self.children = [heading, self.page, self.place, self.flag_type,
                         w.HBox([self.report_button, self.hint_button]), self.feedback,
                         self.hint_box, self.tally, self.found_list, self.status]
        self.restore(store.get(key))

    # -- state ------------------------------------------------------------------------
    def state(self) -> dict:
        return {"type": self.family, "article": self.article.id, "found": dict(self.found),
                "hints": dict(self.hints), "hints_used": self.hints_used,
                "misses": self.misses, "total": len(self.article.flags)}

    def restore(self, entry: dict) -> None:
        self.restoring = True
        try:
            entry = entry if isinstance(entry, dict) else {}
            flags = {f.id for f in self.article.flags}
            found = entry.get("found", {})
            self.found = {k: v for k, v in found.items() if k in flags and v in FLAG_TYPES} \
                if isinstance(found, dict) else {}
            hints = entry.get("hints", {})
            self.hints = {k: v for k, v in hints.items() if k in flags and v in (1, 2)} \
                if isinstance(hints, dict) else {}
            misses = entry.get("misses", 0)
            self.misses = misses if isinstance(misses, int) and misses >= 0 else 0
        finally:
            self.restoring = False
        self._refresh()

    @property
    def hints_used(self) -> int:
        return sum(self.hints.values())

    @property
    def remaining(self) -> list[Flag]:
        return [f for f in self.article.flags if f.id not in self.found]

    def count_line(self) -> str:
        total = len(self.article.flags)
        return f"{len(self.found)} of {total} found; {total - len(self.found)} remain"

    # -- showing ----------------------------------------------------------------------
    def _refresh(self) -> None:
        self.page.value = self._page_html()
        hints = f" · hints used: {self.hints_used}" if self.hints_used else ""
        self.tally.value = (f"<p class='wss-tally' role='status' aria-live='polite'>"
                            f"<strong>{esc(self.count_line())}</strong>{hints}</p>")
        flags = [f for f in self.article.flags if f.id in self.found]
        if flags:
            items = "".join(
                f"<li><strong>{esc(f.id)}</strong> at {esc(f.target)} ({esc(f.type)}): "
                f"“{esc(f.quote)}”. {esc(f.why)}</li>" for f in flags)
            self.found_list.value = f"<details><summary>Found so far ({len(flags)})</summary><ul>{items}</ul></details>"
        else:
            self.found_list.value = ""

    def _page_html(self) -> str:
        found_at: dict[str, int] = {}
        for f in self.article.flags:
            if f.id in self.found:
                found_at[f.target] = found_at.get(f.target, 0) + 1
        lines = []
        for item in self.items:
            tag = (f" <span style='white-space:nowrap'>⚑ found: {found_at[item.id]}</span>"
                   if item.id in found_at else "")
            if isinstance(item, Furniture):
                lines.append(f"<div style='color:#555;font-variant:small-caps;margin:2px 0'>"
                             f"<strong>{esc(item.id)}</strong> [page furniture · {esc(item.role)}] "
                             f"{esc(item.text)}{tag}</div>")
            else:
                part = f" [{esc(item.part)}]" if item.part != "body" else ""
                lines.append(f"<div style='margin:2px 0'><strong>{esc(item.id)}</strong>{part} "
                             f"{esc(item.text)}{tag}</div>")
        return ("<div class='wss-page' style='max-height:28em;overflow:auto;border:1px solid #999;"
                "padding:6px'>" + "".join(lines) + "</div>")

    # -- actions ----------------------------------------------------------------------
    def report(self, place: str | None = None, flag_type: str | None = None) -> None:
        """Report `flag_type` at `place` (default: what the dropdowns show)."""
        if place is not None:
            self.place.value = place
        if flag_type is not None:
            self.flag_type.value = flag_type
        place, flag_type = self.place.value, self.flag_type.value
        if place is None or flag_type is None:
            self.feedback.value = feedback_html("ℹ First choose", "pick a place and a kind of "
                                                "problem, then press Report.")
            return
        count = f"<p>{esc(self.count_line())}.</p>"
        here = [f for f in self.article.flags if f.target == place]
        unfound = [f for f in here if f.id not in self.found]
        if not here:
            self.misses += 1
            self.save()
            self._refresh()
            self.feedback.value = feedback_html(
                WRONG, f"nothing is flagged at {place}.",
                "<p>The key has no problem there. Read it again if you like, then look "
                "elsewhere.</p>" + f"<p>{esc(self.count_line())}.</p>", tone="wrong")
            return
        if not unfound:
            self.feedback.value = feedback_html(
                "ℹ Already found", f"you have found everything flagged at {place}.", count)
            return
        flag = next((f for f in unfound if f.type == flag_type), unfound[0])
        self.found[flag.id] = flag_type
        self.save()
        self._refresh()
        body = f"<p>“{esc(flag.quote)}”: {esc(flag.why)}</p>"
        if len(unfound) > 1:
            body += "<p>There is more to find at this place.</p>"
        body += f"<p>{esc(self.count_line())}.</p>"
        if flag.type == flag_type:
            self.feedback.value = feedback_html(RIGHT, f"found: {flag.type} at {place}.", body,
                                                tone="right")
        else:
            body = (f"<p>You called it {esc(flag_type)} ({esc(FLAG_TYPES[flag_type])}); the key calls "
                    f"it <strong>{esc(flag.type)}</strong>: {esc(FLAG_TYPES[flag.type])}.</p>" + body)
            self.feedback.value = feedback_html(
                FOUND_OTHER_TYPE, f"there is a problem at {place}, but it is {flag.type}, "
                f"not {flag_type}.", body, tone="right")

    def hint(self) -> None:
        """Show the hint of the next flag not yet found; pressed again, say where it is."""
        left = self.remaining
        if not left:
            self.hint_box.value = feedback_html("ℹ No hints left", "you have found every flagged "
                                                "problem on this page.")
            return
        flag = left[0]
        level = min(self.hints.get(flag.id, 0) + 1, 2)
        self.hints[flag.id] = level
        self.save()
        self._refresh()
        where = f"Look at {flag.target}: “{excerpt(self.article.target_text(flag.target))}”"
        if level == 1 and flag.hint:
            self.hint_box.value = feedback_html("💡 Hint", flag.hint,
                                                "<p>Press Hint again to be told where to look.</p>")
        else:
            self.hint_box.value = feedback_html("💡 Hint", where + ".")
