"""How long a save takes to show in `invoke serve`'s preview, on generated content.

``python -m benchmarks.preview_latency --n 300`` generates N bulletins
(benchmarks.content), starts the preview server (``python -m
plugins.build.preview``) on a free port over them, waits for its first build
(PDFs included), then, ``--repeat`` times: appends a sentence to one French
bulletin the way editors save (a new file renamed over the old one) and
measures, from that rename,

- ``visible``: until the server has told open pages to reload (its Server-Sent
  Event) and serves the page with the new sentence: what a browser showing the
  page waits for, less its own reload and paint (tens of milliseconds);
- ``complete``: until the full rebuild that follows is served too (every page,
  feed, calendar and the bulletin's new PDF edition).

The figures are medians; the first save after start-up is left out (it imports
what the first quick pass needs).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks.content import generate_site  # noqa: E402

EVENTS = "/_apercu/evenements"
FIRST_BUILD_SECONDS = 1800  # N = 300 renders every PDF edition first
SAVE_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """The preview server over ``content``, and the events it sends to pages."""

    def __init__(self, root: Path, content: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (root / "preview.log").open("w+", encoding="utf-8")
        self.events: queue.Queue[tuple[float, str]] = queue.Queue()
        command = [sys.executable, "-m", "plugins.build.preview", "--port", str(self.port)]
        command += ["--content", str(content), "--output", str(root / "output")]
        command += ["--cache", str(root / "cache")]
        self.process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + FIRST_BUILD_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"l'aperçu s'est arrêté :\n{self.said()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("l'aperçu ne répond pas")
        threading.Thread(target=self.listen, daemon=True).start()
        time.sleep(1)  # the event stream is open before the first save

    def listen(self) -> None:
        """Each event's arrival time (a page's EventSource, without the browser)."""
        with urllib.request.urlopen(self.url + EVENTS) as stream:
            for line in stream:
                if line.startswith(b"data: "):
                    self.events.put((time.perf_counter(), line[6:].decode().strip()))

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.read().decode("utf-8")

    def said(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def site_path(bulletin: Path, content: Path) -> str:
    """The page of a generated French bulletin: /<series>/<series>-<stem>/index.html."""
    series = bulletin.parent.name
    return f"/{series}/{series}-{bulletin.stem}/index.html"


def save(bulletin: Path, sentence: str) -> float:
    """Append ``sentence`` as editors save (write, then rename); the rename's time."""
    text = bulletin.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n"
    temporary = bulletin.with_name(f".{bulletin.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, bulletin)
    return time.perf_counter()


def one_save(preview: Preview, bulletin: Path, path: str, index: int) -> dict[str, float]:
    sentence = f"Précision n° {index} ajoutée pendant l'aperçu."
    saved = save(bulletin, sentence)
    arrived, _event = preview.events.get(timeout=SAVE_SECONDS)
    if sentence not in preview.page(path):
        raise SystemExit(f"la page {path} ne montre pas la phrase après le premier signal")
    visible = time.perf_counter() - saved
    try:  # the full rebuild's event
        complete, _event = preview.events.get(timeout=SAVE_SECONDS)
    except queue.Empty:
        raise SystemExit(f"pas de reconstruction complète :\n{preview.said()[-2000:]}") from None
    return {"visible": visible, "event": arrived - saved, "complete": complete - saved}


def measure(n: int, repeat: int, seed: int = 2013) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bulletins-apercu-") as tmp:
        root = Path(tmp)
        site = generate_site(root / "content", n=n, seed=seed)
        french = [p for p in site.bulletins if not p.name.endswith(".en.md")]
        bulletin = french[len(french) // 2]
        path = site_path(bulletin, site.content)
        preview = Preview(root, site.content)
        try:
            started = time.perf_counter()
            preview.wait_until_serving()
            first_build = time.perf_counter() - started
            runs = []
            for index in range(repeat + 1):
                runs.append(one_save(preview, bulletin, path, index))
                time.sleep(0.5)
        finally:
            preview.stop()
    measured = runs[1:]  # the first save pays for imports
    return {
        "n": n,
        "files": len(site.bulletins),
        "first_build_seconds": first_build,
        "runs": measured,
        "visible_s": statistics.median(r["visible"] for r in measured),
        "complete_s": statistics.median(r["complete"] for r in measured),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    result = measure(args.n, args.repeat)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
