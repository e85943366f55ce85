"""Rendering one PDF edition: a top-level function on plain data, for a process pool."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from plugins.pdf_edition.jobs import TOC_END_ANCHOR, Refusal, RenderJob, RenderResult

if TYPE_CHECKING:
    from plugins.pdf_edition.fetcher import SandboxFetcher

__all__ = ["TOC_END_ANCHOR", "Refusal", "RenderJob", "RenderResult", "lay_out", "render_pdf"]

# WeasyPrint's errors (an unreadable image…) are collected per job and become
# problems; its warnings about CSS it ignores are not the content's fault.
WEASYPRINT_LOGGER = logging.getLogger("weasyprint")
WEASYPRINT_LOGGER.setLevel(logging.ERROR)
WEASYPRINT_LOGGER.propagate = False


class ErrorCollector(logging.Handler):
    """Keeps the first line of each error WeasyPrint logs while a job renders."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip().splitlines()
        if message and message[0] not in self.messages:
            self.messages.append(message[0])


def lay_out(html: str, job: RenderJob, fetcher: SandboxFetcher):
    """The laid-out WeasyPrint document of ``html``, fetching through ``fetcher`` only."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(url=job.stylesheet_url, url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=job.base_url, url_fetcher=fetcher)
    return document.render(
        font_config=fonts, stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True
    )


def without_attachments(document):
    """``document`` with no embedded file: a PDF edition never carries local files."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document


def toc_is_worth_it(pages: list) -> bool:
    """Whether the bulletin would still run over one page without its table of contents.

    Removing the table of contents frees at most the pages it sits on, so when
    the text after it still touches three pages or more, it needs two anyway.
    """
    for index, page in enumerate(pages):
        if TOC_END_ANCHOR in page.anchors:
            return len(pages) - index >= 3
    return len(pages) > 1


def render_pdf(job: RenderJob) -> RenderResult:
    """Render ``job`` to ``job.target``; never raises for a bad bulletin.

    The table of contents is kept only when the bulletin runs over one page:
    a short bulletin is laid out again without it.
    """
    from plugins.pdf_edition.fetcher import SandboxFetcher  # WeasyPrint: in the worker only

    fetcher = SandboxFetcher(job.roots)
    collector = ErrorCollector()
    WEASYPRINT_LOGGER.addHandler(collector)
    try:
        document = lay_out(job.html_with_toc, job, fetcher)
        with_toc = True
        if not toc_is_worth_it(document.pages):
            plain = lay_out(job.html_without_toc, job, fetcher)
            if len(plain.pages) == 1:
                document, with_toc = plain, False
        without_attachments(document)
        tmp = f"{job.target}.{os.getpid()}.tmp"
        os.makedirs(os.path.dirname(job.target), exist_ok=True)
        document.write_pdf(
            tmp,
            pdf_variant="pdf/ua-1",
            pdf_tags=True,
            pdf_identifier=job.identifier,
            attachments=None,
        )
        os.replace(tmp, job.target)
    except Exception as error:  # noqa: BLE001 - a bad bulletin becomes a Problem, not a traceback
        return RenderResult(job.target, refusals=tuple(fetcher.refusals), error=describe(error))
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)
    refused = [refusal.url for refusal in fetcher.refusals]
    errors = tuple(m for m in collector.messages if not any(url in m for url in refused))
    return RenderResult(
        job.target, len(document.pages), with_toc, tuple(fetcher.refusals), errors=errors
    )


def describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__} : {text}" if text else type(error).__name__
