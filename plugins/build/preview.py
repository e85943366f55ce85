"""``invoke serve``: a live preview on localhost that rebuilds on every save."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from plugins.build import PROJECT_ROOT, build_site, report_failure
from plugins.model import ContentError

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


def rebuild(conf: Path, overrides: dict[str, str] | None = None) -> Path | None:
    """Build once; on a content mistake print the problems and keep the old site."""
    try:
        result = build_site(conf, overrides=overrides)
    except ContentError as error:
        report_failure(error)
        print("Le site affiché reste la dernière version sans erreur.")
        return None
    print(f"Site reconstruit en {result.seconds:.1f} s.")
    return result.output


def serve_and_watch(conf: Path, port: int = 8000) -> None:
    """Serve output/ on http://localhost:PORT; rebuild when a watched file changes."""
    from watchfiles import watch

    # Feeds, calendars and PDF links need an absolute base: this server's.
    local = {"FEED_SITEURL": f"http://localhost:{port}"}
    output = rebuild(conf, local) or PROJECT_ROOT / "output"
    output.mkdir(exist_ok=True)
    # The handler serves the path, not an open directory: swapped builds show up.
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Aperçu : http://localhost:{port}/ (Ctrl+C pour arrêter)")
    try:
        for _changes in watch(*(PROJECT_ROOT / name for name in WATCHED)):
            rebuild(conf, local)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
