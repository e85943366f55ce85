"""Production settings: absolute URLs for feeds, calendars and PDF links."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("BULLETINS_SITEURL", "https://bulletins.ctroc.org")
# Published pages link each other absolutely, by their folders (/info-psoc/info-psoc-01/):
# URLs are a promise to subscribers. pelicanconf.py's relative links are for output/ on disk.
RELATIVE_URLS = False
