"""Markdown converted once (plugins.content): what a visitor gets never depends on it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from plugins.build import PROJECT_ROOT
from plugins.content import conversion
from plugins.content.conversion import MIN_POOL_JOBS
from plugins.content.loading import load_content
from plugins.i18n.typography import typeset_html
from tests.conftest import build_copy, read_html
from tests.site_bytes import differing_files

CONF = PROJECT_ROOT / "pelicanconf.py"
CAMPAIGN = Path("bulletins") / "campagne" / "2013-04-18.md"
CAMPAIGN_PAGE = Path("campagne") / "campagne-2013-04-18" / "index.html"
MEETING = Path("reunions") / "gt-financement" / "2013-03-01-rencontre-1.md"
ISSUE = Path("bulletins") / "info-psoc" / "01.md"
ISSUE_PAGE = Path("info-psoc") / "info-psoc-01" / "index.html"


def build(content: Path, output: Path, cache_dir: Path) -> Path:
    plugins = read_settings(str(CONF))["PLUGINS"]
    without_pdf = [name for name in plugins if name != "plugins.pdf_edition"]
    return build_copy(content, output, PLUGINS=without_pdf, BUILD_CACHE_PATH=str(cache_dir)).output


@pytest.fixture
def empty_memory():
    """Each test starts with nothing converted in this process."""
    conversion.forget_all()
    yield
    conversion.forget_all()


def settings_for(content: Path, cache: Path) -> dict:
    settings = read_settings(str(CONF), {"PATH": str(content), "BUILD_CACHE_PATH": str(cache)})
    settings["PROJECT_ROOT"] = str(PROJECT_ROOT)
    return settings


def test_the_loader_converts_every_file_as_pelicans_own_markdown_reader_does_then_typesets(
    project_copy, tmp_path, empty_memory
):
    settings = settings_for(project_copy, tmp_path / "cache")
    model = load_content(settings)
    assert model.problems == ()
    for file in model.bulletins + model.pages + model.meetings + model.budget:
        if "[[" in file.text:
            continue  # the marker's extension is ours: compared below, through the page
        pelican = MarkdownReader({**settings, "MARKDOWN": dict(settings["MARKDOWN"])})
        html, metadata = pelican.read(file.source_path)
        # Then French typography, on the HTML only (plugins.i18n.typography).
        assert file.html == typeset_html(html, file.raw("lang")), file.path
        # FORMATTED_FIELDS is empty: the summary is the header's text, as Pelican reads it.
        assert file.formatted.get("summary", file.raw("summary")) == metadata.get("summary")


def test_a_cold_and_a_warm_cache_give_the_same_site_byte_for_byte(
    project_copy, tmp_path, empty_memory
):
    cold = build(project_copy, tmp_path / "cold", tmp_path / "cache")
    conversion.forget_all()  # the next build reads the disk cache only
    warm = build(project_copy, tmp_path / "warm", tmp_path / "cache")
    assert sum(p.stat().st_size for p in (tmp_path / "cache" / "markdown").glob("*.pickle"))
    assert differing_files(cold, warm) == []


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


def test_a_title_continued_on_an_indented_line_is_one_title(project_copy, tmp_path):
    """Markdown's header continues a value on a line indented by four spaces: the
    pages and the model read the title as if written on one line, never as a list."""
    on_one_line = build(project_copy, tmp_path / "one", tmp_path / "cache")
    source = project_copy / ISSUE
    text = source.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("Title: ") and " et bilan de la campagne" in first
    continued = first.replace(" et bilan de la campagne", "\n    et bilan de la campagne")
    source.write_text(text.replace(first, continued, 1), encoding="utf-8")

    site = build(project_copy, tmp_path / "continued", tmp_path / "cache")

    for page in (ISSUE_PAGE, Path("index.html"), Path("info-psoc") / "index.html"):
        expected, got = read_html(on_one_line / page), read_html(site / page)
        assert str(got.title) == str(expected.title), page
        assert str(got.main) == str(expected.main), page
    model = load_content(read_settings(str(CONF), {"PATH": str(project_copy)}))
    assert model.file(str(source)).raw("title") == first.removeprefix("Title: ")


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
    """A generated archive big enough for the conversion pool (40 bulletins and twins)."""
    from benchmarks.content import generate_site

    return generate_site(tmp_path_factory.mktemp("archive") / "content", n=40).content


def build_in_a_fresh_process(content: Path, output: Path, markdown_jobs: int):
    command = [sys.executable, "-m", "benchmarks.build_once", str(content), str(output)]
    command += [str(output.parent / f"cache-{output.name}"), "--no-pdf"]
    command += ["--markdown-jobs", str(markdown_jobs)]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)


def test_converting_in_parallel_gives_the_same_site_byte_for_byte(archive, tmp_path):
    pooled = build_in_a_fresh_process(archive, tmp_path / "pooled", 2)
    single = build_in_a_fresh_process(archive, tmp_path / "single", 1)
    assert pooled.returncode == single.returncode == 0, pooled.stderr + single.stderr
    assert differing_files(tmp_path / "pooled", tmp_path / "single") == []


def test_the_pool_converts_each_uncached_file_once_then_the_cache_answers(
    archive, tmp_path, empty_memory
):
    settings = settings_for(archive, tmp_path / "cache")
    settings["MARKDOWN_JOBS"] = 2
    converted: list[int] = []
    original = conversion.run_jobs

    def counting(work, jobs, workers, **options):
        converted.append(len(jobs))
        return original(work, jobs, workers, **options)

    conversion.run_jobs = counting
    try:
        first = load_content(settings)
        conversion.forget_all()
        second = load_content(settings)
    finally:
        conversion.run_jobs = original
    bulletins = len(first.bulletins)
    assert bulletins > MIN_POOL_JOBS
    assert sum(converted[: len(converted) // 2]) == len(first.files())
    assert sum(converted[len(converted) // 2 :]) == 0
    assert [f.html for f in first.files()] == [f.html for f in second.files()]


def test_a_duplicated_header_line_in_a_large_archive_is_reported_once(archive, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    broken = sorted((content / "bulletins" / "info-psoc").glob("*.md"))[3]
    text = broken.read_text(encoding="utf-8")
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
