"""The external tools the gates need, and what happens when one is missing."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT

NODE_MODULES = PROJECT_ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
CHROMEDRIVER = "chromedriver"


@dataclass(frozen=True)
class Tool:
    """One program or file a gate needs, and how a developer installs it."""

    name: str
    path: Path | None
    install: str


def _which(*names: str) -> Path | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _file(path: Path) -> Path | None:
    return path if path.is_file() else None


def chromium() -> Tool:
    return Tool("chromium", _which(*CHROMIUM_CANDIDATES), "apt-get install chromium")


def chromedriver() -> Tool:
    return Tool("chromedriver", _which(CHROMEDRIVER), "apt-get install chromium-driver")


def java() -> Tool:
    return Tool("java", _which("java"), "apt-get install default-jre-headless")


def vnu_jar() -> Tool:
    return Tool("vnu.jar", _file(VNU_JAR), "npm ci (package.json pins vnu-jar)")


def axe_core() -> Tool:
    return Tool("axe.min.js", _file(AXE_SCRIPT), "npm ci (package.json pins axe-core)")


def poppler(program: str) -> Tool:
    return Tool(program, _which(program), "apt-get install poppler-utils")


def on_ci() -> bool:
    """True where the gates are mandatory: CI sets CI=true."""
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


def require(*tools: Tool) -> None:
    """Fail on CI, skip loudly elsewhere, when any of ``tools`` is missing."""
    missing = [tool for tool in tools if tool.path is None]
    if not missing:
        return
    names = ", ".join(tool.name for tool in missing)
    how = "; ".join(f"{tool.name}: {tool.install}" for tool in missing)
    if on_ci():
        pytest.fail(f"QUALITY GATE CANNOT RUN ON CI: missing {names} ({how})", pytrace=False)
    pytest.skip(f"QUALITY GATE NOT RUN — missing {names} ({how}); CI=true makes this a failure")


def artifact_dir(*parts: str) -> Path:
    """A fresh-or-existing folder under test-artifacts/ (never published)."""
    folder = ARTIFACTS.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
