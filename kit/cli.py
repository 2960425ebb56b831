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


def _lab(args) -> int:
    from kit.lab import start_lab
    return start_lab(port=args.port, open_browser=args.browser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit", description="Who Says So? -- tools for the media-literacy kit.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    article = sub.add_parser("article", help="check and create article files")
    article_sub = article.add_subparsers(dest="article_command", metavar="ACTION")
    check = article_sub.add_parser("check", help="validate article files; one line per problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=_article_check)

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


if __name__ == "__main__":
    sys.exit(main())
