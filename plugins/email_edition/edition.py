"""The email edition of one bulletin, made from its published page.

The built site is the source: the bulletin's body as its page shows it (links
resolved, the meetings' schedule filled in), with every address made absolute
against the production SITEURL (``publishconf.py``), since a mailbox has no
« current site ». Two parts, one message:

- text/plain, written by ``plaintext`` (underlined headings, aligned tables,
  links as numbered notes);
- text/html, from the theme's MJML template (``email_edition/bulletin.mjml``)
  compiled by MRML (``mjml``), its CSS inlined into each element by
  ``css_inline`` (only media queries stay in a ``<style>``).

The same bulletin and settings give the same bytes: the ``Date`` is the
bulletin's (``invoke send`` stamps the moment of sending instead), the
``Message-ID`` and the MIME boundary derive from the bulletin and its content.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import css_inline
import mjml
from bs4 import BeautifulSoup
from markupsafe import Markup

from plugins.addresses import without_index
from plugins.content.embeds import as_links
from plugins.email_edition.plaintext import Notes, html_to_text, wrap
from plugins.feeds.items import aware
from plugins.i18n.catalogues import gettext_for, theme_environment
from plugins.i18n.formatting import TIMEZONE, format_date, format_filesize
from plugins.model import Bulletin

GMAIL_CLIP_BYTES = 102 * 1024
TEMPLATE = "email_edition/bulletin.mjml"
# Attributes holding an address, made absolute for the mailbox.
URL_ATTRIBUTES = {"a": "href", "img": "src"}


class EditionRefused(Exception):
    """What keeps a bulletin from its email edition, in one French line."""


@dataclass(frozen=True)
class Published:
    """A bulletin as the built site publishes it, every address absolute."""

    bulletin: Bulletin
    title: str
    summary: str
    body_html: str
    page_url: str
    pdf_url: str | None
    pdf_size: int | None

    def pdf_size_text(self) -> str:
        """« 43 Ko » in the bulletin's language, "" when the size is unknown."""
        return format_filesize(self.pdf_size, self.bulletin.lang) if self.pdf_size else ""


@dataclass(frozen=True)
class Addresses:
    """Who sends the edition, to whom, and how to leave the list (``EMAIL``)."""

    sender: str
    to: str
    reply_to: str | None
    subscribe: str | None
    unsubscribe: str | None
    unsubscribe_url: str | None

    @classmethod
    def from_settings(cls, email_settings: Mapping[str, Any]) -> Addresses:
        return cls(
            sender=email_settings["from"],
            to=email_settings["to"],
            reply_to=email_settings.get("reply_to"),
            subscribe=email_settings.get("subscribe"),
            unsubscribe=email_settings.get("unsubscribe"),
            unsubscribe_url=email_settings.get("unsubscribe_url"),
        )


def absolute(url: str, page_url: str, root_url: str) -> str:
    """``url`` as written in the built page, absolute in production.

    A site path (``/images/x.png``, written while SITEURL was "") goes under
    the production root; a relative one (``../../membres/index.html``, the site
    built to open from its files) is resolved against the page; a page is linked
    at its published address, its folder."""
    if url.startswith("#"):
        return page_url + url  # a section of the bulletin: on its page
    if urllib.parse.urlsplit(url).scheme:
        return url  # https:, mailto:, tel:
    if url.startswith("/"):
        return without_index(root_url.rstrip("/") + url)
    return without_index(urllib.parse.urljoin(page_url, url))


def published(page: Path, bulletin: Bulletin, page_url: str, root_url: str) -> Published:
    """The bulletin of the built ``page``, its addresses absolute (``page_url`` is
    the page's production URL, ``root_url`` the production SITEURL)."""
    try:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    except OSError as error:
        raise EditionRefused(
            f"page du bulletin introuvable dans output/ ({page.name}) : relancez la "
            "construction (invoke build --force)"
        ) from error
    body = soup.select_one(".bulletin__body")
    title = soup.find("h1")
    if body is None or title is None:
        raise EditionRefused(
            f"{page.name} n'est pas une page de bulletin : relancez la construction"
        )
    fragment = BeautifulSoup(as_links(body.decode_contents()), "html.parser")
    for name, attribute in URL_ATTRIBUTES.items():
        for element in fragment.find_all(name):
            if element.get(attribute):
                element[attribute] = absolute(str(element[attribute]), page_url, root_url)
    pdf_link = soup.select_one(".bulletin__pdf a[href]")
    pdf_url = pdf_size = None
    if pdf_link is not None:
        written = str(pdf_link["href"])
        pdf_url = absolute(written, page_url, root_url)
        pdf_file = page.parent / urllib.parse.unquote(written.rsplit("/", 1)[-1])
        pdf_size = pdf_file.stat().st_size if pdf_file.is_file() else None
    description = soup.find("meta", attrs={"name": "description"})
    return Published(
        bulletin=bulletin,
        title=title.get_text(),
        summary=str(description["content"]) if description else "",
        body_html=str(fragment).strip(),
        page_url=page_url,
        pdf_url=pdf_url,
        pdf_size=pdf_size,
    )


def html_part(edition: Published, settings: Mapping[str, Any], addresses: Addresses) -> str:
    """The text/html part: the MJML template compiled, its CSS inlined."""
    lang = edition.bulletin.lang
    env = theme_environment(settings["THEME"], lang)
    source = env.get_template(TEMPLATE).render(
        edition=edition,
        body=Markup(edition.body_html),
        organisation=settings.get("ORGANISATION") or {},
        addresses=addresses,
        lang=lang,
        series_title=edition.bulletin.series.short_title(lang),
        pdf_size=edition.pdf_size_text(),
    )
    compiled = mjml.mjml2html(source, disable_comments=True, fonts={})
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(compiled)


def text_part(edition: Published, settings: Mapping[str, Any], addresses: Addresses) -> str:
    """The text/plain part, readable as it is."""
    lang = edition.bulletin.lang
    _ = gettext_for(settings["THEME"], lang)
    bulletin = edition.bulletin
    notes = Notes()
    heading = bulletin.series.short_title(lang)
    if bulletin.number:
        heading += ", " + _("numéro %(number)s") % {"number": bulletin.number}
    heading += " — " + format_date(bulletin.date, lang)
    colon = "\u00a0: " if lang == "fr" else ": "  # never a line starting with « : »
    title = wrap(edition.title)
    lines = [title, "=" * max(len(line) for line in title.split("\n")), heading, ""]
    lines.append(f"{_('Lire en ligne')}{colon}{edition.page_url}")
    if edition.pdf_url:
        size = edition.pdf_size_text()
        label = _("Télécharger le PDF (%(size)s)") % {"size": size} if size else "PDF"
        lines.append(f"{label}{colon}{edition.pdf_url}")
    lines += ["", html_to_text(edition.body_html, _, notes, colon), "", "-- "]
    organisation = settings.get("ORGANISATION") or {}
    if organisation:
        lines.append(f"{organisation['name']} ({organisation['short_name']})")
        lines.append(f"{organisation['email']} · {organisation['phone']}")
    leave = addresses.unsubscribe_url or unsubscribe_target(addresses.unsubscribe)
    if leave:
        lines.append(f"{_('Se désabonner')}{colon}{leave}")
    if notes.urls:
        lines += ["", _("Liens"), notes.text()]
    return "\n".join(lines).rstrip() + "\n"


def unsubscribe_target(address: str | None) -> str | None:
    """``mailto:a@b?subject=x`` shown as ``a@b`` (objet : x), or the page's URL."""
    if not address:
        return None
    if not address.startswith("mailto:"):
        return address
    to, _, query = address[len("mailto:") :].partition("?")
    subject = urllib.parse.parse_qs(query).get("subject", [""])[0]
    return f"{to} ({subject})" if subject else to


def message_id(edition: Published) -> str:
    """One per bulletin and language, the same at every build and send."""
    host = urllib.parse.urlsplit(edition.page_url).hostname or "bulletins.invalid"
    return f"<{edition.bulletin.slug}.{edition.bulletin.lang}@{host}>"


def email_message(
    edition: Published,
    settings: Mapping[str, Any],
    addresses: Addresses,
    sent_at: dt.datetime | None = None,
) -> EmailMessage:
    """The multipart/alternative message; dated ``sent_at``, or the bulletin's date."""
    text = text_part(edition, settings, addresses)
    body = html_part(edition, settings, addresses)
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = edition.title
    message["From"] = addresses.sender
    message["To"] = addresses.to
    if addresses.reply_to:
        message["Reply-To"] = addresses.reply_to
    message["Date"] = format_datetime(sent_at or aware(edition.bulletin.date, TIMEZONE))
    message["Message-ID"] = message_id(edition)
    unsubscribe = [url for url in (addresses.unsubscribe, addresses.unsubscribe_url) if url]
    if unsubscribe:
        message["List-Unsubscribe"] = ", ".join(f"<{url}>" for url in unsubscribe)
    if addresses.unsubscribe_url:
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(body, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = edition.bulletin.lang  # set_content drops Content-*
    digest = hashlib.sha256((text + body).encode("utf-8")).hexdigest()[:24]
    message.set_boundary(f"=_bulletin_{digest}")
    return message


def html_size(message: EmailMessage) -> int:
    """Bytes of the HTML part as Gmail measures it (decoded)."""
    part = message.get_body(preferencelist=("html",))
    return len(part.get_content().encode("utf-8")) if part is not None else 0
