"""Does `kit grade` say clearly why it cannot start, instead of failing every student?"""
import pytest

import kit.grade as grade


def make_course(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / "sort-kinds").mkdir(parents=True)
    return tmp_path


def test_a_sandbox_that_cannot_start_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(grade, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(grade, "sandbox_problem", lambda: "setting up uid map: Permission denied")
    with pytest.raises(grade.GradeError) as info:
        grade.grade_assignment(make_course(tmp_path), "sort-kinds")
    assert "cannot make a sandbox here (setting up uid map: Permission denied)" in str(info.value)


def test_missing_bubblewrap_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(grade, "bwrap_path", lambda: None)
    with pytest.raises(grade.GradeError) as info:
        grade.grade_assignment(make_course(tmp_path), "sort-kinds")
    assert "bubblewrap (bwrap) is not installed" in str(info.value)


def test_not_a_course_folder(tmp_path):
    with pytest.raises(grade.GradeError) as info:
        grade.grade_assignment(tmp_path, "sort-kinds")
    assert "not a course folder" in str(info.value)
