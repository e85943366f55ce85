"""One sample site built once per session; tests read what a visitor gets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT, build_site

CONF = PROJECT_ROOT / "pelicanconf.py"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample site (content/) built once into a temporary output/."""
    root = tmp_path_factory.mktemp("site")
    result = build_site(
        CONF,
        output=root / "output",
        overrides={"BUILD_CACHE_PATH": str(root / "cache")},
    )
    return result.output


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of content/ to break on purpose, without the action's messages
    (content/histoires/: the seed's third example is published with a warning, which
    would show in every check; tests/test_histoires.py writes its own)."""
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target, ignore=shutil.ignore_patterns("histoires"))
    return target


def build_copy(content: Path, output: Path, **overrides):
    """Build a modified copy of the content (see ``project_copy``)."""
    settings = {"PATH": str(content), "BUILD_CACHE_PATH": str(content.parent / "cache")}
    settings.update(overrides)
    return build_site(CONF, output=output, overrides=settings)


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built sample site served over HTTP on localhost for the session."""
    from tests.gates.browser import serve

    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for every browser test of the session (quality gates, search)."""
    from tests.gates import tools
    from tests.gates.browser import chromium_session

    chromium, chromedriver = tools.chromium(), tools.chromedriver()
    tools.require(chromium, chromedriver, tools.axe_core())
    profile = tmp_path_factory.mktemp("chromium-profile")
    with chromium_session(chromium.path, chromedriver.path, profile) as driver:
        yield driver


@pytest.fixture(scope="session")
def axe_source() -> str:
    from tests.gates import tools

    return tools.AXE_SCRIPT.read_text(encoding="utf-8")


def read_html(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
