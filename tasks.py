"""Staff and developer commands: `invoke --list` shows them all."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
CONF = ROOT / "pelicanconf.py"
TRANSLATIONS = ROOT / "theme" / "translations"
PYBABEL = f"{sys.executable} -m babel.messages.frontend"


def _build(
    publish: bool = False, jobs: int | None = None, force: bool = False, no_wait: bool = False
) -> None:
    from plugins.build.__main__ import exit_at_once, main

    argv = ["--publish"] if publish else []
    if force:
        argv.append("--force")
    if no_wait:
        argv.append("--no-wait")
    if jobs:
        argv += ["--jobs", str(jobs)]
    exit_at_once(main(argv))  # the build's last step: nothing of invoke's follows


@task(
    help={
        "jobs": "processes converting Markdown and rendering PDFs (default: number of cores)",
        "force": "rebuild even when nothing changed since the last build",
        "no_wait": "exit 1 at once when another build is running (default: wait for it)",
    }
)
def build(c, jobs=None, force=False, no_wait=False):
    """Build the whole site (HTML, feeds, PDFs, calendars) into output/, strictly.

    It ends the process (``exit_at_once``): name it last when invoke runs several tasks.
    """
    _build(publish=False, jobs=int(jobs) if jobs else None, force=force, no_wait=no_wait)


@task(help={"jobs": "processes converting Markdown and rendering PDFs (default: number of cores)"})
def publish(c, jobs=None):
    """Build with production settings (publishconf.py: absolute URLs); ends the process,
    as build does."""
    _build(publish=True, jobs=int(jobs) if jobs else None, force=True)


@task(help={"port": "port on localhost (default 8000)"})
def serve(c, port=8000):
    """Build, serve output/ on http://localhost:PORT, rebuild on every save and reload
    the open pages (problems shown at the top of each page)."""
    from plugins.build.preview import serve_and_watch

    status = serve_and_watch(CONF, int(port))
    if status:
        sys.exit(status)


@task(help={"content": "content directory to check (default content/)"})
def check(c, content=None):
    """Check every bulletin, page and meeting without building; exit 1 on problems."""
    from plugins.validation.commands import run_check

    status = run_check(CONF, Path(content) if content else None)
    if status:
        sys.exit(status)


@task(
    help={
        "series": "series of the new bulletin (info-psoc, campagne…)",
        "translate": "French bulletin to translate (content/bulletins/…/01.md)",
        "lang": "language of the translation (default en)",
        "content": "content directory (default content/)",
        "histoire": "the draft of an event's messages (Histoires d'OCASSS): with --group, --title",
        "group": "regroupement sending the messages (its acronym: RCCQ…)",
        "title": "the event (« Forum du RCCQ »)",
    }
)
def new(
    c, series=None, translate=None, lang="en", content=None, histoire=False, group=None, title=None
):
    """Create the next bulletin of a series, its English twin, or an event's messages."""
    from plugins.validation.commands import run_new

    status = run_new(
        CONF,
        series=series,
        translate=Path(translate) if translate else None,
        lang=lang,
        content=Path(content) if content else None,
        histoire=histoire,
        group=group,
        title=title,
    )
    if status:
        sys.exit(status)


def _email_request(bulletin, lang=None):
    from plugins.email_edition.commands import Request

    return Request(CONF, bulletin, lang=lang)


@task(
    help={
        "bulletin": "the bulletin's file (content/bulletins/info-psoc/01.md)",
        "lang": "language of the edition (en: the English twin); default: the file's",
    }
)
def email(c, bulletin, lang=None):
    """Write a bulletin's email edition (.eml, never published) and print its path."""
    from plugins.email_edition.commands import run_email

    status = run_email(_email_request(bulletin, lang))
    if status:
        sys.exit(status)


@task(
    help={
        "bulletin": "the bulletin's file (content/bulletins/info-psoc/01.md)",
        "to": "recipient (default: EMAIL's list address in pelicanconf.py)",
        "lang": "language of the edition (en: the English twin); default: the file's",
        "dry_run": "write the .eml and say what would be sent, send nothing",
        "again": "send even if this edition was already sent to this address",
    }
)
def send(c, bulletin, to=None, lang=None, dry_run=False, again=False):
    """Send a bulletin's email edition through SMTP (EMAIL settings, SMTP_* variables)."""
    from plugins.email_edition.commands import run_send

    status = run_send(_email_request(bulletin, lang), to, dry_run=dry_run, again=again)
    if status:
        sys.exit(status)


JINJA_OPTIONS = "extensions = jinja2.ext.i18n\ntrim_blocks = True\nlstrip_blocks = True\n"


def _domains() -> dict[str, list[tuple[str, str]]]:
    """gettext domains and the (method, pattern) pairs Babel extracts them from.

    ``messages`` holds the theme's top-level templates; each capability
    (plugins/<name>/) owns a domain of the same name: its Python strings and
    the templates under theme/templates/<name>/.
    """
    domains = {"messages": [("jinja2", "theme/templates/*.html")]}
    for package in sorted((ROOT / "plugins").iterdir()):
        if not (package / "__init__.py").exists():
            continue
        sources = [("python", f"plugins/{package.name}/**.py")]
        if (ROOT / "theme" / "templates" / package.name).is_dir():
            sources.append(("jinja2", f"theme/templates/{package.name}/**.html"))
            sources.append(("jinja2", f"theme/templates/{package.name}/**.mjml"))
        domains[package.name] = sources
    return domains


def _babel_config(sources: list[tuple[str, str]]) -> str:
    return "".join(
        f"[{method}: {pattern}]\n" + (JINJA_OPTIONS if method == "jinja2" else "")
        for method, pattern in sources
    )


@task
def i18n(c):
    """Extract visible strings into one .pot per domain and update the fr/en .po."""
    import tempfile

    for domain, sources in _domains().items():
        pot = TRANSLATIONS / f"{domain}.pot"
        with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as cfg:
            cfg.write(_babel_config(sources))
        c.run(
            f"cd {ROOT} && {PYBABEL} -q extract --no-location --omit-header --sort-output "
            f"-F {cfg.name} -k _ -k gettext -k ngettext:1,2 -o {pot} .",
            pty=False,
        )
        Path(cfg.name).unlink()
        if pot.read_text(encoding="utf-8").count("msgid ") <= 1:
            pot.unlink()  # this capability shows no text to visitors
            continue
        for lang in ("fr", "en"):
            po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"
            verb = "update --ignore-obsolete" if po.exists() else "init"
            c.run(f"{PYBABEL} -q {verb} --no-wrap -D {domain} -i {pot} -d {TRANSLATIONS} -l {lang}")


# Test processes of `invoke test` (pytest-xdist): one per core, at most this many. Each
# builds the sample site for its test modules, and a build uses every core itself.
TEST_PROCESSES = 4


@task
def test(c):
    """Lint (ruff) and run the whole test suite (pytest), a test file per process."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)
    processes = min(os.cpu_count() or 1, TEST_PROCESSES)
    spread = f"-n {processes} --dist loadfile" if processes > 1 else ""
    c.run(f"{sys.executable} -m pytest {spread}", pty=False)


@task(
    help={
        "n": "generated French bulletins (default 1000)",
        "repeat": "runs per measurement, the median is reported (default 3)",
        "pdf_n": "bulletins of the PDF subset (default 50)",
    }
)
def bench(c, n=1000, repeat=3, pdf_n=50):
    """Benchmark against plain Pelican on N generated bulletins (benchmarks/README.md)."""
    from benchmarks.run import main

    main(["--n", str(n), "--repeat", str(repeat), "--pdf-n", str(pdf_n)])


@task
def clean(c):
    """Remove output/, the site kept beside it for the next build, and the build cache."""
    c.run(f"rm -rf {ROOT / 'output'} {ROOT / '.output-spare'} {ROOT / '.cache'}")
