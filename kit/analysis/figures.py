"""Figures and dates: money, percentages, ranges, counts and measures; calendar
dates, years, weekdays and relative times ("last week"). Each is marked so a student can
ask where it came from and whether it can be checked.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kit.analysis import lexicon
from kit.analysis.sentence import drop_overlaps, Found, overlaps, ParsedSentence, reason_for


@lru_cache(maxsize=1)
def _date_number_regexes():
    L = lexicon.load("dates_numbers")
    def alt(items) -> str:
        """A case-sensitive trie of the items, with no word boundaries of its own."""
        return lexicon.trie_pattern([str(i) for i in items])
    month = alt(L["months"])
    safe_month = alt([m for m in L["months"] if m not in L["ambiguous_months"]])
    weekday = alt(L["weekdays"])
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:1[5-9]\d\d|20\d\d|21\d\d)"
    units = alt(L["time_units"])
    nwords = alt(L["number_words"])
    num = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    numw = rf"(?:{num}|(?:a |an )?(?:{nwords})(?:[ -](?:{nwords}))?)"
    targets = alt(L["target_words"])
    month_b = rf"(?:{month})(?![\w])"
    dates = [
        ("date", rf"(?:(?:{weekday}),?\s+)?{month_b}\s+{day}(?:,?\s+{year})?(?!\d)"),
        ("date", rf"(?:(?:{weekday}),?\s+)?(?<!\d){day}\s+(?:of\s+)?{month_b}(?:,?\s+{year})?(?!\d)"),
        ("date", rf"(?:(?:early|late|mid)[- ])?(?:{month_b}),?\s+{year}(?!\d)"),
        ("date", r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|(?<![\d/])\d{1,2}/\d{1,2}/\d{2,4}(?![\d/])"),
        ("relative", rf"(?<![\w]){numw}\s+(?:{units})\s+(?:ago|earlier|later|before|after|from now)\b"),
        ("relative", rf"\b(?:last|next|this|past|coming|previous|following)\s+(?:{weekday}|{safe_month}|week|month|year|decade|century|weekend|summer|winter|spring|autumn|fall|quarter)\b"),
        ("target", rf"\b(?:{targets})\s+(?:the\s+end\s+of\s+)?{year}s?(?!\d)"),
        ("year", rf"\b(?:the\s+)?(?:1[5-9]|20)\d0s\b"),
        ("weekday", rf"\b(?:(?:on|last|next|this|by|until|since)\s+)?(?:{weekday})(?![\w])"),
        ("date", rf"\b(?:in|on|since|until|by|from|through|during|early|late|mid-)\s+(?:{month_b})(?:\s+{day}(?!\d))?(?:,?\s+{year})?"),
        ("date", rf"\b(?:{safe_month})(?![\w])"),
        ("year", rf"(?<![\w$£€.,-]){year}(?![\w%]|,\d|\.\d)"),
    ]
    relative_words = lexicon.phrase_pattern(L["relative_words"])
    currencies = alt(L["currencies"].keys())
    scales = alt(L["scales"])
    money_words = alt(L["currency_words"])
    pct = alt(L["percent_words"])
    all_units = alt(L["units"])
    rng = rf"{num}(?:\s*(?:-|–|to)\s*{num})?"
    numbers = [
        ("money", rf"(?:{currencies})\s?{rng}(?:\s*(?:{scales})(?![\w]))?"),
        ("money", rf"(?<![\w.]){rng}(?:\s*(?:{scales})(?![\w]))?\s+(?:{money_words})\b"),
        ("percentage", rf"(?<![\w.]){rng}\s*(?:{pct})(?![\w])"),
        ("range", rf"(?<![\w.])(?:between\s+)?{num}\s*(?:-|–|to|and)\s*{num}(?:\s+(?:{scales})(?![\w]))?(?:\s+(?:{units}|{all_units})\b)?"),
        ("duration", rf"(?<![\w.]){numw}(?:\s+(?:{scales})(?![\w]))?\s+(?:{units})\b"),
        ("measure", rf"(?<![\w.]){num}(?:\s*(?:{scales})(?![\w]))?\s*(?:{all_units})(?![\w])"),
        ("count", rf"(?<![\w.]){num}(?:\s+(?:{scales})(?![\w]))?(?![\w])"),
    ]
    return ([(label, re.compile(p)) for label, p in dates],
            re.compile(relative_words, re.IGNORECASE),
            [(label, re.compile(p, re.IGNORECASE if label != "count" else 0)) for label, p in numbers])


def find_dates(sent: ParsedSentence) -> list[Found]:
    date_res, relative_words, _ = _date_number_regexes()
    found = []
    for label, regex in date_res:
        for m in regex.finditer(sent.s):
            text = m.group()
            if label == "target":
                word = text.split()[0].lower()
                if word in ("since", "from"):
                    label_ = "start"
                elif word in ("by", "as", "no", "until"):
                    label_ = "target"
                else:
                    label_ = "year"
            elif label == "weekday" or label == "relative":
                label_ = "weekday" if label == "weekday" and not re.match(
                    r"(?:last|next|this)\b", text, re.IGNORECASE) else "relative"
            else:
                label_ = label
            found.append(Found(m.start(), m.end(), reason_for("dates_numbers", label_, text=text),
                                label_ if label_ != "weekday" else "relative"))
    for m in relative_words.finditer(sent.s):
        found.append(Found(m.start(), m.end(), reason_for("dates_numbers", "relative", text=m.group()),
                            "relative"))
    return drop_overlaps(found)


def find_numbers(sent: ParsedSentence, dates: list[Found]) -> list[Found]:
    _, _, number_res = _date_number_regexes()
    found = []
    taken = [(d.start, d.end) for d in dates]
    for label, regex in number_res:
        for m in regex.finditer(sent.s):
            span = (m.start(), m.end())
            if any(overlaps(span, t) for t in taken):
                continue
            if label == "count" and (re.match(r"-\w", sent.s[m.end():m.end() + 2]) or
                                     re.search(r"[A-Za-z]-$", sent.s[:m.start()])):
                continue  # "F-35", "COVID-19" are names, not figures
            found.append(Found(*span, reason_for("dates_numbers", label, text=m.group()), label))
    return drop_overlaps(found)
