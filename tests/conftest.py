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
    """A throwaway copy of content/ to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target)
    return target


def build_copy(content: Path, output: Path, **overrides):
    """Build a modified copy of the content (see ``project_copy``)."""
    settings = {"PATH": str(content), "BUILD_CACHE_PATH": str(content.parent / "cache")}
    settings.update(overrides)
    return build_site(CONF, output=output, overrides=settings)


def read_html(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
