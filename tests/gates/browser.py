"""Debian's headless Chromium driven by Selenium, on a site served from localhost."""

from __future__ import annotations

import base64
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


class _QuietHandler(SimpleHTTPRequestHandler):
    extra_headers: tuple[tuple[str, str], ...] = ()

    def log_message(self, format, *args):  # noqa: A002 — the base class's signature
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve(directory: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1; yields the base URL (no trailing /).

    ``headers`` are added to every response (a host's Content-Security-Policy header).
    """
    handler_class = type(
        "Handler", (_QuietHandler,), {"extra_headers": tuple((headers or {}).items())}
    )
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium_session(chromium: Path, chromedriver: Path, profile: Path):
    """One headless Chromium with a fresh profile, quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    # What the pages write to the console, for driver.get_log("browser") (console_errors).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(chromedriver)))
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def set_viewport(driver, width: int, height: int = 900) -> None:
    """Make the layout viewport exactly ``width`` CSS pixels wide (no scrollbar)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def open_page(driver, url: str, width: int) -> None:
    set_viewport(driver, width)
    driver.get(url)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];document.fonts.ready.then(() => done(true));"
    )


def horizontal_overflow(driver) -> tuple[int, int]:
    """(scrollWidth of the document, innerWidth of the window)."""
    return tuple(
        driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
    )


def save_full_page(driver, width: int, target: Path) -> None:
    """A PNG of the whole page (not just the viewport) at ``width`` CSS pixels."""
    height = driver.execute_script("return document.documentElement.scrollHeight;")
    set_viewport(driver, width, height)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    target.write_bytes(base64.b64decode(shot["data"]))
    set_viewport(driver, width)


@dataclass(frozen=True)
class Violation:
    """One axe-core rule a page breaks, with the elements that break it."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} — " + ", ".join(self.targets)


AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => ({
    rule: v.id, impact: v.impact || '', help: v.help,
    targets: v.nodes.map(node => node.target.join(' '))}))))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(driver, axe_source: str) -> list[Violation]:
    """Every axe-core violation on the page loaded in ``driver``."""
    driver.execute_script(axe_source)
    found = driver.execute_async_script(AXE_RUN)
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core failed: {found['error']}")
    return [
        Violation(item["rule"], item["impact"], item["help"], tuple(item["targets"]))
        for item in found
    ]


@dataclass(frozen=True)
class Focus:
    """What has keyboard focus after a key press, as a visitor would see it."""

    tag: str
    text: str
    classes: str
    in_language_switcher: bool
    focus_visible: bool
    indicator: str  # the computed outline or box-shadow drawn around it, "" when none

    def __str__(self) -> str:
        label = " ".join(self.text.split())[:40]
        return f"<{self.tag} class='{self.classes}'> « {label} »"


FOCUS_STATE = """
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const style = getComputedStyle(el);
const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
  ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : '';
const shadow = style.boxShadow !== 'none' ? style.boxShadow : '';
return {
  tag: el.tagName.toLowerCase(), text: el.innerText || el.getAttribute('aria-label') || '',
  classes: el.className || '', in_language_switcher: !!el.closest('.language-switcher'),
  focus_visible: el.matches(':focus-visible'), indicator: outline || shadow,
};
"""


def focused(driver) -> Focus | None:
    state = driver.execute_script(FOCUS_STATE)
    return Focus(**state) if state else None


def console_errors(driver) -> list[str]:
    """The errors the browser logged since the last call (scripts, policy violations,
    failed loads), except the site's missing favicon.ico, which browsers ask for."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]
    ]


def press(driver, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def tab_through(driver, limit: int = 150) -> list[Focus]:
    """Press Tab from the top of the page until focus leaves the page or ``limit``."""
    from selenium.webdriver.common.keys import Keys

    stops: list[Focus] = []
    for _ in range(limit):
        press(driver, Keys.TAB)
        stop = focused(driver)
        if stop is None:
            break
        stops.append(stop)
    return stops
