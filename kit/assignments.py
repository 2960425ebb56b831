"""Build nbgrader source notebooks (for solutions/) from annotated articles.

Each builder returns an nbformat notebook whose cells carry nbgrader metadata
(schema 3). Keys of assessment articles go only inside ### BEGIN HIDDEN TESTS regions,
which `nbgrader generate_assignment` strips from the student version, so the student
never receives them; practice keys may appear, since they ship with the kit anyway.
"""
from __future__ import annotations

import json
import pprint

import nbformat
from nbformat import v4

from kit.article import Article

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(grade_id: str, *, locked: bool = True, solution: bool = False, grade: bool = False,
          points: float = 0, task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": task}
    if grade or task:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(grade_id: str, source: str, **flags):
    cell = v4.new_markdown_cell(source.strip("\n"), metadata=_meta(grade_id, **flags))
    cell.id = grade_id
    return cell


def code(grade_id: str, source: str, **flags):
    cell = v4.new_code_cell(source.strip("\n"), metadata=_meta(grade_id, **flags))
    cell.id = grade_id
    return cell


def notebook(cells) -> nbformat.NotebookNode:
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _literal(value) -> str:
    """A Python literal that reads well in a hidden-test cell."""
    return pprint.pformat(value, width=88, sort_dicts=False)


def kinds_key(article: Article) -> dict[str, list[str]]:
    return {s.id: s.accepted_kinds for s in article.sentences}


def sources_key(article: Article, sentence_ids: list[str]) -> dict[str, dict]:
    out = {}
    for sid in sentence_ids:
        s = article.sentence(sid)
        aliases = [c for c in s.extra.get("aliases", [])] if isinstance(s.extra.get("aliases"), list) else []
        out[sid] = {"type": s.source.type, "name": s.source.name, "aliases": aliases}
    return out


def grade_kinds_cell(answers: str, widget_key: str, ids: list[str], key: dict, points: float):
    """The graded cell of a sorting task: a public count, the key in hidden tests."""
    return code("grade_kinds", f'''
"""Checks the kind you chose for each sentence ({points:g} points, partial credit).

The visible check only counts how many sentences you have sorted; the graded check
compares your choices with the key after you submit."""
from kit.grading import grade_kinds, progress_kinds
_ = progress_kinds("{answers}", "{widget_key}", {ids!r})
### BEGIN HIDDEN TESTS
KEY = {_literal(key)}
grade_kinds("{answers}", "{widget_key}", KEY, points={points})
### END HIDDEN TESTS''', grade=True, points=points)


def grade_sources_cell(answers: str, widget_key: str, ids: list[str], key: dict, points: float):
    """The graded cell of a who-says-so task: a public count, the key in hidden tests."""
    return code("grade_sources", f'''
"""Checks who says so and the source type for each sentence ({points:g} points, partial credit).

The visible check only counts how many sentences you have answered."""
from kit.grading import grade_sources, progress_sources
_ = progress_sources("{answers}", "{widget_key}", {ids!r})
### BEGIN HIDDEN TESTS
KEY = {_literal(key)}
grade_sources("{answers}", "{widget_key}", KEY, points={points})
### END HIDDEN TESTS''', grade=True, points=points)


def _setup_cell(name: str):
    return code("setup", f'''
# Just run this cell. It opens the file where your answers are saved as you click.
from kit.notebook import start
nb = start("{name}")''')


def sort_kinds_notebook(article: Article, name: str, points: float = 10) -> nbformat.NotebookNode:
    """Graded: sort every sentence of `article` into a kind with the sorter widget."""
    ids = [s.id for s in article.sentences]
    widget_key = f"sorter:{article.id}"
    answers = f"{name}.answers.json"
    return notebook([
        markdown("intro", f"""
# Graded exercise: fact or inference?

**Article:** *{article.title}* (fictional, written for this kit).

**Your task:** choose a kind for every sentence: *fact*, *inference*, *speculation*,
*caveat* or *background*. Each click is saved at once in `{answers}` beside this notebook,
so you can stop and come back; submit when every sentence has a kind.

**How it is scored ({points:g} points):** every kind counts the same. Recognising a
well-sourced fact is worth exactly as much as spotting an inference, so marking
everything as doubtful scores badly, and so does believing everything.

| kind | meaning |
|---|---|
| fact | a checkable statement of what happened, what exists, or what a document contains |
| inference | an interpretation, judgement or conclusion beyond what was observed |
| speculation | what could or might happen: a forecast or a hypothetical |
| caveat | a limit of the evidence |
| background | general context, not new evidence for this story |
"""),
        _setup_cell(name),
        code("sorter", f'nb.sorter("{article.id}", mode="all", title="Graded: sort the sentences")'),
        grade_kinds_cell(answers, widget_key, ids, kinds_key(article), points),
    ])


def find_sources_notebook(article: Article, name: str, sentence_ids: list[str] | None = None,
                          points: float = 10) -> nbformat.NotebookNode:
    """Graded: for each chosen sentence, say who says so and what type of source it is."""
    ids = sentence_ids or [s.id for s in article.sentences if s.part == "body"]
    widget_key = f"sources:{article.id}"
    answers = f"{name}.answers.json"
    return notebook([
        markdown("intro", f"""
# Graded exercise: who says so?

**Article:** *{article.title}* (fictional, written for this kit).

**Your task:** for each sentence, type **who says so** (the name as printed, or the
words used for an unnamed source, such as "officials") and choose the **source type**.
If the sentence has no attribution at all, choose *none*: the outlet itself is vouching
for it. Your answers are saved as you go in `{answers}`.

| source type | meaning |
|---|---|
| person | a named person |
| organisation | a named organisation or its report |
| document | the documents or records themselves |
| vague | unnamed people or groups, or an unnamed alleger ("analysts say", "allegedly") |
| none | no attribution: the outlet's own voice |

**How it is scored ({points:g} points):** half of each sentence's share for the type,
half for the name. Attribution carried over from an earlier sentence counts.
"""),
        _setup_cell(name),
        code("finder", f'nb.sources("{article.id}", sentence_ids={ids!r})'),
        grade_sources_cell(answers, widget_key, ids, sources_key(article, ids), points),
    ])


# Sentences for the coding exercise: written for it, varied in tense and in where the
# attribution sits. (sentence, has attribution, vague source)
ATTRIBUTION_VISIBLE = [
    ("The mayor said the road would reopen on Friday.", True, False),
    ("The road reopened on Friday.", False, False),
    ("Officials say the repairs cost more than planned.", True, True),
]
ATTRIBUTION_HIDDEN = [
    ("According to the ministry, exports fell by 4% in March.", True, False),
    ("Exports fell by 4% in March.", False, False),
    ("The report notes that two of the five pumps had failed.", True, False),
    ("Critics argue the plan favours large farms.", True, True),
    ("Two of the five pumps had failed by June.", False, False),
    ("Residents claimed the water had turned brown for a week.", True, True),
    ("\u201cWe were never consulted,\u201d one resident told reporters.", True, True),
    ("The bridge, built in 1931, carries 9,000 vehicles a day.", False, False),
    ("Dr Amara Osei, who led the study, warned that the sample was small.", True, False),
    ("The company allegedly ignored three safety warnings.", True, True),
    ("Analysts expect prices to rise again next year.", True, True),
    ("The minutes show the vote was 7 to 2.", True, False),
    ("Prices could rise again next year.", False, False),
    ("Sources close to the talks described them as tense.", True, True),
]


def attribution_code_notebook(name: str, points_each: float = 5) -> nbformat.NotebookNode:
    """Graded coding exercise: find attribution, and tell a vague source from a named one."""
    def hidden_check(func: str, index: int, grade_id: str, what: str):
        visible = [(s, row[index]) for s, *row in [(r[0], r[1], r[2]) for r in ATTRIBUTION_VISIBLE]]
        hidden = [(r[0], r[index + 1]) for r in ATTRIBUTION_HIDDEN]
        return code(grade_id, f'''
"""Checks {func}() on the sentences above and on sentences you have not seen ({points_each:g} points, partial credit)."""
for sentence, expected in {_literal(visible)}:
    assert {func}(sentence) == expected, f"{func}({{sentence!r}}) should be {{expected}}"
print("{func}() gets the example sentences right.")
### BEGIN HIDDEN TESTS
_cases = {_literal(hidden)}
_right = 0
for _sentence, _expected in _cases:
    try:
        _right += {func}(_sentence) == _expected
    except Exception:
        pass
round({points_each} * _right / len(_cases), 2)
### END HIDDEN TESTS''', grade=True, points=points_each)

    return notebook([
        markdown("intro", """
# Graded exercise: find the attribution in code

A reader's first question is **who says so?** Here you teach a small Python function to
ask it. Write two functions:

1. `has_attribution(sentence)` returns `True` when the sentence says who is making the
   claim (a reporting verb such as *said*, *says*, *claimed*, *warned*, *notes*, *show*;
   a phrase such as *according to*; an alleger word such as *allegedly*; or a quotation
   told to someone) and `False` when the outlet states it in its own voice.
2. `is_vague(sentence)` returns `True` when the sentence has attribution but nobody
   checkable is named: *officials*, *critics*, *analysts*, *residents*, *sources*,
   *one resident*, *allegedly*.

Your functions are checked on the example sentences below and then on sentences you
have not seen, so aim for rules that work on any news sentence, not just these.
"""),
        code("examples", f'''
# Just run this cell: the example sentences, with the answers a careful reader gives.
EXAMPLES = {_literal(ATTRIBUTION_VISIBLE)}
for sentence, attributed, vague in EXAMPLES:
    print(f"{{sentence}}\\n   has attribution: {{attributed}}, vague: {{vague}}")'''),
        code("functions", '''
import re

def has_attribution(sentence):
    """True if the sentence says who makes the claim."""
    ### BEGIN SOLUTION
    text = sentence.lower()
    if "according to" in text or "allegedly" in text:
        return True
    if "\\u201d" in sentence or '"' in sentence:
        return True
    verbs = r"(say|says|said|claim|claims|claimed|argue|argues|argued|warn|warns|warned|"
    verbs += r"note|notes|noted|show|shows|showed|described|describe|describes|expect|expects|"
    verbs += r"told|report|reports|reported|confirm|confirms|confirmed|add|adds|added)"
    return re.search(r"\\b" + verbs + r"\\b", text) is not None
    ### END SOLUTION

def is_vague(sentence):
    """True if the sentence has attribution but names nobody checkable."""
    ### BEGIN SOLUTION
    if not has_attribution(sentence):
        return False
    text = sentence.lower()
    vague = r"\\b(officials|critics|analysts|residents|resident|sources|observers|experts|"
    vague += r"people|some|many|allegedly)\\b"
    return re.search(vague, text) is not None
    ### END SOLUTION''', locked=False, solution=True),
        hidden_check("has_attribution", 0, "check_has_attribution", "attribution"),
        hidden_check("is_vague", 1, "check_is_vague", "vague"),
    ])


def fact_check_plan_notebook(article: Article, name: str, points: float = 6) -> nbformat.NotebookNode:
    """Written, graded by hand: a lateral-reading plan for two claims of `article`."""
    return notebook([
        markdown("intro", f"""
# Graded exercise: a fact-check plan

**Article:** *{article.title}* (fictional, written for this kit). Read it below.

Pick **two claims** from the article that a careful reader should check before sharing
it: one that is a **sourced fact** and one that is **inference or speculation**. For each,
write:

1. the claim, quoted, and its kind;
2. **who says so**, and what that source is in a position to know;
3. **what you would search** (the words you would type, and where: not on the article's
   own site);
4. **what kind of source would settle it**, and why that source is better placed than
   the article;
5. what result would make you **trust the claim less**.

Then write **one sentence** on what you would tell a friend about this article *before*
checking anything. Your teacher grades this by hand ({points:g} points).
"""),
        code("article", f'''
# Just run this cell to read the article.
from kit.library import load
from IPython.display import Markdown
_article = load("{article.id}")
Markdown("\\n\\n".join(" ".join(s.text for s in para) for para in _article.paragraphs))'''),
        markdown("plan", f"""
### BEGIN SOLUTION
**Mark scheme ({points:g} points).** 1 point each:
- two claims quoted exactly, one sourced fact and one inference or speculation, kinds right;
- for each claim, the source named and what it can know (an engineer can measure; unnamed
  homeowners cannot be asked);
- searches that leave the article (lateral reading): the council's published report or
  minutes, the agency's own announcement, another outlet's reporting;
- a settling source that is independent of the claim-maker and better placed (primary
  document, the agency that made the award) with a reason;
- a result that would lower trust (figures that differ in the report, no record of the
  award, the petition's own text saying something else);
- a fair one-sentence summary for a friend that neither repeats the inference as fact nor
  dismisses the sourced facts.
### END SOLUTION""", locked=False, solution=True, grade=True, points=points),
    ])


def write_notebook(nb, path) -> None:
    """Write a notebook deterministically (same input, same bytes)."""
    from pathlib import Path

    from kit.atomic import write_text_atomic
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
