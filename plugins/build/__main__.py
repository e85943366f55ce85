"""``python -m plugins.build``: the strict build as a command (invoke build uses it)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from plugins.build import PROJECT_ROOT, build_site, report_failure, stop_on_ctrl_c
from plugins.build.staging import BuildBusy
from plugins.i18n.formatting import format_seconds
from plugins.model import ContentError, shown_path


def main(argv: list[str] | None = None) -> int:
    """Build; print every problem and return 1 on failure, 0 on success."""
    parser = argparse.ArgumentParser(prog="python -m plugins.build")
    parser.add_argument("--publish", action="store_true", help="use publishconf.py")
    parser.add_argument("--content", type=Path, help="content directory (default content/)")
    parser.add_argument("--output", type=Path, help="output directory (default output/)")
    parser.add_argument("--cache", type=Path, help="build cache (default .cache/)")
    parser.add_argument(
        "--jobs", type=int, help="processes converting Markdown, rendering languages and PDFs"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    parser.add_argument(
        "--no-wait", action="store_true", help="exit 1 when another build is running"
    )
    args = parser.parse_args(argv)
    stop_on_ctrl_c()
    # Our progress lines (« PDF : 1 rendu, 41 en cache ») go to the terminal.
    progress = logging.getLogger("bulletins")
    if not progress.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False

    conf = PROJECT_ROOT / ("publishconf.py" if args.publish else "pelicanconf.py")
    overrides = {}
    if args.content:
        overrides["PATH"] = str(args.content.resolve())
    if args.cache:
        overrides["BUILD_CACHE_PATH"] = str(args.cache.resolve())
    if args.jobs:
        overrides["PDF_JOBS"] = overrides["MARKDOWN_JOBS"] = args.jobs
    try:
        result = build_site(
            conf, output=args.output, overrides=overrides, force=args.force, wait=not args.no_wait
        )
    except ContentError as error:
        report_failure(error)
        return 1
    except BuildBusy as busy:
        print(busy, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("construction interrompue : le site publié n'a pas changé.", file=sys.stderr)
        return 130
    for advice in result.advice:
        print(f"avertissement : {advice}", file=sys.stderr)
    where = shown_path(result.output)
    if result.unchanged:
        print(f"Rien n'a changé depuis la dernière construction : {where} est à jour.")
    else:
        print(f"Site construit dans {where} en {format_seconds(result.seconds)}.")
    return 0


def exit_at_once(status: int) -> NoReturn:
    """End the build's process once its work is done, without the interpreter's
    teardown, which frees every object one by one: a build holds the whole content
    in memory, and that took 0.2 to 0.3 s at 1,000 bulletins, after the last line
    was printed. Every file is written and closed by then, the process pools and
    the search's thread are shut down; what is left to do is flushed here: the
    logging handlers and the standard streams."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader gone (``| head``): nothing to keep
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_at_once(main())
