"""Absolute addresses of the site, for what is read outside it.

Feeds, calendars, shared links (OpenGraph) and the email edition need
absolute URLs even while the development site is built with ``SITEURL = ""``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

DEVELOPMENT_ORIGIN = "http://localhost:8000"


def is_absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def absolute_base(settings: Mapping[str, Any]) -> str:
    """The sub-site's absolute URL, without a trailing slash.

    SITEURL when it is absolute (publishconf.py); otherwise FEED_SITEURL (the
    development server) followed by SITEURL (``""`` or ``"/en"``).
    """
    siteurl = str(settings.get("SITEURL", "")).rstrip("/")
    if is_absolute(siteurl):
        return siteurl
    origin = str(settings.get("FEED_SITEURL") or DEVELOPMENT_ORIGIN).rstrip("/")
    return origin + siteurl


PUBLISHED_ORIGIN = "https://bulletins.ctroc.org"


def published_base(settings: Mapping[str, Any]) -> str:
    """The sub-site's public absolute URL, for what is printed (PDFs): SITEURL when
    absolute, else PDF_LINK_SITEURL followed by the sub-site's path (``/en``)."""
    siteurl = str(settings.get("SITEURL", "")).rstrip("/")
    root = str(settings.get("ROOT_SITEURL", "")).rstrip("/")
    if is_absolute(root):
        return siteurl
    origin = str(settings.get("PDF_LINK_SITEURL") or PUBLISHED_ORIGIN).rstrip("/")
    return origin + (siteurl[len(root) :] if siteurl.startswith(root) else siteurl)
