"""Staff and developer commands: `invoke --list` shows them all."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
CONF = ROOT / "pelicanconf.py"
PUBLISH_CONF = ROOT / "publishconf.py"
TRANSLATIONS = ROOT / "theme" / "translations"


def _build(conf: Path, jobs: int | None = None) -> None:
    from plugins.build import build_site, report_failure
    from plugins.model import ContentError

    overrides = {"PDF_JOBS": jobs} if jobs else None
    try:
        result = build_site(conf, overrides=overrides)
    except ContentError as error:
        report_failure(error)
        sys.exit(1)
    for advice in result.advice:
        print(f"avertissement : {advice}", file=sys.stderr)
    print(f"Site construit dans {result.output} en {result.seconds:.1f} s.")


@task(help={"jobs": "PDF rendering processes (default: number of cores)"})
def build(c, jobs=None):
    """Build the whole site (HTML, feeds, PDFs, calendars) into output/, strictly."""
    _build(CONF, int(jobs) if jobs else None)


@task(help={"jobs": "PDF rendering processes (default: number of cores)"})
def publish(c, jobs=None):
    """Build with production settings (publishconf.py: absolute URLs)."""
    _build(PUBLISH_CONF, int(jobs) if jobs else None)


@task(help={"port": "port on localhost (default 8000)"})
def serve(c, port=8000):
    """Build, serve output/ on http://localhost:PORT and rebuild on every change."""
    from plugins.build.preview import serve_and_watch

    serve_and_watch(CONF, int(port))


@task
def i18n(c):
    """Extract the template strings into messages.pot and update the .po catalogues."""
    pot = TRANSLATIONS / "messages.pot"
    c.run(
        f"pybabel extract --no-location --omit-header --sort-output -F {ROOT / 'babel.cfg'} "
        f"-k _ -k gettext -k ngettext:1,2 -o {pot} {ROOT}",
        pty=False,
    )
    for lang in ("fr", "en"):
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        action = "update" if po.exists() else "init"
        c.run(
            f"pybabel {action} --no-wrap -D messages -i {pot} -d {TRANSLATIONS} -l {lang}"
            + (" --omit-header --ignore-obsolete" if action == "update" else "")
        )


@task
def test(c):
    """Lint (ruff) and run the whole test suite (pytest)."""
    c.run("ruff check .", pty=False)
    c.run("ruff format --check .", pty=False)
    c.run(f"{sys.executable} -m pytest", pty=False)


@task
def clean(c):
    """Remove output/ and the build cache."""
    c.run(f"rm -rf {ROOT / 'output'} {ROOT / '.cache'}")
