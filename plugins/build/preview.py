"""``invoke serve``: a live preview on localhost that rebuilds on every save.

The server serves the last good site (``output/``) and adds two things to the
HTML it sends, never to the files: a script (``preview.js``) that listens to
this server's events (Server-Sent Events on ``/_apercu/evenements``, served by
the standard library's HTTP server: no extra package) and reloads the page
after each rebuild, keeping its scroll position, or only the stylesheets when
only CSS changed; and, while the last rebuild failed, a panel at the top of
every page listing its problems as the terminal does (``fichier:ligne:
message``), present in the HTML itself, so it shows before any script runs.
"""

from __future__ import annotations

import argparse
import functools
import html
import io
import queue
import sys
import threading
import time
from collections.abc import Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from plugins.build import PROJECT_ROOT, build_site, render_pages, report_failure, stop_on_ctrl_c
from plugins.build.staging import BuildBusy
from plugins.i18n.formatting import format_seconds
from plugins.model import ContentError

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")
PREFIX = "/_apercu/"
EVENTS = PREFIX + "evenements"
SCRIPT = PREFIX + "apercu.js"
SCRIPT_FILE = Path(__file__).with_name("preview.js")
KEEPALIVE_SECONDS = 15
QUIET_MS = 200


class PreviewState:
    """The last rebuild's problems, the pages a quick pass rendered since, and who
    listens for the next change (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.problems: list[str] = []
        self.listeners: list[queue.Queue[str]] = []
        self.quick_pages: dict[str, bytes] = {}  # site path -> HTML, until the full build

    def listen(self) -> queue.Queue[str]:
        events: queue.Queue[str] = queue.Queue()
        with self.lock:
            self.listeners.append(events)
        return events

    def forget(self, events: queue.Queue[str]) -> None:
        with self.lock:
            if events in self.listeners:
                self.listeners.remove(events)

    def rebuilt(self, problems: list[str], event: str) -> None:
        """After a rebuild: its problems (none: it succeeded), then tell every page.
        The site on disk is the newest again: the quick pass's pages are dropped."""
        with self.lock:
            self.problems = list(problems)
            self.quick_pages = {}
            listeners = list(self.listeners)
        self.tell(listeners, event)

    def rendered(self, pages: dict[str, bytes]) -> None:
        """After a quick pass: serve its ``pages`` over the site's, then tell every page."""
        with self.lock:
            self.problems = []
            self.quick_pages.update(pages)
            listeners = list(self.listeners)
        self.tell(listeners, "reload")

    def quick_page(self, site_path: str) -> bytes | None:
        with self.lock:
            return self.quick_pages.get(site_path)

    @staticmethod
    def tell(listeners: list[queue.Queue[str]], event: str) -> None:
        for events in listeners:
            events.put(event)

    def panel(self) -> str:
        """The problems panel for the top of a page, or "" when the last rebuild passed."""
        with self.lock:
            problems = list(self.problems)
        if not problems:
            return ""
        items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
        return (
            '<div id="apercu-problemes" role="alert" style="position:relative;z-index:1000;'
            "margin:0;padding:12px 16px;background:#fff4e5;color:#1d2327;border-bottom:4px "
            'solid #8c1d40;font:15px/1.45 sans-serif;overflow-wrap:anywhere">'
            '<p style="margin:0 0 6px;font-weight:700">La dernière modification n\'est pas '
            "publiée : la construction a trouvé ces problèmes. La page montre la dernière "
            "version sans erreur.</p>"
            f'<ul style="margin:0;padding-left:20px">{items}</ul></div>'
        )


def injected(page: bytes, state: PreviewState) -> bytes:
    """``page`` with the reload script in its head and, after a failed rebuild, the
    problems panel at the start of its body."""
    text = page.decode("utf-8", errors="replace")
    script = f'<script src="{SCRIPT}" defer></script>'
    head_end = text.find("</head>")
    text = text[:head_end] + script + text[head_end:] if head_end >= 0 else script + text
    panel = state.panel()
    if panel:
        body = text.find("<body")
        start = text.find(">", body) + 1 if body >= 0 else 0
        text = text[:start] + panel + text[start:]
    return text.encode("utf-8")


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the site's files; adds the preview's script and panel to HTML pages."""

    state: PreviewState

    def __init__(self, *args: Any, state: PreviewState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass  # one line per request would drown the rebuild messages

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self.stream_events()
        elif path == SCRIPT:
            self.send_bytes(SCRIPT_FILE.read_bytes(), "text/javascript; charset=utf-8")
        elif (page := self.html_page()) is not None:
            self.send_bytes(injected(page, self.state), "text/html")
        else:
            super().do_GET()

    def html_page(self) -> bytes | None:
        """The HTML page this request asks for (a quick pass's newer one first), or
        None (not HTML, or not there)."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # the stdlib redirects to the folder's URL with a slash
            target = target / "index.html"
        if target.suffix != ".html":
            return None
        site_path = target.relative_to(self.directory).as_posix()
        newer = self.state.quick_page(site_path)
        if newer is not None:
            return newer
        return target.read_bytes() if target.is_file() else None

    def send_bytes(self, data: bytes, content_type: str) -> None:
        if content_type == "text/html":
            content_type = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def stream_events(self) -> None:
        """Server-Sent Events: ``reload`` or ``css`` after each rebuild, until the page goes."""
        events = self.state.listen()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    event = events.get(timeout=KEEPALIVE_SECONDS)
                    self.wfile.write(f"data: {event}\n\n".encode())
                except queue.Empty:
                    self.wfile.write(b": attente\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded
        finally:
            self.state.forget(events)


def problem_lines(error: ContentError) -> list[str]:
    """The lines the terminal shows for a failed build, without the summary."""
    stream = io.StringIO()
    report_failure(error, stream)
    lines = stream.getvalue().splitlines()
    return [line for line in lines if line and line != str(error)]


def kept_last_site(error: ContentError) -> list[str]:
    """Say in the terminal what stops the build and that the last good site stays
    served; the problems, for the pages' panel."""
    report_failure(error)
    print("Le site affiché reste la dernière version sans erreur.", flush=True)
    return problem_lines(error)


def rebuild(
    conf: Path, overrides: dict[str, Any], output: Path | None = None
) -> tuple[Path | None, list[str]]:
    """Build once; on a content mistake print the problems and keep the old site.
    The output folder (None after a failure) and the problems."""
    try:
        result = build_site(conf, output=output, overrides=overrides)
    except ContentError as error:
        return None, kept_last_site(error)
    except BuildBusy as busy:
        print(busy, flush=True)
        return None, []
    if not result.unchanged:
        print(f"Site reconstruit en {format_seconds(result.seconds)}.", flush=True)
    return result.output, []


def quick_pass(
    conf: Path, overrides: dict[str, Any], edited: list[Path], served: Path, state: PreviewState
) -> bool:
    """Show the edited pages at once (``render_pages``), before the full build.

    False when the content has a problem: it is shown as a failed rebuild's,
    and the full build, which would find it again, is not worth running.
    """
    started = time.perf_counter()
    try:
        pages = render_pages(conf, edited, served, overrides)
    except ContentError as error:
        state.rebuilt(kept_last_site(error), "reload")
        return False
    if pages:
        state.rendered(pages)
        seconds = time.perf_counter() - started
        print(f"Page mise à jour en {format_seconds(seconds)} ; le reste du site suit.", flush=True)
    return True


def edited_sources(changes: Iterable[tuple[Any, str]], content: Path) -> list[Path]:
    """The Markdown files of ``content`` that a change wrote (none deleted): the
    candidates for a quick pass. Empty when anything else changed (a template, a
    setting, a deletion): only a full build shows that."""
    from watchfiles import Change

    edited = []
    for change, name in changes:
        path = Path(name)
        if path.suffix != ".md" and not path.exists():
            continue  # an editor's temporary file, renamed or removed since
        if change == Change.deleted or path.suffix != ".md" or not path.is_relative_to(content):
            return []
        edited.append(path)
    return edited


def change_event(changes: Iterable[tuple[Any, str]]) -> str:
    """``css`` when only stylesheets changed (the page keeps its state), else ``reload``."""
    paths = [path for _change, path in changes]
    return "css" if paths and all(path.endswith(".css") for path in paths) else "reload"


def serve_and_watch(
    conf: Path,
    port: int = 8000,
    content: Path | None = None,
    output: Path | None = None,
    cache: Path | None = None,
) -> int:
    """Serve the site on http://localhost:PORT; rebuild when a watched file changes.
    Returns the exit status (0 after Ctrl+C)."""
    from watchfiles import watch

    # Feeds, calendars and PDF links need an absolute base: this server's.
    # The search index is the last full build's: re-indexing takes seconds per save.
    overrides: dict[str, Any] = {
        "FEED_SITEURL": f"http://localhost:{port}",
        "SEARCH_INDEX": False,
    }
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if cache is not None:
        overrides["BUILD_CACHE_PATH"] = str(cache.resolve())
    state = PreviewState()
    try:
        built, problems = rebuild(conf, overrides, output)
    except KeyboardInterrupt:
        print("Aperçu arrêté.", flush=True)
        return 0
    state.rebuilt(problems, "reload")
    served = built or (output or PROJECT_ROOT / "output").resolve()
    served.mkdir(parents=True, exist_ok=True)
    # The handler serves the path, not an open directory: swapped builds show up.
    handler = functools.partial(PreviewHandler, directory=str(served), state=state)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        print(f"port {port} indisponible ({error.strerror}) : essayez --port 8001", flush=True)
        return 1
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Aperçu : http://localhost:{port}/ (Ctrl+C pour arrêter)", flush=True)
    watched = [PROJECT_ROOT / name for name in WATCHED if name != "content"]
    watched.append(content.resolve() if content is not None else PROJECT_ROOT / "content")
    try:
        # A burst of saves (an editor's write-rename, several files saved together)
        # is one change: it is over once nothing changed for QUIET_MS.
        for changes in watch(*watched, step=QUIET_MS, raise_interrupt=True):
            edited = edited_sources(changes, watched[-1])
            if edited and not quick_pass(conf, overrides, edited, served, state):
                continue
            _built, problems = rebuild(conf, overrides, output)
            state.rebuilt(problems, "reload" if problems else change_event(changes))
    except KeyboardInterrupt:
        print("Aperçu arrêté.", flush=True)
    finally:
        server.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plugins.build.preview")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--content", type=Path, help="content directory (default content/)")
    parser.add_argument("--output", type=Path, help="output directory (default output/)")
    parser.add_argument("--cache", type=Path, help="build cache (default .cache/)")
    args = parser.parse_args(argv)
    stop_on_ctrl_c()
    conf = PROJECT_ROOT / "pelicanconf.py"
    return serve_and_watch(conf, args.port, args.content, args.output, args.cache)


if __name__ == "__main__":
    sys.exit(main())
