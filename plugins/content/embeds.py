"""Videos and documents of other sites, embedded from the hosts named in settings.

A bulletin may embed an ``<iframe>`` whose address is on one of the
``EMBED_HOSTS`` (checked at load by ``plugins.validation.allowlist``). What
staff paste (YouTube's or Vimeo's « intégrer » code) is published in two
forms:

- on the site's pages, as an iframe the site controls: ``sandbox``,
  ``loading="lazy"``, no referrer beyond the origin, the staff's ``title``;
- wherever a player cannot run (the PDF, the feeds, the email edition), as a
  link to the same address, with the title as its text and the address shown.

Both rewrite only the iframes; the rest of the HTML is left byte for byte.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterable
from html.parser import HTMLParser

# What the embedded player may do: run its own scripts in its own origin, go full
# screen, open the video on its site. Not: navigate the bulletin, open forms, download.
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"
# What a pasted embed code carries that the page keeps (the rest is the site's).
KEPT_ATTRIBUTES = ("src", "title", "width", "height", "allow", "allowfullscreen")
# What a pasted embed code may carry: the page form replaces or drops these.
PASTED_ATTRIBUTES = frozenset(
    {*KEPT_ATTRIBUTES, "frameborder", "referrerpolicy", "loading", "id", "class", "lang"}
)
IFRAME = re.compile(r"<iframe\b[^>]*>.*?</iframe\s*>", re.IGNORECASE | re.DOTALL)
IFRAME_START = re.compile(r"<iframe", re.IGNORECASE)
# An iframe alone on its lines is a block of its own (Python-Markdown copies it as is).
_ALONE = re.compile(r"(?:^|\n)[ \t]*$")


def host_of(url: str) -> str | None:
    """``www.youtube-nocookie.com`` for ``https://www.youtube-nocookie.com/embed/…``."""
    try:
        host = urllib.parse.urlsplit(html.unescape(url).strip()).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def allowed_hosts(settings_value: Iterable[str] | None) -> frozenset[str]:
    return frozenset(str(host).strip().lower() for host in settings_value or ())


class _TagsNamed(HTMLParser):
    """The attributes of the first start tag named ``name`` in a fragment."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.found: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == self.name and self.found is None:
            self.found = dict(attrs)

    handle_startendtag = handle_starttag


def attributes_of(name: str, fragment: str) -> dict[str, str | None]:
    """The attributes of the first ``<name …>`` of ``fragment``, values decoded (None
    for one written without a value, as ``allowfullscreen``); {} when there is none."""
    parser = _TagsNamed(name)
    parser.feed(fragment)
    parser.close()
    return parser.found or {}


def iframe_attributes(text: str) -> dict[str, str]:
    """The attributes of the ``<iframe …>`` that starts ``text``, values decoded."""
    return {name: value or "" for name, value in attributes_of("iframe", text).items()}


def _attribute_text(attrs: dict[str, str | None]) -> str:
    return "".join(
        f" {name}" if value is None else f' {name}="{html.escape(value)}"'
        for name, value in attrs.items()
    )


def page_iframe(attrs: dict[str, str]) -> str:
    """The iframe as the site publishes it."""
    published: dict[str, str | None] = {
        name: attrs[name] for name in KEPT_ATTRIBUTES if name in attrs and name != "allowfullscreen"
    }
    published["class"] = "integration"
    published["sandbox"] = SANDBOX
    published["loading"] = "lazy"
    published["referrerpolicy"] = "strict-origin"
    if "allowfullscreen" in attrs:
        published["allowfullscreen"] = None
    return f"<iframe{_attribute_text(published)}></iframe>"


def link_for(attrs: dict[str, str], alone: bool) -> str:
    """The iframe as a link: its title, then its address, visible on paper."""
    src = attrs.get("src", "")
    title = attrs.get("title", "").strip() or host_of(src) or src
    link = (
        f'<a href="{html.escape(src)}">{html.escape(title)}</a> '
        f'<span class="adresse">{html.escape(src)}</span>'
    )
    return f'<p class="integration">{link}</p>' if alone else link


def for_page(fragment: str) -> str:
    """``fragment`` with each iframe in its published, sandboxed form."""
    if not IFRAME_START.search(fragment):  # without a lowercased copy of every page
        return fragment
    return IFRAME.sub(lambda match: page_iframe(iframe_attributes(match.group(0))), fragment)


def as_links(fragment: str) -> str:
    """``fragment`` with each iframe replaced by a link (PDF, feeds, email edition).

    An iframe alone on its lines becomes a paragraph; one inside a sentence, a link.
    """
    if not IFRAME_START.search(fragment):  # without a lowercased copy of every page
        return fragment

    def replace(match: re.Match[str]) -> str:
        before = fragment[: match.start()]
        after = fragment[match.end() :]
        alone = bool(_ALONE.search(before)) and (after == "" or after[0] == "\n")
        return link_for(iframe_attributes(match.group(0)), alone)

    return IFRAME.sub(replace, fragment)
