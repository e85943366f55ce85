"""What the build hands a PDF worker and gets back: plain data, picklable, and
importable without WeasyPrint (the build's own process never loads it: about
25 MB it would hold for nothing while the workers render)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """A resource a PDF edition asked for and did not get."""

    url: str
    reason: str


TOC_END_ANCHOR = "pdf-fin-sommaire"


@dataclass(frozen=True)
class RenderJob:
    """Everything needed to render one PDF, as plain picklable data."""

    html_with_toc: str
    html_without_toc: str
    base_url: str  # file: URL the print HTML's relative URLs resolve against
    stylesheet_url: str  # file: URL of print.css
    roots: tuple[str, ...]  # folders the fetcher may read from
    target: str  # where the PDF is written (atomically)
    identifier: bytes  # the PDF's /ID: derived from the content, never random


@dataclass(frozen=True)
class RenderResult:
    """What happened to one job: pages written, refused resources, or an error."""

    target: str
    pages: int = 0
    with_toc: bool = False
    refusals: tuple[Refusal, ...] = ()
    error: str = ""
    errors: tuple[str, ...] = ()  # resources WeasyPrint could not use, besides refusals
