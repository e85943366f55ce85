"""The PDF edition's URL fetcher serves data: URLs and files of the build, nothing else."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from pathlib import Path

import pytest

from plugins.pdf_edition.document import prepare_content
from plugins.pdf_edition.fetcher import RefusedResource, SandboxFetcher
from plugins.pdf_edition.render import RenderJob, render_pdf

PIXEL_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQAB"
    "pfZFQAAAAABJRU5ErkJggg=="
)


@pytest.fixture
def sandbox(tmp_path) -> tuple[Path, SandboxFetcher]:
    root = tmp_path / "site"
    (root / "images").mkdir(parents=True)
    (root / "images" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return root, SandboxFetcher([str(root)])


def refusal_of(fetcher: SandboxFetcher, url: str) -> str:
    with pytest.raises(RefusedResource) as error:
        fetcher.fetch(url)
    assert fetcher.refusals[-1].url == url
    return str(error.value)


def test_fetcher_serves_files_inside_the_build_and_data_urls(sandbox):
    root, fetcher = sandbox
    response = fetcher.fetch((root / "images" / "logo.svg").as_uri())
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"
    assert fetcher.fetch(PIXEL_PNG).read().startswith(b"\x89PNG")
    assert fetcher.refusals == []


def test_fetcher_refuses_etc_passwd(sandbox):
    _, fetcher = sandbox
    assert refusal_of(fetcher, "file:///etc/passwd") == "ce fichier est hors du site"


def test_fetcher_refuses_dot_dot_escaping_the_build(sandbox):
    root, fetcher = sandbox
    url = urllib.parse.urljoin((root / "images").as_uri() + "/", "../../../../../../etc/passwd")
    assert refusal_of(fetcher, url) == "ce fichier est hors du site"
    raw = (root / "images").as_uri() + "/../../../../../../etc/passwd"
    assert refusal_of(fetcher, raw) == "ce fichier est hors du site"


def test_fetcher_refuses_a_symbolic_link_leaving_the_build(sandbox):
    root, fetcher = sandbox
    (root / "images" / "passwd.png").symlink_to("/etc/passwd")
    url = (root / "images" / "passwd.png").as_uri()
    assert refusal_of(fetcher, url) == "ce fichier est hors du site"


def test_fetcher_refuses_http_and_https_without_connecting(sandbox):
    _, fetcher = sandbox
    for url in ("http://example.com/x.png", "https://example.com/x.png"):
        assert "ressources distantes ne sont jamais téléchargées" in refusal_of(fetcher, url)


def test_fetcher_never_follows_a_redirect_nor_even_asks(sandbox):
    _, fetcher = sandbox
    requests = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            requests.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/image.png"
        assert "ressources distantes" in refusal_of(fetcher, url)
    finally:
        server.shutdown()
    assert requests == []


def test_fetcher_refuses_other_protocols_and_missing_files(sandbox):
    root, fetcher = sandbox
    assert "URL data: sont permis" in refusal_of(fetcher, "ftp2://example.com/x")
    assert refusal_of(fetcher, (root / "images" / "absent.png").as_uri()) == "fichier introuvable"


def test_attachments_are_stripped_from_the_print_html():
    prepared = prepare_content(
        '<p><link rel="attachment" href="file:///etc/passwd">'
        '<a rel="attachment nofollow" href="/secret.txt">x</a></p>',
        page_url="https://example.org/info-psoc/info-psoc-01/",
        link_base="https://example.org",
        site_prefixes=(),
        static_files={},
        content_root="/nonexistent",
    )
    assert "attachment" not in prepared.html
    assert 'href="https://example.org/secret.txt"' in prepared.html


def test_render_reports_every_refused_resource_instead_of_failing(sandbox, tmp_path):
    root, _ = sandbox
    html = (
        "<html lang='fr-CA'><head><title>t</title></head><body><p>Texte</p>"
        "<img src='file:///etc/passwd'><img src='http://example.com/x.png'>"
        f"<img src='{PIXEL_PNG}'><img src='images/logo.svg'>"
        "<link rel='attachment' href='images/logo.svg'></body></html>"
    )
    stylesheet = Path("theme/static/css/print.css").resolve()
    job = RenderJob(
        html_with_toc=html,
        html_without_toc=html,
        base_url=root.as_uri() + "/",
        stylesheet_url=stylesheet.as_uri(),
        roots=(str(root), str(stylesheet.parents[1])),
        target=str(tmp_path / "out.pdf"),
        identifier=b"0" * 16,
    )
    result = render_pdf(job)
    assert result.error == ""
    assert result.pages == 1
    assert [r.url for r in result.refusals] == ["file:///etc/passwd", "http://example.com/x.png"]
    # The attachment of a raw <link> is refused too: only files of the build exist here,
    # and none is embedded.
    assert b"/EmbeddedFiles" not in (tmp_path / "out.pdf").read_bytes()


def test_render_reports_an_unreadable_image_inside_the_build(sandbox, tmp_path):
    root, _ = sandbox
    (root / "images" / "broken.png").write_bytes(b"not a picture at all")
    html = "<html lang='fr-CA'><body><p>Texte</p><img src='images/broken.png'></body></html>"
    stylesheet = Path("theme/static/css/print.css").resolve()
    job = RenderJob(
        html_with_toc=html,
        html_without_toc=html,
        base_url=root.as_uri() + "/",
        stylesheet_url=stylesheet.as_uri(),
        roots=(str(root), str(stylesheet.parents[1])),
        target=str(tmp_path / "out.pdf"),
        identifier=b"0" * 16,
    )
    result = render_pdf(job)
    assert result.refusals == ()
    assert len(result.errors) == 1 and "broken.png" in result.errors[0]
