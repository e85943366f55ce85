"""Each sub-site reads its own language: the English run never reads a French file."""

from __future__ import annotations

from pathlib import Path

from plugins.content import ModelReader
from tests.conftest import build_copy, read_html
from tests.linkcheck import site_path


def test_every_content_file_is_read_from_disk_once_per_build(project_copy, tmp_path, monkeypatch):
    read: list[str] = []
    original = Path.read_bytes

    def spying(self):
        if self.suffix == ".md":
            read.append(self.relative_to(project_copy).as_posix())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spying)
    build_copy(project_copy, tmp_path / "output", RENDER_JOBS=1)
    every = sorted(p.relative_to(project_copy).as_posix() for p in project_copy.rglob("*.md"))
    notes = ["reunions/README.md"]  # for staff, never published
    assert sorted(read) == [path for path in every if path not in notes]


def test_each_language_run_reads_only_its_own_files(project_copy, tmp_path, monkeypatch):
    read: list[tuple[str, str]] = []
    original = ModelReader.read

    def spying(self, source_path):
        read.append((self.settings["DEFAULT_LANG"], source_path))
        return original(self, source_path)

    monkeypatch.setattr(ModelReader, "read", spying)
    # One process, so the spy sees every language's run.
    output = build_copy(project_copy, tmp_path / "output", RENDER_JOBS=1).output
    french = sorted(path.split("content/", 1)[1] for lang, path in read if lang == "fr")
    assert "bulletins/info-psoc/01.md" in french
    assert not [path for path in french if path.endswith(".en.md") or "/about" in path]

    english = sorted(
        path.split("content/", 1)[1]
        for lang, path in read
        if lang == "en" and "/reunions/" not in path and "/budget/" not in path
    )
    assert english == [
        "bulletins/info-psoc/01.en.md",
        "pages/about.md",
        "pages/members.md",
        "pages/subscribe.md",
    ]
    # The English bulletin still links its French twin, and the French one back.
    english_page = output / "en/info-psoc/info-psoc-01/index.html"
    french_twin = read_html(english_page).select_one('link[rel="alternate"][hreflang="fr-CA"]')
    assert site_path(output, english_page, french_twin["href"]) == "/info-psoc/info-psoc-01/"
    french_page = output / "info-psoc/info-psoc-01/index.html"
    english_twin = read_html(french_page).select_one('link[rel="alternate"][hreflang="en-CA"]')
    assert site_path(output, french_page, english_twin["href"]) == "/en/info-psoc/info-psoc-01/"


def test_languages_rendered_in_parallel_give_the_same_site_as_one_after_the_other(
    project_copy, tmp_path
):
    from tests.site_bytes import differing_files

    together = build_copy(project_copy, tmp_path / "together", RENDER_JOBS=2).output
    alone = build_copy(
        project_copy, tmp_path / "alone", RENDER_JOBS=1, BUILD_CACHE_PATH=str(tmp_path / "c1")
    ).output
    assert (together / "en" / "index.html").is_file()
    assert differing_files(together, alone) == []
