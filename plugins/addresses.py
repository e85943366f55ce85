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
