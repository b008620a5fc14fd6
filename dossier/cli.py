"""Command line: `build` (default), `check`, `serve`, `new`, `publish`, `init` — as `python build.py …` in
this repository, or as the `dossier` command of the installed package (run in the current folder)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from .options import Options, Result


COMMANDS = ("build", "check", "new", "serve", "publish", "init")


def parser(default_root: Path, prog: str = "build.py") -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--root", type=Path, default=default_root, metavar="DIR",
                        help="the project folder (default: %s)" % (
                            "the folder of build.py" if prog == "build.py" else "the current folder"))
    common.add_argument("--base-url", help="where the site is published: /, /repo/ or https://host/repo/")
    common.add_argument("--strict", action="store_true", default=None, help="fail on warnings too")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    common.add_argument("-v", "--verbose", action="store_true", help="also print how long each stage took")
    main = argparse.ArgumentParser(
        prog=prog, description="Build the annotated dossier into a static site.",
        epilog=f"With no command, 'build' is run: {'python build.py' if prog == 'build.py' else prog} [build options].")
    commands = main.add_subparsers(dest="command", metavar="command")
    build_cmd = commands.add_parser("build", parents=[common], help="build the site (the default)",
                                    description="Validate everything, then build the site into the output folder.")
    build_cmd.add_argument("-o", "--out", type=Path, help="output folder (default: config's output, 'site')")
    build_cmd.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                           help="processes to derive and render with (default: one per core; 1: no worker)")
    build_cmd.add_argument("--no-search", dest="search", action="store_false",
                           help="leave the search index out (the search page then finds nothing)")
    check = commands.add_parser("check", parents=[common], help="validate everything, write nothing",
                                description="Validate config, content, seeds and templates; write nothing.")
    check.add_argument("--coverage", action="store_true",
                       help="also list, per source, how the seed's figures are covered by facts and notes")
    serve = commands.add_parser("serve", parents=[common], help="build, serve on loopback and reload on change",
                                description="Build in memory and serve the site at http://HOST:PORT/, whatever "
                                            "base_url says; rebuild and reload the browser when an input changes.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, loopback only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    publish = commands.add_parser("publish", parents=[common], help="build, then commit the site to a gh-pages branch",
                                  description="Build the site, then commit it as the whole tree of a branch "
                                              "(default gh-pages) without touching the working tree; "
                                              "--push sends the branch to a remote.")
    publish.add_argument("-o", "--out", type=Path, help="output folder (default: config's output, 'site')")
    publish.add_argument("--branch", default="gh-pages", help="branch to commit to (default: %(default)s)")
    publish.add_argument("--push", metavar="REMOTE", nargs="?", const="origin", default=None,
                         help="push the branch to REMOTE afterwards (default remote: origin)")
    publish.add_argument("-m", "--message", help="commit message")
    new = commands.add_parser("new", parents=[common], help="make a seed and its source file from a text, web page or PDF",
                              description="Create content/sources/<slug>.md for a document: a seed in seeds/, "
                                          "a .txt file elsewhere (copied into seeds/), a saved web page "
                                          "(.html, .htm: its main text) or a .pdf (its text), written into seeds/ "
                                          "as UTF-8 text, with what the original tells pre-filled.")
    new.add_argument("seed", type=Path, help="the seed's file name in seeds/, or a path to a .txt, .html, .htm or .pdf file")
    new.add_argument("--slug", help="the source's slug (default: made from the title)")
    init = commands.add_parser("init", parents=[common], help="start a new dossier in an empty folder",
                               description="Create a new dossier in DIR (relative to -C; default: the current "
                                           "folder), which must be empty or not exist yet.")
    init.add_argument("directory", type=Path, nargs="?", default=Path("."), metavar="DIR", help="the new dossier's folder")
    init.add_argument("--title", help="the dossier's title (default: made from the folder's name)")
    return main


def run() -> None:
    """The `dossier` command: the same commands, in the current folder."""
    sys.exit(main(sys.argv[1:], default_root=Path("."), prog="dossier"))


def main(argv: Optional[Sequence[str]] = None, default_root: Path = Path("."),
         stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr, prog: str = "build.py") -> int:
    argv = _command_first(list(sys.argv[1:] if argv is None else argv))
    args = parser(default_root, prog).parse_args(argv)
    if args.command == "init":
        from .starter import init
        return init(args.root / args.directory, args.title, stdout, stderr)
    if args.command == "new":
        from .scaffold import scaffold
        return scaffold(args.root, args.seed, args.slug, stdout, stderr)
    if args.command == "serve":
        from .serve import serve
        return serve(args.root, args.host, args.port, args.open, args.strict)
    checking = args.command == "check"
    options = Options(root=args.root, out=getattr(args, "out", None), base_url=args.base_url,
                      strict=args.strict, write=not checking, audit=checking, jobs=getattr(args, "jobs", 0),
                      progress=not args.quiet, search=getattr(args, "search", True))
    result = _build(options)
    report(result, args, stderr)
    if getattr(args, "coverage", False) and result.dossier is not None:
        from .coverage import summary as coverage_summary
        for view in result.dossier.sources:
            print(coverage_summary(view), file=stdout)
    if result.ok and not args.quiet:
        print(summary(result, checking, args.root), file=stdout)
    if args.verbose:
        print(timings(result), file=stdout)
    if result.ok and args.command == "publish":
        from .publish import publish
        return publish(args.root, result.out, args.branch, args.push, args.message, stdout, stderr)
    return 0 if result.ok else 1


def _build(options: Options) -> Result:
    """The build; one with nothing to do ends before the stages are even imported."""
    pending = None
    if options.write:
        from . import shortcut
        done, pending = shortcut.check(options)
        if done is not None:
            return done
    from .pipeline import build
    return build(options, last=pending)


_TAKES_VALUE = {"-C", "--root", "--base-url", "-o", "--out", "--host", "--port", "--slug", "--branch", "-m", "--message",
                "-j", "--jobs", "--title"}


def _command_first(argv: list[str]) -> list[str]:
    """Put the command first (`-C dir serve` -> `serve -C dir`); no command means `build`."""
    for i, word in enumerate(argv):
        if word in COMMANDS and (i == 0 or argv[i - 1] not in _TAKES_VALUE):
            return [word, *argv[:i], *argv[i + 1:]]
    return argv if argv[:1] in (["-h"], ["--help"]) else ["build", *argv]


def report(result: Result, args, stderr: TextIO) -> None:
    shown = [d for d in result.report.sorted() if d.level == "error" or not args.quiet]
    for diagnostic in shown:
        print(diagnostic.format(), file=stderr)
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    if errors or (result.strict and warnings):
        counts = f"{errors} error{'s' * (errors != 1)}" + (f", {warnings} warning{'s' * (warnings != 1)}" if warnings else "")
        tail = " (strict: warnings count)" if result.strict and warnings and not errors else ""
        print(f"build failed: {counts}{tail}; the site was not written", file=stderr)


def summary(result: Result, checking: bool, root: Path) -> str:
    c = result.counts
    what = f"{c['sources']} sources, {c['topics']} topics, {c['claims']} claims, {c['facts']} facts, {c['notes']} notes"
    warnings = len(result.report.warnings)
    tail = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
    if checking:
        return f"checked {what}: no errors{tail} ({result.seconds:.2f} s)"
    where = _shown_path(result.out, root)
    if result.unchanged:
        return f"{where}/ is up to date: {c['pages']} pages ({what}), nothing changed ({result.seconds:.2f} s){tail}"
    return f"built {c['pages']} pages ({what}) into {where}/ in {result.seconds:.2f} s{tail}"


def timings(result: Result) -> str:
    """One line: the seconds each stage took (search ran beside writing)."""
    return "stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings.items())


def _shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)
