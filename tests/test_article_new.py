"""`kit article new` and the draft report of `kit article check` (issue 8, items 1-2).

Does a text become a valid draft with every suggested field marked unreviewed and
comments that survive? Is each bad input one clear line naming the file, with nothing
written and nothing overwritten? Does `check` say what is still unreviewed, and warn
where the key and the analyser disagree strongly?
"""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
import yaml

from kit.article_check import check_files, disagreements, review_state
from kit.article_loader import load_article
from kit.article_new import MAX_INPUT_BYTES, new_article

TEXT = """\
Council Votes to Close Eastside Pool

By Dana Reyes

The Marlow town council voted 6 to 3 on Tuesday to close the Eastside swimming pool in
June, the meeting minutes show. Mayor Dana Pike said the pool needed repairs costing
$1.2 million.

Some residents say the closure could hurt children in the neighbourhood. It is possible
that the pool may reopen if a buyer is found, officials suggested.
"""

MARKDOWN = """\
# Harbour Board **Approves** New Ferry Route

*The service will link Tidewell and Corran from May.*

![A ferry at its dock](ferry.jpg)

The Tidewell Harbour Board voted on Monday to approve a ferry route to Corran,
according to a [statement](https://example.org/statement) from the board.
The crossing will take about 40 minutes, the board said.

## Fares

| ticket | price |
|---|---|
| adult | 4.50 |

Critics say the fares could be too high for commuters.
"""


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@pytest.fixture
def draft(tmp_path, capsys):
    """Write an input file and run `kit article new` on it (in process)."""
    def run(content, name="article.txt", out="article.yaml", **kwargs) -> Run:
        source = tmp_path / name
        if isinstance(content, bytes):
            source.write_bytes(content)
        else:
            source.write_text(content, encoding="utf-8")
        capsys.readouterr()
        code = new_article(str(source), str(tmp_path / out) if out else None, **kwargs)
        said = capsys.readouterr()
        return Run(code, said.out, said.err)
    return run


def outputs(tmp_path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".yaml", ".tmp") or p.name.startswith("."))


# -- a good draft ----------------------------------------------------------------------


def test_plain_text_becomes_a_valid_draft(draft, tmp_path):
    run = draft(TEXT)
    assert run.code == 0, run.err
    assert "wrote" in run.out and "kit article check" in run.out
    article = load_article(tmp_path / "article.yaml")
    assert article.title == "Council Votes to Close Eastside Pool"
    assert article.id == "article" and article.fictional is False
    s = article.sentences
    assert s[0].part == "headline" and s[0].text == article.title
    assert [x.text for x in s[1:3]] == [
        "The Marlow town council voted 6 to 3 on Tuesday to close the Eastside swimming pool "
        "in June, the meeting minutes show.",
        "Mayor Dana Pike said the pool needed repairs costing $1.2 million."]
    assert len(article.paragraphs) == 3 and len(s) == 5
    # The analyser's suggestions are filled in ...
    assert s[1].source.type == "document" and "show" in s[1].cues
    assert s[2].source.type == "person" and "Pike" in s[2].source.name
    assert s[3].source.type == "vague" and "could" in s[3].hedges and s[3].kind == "speculation"
    assert s[4].certainty == "low"
    # ... every one marked unreviewed, and the byline is furniture.
    assert all({"kind", "source", "hedges", "why"} <= set(x.extra["unreviewed"]) for x in s)
    assert article.meta["unreviewed"] == ["fictional"]
    (byline,) = article.furniture
    assert byline.role == "byline" and byline.text == "By Dana Reyes" and byline.before == "s2"


def test_comments_tell_the_teacher_what_to_check(draft, tmp_path):
    draft(TEXT)
    text = (tmp_path / "article.yaml").read_text()
    assert text.startswith("# DRAFT written by `kit article new`")
    assert "# Numbers and dates: \"6 to 3\", \"on Tuesday\", \"in June\"" in text
    assert "Source unnamed (vague)" in text and "# flags:" in text
    assert "docs/authoring.md" in text


def test_markdown_with_a_title_line(draft, tmp_path):
    run = draft(MARKDOWN, name="ferry.md", out="ferry.yaml")
    assert run.code == 0, run.err
    article = load_article(tmp_path / "ferry.yaml")
    assert article.id == "ferry"
    assert article.title == "Harbour Board Approves New Ferry Route"
    parts = [(x.part, x.text) for x in article.sentences]
    assert parts[1] == ("dek", "The service will link Tidewell and Corran from May.")
    assert parts[2][1].endswith("according to a statement from the board.")  # link text kept, URL gone
    assert parts[3][1] == "The crossing will take about 40 minutes, the board said."
    assert parts[-1][1] == "Critics say the fares could be too high for commuters."
    assert [(f.role, f.text, f.before) for f in article.furniture] == [("other", "Fares", "s5")]
    # What it could not read, said once, clearly.
    (note,) = [line for line in run.err_lines if line.startswith("note:")]
    assert "ferry.md" in note and "line 5 (an image)" in note and "(a table row)" in note


def test_windows_line_endings_give_the_same_draft(draft, tmp_path):
    unix = draft(TEXT, out="unix.yaml")
    windows = draft(TEXT.replace("\n", "\r\n").encode("utf-8"), out="windows.yaml")
    assert unix.code == windows.code == 0
    a = (tmp_path / "unix.yaml").read_text().replace("unix", "X")
    b = (tmp_path / "windows.yaml").read_text().replace("windows", "X")
    assert a == b and "\r" not in b


def test_no_title_line_is_said_and_left_to_review(draft, tmp_path):
    run = draft("The council voted to close the pool. Residents objected.\n")
    assert run.code == 0
    assert any("no title line found" in line for line in run.err_lines)
    article = load_article(tmp_path / "article.yaml")
    assert article.title == "The council voted to close the pool."
    assert article.meta["unreviewed"] == ["title", "fictional"]
    assert all(s.part == "body" for s in article.sentences)


def test_options_id_and_fictional(draft, tmp_path):
    run = draft(TEXT, article_id="eastside-pool", fictional=True)
    assert run.code == 0
    article = load_article(tmp_path / "article.yaml")
    assert article.id == "eastside-pool" and article.fictional and "fictional" in article.meta["notice"]
    assert "unreviewed" not in article.meta
    assert draft(TEXT, out="b.yaml", article_id="Not A Slug").code == 1


def test_default_output_is_beside_the_input(draft, tmp_path):
    run = draft(TEXT, name="pool.txt", out=None)
    assert run.code == 0 and (tmp_path / "pool.yaml").is_file()


def test_non_utf8_and_utf16_text_are_read_with_a_note(draft, tmp_path):
    run = draft("Caf\u00e9 Owner Says \u201cNo\u201d\n\nThe caf\u00e9 closed on Monday.\n".encode("cp1252"))
    assert run.code == 0 and any("Windows-1252" in line for line in run.err_lines)
    assert load_article(tmp_path / "article.yaml").title == "Caf\u00e9 Owner Says \u201cNo\u201d"
    run = draft(TEXT.encode("utf-16"), out="u16.yaml")
    assert run.code == 0 and any("UTF-16" in line for line in run.err_lines)
    assert load_article(tmp_path / "u16.yaml").title == "Council Votes to Close Eastside Pool"


def test_odd_characters_survive_the_round_trip(draft, tmp_path):
    text = ("Minister\u00a0Says \u201cYes\u201d \u2014 Maybe\n\nThe minister said: \"it's\\done\" "
            "# not a comment \u200f, according to aides.\n")
    run = draft(text)
    assert run.code == 0, run.err
    article = load_article(tmp_path / "article.yaml")
    assert "\"it's\\done\" # not a comment \u200f," in article.sentences[1].text


# -- bad input: one line naming the file, nothing written --------------------------------


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"  \n\n\t\r\n  \n", "the file is empty (only spaces and blank lines)"),
    (b"...\n\n---\n\n* * *\n", "found no text to annotate"),
    (b"\x00\x01\x02binary\x00\xff\xfe\x00" * 50, "not a text file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "this is a PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "Save As > Plain Text"),
    (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "web page (HTML)"),
    (b"\x81\x8d\x8f\x90\x9d" * 3, "not UTF-8 text"),
])
def test_bad_input_is_one_clear_line(draft, tmp_path, content, message):
    run = draft(content, name="input.txt")
    assert run.code == 1
    assert len(run.err_lines) == 1, run.err
    assert "input.txt" in run.err_lines[0] and message in run.err_lines[0]
    assert run.out == "" and outputs(tmp_path) == []


def test_markdown_with_no_sentences(draft, tmp_path):
    run = draft("![a picture](x.png)\n\n| a | b |\n", name="pics.md")
    assert run.code == 1 and "pics.md: found no text to annotate" in run.err
    assert outputs(tmp_path) == []


def test_five_megabytes_is_refused_at_once(draft, tmp_path):
    big = ("The council met on Tuesday and voted to close the pool. " * 90_000).encode()
    assert len(big) > 5_000_000
    started = time.monotonic()
    run = draft(big, name="big.txt")
    assert time.monotonic() - started < 2
    assert run.code == 1 and len(run.err_lines) == 1
    assert "big.txt: the file is 5.0 MB" in run.err and "100 kB" in run.err
    assert outputs(tmp_path) == []


@pytest.mark.slow
def test_a_long_article_just_under_the_limit_is_quick(draft, tmp_path):
    paragraph = ("The Marlow town council voted 6 to 3 on Tuesday to close the pool, the minutes "
                 "show. Some residents say the closure could hurt children. ")
    text = "Council Votes to Close Pool\n\n" + "\n\n".join([paragraph] * 600)
    assert MAX_INPUT_BYTES * 0.8 < len(text.encode()) <= MAX_INPUT_BYTES
    started = time.monotonic()
    run = draft(text)
    assert run.code == 0, run.err
    assert time.monotonic() - started < 30
    assert len(load_article(tmp_path / "article.yaml").sentences) == 1201


def test_missing_input_and_folder_input(draft, tmp_path, capsys):
    assert new_article(str(tmp_path / "nope.txt"), str(tmp_path / "x.yaml")) == 1
    assert "nope.txt: no such file" in capsys.readouterr().err
    assert new_article(str(tmp_path), str(tmp_path / "x.yaml")) == 1
    assert "is a folder" in capsys.readouterr().err
    assert outputs(tmp_path) == []


def test_output_problems(draft, tmp_path):
    assert "must end in .yaml" in draft(TEXT, out="article.txt2").err
    assert "does not exist" in draft(TEXT, out="missing/a.yaml").err
    (tmp_path / "a.yaml").write_text("id: x\n")
    run = draft("id: x\ntitle: y\n", name="a.yaml", out="b.yaml")
    assert run.code == 1 and "already an article file" in run.err
    assert not (tmp_path / "b.yaml").exists()


def test_never_overwrites_without_force(draft, tmp_path):
    (tmp_path / "article.yaml").write_text("# the teacher's reviewed key\n")
    run = draft(TEXT)
    assert run.code == 1 and len(run.err_lines) == 1
    assert "article.yaml: already exists; use --force" in run.err
    assert (tmp_path / "article.yaml").read_text() == "# the teacher's reviewed key\n"
    assert draft(TEXT, force=True).code == 0
    assert load_article(tmp_path / "article.yaml").title == "Council Votes to Close Eastside Pool"


def test_a_failed_write_leaves_nothing(draft, tmp_path, monkeypatch):
    import kit.atomic

    def full_disk(path, text):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(kit.atomic, "write_text_atomic", full_disk)
    run = draft(TEXT)
    assert run.code == 1 and "No space left on device" in run.err
    assert outputs(tmp_path) == []


def test_cli_end_to_end(tmp_path):
    source = tmp_path / "pool.txt"
    source.write_text(TEXT)
    result = subprocess.run([sys.executable, "-m", "kit", "article", "new", str(source), "-o",
                             str(tmp_path / "pool.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "kit", "article", "new", str(tmp_path / "empty.txt")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.strip().endswith("empty.txt: no such file")


# -- kit article check: drafts and disagreements ----------------------------------------


def check(*paths):
    import io
    out, err = io.StringIO(), io.StringIO()
    code = check_files([str(p) for p in paths], out, err)
    return code, out.getvalue(), err.getvalue()


def test_round_trip_through_check(draft, tmp_path):
    """A draft passes validation but says it is a draft; once reviewed it is plain ok."""
    draft(TEXT)
    path = tmp_path / "article.yaml"
    code, out, err = check(path)
    assert code == 0
    assert f"{path}: ok: 5 sentences, 0 flags, 0 checks" in out
    assert "draft, not ready for students: 5 sentences still unreviewed (s1, s2, s3, s4, s5)" in out
    assert "the article's fictional still unreviewed" in out

    # The teacher reviews two sentences (deleting their lines) and one field of a third.
    lines = path.read_text().splitlines(keepends=True)
    text = "".join(lines)
    text = text.replace("      unreviewed: [kind, source, cues, hedges, certainty, why]\n", "", 2)
    text = text.replace("unreviewed: [fictional]\n", "")
    path.write_text(text)
    code, out, err = check(path)
    assert code == 0 and "3 sentences still unreviewed" in out and "fictional" not in out

    # Everything reviewed: the loader still reads it, comments and all, and check is quiet.
    text = "".join(line for line in text.splitlines(keepends=True) if "unreviewed:" not in line)
    path.write_text(text)
    code, out, err = check(path)
    assert code == 0 and out.strip() == f"{path}: ok: 5 sentences, 0 flags, 0 checks"
    assert not review_state(load_article(path)).is_draft
    assert "# DRAFT written by" in path.read_text()  # comments survive editing


def test_check_reports_many_unreviewed_ids_briefly(draft, tmp_path):
    body = "\n\n".join(f"Sentence number {i} says the pool closed." for i in range(14))
    draft("Pool Closes\n\n" + body)
    code, out, _ = check(tmp_path / "article.yaml")
    assert code == 0 and "15 sentences still unreviewed (s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, ...)" in out


def test_check_warns_where_key_and_analyser_disagree(write_article, minimal_article):
    s2 = minimal_article["paragraphs"][1][0]
    s2["text"] = "The council may possibly have voted 7 to 2, the minutes suggest."
    s2["cues"] = ["suggest"]
    path = write_article(minimal_article)
    code, out, err = check(path)
    assert code == 0 and "ok: 3 sentences" in out
    (warning,) = err.strip().splitlines()
    assert warning.startswith(f"warning: {path}: sentence s2: marked fact but full of hedges (")
    assert "possibly" in warning and "inference or speculation" in warning
    # A reviewed alternative silences it.
    s2.update(accept=["inference"], certainty="medium")
    assert check(write_article(minimal_article))[2] == ""


def test_check_warns_on_speculation_that_looks_nowhere(write_article, minimal_article):
    s3 = minimal_article["paragraphs"][1][1]
    s3.update(text="Critics say the bridge was built in 1931.", hedges=[])
    lines = disagreements(load_article(write_article(minimal_article)))
    assert len(lines) == 1 and "sentence s3: marked speculation but nothing in it looks ahead" in lines[0]


def test_shipped_articles_are_not_drafts_and_warnings_are_rare():
    from kit.library import practice_articles
    articles = practice_articles()
    assert not any(review_state(a).is_draft for a in articles)
    warnings = sum(len(disagreements(a)) for a in articles)
    assert warnings <= len(articles) // 2


def test_malformed_unreviewed_is_a_warning(write_article, minimal_article):
    minimal_article["paragraphs"][1][0]["unreviewed"] = {"kind": True}
    minimal_article["paragraphs"][1][1]["unreviewed"] = ["kind", "sauce"]
    code, out, err = check(write_article(minimal_article))
    assert code == 0 and "2 sentences still unreviewed (s2, s3)" in out
    assert 'sentence s2: field "unreviewed": should be a list of field names' in err
    assert '"sauce" is not a field name' in err
    assert all(line.startswith("warning: ") for line in err.splitlines())


def test_invalid_draft_is_reported_like_any_article(draft, tmp_path):
    """A draft edited by hand into an invalid state: the loader's one-line problems."""
    draft(TEXT)
    path = tmp_path / "article.yaml"
    path.write_text(path.read_text().replace("kind: speculation", "kind: maybe", 1))
    code, out, err = check(path)
    assert code == 1 and out == ""
    assert 'sentence s4: field "kind": unknown kind "maybe"' in err
    data = yaml.safe_load(path.read_text().replace("kind: maybe", "kind: speculation"))
    assert data["paragraphs"][2][0]["unreviewed"]
