"""Every bulletin of a sub-site gets its PDF edition, rendered or taken from the cache."""

from __future__ import annotations

import hashlib
import logging
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from plugins.addresses import without_index
from plugins.context import BuildContext, current
from plugins.i18n.catalogues import gettext_for, theme_environment
from plugins.model import PdfEdition, Problem, SourceFile
from plugins.pdf_edition.cache import (
    PlanMemo,
    asset_files,
    assets_digest,
    cache_key,
    cache_path,
    publish,
)
from plugins.pdf_edition.document import (
    PrintDocument,
    css_string,
    organisation_from_settings,
    page_counter_content,
    prepare_content,
)
from plugins.pdf_edition.jobs import Refusal, RenderJob, RenderResult
from plugins.pdf_edition.render import render_pdf
from plugins.pools import JobFailure, run_jobs
from plugins.validation.targets import target_line

logger = logging.getLogger("bulletins")

# A dev build has no absolute SITEURL; links in a PDF must work from anywhere.
DEFAULT_LINK_SITEURL = "https://bulletins.ctroc.org"
PROGRESS_EVERY_SECONDS = 5.0


@dataclass(frozen=True)
class Plan:
    """One bulletin's PDF edition: where it goes and how to render it."""

    source: str  # content/bulletins/info-psoc/01.md
    text: str  # its Markdown, to place problems on their line
    edition: PdfEdition  # size still 0: known once written
    job: RenderJob
    cached: Path
    resources: Mapping[str, str]


def print_html(env: jinja2.Environment, doc: PrintDocument, footer: str, with_toc: bool) -> str:
    """The print HTML; ``footer`` is the CSS ``content`` of « Page X de Y »."""
    template = env.get_template("pdf_edition/bulletin.html")
    return template.render(
        doc=doc,
        with_toc=with_toc,
        footer_content=Markup(footer),
        footer_left=Markup(css_string(doc.organisation.short_name or doc.organisation.name)),
    )


class StaticSources:
    """Site path -> source file, for the theme's and the content's static files.

    A content file's path is read where the build places it when asked (``now``):
    a bulletin's ``{attach}`` link moves the file beside it, once its content is
    made. Read through ``get_url_setting``, not ``url``: Pelican refuses to move a
    file whose ``url`` was already read (« another link already referenced its
    location »), and the PDF editions are planned before the pages are written.
    """

    def __init__(self, generators: Iterable[Any], settings: Mapping[str, Any]):
        self.theme: dict[str, str] = {}
        theme_static = Path(settings["THEME"]) / "static"
        theme_dir = settings.get("THEME_STATIC_DIR", "theme")
        if theme_static.is_dir():
            for path in theme_static.rglob("*"):
                if path.is_file():
                    relative = path.relative_to(theme_static).as_posix()
                    self.theme[f"{theme_dir}/{relative}"] = str(path)
        self.statics = [s for g in generators for s in getattr(g, "staticfiles", [])]

    def now(self) -> dict[str, str]:
        placed = {s.get_url_setting("url"): s.source_path for s in self.statics}
        return {**self.theme, **placed}


def refusal_problem(plan: Plan, refusal: Refusal) -> Problem:
    original = plan.resources.get(refusal.url, refusal.url)
    shown = original if len(original) <= 120 else original[:117] + "…"
    return Problem(
        plan.source,
        target_line(plan.text, original),
        f"ressource refusée dans l'édition PDF : « {shown} » ({refusal.reason})",
    )


# What WeasyPrint reports about a bulletin's content, in French: (kind, start of its
# English message, what staff should do; {resource} is the image as written).
# Any other error keeps WeasyPrint's own words.
MISSING_ALT = "alt"
KNOWN_ERRORS = (
    (
        MISSING_ALT,
        "Image ",  # Image "…" has no required alt description (PDF/UA-1)
        "image « {resource} » sans texte de remplacement : ajoutez une description entre "
        'les crochets ![description](…) ou alt="description" à la balise <img> '
        "(l'édition PDF accessible l'exige)",
    ),
    (
        "image",
        "Failed to load image",
        "ressource illisible dans l'édition PDF : « {resource} » "
        "(image illisible : format inconnu ou fichier endommagé)",
    ),
    (
        "svg",
        "Failed to render SVG image",
        "image SVG « {resource} » impossible à dessiner dans l'édition PDF : "
        "réenregistrez-la ou remplacez-la par un PNG",
    ),
    (
        "svg",
        "Failed to load inline SVG",
        "SVG intégré illisible dans l'édition PDF : vérifiez son balisage "
        "ou remplacez-le par une image PNG",
    ),
)


def error_kind(message: str) -> tuple[str, str]:
    """(kind, French explanation with a ``{resource}`` slot) of a WeasyPrint error.

    ("", "") when the error is not one we know.
    """
    for kind, start, reason in KNOWN_ERRORS:
        if message.startswith(start) and (
            kind != MISSING_ALT or message.endswith("has no required alt description")
        ):
            return kind, reason
    return "", ""


def error_problem(plan: Plan, message: str) -> Problem:
    """A WeasyPrint error (an image without text alternative, an unreadable image…).

    Known errors are explained in French; the problem stands on the line of the
    resource the message names, else on the bulletin's first line. Unknown
    errors naming a resource are reported as an unreadable resource.
    """
    kind, reason = error_kind(message)
    for url, original in plan.resources.items():
        if url in message:
            line = target_line(plan.text, original)
            if kind:
                return Problem(plan.source, line, reason.format(resource=original))
            return Problem(
                plan.source,
                line,
                f"ressource illisible dans l'édition PDF : « {original} » ({message})",
            )
    if kind:
        return Problem(plan.source, 1, reason.format(resource="?"))
    return Problem(plan.source, 1, f"l'édition PDF signale une erreur : {message}")


def resources_digest(resources: Mapping[str, str], base_url: str) -> str:
    """Hash of the bytes of every local file the print HTML shows (images…).

    ``resources`` maps the URL WeasyPrint fetches to the URL as written.
    """
    digest = hashlib.sha256()
    for url, original in sorted(resources.items()):
        full = urllib.parse.urljoin(base_url, url)
        if not full.startswith("file:"):
            continue
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(full).path))
        digest.update(original.encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def edition_url(article: Any) -> str:
    """Where ``article``'s PDF is published, beside its page and named after its file."""
    folder = os.path.dirname(article.save_as)
    name = f"{article.bulletin.file_stem}.pdf"
    return f"{folder}/{name}" if folder else name


def published_editions(
    articles: Iterable[Any], context: BuildContext, settings: Mapping[str, Any]
) -> None:
    """A preview's quick pass: the edited bulletins link to the PDF editions the
    preview serves now (their new ones follow with the full build)."""
    sub_site = settings["LANGUAGES"][settings["DEFAULT_LANG"]]["path"]
    published = context.selection.published / sub_site
    for article in articles:
        article.pdf = None
        if getattr(article, "bulletin", None) is None or not context.writes(article.source_path):
            continue
        url = edition_url(article)
        path = published / url
        if path.is_file():
            article.pdf = PdfEdition(url, path, path.stat().st_size)


def plan_edition(
    article: Any,
    file: SourceFile,
    settings: Mapping[str, Any],
    env: jinja2.Environment,
    static_files: StaticSources,
    assets: str,
) -> Plan:
    """How to render ``article``'s PDF edition, and where it is published."""
    bulletin = article.bulletin
    lang = settings["DEFAULT_LANG"]
    siteurl = settings.get("SITEURL", "")
    root = settings.get("ROOT_SITEURL", "")
    link_base = root if "://" in root else settings.get("PDF_LINK_SITEURL", DEFAULT_LINK_SITEURL)
    sub_path = siteurl[len(root) :] if siteurl.startswith(root) else siteurl
    page_url = f"{link_base.rstrip('/')}{sub_path}/{without_index(article.url)}"
    prepared = prepare_content(
        # Its links from the site's root (``content`` follows the page being written).
        article.get_content(siteurl or "/"),
        page_url=page_url,
        link_base=link_base,
        site_prefixes=tuple(p for p in {siteurl, sub_path, root} if p),
        static_files=static_files.now(),  # once its {attach} links have moved their files
        content_root=str(Path(settings["PATH"]).resolve()),
    )
    _ = gettext_for(settings["THEME"], lang)
    doc = PrintDocument(
        lang=lang,
        # The title is plain text (escaped by the template), never markup to strip.
        title=str(article.title or ""),
        series_title=bulletin.series.short_title(lang),
        number=bulletin.number,
        date=bulletin.date,
        content_html=prepared.html,
        sections=prepared.sections,
        organisation=organisation_from_settings(settings),
        summary=str(article.metadata.get("summary") or ""),
        page_url=page_url,
    )
    footer = page_counter_content(_("Page {page} de {pages}"))
    with_toc = print_html(env, doc, footer, True)
    without_toc = print_html(env, doc, footer, False)
    content_root = Path(settings["PATH"]).resolve()
    base_url = Path(article.source_path).resolve().parent.as_uri() + "/"
    # Keyed without the checkout's location, so the PDF's /ID is the same everywhere;
    # the bytes of the images it shows are part of the key.
    portable = [html.replace(content_root.as_uri(), "content:") for html in (with_toc, without_toc)]
    inputs = {"lang": lang, "images": resources_digest(prepared.resources, base_url)}
    key = cache_key(assets, *portable, inputs)
    cached = cache_path(settings.get("BUILD_CACHE_PATH", ".cache"), key)
    url = edition_url(article)
    theme_static = Path(settings["THEME"]).resolve() / "static"
    job = RenderJob(
        html_with_toc=with_toc,
        html_without_toc=without_toc,
        base_url=base_url,
        stylesheet_url=(theme_static / "css" / "print.css").as_uri(),
        roots=(str(theme_static), str(content_root)),
        target=str(cached.resolve()),
        identifier=bytes.fromhex(key[:32]),
    )
    target = Path(settings["OUTPUT_PATH"]) / url
    return Plan(
        source=file.path,
        text=file.text,
        edition=PdfEdition(url=url, path=target.resolve(), size=0),
        job=job,
        cached=cached,
        resources=prepared.resources,
    )


def render_all(
    jobs: Sequence[RenderJob],
    workers: int,
    render: Callable[[RenderJob], RenderResult] = render_pdf,
) -> list[RenderResult]:
    """Render ``jobs`` with ``workers`` processes (plugins.pools), logging progress on long runs.

    A render that raised comes back as a RenderResult with ``error`` set.
    """
    started = last = time.monotonic()

    def progress(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS and done < len(jobs):
            last = now
            logger.info("PDF : %d sur %d rendus (%.0f s)…", done, len(jobs), now - started)

    results: list[RenderResult] = []
    for result in run_jobs(render, jobs, workers, progress=progress):
        if isinstance(result, JobFailure):  # render_pdf catches a bad bulletin's errors itself
            first_line = result.message.strip().split("\n")[0]
            error = f"{result.kind} : {first_line}" if first_line else result.kind
            result = RenderResult(jobs[result.index].target, error=error)
        results.append(result)
    return results


def render_count_message(lang: str, rendered: int, cached: int) -> str:
    """« PDF (fr) : 1 rendu, 41 en cache »: one line per sub-site, which it names."""
    noun = "rendus" if rendered > 1 else "rendu"
    return f"PDF ({lang}) : {rendered} {noun}, {cached} en cache"


def publish_pdf_editions(generators: Sequence[Any]) -> None:
    """Signal handler: set ``article.pdf`` on every bulletin of the sub-site."""
    articles_generator = next((g for g in generators if hasattr(g, "articles")), None)
    if articles_generator is None:
        return
    settings = articles_generator.settings
    context = current()
    if not context.writes_everything:
        published_editions(articles_generator.articles, context, articles_generator.settings)
        return
    log = context.problems
    lang = settings["DEFAULT_LANG"]
    env = theme_environment(settings["THEME"], lang)
    assets = assets_digest(asset_files(settings["THEME"]), weasyprint_version())
    static_files = StaticSources(generators, settings)

    cache_root = settings.get("BUILD_CACHE_PATH", ".cache")
    memo = PlanMemo(cache_root, lang, context.kept.site) if context.kept else None
    plans: list[tuple[Any, Plan]] = []
    from_memo = 0
    for article in articles_generator.articles:
        article.pdf = None
        if getattr(article, "bulletin", None) is None:
            continue  # invalid metadata: plugins.validation says why
        file = context.model.file(article.source_path)
        cached = memo.cached(file) if memo else None
        if cached is not None:
            article.pdf = published_edition(cached, article, settings)
            from_memo += 1
            continue
        plan = plan_edition(article, file, settings, env, static_files, assets)
        plans.append((article, plan))
        if memo:
            memo.remember(file, plan.cached)

    missing = {plan.job.target: plan.job for _, plan in plans if not plan.cached.is_file()}
    workers = int(settings.get("PDF_JOBS") or os.cpu_count() or 1)
    results = {r.target: r for r in render_all(list(missing.values()), workers)}

    for article, plan in plans:
        result = results.get(plan.job.target)
        if result is not None:
            for refusal in result.refusals:
                log.add(refusal_problem(plan, refusal))
            for message in result.errors:
                log.add(error_problem(plan, message))
            if result.error:
                log.add(
                    Problem(
                        plan.source,
                        1,
                        f"impossible de produire l'édition PDF : {result.error}",
                    )
                )
                continue
        publish(plan.cached, plan.edition.path)
        if result is not None and (result.refusals or result.errors):
            plan.cached.unlink(missing_ok=True)  # never serve a PDF with holes from the cache
        size = plan.edition.path.stat().st_size
        article.pdf = PdfEdition(plan.edition.url, plan.edition.path, size)
    if memo:
        memo.save()
    logger.info(render_count_message(lang, len(missing), from_memo + len(plans) - len(missing)))


def published_edition(cached: Path, article: Any, settings: Mapping[str, Any]) -> PdfEdition:
    """``article``'s PDF edition published from the cache, where its page links it."""
    url = edition_url(article)
    target = (Path(settings["OUTPUT_PATH"]) / url).resolve()
    publish(cached, target)
    return PdfEdition(url, target, target.stat().st_size)


def weasyprint_version() -> str:
    """The installed WeasyPrint's version, without importing it in the build's process."""
    return metadata.version("weasyprint")
