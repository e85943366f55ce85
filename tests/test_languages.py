"""Each sub-site reads its own language: the English run never reads a French file."""

from __future__ import annotations

from plugins.reader_cache.reader import CachingMarkdownReader
from tests.conftest import build_copy, read_html


def test_after_the_first_run_each_language_reads_only_its_own_files(
    project_copy, tmp_path, monkeypatch
):
    read: list[tuple[str, str]] = []
    original = CachingMarkdownReader.read

    def spying(self, source_path):
        read.append((self.settings["DEFAULT_LANG"], source_path))
        return original(self, source_path)

    monkeypatch.setattr(CachingMarkdownReader, "read", spying)
    output = build_copy(project_copy, tmp_path / "output").output

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
    english_page = read_html(output / "en/info-psoc/info-psoc-01/index.html")
    french_twin = english_page.select_one('link[rel="alternate"][hreflang="fr-CA"]')["href"]
    assert french_twin.endswith("/info-psoc/info-psoc-01/")
    french_page = read_html(output / "info-psoc/info-psoc-01/index.html")
    assert french_page.select_one('link[rel="alternate"][hreflang="en-CA"]')["href"].endswith(
        "/en/info-psoc/info-psoc-01/"
    )
