"""One build of generated content, run in its own process by benchmarks.run.

``python -m benchmarks.build_once CONTENT OUTPUT CACHE [--no-pdf] [--jobs N] [--markdown-jobs N]``
prints the build log (« PDF : 1 rendu, 41 en cache » included) on stderr and
one JSON line on stdout: build seconds, seconds spent rendering PDFs, and the
search index (Pagefind's seconds, each language's pages and size).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))
CONF = PROJECT_ROOT / "pelicanconf.py"
PDF_PLUGIN = "plugins.pdf_edition"


def timed_pdf_rendering() -> dict[str, float]:
    """Wrap the PDF plugin's pool so the time spent rendering is known."""
    from plugins.pdf_edition import editions

    spent = {"seconds": 0.0, "rendered": 0}
    render_all = editions.render_all

    def timed(jobs, workers, *args, **kwargs):
        started = time.perf_counter()
        try:
            return render_all(jobs, workers, *args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - started
            spent["rendered"] += len(jobs)

    editions.render_all = timed
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--no-pdf", action="store_true", help="leave plugins.pdf_edition out")
    parser.add_argument("--jobs", type=int, default=None, help="PDF_JOBS")
    parser.add_argument("--markdown-jobs", type=int, default=None, help="MARKDOWN_JOBS")
    parser.add_argument("--force", action="store_true", help="past the up-to-date check")
    args = parser.parse_args(argv)

    from pelican.settings import read_settings

    from plugins.build import build_site
    from plugins.model import ContentError

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("bulletins").addHandler(handler)
    logging.getLogger("bulletins").setLevel(logging.INFO)

    overrides: dict = {"PATH": str(args.content), "BUILD_CACHE_PATH": str(args.cache)}
    if args.no_pdf:
        plugins = read_settings(str(CONF))["PLUGINS"]
        overrides["PLUGINS"] = [name for name in plugins if name != PDF_PLUGIN]
    if args.jobs:
        overrides["PDF_JOBS"] = args.jobs
    if args.markdown_jobs:
        overrides["MARKDOWN_JOBS"] = args.markdown_jobs
    spent = {"seconds": 0.0, "rendered": 0} if args.no_pdf else timed_pdf_rendering()
    try:
        result = build_site(CONF, output=args.output, overrides=overrides, force=args.force)
    except ContentError as error:
        for problem in error.problems[:20]:
            print(problem, file=sys.stderr)
        print(error, file=sys.stderr)
        return 1
    search = result.search
    print(
        json.dumps(
            {
                "seconds": result.seconds,
                "pdf_render_seconds": spent["seconds"],
                "pdf_jobs": spent["rendered"],
                # The Pagefind run of this build (None when nothing was rebuilt).
                "search_seconds": search.seconds if search else None,
                "search_index": {
                    code: {"pages": language.pages, "kb": language.bytes / 1000}
                    for code, language in (search.languages.items() if search else ())
                },
            }
        )
    )
    return 0


if __name__ == "__main__":
    from plugins.build.__main__ import exit_at_once

    exit_at_once(main())  # as the build's command ends (python -m plugins.build, make site)
