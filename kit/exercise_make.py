"""`kit exercise make ARTICLE.yaml --name NAME`: a lesson and a graded exercise for any
annotated article.

It writes two things, both from the same reviewed article file:

- a **self-study lesson**, `lessons/NAME.ipynb`, in the skeleton of the kit's lessons
  (questions, objectives, minutes, "Run this first", widgets with short instructions,
  a claim ledger, key points, what next). Its widgets give feedback from the key, so
  the article file is copied beside it, key and all, to `lessons/articles/ID.yaml`:
  only a practice article may be used this way;
- an **nbgrader source assignment**, `solutions/NAME/NAME.ipynb`: sort every sentence
  (fact or inference?) and name every body sentence's source (who says so?), each
  graded for partial credit. The article travels with it as **text only**
  (`solutions/NAME/ID.yaml`, `assessment: true`), so its widgets are answer sheets
  with no feedback, and the key lives only in the hidden tests that `nbgrader
  generate_assignment` strips from the student version.

With `assessment=True` the lesson is not written at all, so the key never leaves
solutions/. Every file is built in memory first and validated; then all are written
through temporary files and renamed into place, so a failure leaves nothing partial,
and nothing is replaced without `force`.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import nbformat
from nbformat import v4

from kit.article import Article

NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
POINTS = 10  # each graded part


class ExerciseError(Exception):
    """Why nothing was written, in one line."""


def notebook_text(nb) -> str:
    """The bytes `kit.assignments.write_notebook` writes: deterministic JSON."""
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


# -- the text-only copy that travels with the assignment --------------------------------

TEXT_ONLY_META = ("notice", "outlet", "dateline", "dek", "level", "genre", "topic", "byline",
                  "provenance")


def text_only_yaml(article: Article) -> str:
    """The article without its key: metadata, furniture and sentence text only."""
    import yaml

    from kit.article_loader import parse_article
    data: dict = {"id": article.id, "title": article.title, "fictional": article.fictional}
    for key in TEXT_ONLY_META:
        value = article.meta.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            data[key] = value
    data["assessment"] = True
    if article.furniture:
        data["furniture"] = [{"id": f.id, "role": f.role, "text": f.text, "before": f.before}
                             for f in article.furniture]
    data["paragraphs"] = [[({"id": s.id, "part": s.part, "text": s.text} if s.part != "body"
                            else {"id": s.id, "text": s.text}) for s in para]
                          for para in article.paragraphs]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    parse_article(yaml.safe_load(body), f"{article.id}.yaml")  # raises if we got it wrong
    return ("# Text only, for graded work: written by `kit exercise make`.\n"
            "# The answer key is deliberately not in this file: it lives only in the hidden\n"
            "# tests of the notebook beside it, which nbgrader strips from the student version.\n"
            + body)


# -- the graded assignment --------------------------------------------------------------


def _article_line(article: Article) -> str:
    where = ", ".join(str(article.meta[k]) for k in ("outlet", "dateline") if article.meta.get(k))
    line = f"**Article:** *{article.title}*" + (f" ({where})" if where else "") + "."
    if article.fictional and article.meta.get("notice"):
        line += f" {article.meta['notice']}"
    return line


def assignment_notebook(article: Article, name: str, article_file: str,
                        points: float = POINTS) -> nbformat.NotebookNode:
    """Graded: sort every sentence by kind, and name every body sentence's source."""
    from kit.assignments import (code, grade_kinds_cell, grade_sources_cell, kinds_key, markdown,
                                 notebook, sources_key)
    ids = [s.id for s in article.sentences]
    body = [s.id for s in article.sentences if s.part == "body"] or ids
    answers = f"{name}.answers.json"
    sorter_key, sources_key_ = f"sorter:{article.id}", f"sources:{article.id}"
    return notebook([
        markdown("intro", f"""
# Graded exercise: {article.title}

{_article_line(article)}

Two tasks on one article, {2 * points:g} points in all. Every click is saved at once in
`{answers}` beside this notebook, so you can stop and come back; submit when both are done.

1. **Fact or inference?** Choose a kind for each of the {len(ids)} sentences ({points:g} points).
2. **Who says so?** For each of the {len(body)} sentences of the story, type who says so and
   choose the type of source ({points:g} points).

There is no feedback here: this is your own judgement. Read the whole article first.

| kind | meaning |
|---|---|
| fact | a checkable statement of what happened, what exists, or what a document contains ("fact" means checkable, not true) |
| inference | an interpretation, judgement or conclusion beyond what was observed |
| speculation | what could or might happen: a forecast or a hypothetical |
| caveat | a limit of the evidence |
| background | general context, not new evidence for this story |

| source type | meaning |
|---|---|
| person | a named person |
| organisation | a named organisation or its report |
| document | the documents or records themselves |
| vague | unnamed people or groups, or an unnamed alleger ("analysts say", "allegedly") |
| none | no attribution: the outlet's own voice |
"""),
        code("setup", f'''
# Just run this cell. It opens the file where your answers are saved as you click,
# and the article ({article_file}, beside this notebook).
from kit.notebook import start
from kit.library import load
nb = start("{name}")
article = load("{article_file}")'''),
        markdown("part1", f"""
## Part 1: fact or inference? ({points:g} points)

Choose a kind for every sentence, the headline included. **How it is scored:** every kind
counts the same, so recognising a well-sourced fact is worth exactly as much as spotting an
inference: marking everything as doubtful scores badly, and so does believing everything.
"""),
        code("sorter", 'nb.sorter(article, mode="all", title="Graded: sort the sentences")'),
        grade_kinds_cell(answers, sorter_key, ids, kinds_key(article), points),
        markdown("part2", f"""
## Part 2: who says so? ({points:g} points)

For each sentence, type **who says so** (the name as printed, or the words used for an
unnamed source, such as "officials") and choose the **source type**. If nobody is credited,
choose *none*: the outlet itself vouches for it. A source carried over from an earlier
sentence counts as that source. **How it is scored:** half of each sentence's share for the
type, half for the name.
"""),
        code("finder", f'nb.sources(article, sentence_ids={body!r})'),
        grade_sources_cell(answers, sources_key_, body, sources_key(article, body), points),
    ])


# -- the self-study lesson --------------------------------------------------------------


def _md(source: str):
    return v4.new_markdown_cell(source.strip("\n"))


def _code(source: str):
    return v4.new_code_cell(source.strip("\n"))


def _minutes(n: int, per: float, least: int = 5) -> int:
    return max(least, int(round(n * per)))


def _ledger_example(article: Article) -> dict:
    body = [s for s in article.sentences if s.part == "body"] or article.sentences
    s = next((s for s in body if s.source.type in ("person", "organisation", "document")),
             body[0])
    check = next((c for c in article.checks if c.sentence == s.id), None)
    how = (f"{check.search} (settled by: {check.settle})" if check else
           f"Search for {s.source.name or 'the claim'} beyond this page; find the original record")
    return {"sentence": s.id, "kind": s.kind, "source": s.source.name or "no one",
            "how sure": s.certainty, "how to check": how}


def lesson_notebook(article: Article, name: str, article_file: str) -> nbformat.NotebookNode:
    """A self-study lesson: highlighter, sorter, source finder, hedge spotter, error hunt
    (when the article has flags), claim ledger and results, in the lessons' skeleton."""
    from kit.widgets.hedges import default_sentence_ids as hedge_ids
    from kit.widgets.sources import default_sentence_ids as source_ids
    n = len(article.sentences)
    sources = source_ids(article)
    hedges = hedge_ids(article)
    ids = [s.id for s in article.sentences]
    steps = [("Read with highlights", 5), ("Sort every sentence", _minutes(n, 0.5)),
             ("Who says so?", _minutes(len(sources), 0.75)),
             ("How sure are they?", _minutes(len(hedges), 0.5))]
    if article.flags:
        steps.append(("Hunt for problems", 10))
    steps += [("The claim ledger", 10)]
    practice = sum(m for _, m in steps)
    number = {title: i for i, (title, _) in enumerate(steps, 1)}
    notice = f"\n\n*{article.meta['notice']}*" if article.fictional and article.meta.get("notice") else ""
    sourced = sum(s.sourced_fact for s in article.sentences)
    vague = sum(s.source.type == "vague" for s in article.sentences)
    example = _ledger_example(article)
    row_literal = json.dumps(example, ensure_ascii=False)  # also a Python literal
    rows = min(5, n)
    cells = [
        _md(f"""
# {article.title}: who says so?

A lesson on one article, start to finish: read it with its highlights, sort every sentence,
find who says so and how sure they are{", hunt for what it gets wrong" if article.flags else ""},
and build a claim ledger of the claims that matter.{notice}

**Questions**
- What does this article actually establish, and who says so?
- How sure are its sources, and where does the page go further than its evidence?

**Objectives**
- You will be able to sort every sentence of the article by kind: fact, inference, speculation, caveat or background.
- You will be able to name who says so for each claim, and tell a named source from a vague one.
- You will be able to find the words that make a claim weaker or stronger.
{"- You will be able to find what the article gets wrong or leaves out." + chr(10) if article.flags else ""}- You will be able to record the claims that matter in a claim ledger: sentence, kind, source, how sure, how to check.

**Teaching: 5 min · Practice: {practice} min**
"""),
        _code(f'''
# Run this first. Just run this cell: it opens your saved answers and the article.
from kit.notebook import start
from kit.library import load
from kit.figures import new_figure, show
from kit.taxonomy import KINDS

nb = start("{name}")
article = load("{article_file}")'''),
        _md("""
## The article

Read it all once, page furniture included, before you start.
"""),
        _code('''
# Just run this cell: the whole page, as a reader sees it.
import textwrap
for line in article.page_lines():
    print(textwrap.fill(line, 100), end="\\n\\n")'''),
        _md(f"""
## Step {number["Read with highlights"]}: Read with highlights (5 min)

Switch the layers on one at a time: **sources and cues** (who says so), **hedges and
boosters** (how sure), **numbers and dates** (what you could check) and **kinds** (the
key's kind of each sentence). Every layer has its own marks and underline, so none depends
on colour. Which sentences have no source at all? Those are the outlet's own voice.
"""),
        _code("nb.highlighter(article)"),
        _md(f"""
## Step {number["Sort every sentence"]}: Sort every sentence ({steps[1][1]} min)

Pick a kind for each of the {n} sentences and press **Check**: feedback is immediate and
explains the key. The tally counts over-scepticism (facts you doubted) as well as credulity
(inference you took as fact): both count. Every choice is saved as you click.

<details><summary>Hint</summary>

Fact = checkable, not necessarily true; a sourced inference is still inference. "Could",
"would" and "expects" look ahead: speculation. A limit of the evidence is a caveat. General
context that is not news about this story is background.
</details>
"""),
        _code('nb.sorter(article, mode="one")'),
        _md(f"""
## Step {number["Who says so?"]}: Who says so? ({steps[2][1]} min)

There are {len(sources)} sentences here with a source worth naming. For each, type or pick who
says so, choose the type of source and press **Check**.

<details><summary>Hint</summary>

A named person or organisation can be looked up; "officials", "critics" and "people familiar
with" cannot: they are vague. A sentence with no one credited is the outlet's own voice,
unless it carries on the source of the sentence before.
</details>
"""),
        _code(f"nb.sources(article, sentence_ids={sources!r})"),
        _md(f"""
## Step {number["How sure are they?"]}: How sure are they? ({steps[3][1]} min)

Mark the words that make each claim **weaker** (hedges: "may", "about", "suggests") or
**stronger** (boosters: "clearly", "proves"), then press **Check**. Some sentences have none:
saying so is an answer too.
"""),
        _code(f"nb.hedges(article, sentence_ids={hedges!r})"),
    ]
    if article.flags:
        cells += [
            _md(f"""
## Step {number["Hunt for problems"]}: Hunt for problems (10 min)

The key marks {len(article.flags)} problem{'s' if len(article.flags) != 1 else ''} on this page:
errors, inconsistencies, omissions, overreach or disputed figures. Pick the place and the type
of problem and report it; ask for a hint when you are stuck.
"""),
            _code("nb.errorhunt(article)"),
        ]
    cells += [
        _md(f"""
## Step {number["The claim ledger"]}: The claim ledger (10 min)

A **claim ledger** is an editor's table of the claims that matter. Decide which claims matter
most to a reader (the headline, the main finding, the numbers, the limits, the other side)
and fill in **at least {rows} row{'s' if rows != 1 else ''}** in the cell below, one dictionary per claim:

- `"sentence"`: its id, `"{ids[0]}"` to `"{ids[-1]}"` (the sorter shows the number of each sentence);
- `"kind"`: fact, inference, speculation, caveat or background;
- `"source"`: who says so, as the page credits it (`"no one"` for the outlet's own voice);
- `"how sure"`: `"high"`, `"medium"` or `"low"`;
- `"how to check"`: what you would search for, and which source would settle it.

One row is filled in as an example. Copy it, change it, and run the cell; then run the cell
after it, which compares each row with the key.
"""),
        _code(f'''
ledger = [
    {row_literal},
    # Add your rows below this line: copy the row above and change it.

]
print(f"Your ledger has {{len(ledger)}} row(s).")'''),
        _code('''
# Just run this cell: it compares each row of your ledger with the key.
from kit.scoring import names_match
from kit.widgets.sources import is_no_one

def same_source(named, s):
    if s.source.type == "none":
        return is_no_one(named) or not named.strip()
    return names_match(named, s.source.name)

def mark(ok):
    return "✔ agrees" if ok else "✘ differs"

ids = [s.id for s in article.sentences]
for row in ledger:
    sid = str(row.get("sentence", "")).strip()
    if sid not in ids:
        print(f"? {sid or '(no sentence)'}: use a sentence id from {ids[0]} to {ids[-1]}.\\n")
        continue
    s = article.sentence(sid)
    print(f"{sid}: kind {mark(row.get('kind') in s.accepted_kinds)} (key: {' or '.join(s.accepted_kinds)})")
    print(f"    source {mark(same_source(str(row.get('source', '')), s))} (key: {s.source.name or 'no one: the outlet'})")
    print(f"    how sure {mark(str(row.get('how sure', '')).strip().lower() == s.certainty)} (key: {s.certainty})")
    print(f"    Why: {s.why}")
    for c in article.checks:
        if c.sentence == sid:
            print(f"    The key's check: {c.question} Settle with: {c.settle}")
    print()'''),
        _md(f"""
## Your results against the key

Run this cell after Step {number["Sort every sentence"]}. It reads your sorting from the
answers file beside this notebook and compares it with the key, kind by kind. Run it again
whenever you have sorted more.
"""),
        _code('''
# Just run this cell after sorting.
from kit.answers import load_entry
from kit.scoring import score_kinds

saved = load_entry(nb.store.path, f"sorter:{article.id}").get("answers", {})
done = [s.id for s in article.sentences if isinstance(saved, dict) and saved.get(s.id) in KINDS]
if not done:
    print("Nothing to draw yet: sort some sentences first, then run this cell again. "
          "Your choices are saved as you click, so nothing is lost.")
else:
    score = score_kinds(article, saved, done)
    kinds = [k for k in KINDS if any(r.key == k for r in score.results)]
    sorted_ = [sum(r.key == k for r in score.results) for k in kinds]
    agreed = [sum(r.key == k and r.correct for r in score.results) for k in kinds]
    fig = new_figure(7, 3.4)
    ax = fig.add_subplot()
    xs = list(range(len(kinds)))
    ax.bar_label(ax.bar([x - 0.2 for x in xs], sorted_, 0.4, color="#cccccc", edgecolor="black", hatch="//", label="you sorted (the key's kind)"))
    ax.bar_label(ax.bar([x + 0.2 for x in xs], agreed, 0.4, color="#0d3c61", edgecolor="black", label="your choice agrees with the key"))
    ax.set(xticks=xs, xticklabels=kinds, ylim=(0, max(sorted_) + 4),
           title=f"Your {len(done)} sorted sentences (of {len(article.sentences)}), by the key's kind")
    ax.legend()
    detail = "; ".join(f"{k}: you sorted {n}, {a} agree with the key" for k, n, a in zip(kinds, sorted_, agreed))
    show(fig, alt=f"Bar chart of the {len(done)} sentences you sorted, grouped by the key's kind. {detail}. "
         f"Over-sceptical (facts you doubted): {score.over_sceptical}. Credulous (inference or speculation "
         f"you took as fact): {score.credulous}.",
         caption=f"{score.correct} of {len(done)} agree with the key; balanced agreement {score.balanced:.0%} "
         f"(every kind weighs the same). Over-sceptical: {score.over_sceptical} · credulous: {score.credulous}.")'''),
        _md(f"""
## Key points

- "Fact" means checkable, not true: this article has {sourced} sourced fact{'s' if sourced != 1 else ''}, claims credited to someone you can look up{f", and {vague} sentence{'s' if vague != 1 else ''} resting on a vague source" if vague else ""}.
- Ask of every sentence: who says so, and what are they in a position to know?
- Hedges and boosters tell you how sure the writer wants you to be; the evidence decides how sure you should be.
- Recognise well-sourced facts as readily as you doubt weak inference: both count.

## What next

Run `nb.progress()` in a new cell to see everything you have done. If your teacher has set
a graded exercise on another article, it comes next; studying on your own, try a practice
article you have not opened yet, such as `river-valley-water-analysis`: in new cells, run
`nb.sorter("river-valley-water-analysis")` and `nb.sources("river-valley-water-analysis")`.
"""),
    ]
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:02d}"
    nb = v4.new_notebook(cells=cells)
    from kit.assignments import KERNELSPEC
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# -- writing ----------------------------------------------------------------------------


def _commit(files: list[tuple[Path, str]]) -> None:
    """Write every file or none: each to a temporary file beside it, then all renamed.

    On any failure the temporary files and the folders made for them are removed.
    """
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                created.append(folder)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(tmp), path))
            os.chmod(tmp, file_mode())  # mkstemp makes 0600; a lesson is for others to read
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            try:
                tmp.unlink()
            except OSError:
                pass
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


def file_mode() -> int:
    """The mode an ordinary new file gets here (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def make_exercise(article_ref: str, name: str, out_dir: str | None = None,
                  assessment: bool = False, draft: bool = False, force: bool = False,
                  out=None, err=None) -> int:
    """`kit exercise make`: write the lesson and the assignment; 0 on success, 1 if not."""
    import sys

    from kit.article_check import review_state
    from kit.article_loader import ArticleInvalid
    from kit.library import load
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if not NAME_RULE.match(name or ""):
            raise ExerciseError(f"--name {name!r}: use lowercase letters, digits and hyphens "
                                "(it names the notebook and the nbgrader assignment), like "
                                "pool-closure")
        article = load(article_ref)  # ArticleInvalid: one line per problem, from the CLI
        source = article.path or str(article_ref)
        if not article.annotated:
            raise ExerciseError(f"{source}: is text only (no key), so there is nothing to "
                                "grade against; give the annotated article file")
        state = review_state(article)
        if state.is_draft and not draft:
            raise ExerciseError(f"{source}: still a draft: {state.what()}; review it first, "
                                "or pass --draft to use the analyser's guesses as the key")
        root = Path(out_dir) if out_dir else _default_root()
        if out_dir and not root.is_dir():
            raise ExerciseError(f"{root}: no such folder")
        article_file = f"{article.id}.yaml"
        solution_dir = root / "solutions" / name
        lesson = root / "lessons" / f"{name}.ipynb"
        lesson_article = root / "lessons" / "articles" / article_file
        files: list[tuple[Path, str]] = []
        if solution_dir.exists() and not force:
            raise ExerciseError(f"{_show(solution_dir)}: an assignment of that name already "
                                "exists; choose another --name, or use --force to replace its files")
        files.append((solution_dir / f"{name}.ipynb",
                      notebook_text(assignment_notebook(article, name, article_file))))
        files.append((solution_dir / article_file, text_only_yaml(article)))
        if not assessment:
            if lesson.exists() and not force:
                raise ExerciseError(f"{_show(lesson)}: already exists; use --force to replace it")
            original = Path(source).read_text(encoding="utf-8-sig")
            if (lesson_article.exists() and not force
                    and lesson_article.read_text(encoding="utf-8") != original):
                raise ExerciseError(f"{_show(lesson_article)}: already exists with other "
                                    "content; use --force to replace it")
            files.append((lesson, notebook_text(lesson_notebook(article, name, f"articles/{article_file}"))))
            files.append((lesson_article, original))
        _commit(files)
    except ExerciseError as exc:
        print(f"kit exercise make: {exc}", file=err)
        return 1
    except ArticleInvalid as exc:  # one line per problem, each naming the file
        print(exc, file=err)
        return 1
    except OSError as exc:
        print(f"kit exercise make: {exc.filename or ''}: cannot write ({exc.strerror or exc})", file=err)
        return 1

    if not assessment:
        print(f"kit: wrote the self-study lesson {_show(lesson)} (with the article and its key "
              f"in {_show(lesson_article)}: practice use only)", file=out)
    print(f"kit: wrote the nbgrader assignment {_show(solution_dir / f'{name}.ipynb')} (key in "
          f"hidden tests only; the article travels as text only in {_show(solution_dir / article_file)})",
          file=out)
    if assessment:
        print("kit: no lesson written: an assessment article's key never leaves solutions/", file=out)
    elif not article.flags:
        print("note: the article has no flags, so the lesson has no error hunt; add flags "
              "(docs/authoring.md) and run again with --force", file=err)
    if state.is_draft:
        print(f"note: {source}: made from a draft: {state.what()}", file=err)
    print(f"next: kit course init COURSE (or add it to a course with `kit course init COURSE "
          f"--force`), then in COURSE: nbgrader generate_assignment {name}", file=out)
    return 0


def _default_root() -> Path:
    from kit.nbgrader_env import REPO_ROOT
    return REPO_ROOT
