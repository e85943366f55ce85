"""The Markdown cache (plugins.reader_cache) never changes what a visitor gets."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican import signals
from pelican.settings import read_settings

from plugins.build import PROJECT_ROOT
from plugins.reader_cache import reader as cache
from plugins.reader_cache.ahead import MIN_FILES
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


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """A generated archive big enough for the conversion pool (24 bulletins and twins)."""
    from benchmarks.content import generate_site

    return generate_site(tmp_path_factory.mktemp("archive") / "content", n=24).content


def build_in_a_fresh_process(content: Path, output: Path, markdown_jobs: int):
    """A build in its own process: the pool forks only from a process with one thread
    (a session fixture of the browser gates serves pages from a thread)."""
    command = [sys.executable, "-m", "benchmarks.build_once", str(content), str(output)]
    command += [str(output.parent / f"cache-{output.name}"), "--no-pdf"]
    command += ["--markdown-jobs", str(markdown_jobs)]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)


def test_converting_in_parallel_gives_the_same_site_byte_for_byte(archive, tmp_path):
    pooled = build_in_a_fresh_process(archive, tmp_path / "pooled", 2)
    single = build_in_a_fresh_process(archive, tmp_path / "single", 1)
    assert pooled.returncode == single.returncode == 0, pooled.stderr + single.stderr
    assert differing_files(tmp_path / "pooled", tmp_path / "single") == []


def test_the_pool_converts_every_uncached_bulletin_once(archive, tmp_path):
    script = f"""
import sys
from pathlib import Path
from plugins.build import PROJECT_ROOT, language_settings
from plugins.reader_cache import reader
from plugins.reader_cache.ahead import convert_ahead
settings = language_settings(
    PROJECT_ROOT / "pelicanconf.py", "fr", Path({str(tmp_path / "output")!r}),
    {{"PATH": {str(archive)!r}, "BUILD_CACHE_PATH": {str(tmp_path / "cache")!r},
     "MARKDOWN_JOBS": 2}},
)
bulletins = sorted(str(p) for p in Path({str(archive)!r}, "bulletins").rglob("*.md"))
first = convert_ahead(settings, bulletins)
in_memory = sum(reader.load("/nonexistent", key) is not None
                for key in map(reader.CachingMarkdownReader(settings).key_of, bulletins))
reader._memory.clear()
print(len(bulletins), first, in_memory, convert_ahead(settings, bulletins))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    count, first, in_memory, second = map(int, result.stdout.split())
    assert count > MIN_FILES
    # Every bulletin converted by the pool, handed to this process, then found on disk.
    assert (first, in_memory, second) == (count, count, 0)


def test_a_file_the_pool_cannot_convert_cleanly_is_reported_once_by_the_build(archive, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    broken = sorted((content / "bulletins" / "info-psoc").glob("*.md"))[3]
    text = broken.read_text(encoding="utf-8")
    # A second Date: Pelican warns while reading it; the pool leaves the file to Pelican.
    broken.write_text(text.replace("Date:", "Date: 2001-01-01\nDate:", 1), encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("Date:")) + 1
    result = build_in_a_fresh_process(content, tmp_path / "output", 2)
    assert result.returncode == 1
    relative = f"content/bulletins/info-psoc/{broken.name}"
    said = [x for x in result.stderr.splitlines() if x.startswith(relative)]
    assert said == [
        f"{relative}:{line}: métadonnée « Date » écrite deux fois (lignes {line - 1} et {line}) : "
        "gardez-en une seule"
    ]
    assert not (tmp_path / "output").exists()
