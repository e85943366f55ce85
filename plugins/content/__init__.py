"""Content read once: the loader, and Pelican's reader of what it loaded.

plugins.build loads content/ once (``plugins.content.loading``) before any
Pelican run. This plugin registers, through Pelican's documented
``readers_init`` signal, a reader that gives Pelican each Markdown file's
HTML and metadata from that model, instead of reading and converting the
file again in every run; through ``get_writer``, a writer that tells the build
which file a page comes from, so a message Pelican logs names it; and it makes
the content of what attaches files first (``place_attachments``).

The HTML is the model's, already typeset (``plugins.content.conversion``); the
title and the summary, text shown as written, get the same French spaces here
(``typeset_text``: no ``<sup>``, they are text wherever they go: ``<title>``, feeds,
PDF metadata, the email's Subject).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime
from pelican.writers import Writer

from plugins.content.embeds import for_page
from plugins.content.links import attaches, published_links
from plugins.content.loading import ContentModel
from plugins.context import current
from plugins.i18n.typography import typeset_text
from plugins.model import SourceFile, parse_iso_date

# Header fields shown to readers as text: typeset as text.
TEXT_FIELDS = frozenset({"title", "summary"})
# Header fields Pelican reads as dates.
DATE_FIELDS = frozenset({"date", "modified"})


def derived_metadata(file: SourceFile, model: ContentModel) -> dict[str, str]:
    """What the model decides for Pelican: a bulletin's series is its category, and
    every item's slug (``info-psoc-01``), so URLs do not move when a title changes."""
    derived = {"slug": model.slug(file)}
    bulletin = model.bulletin(file)
    if bulletin is not None:
        derived["category"] = bulletin.series.key
    return derived


class ModelReader(MarkdownReader):
    """Pelican's Markdown reader of ``.md`` files, answering from the loaded model.

    A subclass of MarkdownReader, not of BaseReader: Pelican registers every
    enabled direct subclass of BaseReader in every Readers of the process, and
    warns about disabled ones; this one is registered by ``readers_init`` only.
    """

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        context = current()
        file = context.model.file(source_path)
        if file is None:
            raise FileNotFoundError(source_path)  # not loaded: plugins.build lists files
        context.processing = file.source_path  # until the next file: Pelican builds it now
        metadata = {}
        for name, lines in file.meta.items():
            if name in file.formatted:
                value: Any = file.formatted[name]
            else:  # one line, or continued on the next (validation refuses a key twice)
                value = " ".join(line.strip() for line in lines).strip()
            if name in TEXT_FIELDS and isinstance(value, str):
                value = typeset_text(value, file.lang)
            metadata[name] = self.date(name, value) or self.process_metadata(name, value)
        for name, value in derived_metadata(file, context.model).items():
            metadata[name] = self.process_metadata(name, value)
        static_paths = self.settings.get("STATIC_PATHS", ())
        html = published_links(file.html, Path(file.source_path), context.model.root, static_paths)
        if attaches(html):
            context.attaching.add(file.source_path)
        return for_page(html), metadata

    @staticmethod
    def date(name: str, value: Any) -> SafeDatetime | None:
        """A date field as Pelican's own processing reads it, when it is the checked
        ``AAAA-MM-JJ`` form (always, for a bulletin's ``Date``), without its general
        parser (dateutil: about 0.1 ms a date, 0.2 s a build at 1,000 bulletins)."""
        parsed = parse_iso_date(value) if name in DATE_FIELDS and isinstance(value, str) else None
        return SafeDatetime(*parsed.timetuple()[:6]) if parsed is not None else None


def install_model_reader(readers) -> None:
    """Signal handler (readers_init): ``.md`` files are read from the model."""
    readers.reader_classes["md"] = ModelReader


class NamingWriter(Writer):
    """Pelican's writer, telling the build which content file a page comes from, so
    a message Pelican logs while writing it names that file; in a preview's quick
    pass, it writes only the pages of the edited files (``BuildContext.writes``);
    a page whose inputs did not change since the published site is not rendered
    but kept from that site (``BuildContext.kept``, plugins.content.kept)."""

    def write_file(self, name, template, context, *args, **kwargs):
        item = kwargs.get("article") or kwargs.get("page")
        source_path = getattr(item, "source_path", None)
        build = current()
        if not build.writes(source_path):
            return None  # a preview's quick pass: not one of the edited pages
        kept = build.kept
        if kept is None or not name:  # not name: a page the settings switch off
            with build.on_file(source_path):
                return super().write_file(name, template, context, *args, **kwargs)
        page = kept.name(Path(self.output_path, name))
        file = build.model.file(source_path) if source_path else None
        key = kept.key(page, file, getattr(item, "pdf", None))
        if kept.keep(page, key):
            if build.on_kept is not None:
                build.on_kept(page)
            return None
        kept.make_room(page)
        with build.on_file(source_path), kept.rendering(page, key):
            return super().write_file(name, template, context, *args, **kwargs)


def note_written(path, context=None) -> None:
    """Signal handler (content_written): a file the writer wrote, for the page
    being rendered (plugins.content.kept) and the search (``on_written``)."""
    build = current()
    if build.kept is not None:
        build.kept.wrote(path)
    if build.on_written is not None:
        build.on_written(path)


def place_attachments(generators) -> None:
    """Signal handler (all_generators_finalized): each bulletin or page that attaches a
    file has its content made now, before any page or file is written, so that Pelican
    moves the file beside it.

    Pelican moves a file only while nothing has read where it is published. Made
    later, the content would come too late: a page kept from the published site is
    not written again, and its feed item is made once the static files are copied.
    """
    attaching = current().attaching  # noted by the reader
    for generator in generators:
        for item in [*getattr(generator, "articles", ()), *getattr(generator, "pages", ())]:
            if item.source_path in attaching:
                _ = item.content  # Pelican replaces its links, moving what it attaches


def naming_writer(pelican) -> type[Writer]:
    """Signal handler (get_writer)."""
    return NamingWriter


def register() -> None:
    signals.readers_init.connect(install_model_reader)
    signals.get_writer.connect(naming_writer)
    signals.content_written.connect(note_written)
    signals.all_generators_finalized.connect(place_attachments)
