"""The PDF edition of every bulletin, rendered by WeasyPrint from our print template.

After every generator has read its content (``all_generators_finalized``) and
before any page or feed is written, each bulletin of the sub-site gets
``article.pdf`` (a ``PdfEdition``, or None after a Problem): US Letter, running
header, « Page X de Y », « Dans ce numéro », bookmarks, tagged (PDF/UA-1),
fonts embedded, byte-identical from one build to the next. Rendering goes
through a sandboxed URL fetcher, a content-hash cache outside ``output/`` and
a process pool of ``PDF_JOBS`` workers.
"""

from __future__ import annotations

from pelican import signals

from plugins.pdf_edition.editions import publish_pdf_editions


def register() -> None:
    signals.all_generators_finalized.connect(publish_pdf_editions)
