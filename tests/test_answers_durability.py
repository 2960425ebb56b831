"""Are a student's answers never lost (issue 9, item 4)? A kernel killed mid-save, a full
disk, a read-only folder, two browser tabs on one notebook."""
from __future__ import annotations

import errno
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import time


from kit.answers import AnswerStore, answers_path, read_answers_file
from kit.article_loader import load_article
from kit.notebook import start
from tests.conftest import REPO, ci_requires

KEY = "sorter:tiny-test"
PAD = 300  # a state is complete when its list holds PAD copies of its number

SAVER = textwrap.dedent("""
    import sys
    from kit.answers import AnswerStore
    store = AnswerStore.for_notebook("nb", sys.argv[1])
    start = int(sys.argv[2])
    for n in range(start, start + 100000):
        result = store.put("sorter:tiny-test", {"answers": {"n": n, "copies": [n] * %d}})
        assert result.saved, result.message
        print(n, flush=True)
""" % PAD)


def saved_state(folder) -> int:
    """The number in the answers file, after checking that the state is whole."""
    entry = read_answers_file(answers_path("nb", folder))[KEY]
    n = entry["answers"]["n"]
    assert entry["answers"]["copies"] == [n] * PAD, "a half-written state"
    return n


def test_a_kernel_killed_mid_save_leaves_the_last_complete_answers(tmp_path):
    """SIGKILL a process that saves in a tight loop, again and again, at random moments:
    the file always parses, and holds the last save that finished (or the one being
    made when the kill came), never a mixture and never an older one."""
    rng = random.Random(9)
    start_n = 0
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(tmp_path), str(start_n)],
                                cwd=REPO, stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # at least one save has finished
        assert first.strip(), "the saver did not start"
        time.sleep(rng.uniform(0.01, 0.3))
        proc.kill()
        rest, _ = proc.communicate()
        printed = [int(line) for line in (first + rest).split()]
        n = saved_state(tmp_path)
        assert n in (printed[-1], printed[-1] + 1), (n, printed[-1])
        # The next kernel (a restarted one) goes on from what it finds.
        assert AnswerStore.for_notebook("nb", tmp_path).get(KEY)["answers"]["n"] == n
        start_n = n + 1
    assert start_n > 6
    # Temporary files a kill left behind never stop a later load or save.
    store = AnswerStore.for_notebook("nb", tmp_path)
    assert store.notice == ""
    assert store.put(KEY, {"answers": {"n": -1, "copies": [-1] * PAD}}).saved
    assert saved_state(tmp_path) == -1


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_keeps_the_answers_in_memory_and_says_so(tmp_path, monkeypatch, write_article,
                                                             minimal_article):
    article = load_article(write_article(minimal_article))
    nb = start("nb", tmp_path)
    sorter = nb.sorter(article, mode="all")
    sorter.choose("s1", "fact")  # saved while there was room
    monkeypatch.setattr(os, "fsync", disk_full)  # the write fails as a full disk fails it
    sorter.choose("s2", "caveat")
    assert "Not saved" in sorter.status.value and "No space left on device" in sorter.status.value
    assert nb.store.get(KEY)["answers"] == {"s1": "fact", "s2": "caveat"}  # kept, and shown:
    assert "Your kind: <strong>caveat" in sorter.rows[1]["chosen"].value
    # The file on disk still holds the earlier answers, whole, and no temporary file is left.
    assert read_answers_file(answers_path("nb", tmp_path))[KEY]["answers"] == {"s1": "fact"}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
    # Room again: the next click saves everything the kernel kept, and the warning goes.
    monkeypatch.undo()
    sorter.choose("s3", "speculation")
    assert "Not saved" not in sorter.status.value
    assert read_answers_file(answers_path("nb", tmp_path))[KEY]["answers"] == {
        "s1": "fact", "s2": "caveat", "s3": "speculation"}


def test_a_full_disk_never_loses_another_widgets_answers(tmp_path, monkeypatch):
    store = AnswerStore.for_notebook("nb", tmp_path)
    assert store.put("quiz:a", {"answers": {"q1": 1}}).saved
    monkeypatch.setattr(os, "fsync", disk_full)
    result = store.put(KEY, {"answers": {"s1": "fact"}})
    assert not result.saved and "No space left on device" in result.message
    assert "kept while this notebook stays open" in result.message
    monkeypatch.undo()
    assert store.put("quiz:a", {"answers": {"q1": 2}}).saved  # another widget saves later
    on_disk = read_answers_file(answers_path("nb", tmp_path))
    assert on_disk[KEY]["answers"] == {"s1": "fact"} and on_disk["quiz:a"]["answers"] == {"q1": 2}


READ_ONLY = textwrap.dedent("""
    import json, sys
    from kit.answers import AnswerStore
    store = AnswerStore.for_notebook("nb", sys.argv[1])
    before = store.get("sorter:tiny-test")
    result = store.put("sorter:tiny-test", {"answers": {"s1": "caveat"}})
    print(json.dumps({"before": before.get("answers"), "saved": result.saved,
                      "message": result.message, "notice": store.notice,
                      "kept": store.get("sorter:tiny-test")["answers"]}))
""")


def test_a_read_only_folder_keeps_the_answers_and_says_why(tmp_path):
    """A truly read-only folder (a read-only mount, which even root cannot write)."""
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap mounts a folder read-only")
    store = AnswerStore.for_notebook("nb", tmp_path)
    assert store.put(KEY, {"answers": {"s1": "fact"}}).saved
    before = answers_path("nb", tmp_path).read_bytes()
    result = subprocess.run(
        ["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(tmp_path), str(tmp_path), "--",
         sys.executable, "-c", READ_ONLY, str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout)
    assert seen["before"] == {"s1": "fact"} and seen["notice"] == ""
    assert not seen["saved"] and "Read-only file system" in seen["message"]
    assert seen["kept"] == {"s1": "caveat"}
    assert answers_path("nb", tmp_path).read_bytes() == before  # untouched, not set aside


def test_two_tabs_last_write_wins_and_the_file_stays_valid(tmp_path):
    """Two kernels on one notebook, each with the state it loaded, saving in turn."""
    tab1 = AnswerStore.for_notebook("nb", tmp_path)
    tab2 = AnswerStore.for_notebook("nb", tmp_path)
    for i in range(20):
        tab, other = (tab1, "tab1") if i % 2 == 0 else (tab2, "tab2")
        assert tab.put(KEY, {"answers": {"s1": other, "i": i}}).saved
        assert read_answers_file(answers_path("nb", tmp_path))[KEY]["answers"] == {"s1": other, "i": i}
    # A new tab (or a regrade) sees the last write.
    assert AnswerStore.for_notebook("nb", tmp_path).get(KEY)["answers"] == {"s1": "tab2", "i": 19}


TAB = textwrap.dedent("""
    import sys
    from kit.answers import AnswerStore
    name = sys.argv[2]
    store = AnswerStore.for_notebook("nb", sys.argv[1])
    for i in range(150):
        assert store.put("sorter:tiny-test", {"answers": {"by": name, "i": i}}).saved
        assert store.put("own:" + name, {"answers": {"i": i}}).saved
""")


def test_two_tabs_saving_at_once_lose_nothing(tmp_path):
    """Two processes saving at the same moment: the file is valid, each keeps its own
    widget's last answer, and the shared widget holds one tab's last write, whole."""
    procs = [subprocess.Popen([sys.executable, "-c", TAB, str(tmp_path), name], cwd=REPO)
             for name in ("one", "two")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    data = read_answers_file(answers_path("nb", tmp_path))
    assert data["own:one"]["answers"] == {"i": 149} and data["own:two"]["answers"] == {"i": 149}
    assert data[KEY]["answers"] in ({"by": "one", "i": 149}, {"by": "two", "i": 149})
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
