"""A first check of a large archive runs its checks in a pool: what staff read never
depends on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pelican.settings import read_settings

import plugins.validation as validation
from plugins.build import PROJECT_ROOT
from plugins.content import conversion
from plugins.validation import MIN_POOL_FILES, check_content

CONF = PROJECT_ROOT / "pelicanconf.py"


@pytest.fixture(scope="module")
def broken_archive(tmp_path_factory) -> Path:
    """A generated archive above the pool's threshold, with a mistake in three bulletins:
    a link to a missing file, a missing image, and a required section left empty."""
    from benchmarks.content import generate_site

    content = generate_site(tmp_path_factory.mktemp("archive") / "content", n=40).content
    issues = sorted((content / "bulletins" / "info-psoc").glob("*.md"))
    issues = [path for path in issues if not path.name.endswith(".en.md")]
    for path, line in (
        (issues[2], "Voir [le rapport]({filename}/pages/rapport-absent.md)."),
        (issues[5], "![Carte des régions](images/carte-absente.png)"),
    ):
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(f"{text}\n\n{line}\n", encoding="utf-8")
    text = issues[7].read_text(encoding="utf-8")
    first, _, rest = text.partition("\n## ")
    _, _, after = rest.partition("\n## ")
    issues[7].write_text(f"{first}\n## {after}", encoding="utf-8")
    return content


def problems_with(content: Path, cache: Path, jobs: int, ran: list[int]) -> list[str]:
    settings = read_settings(str(CONF), {"PATH": str(content), "BUILD_CACHE_PATH": str(cache)})
    settings["PROJECT_ROOT"] = str(PROJECT_ROOT)
    settings["MARKDOWN_JOBS"] = jobs
    original = validation.run_jobs

    def counting(work, jobs, workers, **options):
        ran.append(len(jobs) if workers > 1 and len(jobs) >= options["min_jobs"] else 0)
        return original(work, jobs, workers, **options)

    validation.run_jobs = counting
    conversion.forget_all()
    try:
        _, found = check_content(settings)
    finally:
        validation.run_jobs = original
        conversion.forget_all()
    return [f"{problem.path}:{problem.line}: {problem.message}" for problem in found]


def test_checks_run_in_a_pool_say_what_they_say_in_one_process(broken_archive, tmp_path):
    pooled: list[int] = []
    alone: list[int] = []
    in_pool = problems_with(broken_archive, tmp_path / "pooled", 2, pooled)
    in_one = problems_with(broken_archive, tmp_path / "alone", 1, alone)
    assert pooled[0] > MIN_POOL_FILES  # the archive's files went to the pool
    assert alone == [0]
    assert in_pool == in_one
    said = "\n".join(in_pool)
    assert "lien interne introuvable « pages/rapport-absent.md »" in said
    assert "images/carte-absente.png" in said
    assert "section obligatoire manquante" in said


def test_a_second_check_takes_every_result_from_the_memo(broken_archive, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(broken_archive, content)
    first: list[int] = []
    second: list[int] = []
    before = problems_with(content, tmp_path / "cache", 2, first)
    after = problems_with(content, tmp_path / "cache", 2, second)
    assert first[0] > MIN_POOL_FILES
    assert second == []  # nothing left to check: no pool, no job
    assert after == before
