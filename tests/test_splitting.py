"""Does the sentence splitter survive news prose, and keep exact offsets?"""
from __future__ import annotations

import pytest

from kit.analysis.splitting import MAX_SENTENCE_CHARS, split_sentences, split_spans

HARD_CASES = [
    # (scenario, text, expected sentences)
    ("abbreviations U.S., Jan., Gen.",
     "The U.S. Army said on Jan. 5 that Gen. Smith will retire. He served 30 years.",
     ["The U.S. Army said on Jan. 5 that Gen. Smith will retire.", "He served 30 years."]),
    ("U.S. at the end of a sentence",
     "He moved to the U.S. In 2020 he left.",
     ["He moved to the U.S.", "In 2020 he left."]),
    ("money and ranges",
     "The deal cost more than $210 million. It could speed the program by 10 to 15 years.",
     ["The deal cost more than $210 million.", "It could speed the program by 10 to 15 years."]),
    ("decimals and per cent",
     "Inflation rose 2.5% in March, or 3.4 per cent of GDP. Prices fell.",
     ["Inflation rose 2.5% in March, or 3.4 per cent of GDP.", "Prices fell."]),
    ("attribution after a quotation",
     '"We will not back down," the minister said. She left.',
     ['"We will not back down," the minister said.', "She left."]),
    ("curly quotes and a question",
     "“Is it safe?” asked Dr. Jones. Nobody answered.",
     ["“Is it safe?” asked Dr. Jones.", "Nobody answered."]),
    ("a full stop inside the closing quote",
     'She said it was "final." Then she left.',
     ['She said it was "final."', "Then she left."]),
    ("titles before names",
     "Lt. Col. Ann Bo and Sen. Elizabeth Warren spoke. Rep. Smith disagreed.",
     ["Lt. Col. Ann Bo and Sen. Elizabeth Warren spoke.", "Rep. Smith disagreed."]),
    ("a.m. before a weekday",
     "She spoke at 9 a.m. Tuesday in the capital. She left.",
     ["She spoke at 9 a.m. Tuesday in the capital.", "She left."]),
    ("an abbreviation before a lowercase word",
     "Shares fell 4.5 pct. to $12.50 on Monday. Analysts shrugged.",
     ["Shares fell 4.5 pct. to $12.50 on Monday.", "Analysts shrugged."]),
    ("approx. before a number",
     "Approx. 300 people came. Fine.",
     ["Approx. 300 people came.", "Fine."]),
    ("no space after a full stop (pasted web text)",
     "Officials said the U.S. would respond.The reply came later.",
     ["Officials said the U.S. would respond.", "The reply came later."]),
    ("a web address is not a sentence end",
     "Visit www.example.Com today. Fine.",
     ["Visit www.example.Com today.", "Fine."]),
    ("headline, dateline furniture and body on their own lines",
     "World 3 months ago\nRussia Helping China Prepare for Taiwan Invasion, Analysis Finds\n\n"
     "An analysis by RUSI suggests Moscow is assisting China.",
     ["World 3 months ago", "Russia Helping China Prepare for Taiwan Invasion, Analysis Finds",
      "An analysis by RUSI suggests Moscow is assisting China."]),
    ("a headline with no full stop before a blank line",
     "Council Approves New Bridge\n\nThe council voted 7 to 2 on Monday. Work starts soon.",
     ["Council Approves New Bridge", "The council voted 7 to 2 on Monday.", "Work starts soon."]),
    ("a wire dateline stays with its sentence",
     "WASHINGTON (AP) — The Pentagon said Tuesday it would act. Officials declined to comment.",
     ["WASHINGTON (AP) — The Pentagon said Tuesday it would act.", "Officials declined to comment."]),
    ("a dateline with an abbreviated month",
     "LONDON, Sept. 26 (Reuters) - Britain said on Friday it would act. More follows.",
     ["LONDON, Sept. 26 (Reuters) - Britain said on Friday it would act.", "More follows."]),
    ("a line break inside wrapped prose",
     "The council said the new timetable would start in September\nand run until next year. It did.",
     ["The council said the new timetable would start in September\nand run until next year.",
      "It did."]),
]


@pytest.mark.parametrize("scenario,text,expected", HARD_CASES, ids=[c[0] for c in HARD_CASES])
def test_hard_cases(scenario, text, expected):
    """Does each hard case of news prose split where a reader would split it?"""
    assert split_sentences(text) == expected


def test_spans_are_offsets_into_the_original():
    """Does every span cut exactly the sentence out of the text as given?"""
    text = "  First one.\u00a0Second\u200f one?  “Third,” he said.\n\n"
    spans = split_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    assert split_sentences(text) == ["First one.", "Second\u200f one?", "“Third,” he said."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u200f\u200e", "\ufeff"])
def test_empty_text_gives_no_sentences(text):
    """Does text with no words give an empty list, not an error?"""
    assert split_sentences(text) == []


@pytest.mark.parametrize("bad", [b"bytes are not text", 42, None, ["a list"]])
def test_non_text_gives_a_clear_type_error(bad):
    """Does anything that is not a str fail with a TypeError that says what to do?"""
    with pytest.raises(TypeError, match="expected text"):
        split_sentences(bad)


def test_bytes_message_says_how_to_decode():
    """Does the bytes message tell the caller how to turn bytes into text?"""
    with pytest.raises(TypeError, match=r"decode"):
        split_spans(b"abc")


def test_a_run_on_text_is_cut_into_bounded_pieces():
    """Does a text with no punctuation at all come back in pieces of bounded size?"""
    text = "word " * 5000
    spans = split_spans(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_one_enormous_word_is_kept():
    """Does a 50,000-character 'word' survive, cut but with no character lost?"""
    text = "x" * 50_000
    spans = split_spans(text)
    assert "".join(text[a:b] for a, b in spans) == text


def test_right_to_left_marks_and_nbsp_do_not_move_offsets():
    """Do invisible marks and non-breaking spaces leave offsets pointing at the right text?"""
    text = "\u202bOfficials\u00a0said\u202c it rose 5%.\u200f Then it fell."
    spans = split_spans(text)
    assert len(spans) == 2
    assert text[spans[1][0]:spans[1][1]] == "Then it fell."


def test_single_quoted_quotations():
    """Do quotations in single quotes end and start sentences, closing quote included?"""
    text = ("He said the result was 'plausible but not proven.' 'A study like this can tell "
            "you little,' Ferrante said. They said it was 'over.'")
    assert split_sentences(text) == [
        "He said the result was 'plausible but not proven.'",
        "'A study like this can tell you little,' Ferrante said.",
        "They said it was 'over.'",
    ]
