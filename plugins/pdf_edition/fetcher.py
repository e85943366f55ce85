"""The only way WeasyPrint may read a resource for a PDF edition.

It serves ``data:`` URLs and regular files inside the build's own folders
(the theme's static files and the content), resolved with ``realpath`` so
neither ``..`` nor a symbolic link can escape them. Everything else — other
files, ``http(s)://``, any other protocol — is refused without being opened,
so there is no network access and no redirect to follow. Each refusal is
recorded so the build can report it as a problem instead of a silent blank.
"""

from __future__ import annotations

import mimetypes
import os
import urllib.parse
import urllib.request
from collections.abc import Iterable

from weasyprint.urls import URLFetcher, URLFetcherResponse

from plugins.pdf_edition.jobs import Refusal

REMOTE = "les ressources distantes ne sont jamais téléchargées ; copiez le fichier dans content/"
OUTSIDE = "ce fichier est hors du site"
MISSING = "fichier introuvable"
PROTOCOL = "seuls les fichiers du site et les URL data: sont permis"
UNREADABLE = "fichier illisible"


class RefusedResource(ValueError):
    """A resource the sandbox does not serve; its message says why, in French."""


def inside(path: str, roots: Iterable[str]) -> bool:
    """Whether ``path`` (already resolved) lies inside one of ``roots``."""
    for root in roots:
        real_root = os.path.realpath(root)
        if path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep):
            return True
    return False


def allowed_file(url: str, roots: Iterable[str]) -> str:
    """The real path a ``file:`` URL may be read from; raises RefusedResource."""
    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise RefusedResource(OUTSIDE)
    path = os.path.realpath(urllib.request.url2pathname(urllib.parse.unquote(parts.path)))
    if not inside(path, roots):
        raise RefusedResource(OUTSIDE)
    if not os.path.isfile(path):
        raise RefusedResource(MISSING)
    return path


class SandboxFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to ``roots`` and ``data:`` URLs."""

    def __init__(self, roots: Iterable[str]):
        super().__init__(allow_redirects=False)
        self.roots = tuple(os.path.realpath(root) for root in roots)
        self.refusals: list[Refusal] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            return self.serve(url)
        except RefusedResource as error:
            if not any(refusal.url == url for refusal in self.refusals):
                self.refusals.append(Refusal(url, str(error)))
            raise

    def serve(self, url: str) -> URLFetcherResponse:
        """The resource at ``url``; raises RefusedResource for anything else."""
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        if scheme == "data":
            try:
                response = urllib.request.DataHandler().data_open(urllib.request.Request(url))
            except ValueError as error:
                raise RefusedResource(f"URL data: invalide ({error})") from None
            return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
        if scheme == "file":
            path = allowed_file(url, self.roots)
            try:
                with open(path, "rb") as handle:
                    body = handle.read()
            except OSError:
                raise RefusedResource(UNREADABLE) from None
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        if scheme in ("http", "https", "ftp"):
            raise RefusedResource(REMOTE)
        raise RefusedResource(PROTOCOL)
