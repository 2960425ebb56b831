"""No assessment key reaches a student (issue 9, item 1; DESIGN, "Keys and who may see
them"): not in exercises/, a released assignment, feedback HTML, the installed package
(what a wheel of the kit holds) or anything a student's kernel can import or read.

A key is searched for in every form it could take: its Python literal, its JSON (plain,
sorted, indented), YAML, HTML-escaped, and any three consecutive entries of it, all
compared after dropping everything but letters and digits (so quoting, spacing and
escaping do not hide it). Student-facing files are also searched for the hidden-test
markers (`KEY =`, `BEGIN HIDDEN TESTS`).
"""
from __future__ import annotations

import html
import json
import pprint
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from kit.course import init_course, kit_assignments
from kit.keys import cell_keys
from kit.nbgrader_env import EXERCISES_DIR, SOLUTIONS_DIR
from tests.conftest import REPO, ci_requires

ASSESSED = ["sort-kinds", "find-sources"]
MARKERS = ["KEY =", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]


def assessment_keys() -> list:
    keys = [k for name in kit_assignments() for k in cell_keys(SOLUTIONS_DIR / name)]
    assert {k.notebook for k in keys} == set(ASSESSED), "every assessment key is found"
    return keys


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", html.unescape(text).lower())


def _forms(value) -> list[str]:
    return [repr(value), json.dumps(value), json.dumps(value, sort_keys=True),
            json.dumps(value, indent=1, ensure_ascii=False), pprint.pformat(value),
            yaml.safe_dump(value, allow_unicode=True), yaml.safe_dump(value, default_flow_style=True)]


def fingerprints(key: dict) -> set[str]:
    """Normalised forms of the whole key and of every run of three entries."""
    items = list(key.items())
    chunks = [dict(items)] + [dict(items[i:i + 3]) for i in range(len(items) - 2)]
    found = {normalise(form) for chunk in chunks for form in _forms(chunk)}
    return {f for f in found if len(f) >= 20}


def leaks(text: str, keys, markers: bool = True) -> list[str]:
    """What of a key (or of a hidden test) the text holds; [] when nothing."""
    found = [m for m in MARKERS if markers and m in html.unescape(text)]
    flat = normalise(text)
    for k in keys:
        found += [f"{k.notebook} key ({f[:40]}...)" for f in fingerprints(k.key) if f in flat]
    return found


def search(paths, keys, markers=True) -> dict[str, list[str]]:
    out = {}
    for path in paths:
        path = Path(path)
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            hits = leaks(text, keys, markers)
            if hits:
                out[str(path)] = hits
    return out


@pytest.fixture(scope="module")
def keys():
    return assessment_keys()


def test_the_search_finds_a_key_in_every_disguise(keys):
    """The detector itself: a key printed, dumped, escaped or cut to three entries."""
    k = keys[0]
    items = list(k.key.items())
    assert leaks(f"<pre>{html.escape(repr(k.key))}</pre>", keys, markers=False)
    assert leaks(json.dumps(k.key, indent=4), keys, markers=False)
    assert leaks(yaml.safe_dump(dict(items[5:8])), keys, markers=False)
    assert leaks("KEY = {}", keys) == ["KEY ="]
    # ... and nothing in an honest student version or in a practice article.
    assert not leaks((REPO / "kit" / "articles" / "seed-airborne-leak.yaml").read_text(), keys)


def test_exercises_hold_no_key(keys):
    assert search((p for p in EXERCISES_DIR.rglob("*") if p.is_file()), keys) == {}


def test_assessment_articles_in_the_package_are_text_only(keys):
    from kit.library import load
    for k in keys:
        article = load(k.widget_key.split(":", 1)[1])
        assert not article.annotated and not article.flags
        data = yaml.safe_load(Path(article.path).read_text())
        sentences = [s for para in data["paragraphs"] for s in para]
        assert all(set(s) <= {"id", "text", "part"} for s in sentences)


def test_a_released_assignment_holds_no_key(keys, tmp_path):
    """generate_assignment, then release_assignment to an exchange, as a teacher does
    (through nbgrader's own API, in this process, to save two starts of nbgrader each)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from kit.nbgrader_env import db_url, ensure_bin_on_path
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    init_course(course, assignments=ASSESSED)
    exchange.mkdir()
    ensure_bin_on_path()
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = "who-says-so"
    config.CourseDirectory.db_url = db_url(course)
    config.Exchange.root = str(exchange)
    api = NbGraderAPI(config=config)
    for name in ASSESSED:
        for step in (api.generate_assignment, api.release_assignment):
            result = step(name)
            assert result["success"], result.get("error", "")[-2000:]
    released = [p for p in exchange.rglob("*") if p.is_file()]
    assert {p.name for p in released} >= {f"{n}.ipynb" for n in ASSESSED}
    assert search(released, keys) == {}
    assert search((p for p in (course / "release").rglob("*") if p.is_file()), keys) == {}


def test_the_installed_package_holds_no_key(keys):
    """The kit package as installed here and its dist files: what a school installs."""
    from importlib.metadata import distribution
    kit_dir = REPO / "kit"
    package = [p for p in kit_dir.rglob("*") if p.is_file()]
    dist = [Path(distribution("who-says-so").locate_file(f)) for f in distribution("who-says-so").files]
    # Practice keys ship by design; the markers occur in the kit's own key reader.
    assert search(package + [p for p in dist if p.is_file()], keys, markers=False) == {}
    # What a wheel or an sdist of the kit would hold is a part of kit/ (searched above):
    # the package list names kit only, and its data files lie inside it.
    import tomllib
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["packages"]["find"]["include"] == ["kit*"]
    assert [p.name for p in REPO.iterdir() if p.name.startswith("kit") and p.is_dir()] == ["kit"]
    assert all(not pattern.startswith((".", "/")) for pattern in config["package-data"]["kit"])


def autograded_with_the_key_everywhere(source: Path, key: dict, out: Path) -> Path:
    """An autograded notebook as a hostile submission leaves it: the key printed by the
    check, raised in its error, printed after it, and written into an earlier display
    (a display_id update can reach back to an earlier cell)."""
    nb = nbformat.read(source, as_version=4)
    text = f"THE KEY {key!r}"
    check = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    early = next(c for c in nb.cells[:check] if c.cell_type == "code")
    early.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": text}),
                     nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)]
    nb.cells[check].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=text),
        nbformat.v4.new_output("error", ename="ValueError", evalue=text, traceback=[text]),
        nbformat.v4.new_output("execute_result", data={"text/plain": "10"}, execution_count=2)]
    after = nbformat.v4.new_code_cell("print(KEY)")
    after.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text),
                     nbformat.v4.new_output("display_data", data={"text/html": html.escape(text)})]
    nb.cells.append(after)
    out.mkdir(parents=True)
    path = out / source.name
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("assignment", ASSESSED)
def test_feedback_never_shows_a_key_even_when_the_kernel_printed_it(keys, tmp_path, assignment):
    from kit.feedback import feedback_html
    source = SOLUTIONS_DIR / assignment / f"{assignment}.ipynb"
    cell_key = next(k for k in keys if k.notebook == assignment)
    path = autograded_with_the_key_everywhere(source, cell_key.key, tmp_path / "autograded")
    answers = {sid: (kinds[0] if assignment == "sort-kinds" else {"type": kinds["type"], "name": kinds["name"]})
               for sid, kinds in cell_key.key.items()}
    (path.parent / cell_key.answers_file).write_text(json.dumps(
        {"format": "whosaysso-answers/1", "widgets": {cell_key.widget_key: {"answers": answers}}}))
    page = feedback_html("eve", assignment, path, {cell_key.grade_id: (10.0, 10.0)},
                         cell_keys(source.parent), (10.0, 10.0))
    assert "Score: 10 of 10" in page and "You chose" in page or "Source types right" in page
    assert leaks(page, keys) == []
    assert "THE KEY" not in page


def test_a_students_kernel_can_neither_read_nor_import_a_key(keys, tmp_path):
    """Inside the sandbox: no solutions/, no course, and the kit it can import knows no key."""
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap (bwrap) isolates student code")
    from kit.sandbox import sandbox_prefix
    work, runtime = tmp_path / "work", tmp_path / "runtime"
    work.mkdir()
    runtime.mkdir()
    inside = tmp_path / "course" / "autograded" / "eve" / "sort-kinds"
    code = f"""
import json, os, pkgutil, importlib
from pathlib import Path
import kit
from kit.keys import cell_keys
from kit.library import load
seen = {{"solutions": os.path.exists({str(SOLUTIONS_DIR)!r}),
        "repo": sorted(os.listdir({str(REPO)!r})),
        "keys_found": [len(cell_keys(Path({str(SOLUTIONS_DIR)!r}) / a)) for a in {ASSESSED!r}],
        "annotated": [load(a).annotated for a in ("assess-floodwall-vote", "assess-esports-grant")],
        "modules": []}}
# What a notebook imports (every widget too), then every value those modules hold.
import kit.widgets
for name in ["kit.notebook", "kit.grading", "kit.scoring", "kit.answers", "kit.library",
             *(i.name for i in pkgutil.walk_packages(kit.widgets.__path__, "kit.widgets."))]:
    importlib.import_module(name)
import sys
texts = []
for name, module in list(sys.modules.items()):
    if name.startswith("kit"):
        seen["modules"].append(name)
        texts += [repr(v)[:100000] for v in vars(module).values() if isinstance(v, (dict, list, tuple, str))]
for root in [Path(kit.__file__).parent, Path.cwd(), Path("/tmp"), Path("/etc")]:
    for path in root.rglob("*"):
        try:
            if path.is_file() and path.stat().st_size < 5_000_000:
                texts.append(str(path) + "\\n" + path.read_text(errors="replace"))
        except OSError:
            pass
seen["text"] = "\\n".join(texts)
print(json.dumps(seen))
"""
    result = subprocess.run(sandbox_prefix(work, inside, runtime, [str(tmp_path / "course")])
                            + [sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout)
    assert seen["solutions"] is False and seen["keys_found"] == [0, 0]
    assert set(seen["repo"]) <= {"kit", ".venv"}
    assert seen["annotated"] == [False, False]
    assert {"kit.grading", "kit.widgets.sorter", "kit.widgets.sources"} <= set(seen["modules"])
    assert leaks(seen["text"], keys, markers=False) == []
