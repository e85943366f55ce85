"""One feed item per bulletin: full text with absolute links, stable id, PDF.

Everything a reader shows comes from here, as plain data (``FeedItem``);
plugins.feeds.render only turns items into RSS or Atom bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html

from plugins.addresses import without_index
from plugins.content.embeds import as_links
from plugins.memo import KeptResults, key_of
from plugins.model import Advice, Bulletin, Problem, relative_source

PDF_TYPE = "application/pdf"

# Characters XML 1.0 forbids (control characters pasted from Word, lone surrogates…).
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Enclosure:
    """The PDF edition, as a feed announces it."""

    url: str
    length: int
    mime_type: str = PDF_TYPE


@dataclass(frozen=True)
class Category:
    """What an entry is filed under: a series, or the action's messages."""

    term: str  # info-psoc
    label: str  # INFO-PSOC
    scheme: str  # the absolute URL of the list it belongs to


@dataclass(frozen=True)
class FeedItem:
    """One entry (a bulletin, a message) as every feed of its language shows it."""

    guid: str
    title: str
    link: str
    content: str  # HTML, every link absolute
    summary: str  # HTML: the header's text, escaped
    published: dt.datetime
    updated: dt.datetime
    category: Category
    lang: str
    number: int | None
    author_name: str
    author_email: str
    enclosure: Enclosure | None

    @property
    def sort_key(self) -> tuple:
        return (self.published, self.number or 0, self.guid)

    @functools.cached_property
    def digest(self) -> str:
        """Everything the item holds, as a digest made once: every feed holding the
        item names it by this in its key (plugins.feeds.site.write_feed)."""
        return hashlib.sha256(repr(self).encode("utf-8", "surrogateescape")).hexdigest()


def bulletin_guid(authority: str, bulletin: Bulletin) -> str:
    """A ``tag:`` URI from series, number (or date) and language only.

    Editing a title or moving a URL never changes it, so readers never show
    a bulletin twice: ``tag:ctroc.org,2013:info-psoc/1/fr``.
    """
    issue = str(bulletin.number) if bulletin.number is not None else f"{bulletin.date:%Y-%m-%d}"
    return f"tag:{authority}:{bulletin.series.key}/{issue}/{bulletin.lang}"


def remove_illegal_characters(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return ILLEGAL_XML.sub("", text)


def illegal_character_advice(text: str, shown_path: str) -> list[Advice]:
    """One Advice per line of the source text that holds characters XML forbids."""
    advice = []
    # Not splitlines(): it would count \x0b and \x0c, the very characters sought, as ends.
    for number, line in enumerate(text.split("\n"), start=1):
        found = sorted({f"U+{ord(c):04X}" for c in ILLEGAL_XML.findall(line)})
        if found:
            advice.append(
                Advice(
                    shown_path,
                    number,
                    f"caractère invisible interdit dans les fils de nouvelles "
                    f"({', '.join(found)}), souvent collé depuis Word : il a été retiré "
                    f"des fils RSS et Atom ; supprimez-le du fichier",
                )
            )
    return advice


def absolutize_links(html: str, base_url: str, site: str = "") -> str:
    """``html`` with every link and image resolved against ``base_url``; a page of
    ``site`` (the sub-site's absolute URL) at its published address, its folder."""
    if not html.strip():
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.make_links_absolute(base_url, resolve_base_href=False, handle_failures="ignore")
    if site:
        inside = site.rstrip("/") + "/"
        wrapper.rewrite_links(
            lambda url: without_index(url) if url.startswith(inside) else url,
            resolve_base_href=False,
        )
    inner = wrapper.text or ""
    return inner + "".join(
        lxml.html.tostring(child, encoding="unicode", method="html") for child in wrapper
    )


class KeptLinks:
    """``absolutize_links`` kept from one build to the next, by its inputs.

    lxml parses and writes each feed item's HTML again (about 1 ms a bulletin,
    400 items a language), and after one edit all items but one are the same:
    their result is read from the cache instead (``BUILD_CACHE_PATH/feeds/``).
    Keyed by the HTML and both addresses, it cannot be stale.
    """

    def __init__(self, path: Path):
        self.results = KeptResults(path)

    def __call__(self, html: str, base_url: str, site: str = "") -> str:
        key = key_of(base_url, site, html)
        found = self.results.get(key)
        if found is None:
            found = absolutize_links(html, base_url, site)
            self.results.put(key, found)
        return found

    def save(self) -> None:
        self.results.save()


def aware(moment: dt.datetime, timezone: str) -> dt.datetime:
    """``moment`` with its offset (America/Montreal when it has none)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def pdf_enclosure(article: Any, base: str, shown_path: str) -> tuple[Enclosure | None, list]:
    """The PDF enclosure of ``article``, or the problem that forbids one.

    No ``pdf`` attribute: the PDF capability is not installed, no enclosure.
    ``pdf`` is None or its file is missing: a feed must not point at nothing.
    """
    if not hasattr(article, "pdf"):
        return None, []
    pdf = article.pdf
    if pdf is None:
        return None, [
            Problem(
                shown_path,
                1,
                "ce bulletin n'a pas d'édition PDF (son rendu a échoué) : les fils de "
                "nouvelles ne peuvent pas l'annoncer ; corrigez l'erreur de rendu du PDF",
            )
        ]
    path = Path(pdf.path)
    if not path.is_file():
        return None, [
            Problem(
                shown_path,
                1,
                f"l'édition PDF {pdf.url} est introuvable : les fils de nouvelles ne "
                f"peuvent pas l'annoncer ; relancez la construction",
            )
        ]
    return Enclosure(url=f"{base}/{pdf.url}", length=path.stat().st_size), []


def feed_item(
    article: Any,
    settings: Mapping[str, Any],
    base: str,
    source_text: str = "",
    absolute: Callable[[str, str, str], str] = absolutize_links,
) -> tuple[FeedItem, list[Problem]]:
    """The feed item of a bulletin page, and what is wrong with it.

    ``base`` is the sub-site's absolute URL (plugins.feeds.addresses);
    ``source_text`` the bulletin's Markdown, to place advice on its lines;
    ``absolute`` is ``absolutize_links`` (or a memo of it: ``KeptLinks``).
    """
    bulletin: Bulletin = article.bulletin
    shown_path = relative_source(article.source_path, settings)
    link = f"{base}/{without_index(article.url)}"
    # Its links as from the site's root: ``content`` follows the page Pelican wrote last.
    body = article.get_content(base) or ""
    # Title and summary are text, as written in the header (a « < » stays one).
    raw = (str(article.title), body, str(article.metadata.get("summary") or ""))
    title, content, summary = (remove_illegal_characters(text) for text in raw)
    problems: list[Problem] = []
    if (title, content, summary) != raw:
        problems += illegal_character_advice(source_text, shown_path)
        if not problems:
            problems.append(
                Advice(shown_path, 1, "caractère invisible interdit retiré des fils de nouvelles")
            )
    enclosure, pdf_problems = pdf_enclosure(article, base, shown_path)
    problems += pdf_problems
    timezone = settings.get("TIMEZONE") or "America/Montreal"
    published = aware(article.date, timezone)
    modified = article.metadata.get("modified")
    updated = aware(modified, timezone) if isinstance(modified, dt.datetime) else published
    organisation = settings.get("ORGANISATION") or {}
    item = FeedItem(
        guid=bulletin_guid(settings["FEED_TAG_AUTHORITY"], bulletin),
        title=title,
        link=link,
        content=absolute(as_links(content), link, base),
        summary=html.escape(summary, quote=False),
        published=published,
        updated=max(updated, published),
        category=Category(
            bulletin.series.key,
            bulletin.series.short_title(bulletin.lang),
            f"{base}/{without_index(article.category.url)}",
        ),
        lang=bulletin.lang,
        number=bulletin.number,
        author_name=str(organisation.get("name") or settings.get("AUTHOR", "")),
        author_email=str(organisation.get("email") or ""),
        enclosure=enclosure,
    )
    return item, problems


def article_sort_key(article: Any, settings: Mapping[str, Any]) -> tuple:
    """The ``FeedItem.sort_key`` of a bulletin page, known before its item is built."""
    bulletin: Bulletin = article.bulletin
    published = aware(article.date, settings.get("TIMEZONE") or "America/Montreal")
    guid = bulletin_guid(settings["FEED_TAG_AUTHORITY"], bulletin)
    return (published, bulletin.number or 0, guid)
