"""The `kit` command (also `python -m kit`): what a teacher runs from a terminal.

Each subcommand imports its module only when run, so `kit --help` stays instant. Every
expected failure (a bad file, a missing folder) is one line on stderr and exit status 1
or 2; a traceback here would be a bug.
"""
from __future__ import annotations

import argparse
import sys

from kit.article_loader import ArticleInvalid


def _article_check(args) -> int:
    from kit.article_check import check_files
    return check_files(args.files, out=sys.stdout, err=sys.stderr)


def _article_new(args) -> int:
    from kit.article_new import new_article
    return new_article(args.input, args.output, force=args.force, article_id=args.id,
                       fictional=args.fictional, out=sys.stdout, err=sys.stderr)


def _exercise_make(args) -> int:
    from kit.exercise_make import make_exercise
    return make_exercise(args.article, args.name, out_dir=args.out, assessment=args.assessment,
                         draft=args.draft, force=args.force, out=sys.stdout, err=sys.stderr)


def _lab(args) -> int:
    from kit.lab import start_lab
    return start_lab(port=args.port, open_browser=args.browser)


def _analyse(args) -> int:
    import json
    from dataclasses import asdict

    from kit.analysis import analyse_sentences, analyse_text, format_analyses
    name = args.file
    if name.endswith((".yaml", ".yml")):
        from kit.article_loader import load_article
        article = load_article(name)  # an ArticleInvalid is reported by main()
        results = [r for para in article.paragraphs
                   for r in analyse_sentences([s.text for s in para])]
    else:
        text = _read_text(name)
        if text is None:
            return 1
        results = analyse_text(text)
    if args.json:
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))
    elif not results:
        print("No sentences to analyse: the text is empty.")
    else:
        print(format_analyses(results), end="")
    return 0


def _read_text(name: str) -> str | None:
    """The text of FILE (or standard input for "-"), or None after a one-line message."""
    def fail(message: str) -> None:
        print(f"kit analyse: {name}: {message}", file=sys.stderr)

    try:
        raw = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
    except FileNotFoundError:
        return fail("no such file")
    except IsADirectoryError:
        return fail("this is a folder, not a text file")
    except OSError as exc:
        return fail(f"cannot read it ({exc.strerror or exc})")
    if b"\x00" in raw:
        return fail("this is not a text file (it contains binary data)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
                    "save the file as UTF-8")


def _evaluate(args) -> int:
    import json

    from kit.analysis.evaluation import evaluate, format_report, load_practice_articles
    articles, skipped = load_practice_articles(args.files or None)
    if not articles:
        for path, why in skipped:
            print(f"kit evaluate: skipped {path}: {why}", file=sys.stderr)
        print("kit evaluate: no annotated article could be loaded", file=sys.stderr)
        return 1
    metrics = evaluate(articles)
    if args.json:
        print(json.dumps({**metrics, "skipped": skipped}, indent=1))
    else:
        print(format_report(metrics, skipped))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit", description="Who Says So? -- tools for the media-literacy kit.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    article = sub.add_parser("article", help="check and create article files")
    article_sub = article.add_subparsers(dest="article_command", metavar="ACTION")
    check = article_sub.add_parser("check", help="validate article files; one line per problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=_article_check)
    new = article_sub.add_parser(
        "new", help="draft an article file from plain text or Markdown, with suggested annotations",
        description="Split the text into sentences, fill in the analyser's suggestions (kinds, "
                    "sources, cues, hedges, certainty; numbers and dates as comments) and mark "
                    "every suggested field unreviewed. See docs/authoring.md.")
    new.add_argument("input", metavar="INPUT", help="the article as plain text (.txt) or Markdown (.md), title line first")
    new.add_argument("-o", "--output", metavar="OUT.yaml", help="the draft to write (default: INPUT with .yaml)")
    new.add_argument("--id", default=None, help="the article id (default: from OUT's name)")
    new.add_argument("--fictional", action="store_true", help="the article was written for class: mark it fictional, with a notice")
    new.add_argument("--force", action="store_true", help="replace OUT if it exists")
    new.set_defaults(func=_article_new)

    exercise = sub.add_parser("exercise", help="make lessons and graded exercises from an article")
    exercise_sub = exercise.add_subparsers(dest="exercise_command", metavar="ACTION")
    make = exercise_sub.add_parser(
        "make", help="a self-study lesson and an nbgrader assignment for an annotated article",
        description="Write lessons/NAME.ipynb (self-study, with feedback from the key) and "
                    "solutions/NAME/NAME.ipynb (nbgrader source: key only in hidden tests). "
                    "See docs/authoring.md.")
    make.add_argument("article", metavar="ARTICLE.yaml", help="a reviewed article file (or a kit article id)")
    make.add_argument("--name", required=True, help="the lesson's and the assignment's name, e.g. pool-closure")
    make.add_argument("--out", metavar="DIR", default=None,
                      help="write lessons/ and solutions/ under DIR (default: the kit's own folder)")
    make.add_argument("--assessment", action="store_true",
                      help="graded use only: write no lesson, so the key never leaves solutions/")
    make.add_argument("--draft", action="store_true", help="allow an article with unreviewed fields")
    make.add_argument("--force", action="store_true", help="replace files that exist")
    make.set_defaults(func=_exercise_make)

    analyse = sub.add_parser(
        "analyse", help="mark sources, cues, hedges, figures and dates in a text, with reasons")
    analyse.add_argument("file", metavar="FILE",
                         help='a UTF-8 text file, an article .yaml file, or "-" for standard input')
    analyse.add_argument("--json", action="store_true", help="print the analysis as JSON")
    analyse.set_defaults(func=_analyse)

    evaluate = sub.add_parser(
        "evaluate", help="score the analyser against the annotated practice articles")
    evaluate.add_argument("files", nargs="*", metavar="FILE",
                          help="article files (default: every practice article in the kit)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(func=_evaluate)

    lab = sub.add_parser("lab", help="start JupyterLab on the lessons")
    lab.add_argument("--port", type=int, default=None)
    lab.add_argument("--browser", action=argparse.BooleanOptionalAction, default=None,
                     help="open a browser (default: only when a display is available)")
    lab.set_defaults(func=_lab)

    from kit.cli_course import add_course_commands  # course, grade, feedback, report
    add_course_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        # `kit` or `kit article` alone: show what can be done next.
        target = parser
        if args.command:
            target = next(a for a in parser._subparsers._group_actions[0].choices.values()
                          if a.prog.endswith(args.command))
        target.print_help()
        return 2
    try:
        return func(args)
    except ArticleInvalid as exc:
        print(exc, file=sys.stderr)
        return 1
    except Exception as exc:  # a known, explainable failure from a teacher command
        from kit.cli_course import explain_failure
        message = explain_failure(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `kit analyse FILE | head`: the reader left; not an error worth a traceback.
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
