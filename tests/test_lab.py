"""Does `make run` (kit lab) start JupyterLab on the lessons, printing the URL and
keeping on serving when there is no display?"""
import os

from kit import lab


def test_headless_machine_gets_no_browser_and_the_lessons(monkeypatch):
    calls = []
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(os, "execv", lambda exe, argv: calls.append(argv))
    lab.start_lab(port=8899)
    (argv,) = calls
    assert argv[1] == "lab" and "--no-browser" in argv and "--port=8899" in argv
    assert "--LabApp.default_url=/lab/tree/lessons" in argv
    assert any(a.startswith("--ServerApp.root_dir=") for a in argv)


def test_with_a_display_the_browser_opens(monkeypatch):
    calls = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(os, "execv", lambda exe, argv: calls.append(argv))
    lab.start_lab()
    assert "--no-browser" not in calls[0]
