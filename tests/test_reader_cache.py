"""The Markdown cache (plugins.reader_cache) never changes what a visitor gets."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from pelican import signals
from pelican.settings import read_settings

from plugins.build import PROJECT_ROOT
from plugins.reader_cache import reader as cache
from plugins.reader_cache.reader import install_caching_reader
from tests.conftest import build_copy, read_html

CAMPAIGN = Path("bulletins") / "campagne" / "2013-04-18.md"
CAMPAIGN_PAGE = Path("campagne") / "campagne-2013-04-18" / "index.html"
MEETING = Path("reunions") / "gt-financement" / "2013-03-01-rencontre-1.md"
ISSUE = Path("bulletins") / "info-psoc" / "01.md"
ISSUE_PAGE = Path("info-psoc") / "info-psoc-01" / "index.html"


def plugins(with_cache: bool) -> list[str]:
    """The project's plugins, PDF editions left out (they read the same HTML)."""
    names = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))["PLUGINS"]
    return [
        name
        for name in names
        if name != "plugins.pdf_edition" and (with_cache or name != "plugins.reader_cache")
    ]


def build(content: Path, output: Path, cache_dir: Path, with_cache: bool = True) -> Path:
    if not with_cache:
        # A receiver stays connected once a build in this process registered the plugin.
        signals.readers_init.disconnect(install_caching_reader)
    try:
        return build_copy(
            content, output, PLUGINS=plugins(with_cache), BUILD_CACHE_PATH=str(cache_dir)
        ).output
    finally:
        if not with_cache:
            signals.readers_init.connect(install_caching_reader)


def differing_files(left: Path, right: Path) -> list[str]:
    """Relative paths whose bytes differ, or that exist on one side only."""
    found: list[str] = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in compare.left_only + compare.right_only)
        found.extend(prefix + name for name in compare.diff_files + compare.funny_files)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    filecmp.clear_cache()
    walk(filecmp.dircmp(left, right, ignore=[]), "")
    return found


@pytest.fixture
def empty_memory():
    """Each test starts with nothing converted in this process."""
    cache._memory.clear()
    yield
    cache._memory.clear()


def test_site_built_with_the_cache_is_identical_to_one_built_without(
    project_copy, tmp_path, empty_memory
):
    without = build(project_copy, tmp_path / "without", tmp_path / "c1", with_cache=False)
    cold = build(project_copy, tmp_path / "cold", tmp_path / "c2")
    cache._memory.clear()  # the next build reads the disk cache only
    warm = build(project_copy, tmp_path / "warm", tmp_path / "c2")

    assert list((tmp_path / "c2" / "markdown").rglob("*.json"))
    assert differing_files(without, cold) == []
    assert differing_files(without, warm) == []


def test_editing_a_bulletin_shows_the_new_text_on_the_next_build(
    project_copy, tmp_path, empty_memory
):
    build(project_copy, tmp_path / "first", tmp_path / "cache")
    source = project_copy / ISSUE
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Voici la toute première édition", "Voici la toute nouvelle édition"
        ),
        encoding="utf-8",
    )

    second = build(project_copy, tmp_path / "second", tmp_path / "cache")

    text = read_html(second / ISSUE_PAGE).get_text()
    assert "Voici la toute nouvelle édition" in text
    assert "Voici la toute première édition" not in text


def test_editing_a_meeting_updates_the_schedule_embedded_in_a_bulletin(
    project_copy, tmp_path, empty_memory
):
    assert "[[calendrier gt-financement]]" in (project_copy / CAMPAIGN).read_text("utf-8")
    build(project_copy, tmp_path / "first", tmp_path / "cache")
    meeting = project_copy / MEETING
    meeting.write_text(
        meeting.read_text(encoding="utf-8").rstrip() + " Ordre du jour révisé en plénière.\n",
        encoding="utf-8",
    )

    second = build(project_copy, tmp_path / "second", tmp_path / "cache")

    schedule = read_html(second / CAMPAIGN_PAGE).find("table")
    assert schedule is not None
    assert "Ordre du jour révisé en plénière." in schedule.get_text()
