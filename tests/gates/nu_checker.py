"""The Nu Html Checker (vnu.jar) run once over a whole built site."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class HtmlError:
    """One error the checker reports, located in a page of the site."""

    page: str
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}" if self.line else self.page
        snippet = " ".join(self.extract.split())
        return f"{where}: {self.message}" + (f" [{snippet}]" if snippet else "")


def html_errors(java: Path, vnu_jar: Path, site: Path, *more: Path) -> list[HtmlError]:
    """Every error (not warning) vnu finds in the HTML files under ``site`` and ``more``.

    One JVM for everything: the checker walks the directories itself. Pages are
    named relative to ``site`` (others keep their absolute path).
    """
    paths = [str(path) for path in (site, *more)]
    result = subprocess.run(
        [str(java), "-jar", str(vnu_jar), "--format", "json", "--skip-non-html", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"vnu.jar gave no JSON report: {result.stderr[-2000:]}") from error
    return [
        _error(message, site)
        for message in report.get("messages", [])
        if message.get("type") in {"error", "non-document-error"}
    ]


def _error(message: dict, site: Path) -> HtmlError:
    path = Path(unquote(urlsplit(message.get("url", "")).path))
    try:
        page = str(path.resolve().relative_to(site.resolve()))
    except ValueError:
        page = str(path)
    return HtmlError(page, message.get("lastLine"), message["message"], message.get("extract", ""))
