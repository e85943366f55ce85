"""Search the archive (issue 17): the index the build writes, the pages that point to it,
and what a visitor gets in Chromium from output/ served on localhost."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from plugins.build import BuildResult, build_site
from plugins.build.staging import spare_of
from plugins.memo import KeptResults
from plugins.model import ContentError
from plugins.search import indexing
from plugins.search.indexing import SearchIndexing, index_site, placement_path
from plugins.search.marks import entry_attributes
from plugins.search.shards import (
    DEFAULT_SHARD_PAGES,
    Page,
    Placement,
    indexable,
    is_marked,
    page_language,
    plan_shards,
    read_placement,
    site_pages,
    write_placement,
)
from tests.conftest import CONF, build_copy, read_html
from tests.linkcheck import site_path
from tests.site_bytes import differing_files

CAMPAIGN = "/campagne/campagne-2013-04-18/"
INFO_EN = "/en/info-psoc/info-psoc-01/"
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
SHARDED = {"SEARCH_SHARD_PAGES": 4}  # the sample site's pages in about 30 shards


# 1. What a page tells Pagefind (plugins.search.marks)


def test_a_bulletin_is_indexed_with_its_series_number_and_date_at_full_weight():
    marks = entry_attributes(
        "bulletin",
        "fr",
        series="info-psoc",
        series_name="INFO-PSOC",
        number=1,
        day=dt.datetime(2017, 5, 17, 9, 30),
    )

    assert "data-pagefind-body" in marks
    assert "data-pagefind-weight" not in marks  # Pagefind's 1: above every other kind
    assert marks["data-pagefind-filter"] == (
        "kind[data-kind], series[data-series], number[data-number], date[data-date]"
    )
    assert marks["data-pagefind-meta"] == (
        "kind[data-kind], series[data-series-name], number[data-number], "
        "date[data-date], date_label[data-date-label]"
    )
    assert marks["data-kind"] == "bulletin"
    assert marks["data-series"] == "info-psoc"
    assert marks["data-number"] == "1"
    assert marks["data-date"] == "2017-05-17"
    assert marks["data-date-label"] == "17 mai 2017"


def test_other_kinds_weigh_less_and_name_their_group():
    meeting = entry_attributes(
        "meeting", "en", group_name="Vision committee", day=dt.date(2013, 3, 1)
    )

    assert float(meeting["data-pagefind-weight"]) < 1
    assert meeting["data-group-name"] == "Vision committee"
    assert meeting["data-date-label"] == "March 1, 2013"
    assert "series" not in meeting["data-pagefind-filter"]
    for kind in ("budget", "page", "message"):
        assert float(entry_attributes(kind, "fr")["data-pagefind-weight"]) < 1


def test_a_page_in_another_language_than_its_sub_site_is_not_indexed():
    assert entry_attributes("meeting", "en", content_lang="fr") == {}
    assert entry_attributes("meeting", "fr", content_lang="fr")["data-kind"] == "meeting"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        entry_attributes("article", "fr")


# 2. The index Pagefind writes (plugins.search.indexing)

TINY_PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head><body>
<nav>Navigation</nav><main data-pagefind-body data-kind="bulletin"
 data-pagefind-filter="kind[data-kind]"><h1>{title}</h1><p>{text}</p></main></body></html>"""


def tiny_site(root: Path) -> Path:
    pages = {
        "index.html": ("fr-CA", "Accueil", "Les seuils planchers du financement."),
        "en/index.html": ("en-CA", "Home", "The funding floors of the program."),
    }
    for name, (lang, title, text) in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(TINY_PAGE.format(lang=lang, title=title, text=text), "utf-8")
    return root


def test_pagefind_writes_one_index_per_language_and_replaces_a_stale_one(tmp_path):
    site = tiny_site(tmp_path)
    stale = site / "pagefind" / "fragment" / "fr-ca_0000000.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from the spare site")

    index, problems = index_site(site, LOCALES)

    assert problems == []
    assert list(index.languages) == ["fr", "en"]
    assert [language.pages for language in index.languages.values()] == [1, 1]
    assert all(language.bytes > 0 for language in index.languages.values())
    assert not stale.exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert set(entry["languages"]) == {"fr-ca", "en-ca"}
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "wasm.fr-ca.pagefind").is_file()  # French stemming


def test_a_failing_indexer_is_one_french_problem_with_what_it_said(tmp_path, monkeypatch):
    failing = [sys.executable, "-c", "import sys; print('disque plein'); sys.exit(3)"]
    monkeypatch.setattr(indexing, "pagefind_command", lambda site, output: failing)

    index, problems = index_site(tiny_site(tmp_path), LOCALES)

    assert index is None
    assert [str(p) for p in problems] == [
        "recherche : l'index n'a pas pu être construit : "
        "Pagefind s'est arrêté (code 3) : « disque plein »"
    ]


def test_a_missing_indexer_says_how_to_install_it(tmp_path, monkeypatch):
    def missing(site, output):
        raise FileNotFoundError("pagefind_bin/pagefind")

    monkeypatch.setattr(indexing, "pagefind_command", missing)

    index, problems = index_site(tiny_site(tmp_path), LOCALES)

    assert index is None
    [problem] = problems
    assert "Pagefind est introuvable" in problem.message
    assert problem.message.endswith("pip install -r requirements.txt")


def test_a_failed_index_publishes_nothing_and_keeps_the_previous_site(
    project_copy, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("ancien site", encoding="utf-8")
    failing = [sys.executable, "-c", "import sys; sys.exit(1)"]
    monkeypatch.setattr(indexing, "pagefind_command", lambda site, output: failing)

    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, output)

    [problem] = failure.value.problems
    assert problem.message.startswith("recherche : l'index n'a pas pu être construit")
    assert sorted(p.name for p in output.iterdir()) == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "ancien site"


def test_the_preview_keeps_the_last_index_instead_of_indexing_again(project_copy, tmp_path):
    output = tmp_path / "output"
    first = build_copy(project_copy, output)
    assert first.search is not None
    entry = (output / "pagefind" / "pagefind-entry.json").read_bytes()
    page = project_copy / "bulletins" / "info-psoc" / "01.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", "utf-8")
    second = build_copy(project_copy, output, SEARCH_INDEX=False)  # what invoke serve does
    assert second.search is None and not second.unchanged
    assert "Une phrase de plus." in (output / "info-psoc/info-psoc-01/index.html").read_text()
    assert (output / "pagefind" / "pagefind-entry.json").read_bytes() == entry
    assert len(list((output / "pagefind").rglob("*"))) > 10


def edited_rebuild(project_copy: Path, output: Path, sentence: str, **overrides) -> BuildResult:
    """Build the copy, add ``sentence`` to the first INFO-PSOC bulletin, build again."""
    build_copy(project_copy, output, **overrides)
    page = project_copy / "bulletins" / "info-psoc" / "01.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{sentence}\n", "utf-8")
    rebuilt = build_copy(project_copy, output, **overrides)
    assert not rebuilt.unchanged
    return rebuilt


def fresh_index_of(
    site: Path,
    root: Path,
    shard_pages: int = DEFAULT_SHARD_PAGES,
    placed: Mapping[str, Mapping[str, int]] | None = None,
) -> Path:
    """The same site indexed by Pagefind from scratch, in ``root``: its pages in the
    shards of ``placed`` (a placement: ``built_placement``, ``Placement.of``), if given."""
    copy = root / "fresh"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    indexing = SearchIndexing(copy, LOCALES, shard_pages=shard_pages)
    if placed is not None:
        indexing.placement = Placement(shard_pages, placed)
    indexing.add(indexable(site_pages(copy)))
    index, problems = indexing.finish()
    assert problems == [] and index is not None
    return copy


def built_placement(site: Path, cache: Path) -> dict[str, dict[str, int]]:
    """The placement the build of ``site`` with ``cache`` kept for the next one."""
    return read_placement(placement_path(cache / "search", site / "pagefind"))


# 2b. In shards: each a Pagefind run of its own, merged by the browser (plugins.search.shards)


def page(path: str, language: str = "fr-ca") -> Page:
    return Page(path, language, "0" * 64, True)


def test_new_pages_fill_the_last_shard_then_open_another_and_no_page_moves():
    placement = Placement(3, {"fr-ca": {"a.html": 0, "b.html": 0, "c.html": 1}})

    numbers = [placement.place(page(name)) for name in ("b.html", "d.html", "e.html", "f.html")]

    assert numbers == [0, 1, 1, 2]  # b kept; d, e to the last shard (1) while it has room
    assert placement.place(page("a.html")) == 0
    assert placement.place(page("a.html", "en-ca")) == 0  # each language its own shards
    assert not placement.filled("fr-ca", 1), "a shard the published site had is not this build's"
    assert not placement.filled("fr-ca", 2), "a shard with room may still get pages"
    placement.place(page("g.html"))
    placement.place(page("h.html"))
    assert placement.filled("fr-ca", 2)


def test_a_first_build_fills_the_shards_in_the_order_it_writes_the_pages():
    placement = Placement(2)
    written = [page(f"{name}/index.html") for name in ("z", "m", "a", "q", "b")]

    shards = plan_shards(written, "1.5.2", placement)

    assert [[p.path[0] for p in shard.pages] for shard in shards] == [["m", "z"], ["a", "q"], ["b"]]
    assert [shard.bundle for shard in shards] == ["", "shards/fr-ca-1/", "shards/fr-ca-2/"]
    assert placement.filled("fr-ca", 0) and placement.filled("fr-ca", 1)
    assert not placement.filled("fr-ca", 2) and placement.first("fr-ca") == 0
    assert Placement.of(shards) == {
        "fr-ca": {"z/index.html": 0, "m/index.html": 0, "a/index.html": 1, "q/index.html": 1}
        | {"b/index.html": 2}
    }


def test_a_previous_shard_is_whole_once_each_of_its_pages_is_written_or_kept():
    placement = Placement(3, {"fr-ca": {"a.html": 0, "b.html": 0, "c.html": 1}})

    assert not placement.whole("fr-ca", 0, {"a.html"})
    assert placement.whole("fr-ca", 0, {"a.html", "b.html"})
    assert placement.whole("fr-ca", 1, {"c.html", "d.html"})  # d placed there since
    assert placement.place(page("d.html")) == 1
    assert not placement.whole("fr-ca", 2, set()), "a shard this build opens: when full"


def test_a_placement_is_kept_and_a_broken_one_is_no_placement(tmp_path):
    kept = tmp_path / "search" / "placement.json"
    write_placement(kept, {"fr-ca": {"a/index.html": 3}})
    assert read_placement(kept) == {"fr-ca": {"a/index.html": 3}}
    for broken in ("{", '["fr-ca"]', '{"fr-ca": {"a/index.html": "trois"}}', '{"fr-ca": 3}'):
        kept.write_text(broken, encoding="utf-8")
        assert read_placement(kept) == {}, broken
    assert read_placement(tmp_path / "absent.json") == {}


@pytest.mark.parametrize(
    ("html", "language"),
    [
        (b'<!DOCTYPE html><html lang="fr-CA" dir="ltr"><head>', "fr-ca"),
        (b"<html class='x' LANG='en-CA'>", "en-ca"),
        (b"<html lang=de>", "de"),
        (b'<html><head><title>lang="fr"</title>', "unknown"),
    ],
)
def test_a_page_goes_to_the_index_pagefind_names_after_its_html_lang(html, language):
    assert page_language(html) == language


@pytest.mark.parametrize(
    ("html", "marked"),
    [
        (b"<main data-pagefind-body>", True),
        (b'<main class="x" data-pagefind-body="" data-kind="page">', True),
        (b"<main\n  data-pagefind-body\n>", True),
        (b"<p>L'attribut data-pagefind-body marque la page.</p>", False),
        (b"<main data-pagefind-body-x>", False),
    ],
)
def test_a_page_is_marked_by_the_attribute_not_by_the_words(html, marked):
    assert is_marked(html) is marked


def test_a_page_whose_file_did_not_change_is_not_read_again(tmp_path):
    """``site_pages`` keeps what it read by each page's file (inode, size, time): the
    pages a rebuild kept from the published site are links to the same files."""
    site = sharded_tiny_site(tmp_path / "site")
    known = KeptResults(tmp_path / "pages.json")
    first = {page.path: page for page in site_pages(site, known=known)}
    known.save()
    kept, edited = site / "bulletins/00/index.html", site / "bulletins/01/index.html"
    times = kept.stat()
    kept.write_bytes(kept.read_bytes().replace(b"mot0", b"MOT0"))  # same inode and size
    os.utime(kept, ns=(times.st_atime_ns, times.st_mtime_ns))
    edited.write_text(edited.read_text("utf-8").replace("mot1", "un autre mot"), "utf-8")

    again = {page.path: page for page in site_pages(site, known=KeptResults(known.path))}

    assert again["bulletins/00/index.html"] == first["bulletins/00/index.html"]  # not read
    assert again["bulletins/01/index.html"].sha256 != first["bulletins/01/index.html"].sha256
    assert again == {**first, "bulletins/01/index.html": again["bulletins/01/index.html"]}
    assert again == {page.path: page for page in site_pages(site)} | {
        "bulletins/00/index.html": first["bulletins/00/index.html"]
    }


def test_only_pages_marked_for_search_are_indexed_unless_none_is(tmp_path):
    site = tiny_site(tmp_path)
    (site / "archives").mkdir()
    (site / "archives" / "index.html").write_text(
        '<html lang="fr-CA"><main><p>data-pagefind-body, en toutes lettres</p></main></html>'
    )

    assert [page.path for page in indexable(site_pages(site))] == ["en/index.html", "index.html"]
    (site / "index.html").unlink()
    (site / "en" / "index.html").unlink()
    assert [page.path for page in indexable(site_pages(site))] == ["archives/index.html"]


def sharded_tiny_site(root: Path) -> Path:
    """A site of ten French and six English pages, each with a word of its own."""
    for number in range(10):
        page = root / "bulletins" / f"{number:02}" / "index.html"
        page.parent.mkdir(parents=True)
        text = f"Le financement, version {number} : mot{number}."
        page.write_text(TINY_PAGE.format(lang="fr-CA", title=f"Bulletin {number}", text=text))
    for number in range(6):
        page = root / "en" / "bulletins" / f"{number:02}" / "index.html"
        page.parent.mkdir(parents=True)
        text = f"The funding, version {number}: word{number}."
        page.write_text(TINY_PAGE.format(lang="en-CA", title=f"Bulletin {number}", text=text))
    return root


def bundle_files(bundle: Path) -> dict[str, bytes]:
    return {
        path.relative_to(bundle).as_posix(): path.read_bytes()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def test_each_shard_is_a_bundle_listed_in_the_manifest_with_its_pages_and_digest(tmp_path):
    site = sharded_tiny_site(tmp_path / "site")

    index, problems = index_site(site, LOCALES, shard_pages=2)

    assert problems == []
    assert {code: language.pages for code, language in index.languages.items()} == {
        "fr": 10,
        "en": 6,
    }
    bundle = site / "pagefind"
    shards = json.loads((bundle / "shards.json").read_text("utf-8"))
    assert shards["pagefind"] == version("pagefind_bin")
    assert list(shards["languages"]) == ["fr-ca", "en-ca"]
    listed = [shard for language in shards["languages"].values() for shard in language]
    assert index.shards == index.indexed == len(listed) > 4
    assert sum(shard["pages"] for shard in listed) == 16
    for language, own in shards["languages"].items():
        assert own[0]["bundle"] == ""  # the first shard is in pagefind/, beside pagefind.js
        for shard in own[1:]:
            assert shard["bundle"].startswith(f"shards/{language}-")
            files = set(bundle_files(bundle / shard["bundle"]))
            assert "pagefind-entry.json" in files and "pagefind.js" not in files
            assert not [name for name in files if name.startswith("wasm.")]
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["fr-ca", "en-ca"]
    assert [entry["languages"][lang]["page_count"] for lang in entry["languages"]] == [
        shards["languages"][lang][0]["pages"] for lang in entry["languages"]
    ]
    assert (bundle / "wasm.fr-ca.pagefind").is_file() and (bundle / "wasm.en-ca.pagefind").is_file()
    assert not list(tmp_path.glob("*pagefind*")), "the shards' temporary trees are removed"


@pytest.mark.parametrize("stray", [False, True], ids=["folders", "a-french-page-under-en"])
def test_an_index_made_a_language_folder_at_a_time_is_the_one_made_at_once(tmp_path, stray):
    """The build indexes each language's folder once it is rendered (plugins.build.
    finishing): the index is the one Pagefind makes of the whole site, also when a page's
    ``<html lang>`` is not its folder's (its language then comes twice: all is redone)."""
    site = sharded_tiny_site(tmp_path / "site")
    if stray:
        page = site / "en" / "a-propos" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(TINY_PAGE.format(lang="fr-CA", title="À propos", text="La table."))
    indexing = SearchIndexing(site, LOCALES, shard_pages=2)

    for folder, skip in (("", ("en",)), ("en", ())):
        indexing.run(indexing.prepare(indexable(site_pages(site, folder, skip))))
    index, problems = indexing.finish()

    assert problems == []
    assert index.languages["fr"].pages == (11 if stray else 10)
    assert differing_files(site, fresh_index_of(site, tmp_path, shard_pages=2)) == []
    assert not list(tmp_path.glob("*pagefind*")), "the shards' temporary trees are removed"


def test_a_shard_filled_while_rendering_is_indexed_then_and_again_if_a_page_changes(tmp_path):
    """The build tells the search each page it writes (``wrote``): a shard it fills is
    indexed at once; should one of its pages be written again before the language is
    done, the shard is indexed again in its place (for the first shard, pagefind/
    itself), and the index is the one made at once from the same placement."""
    site = sharded_tiny_site(tmp_path / "site")
    indexing = SearchIndexing(site, LOCALES, shard_pages=3)
    pages = sorted((site / "bulletins").glob("*/index.html"), reverse=True)  # as written

    early = [run for path in pages for run in indexing.wrote(str(path))]
    assert [[p.path[10:12] for p in run.shard.pages] for run in early] == [
        ["07", "08", "09"],
        ["04", "05", "06"],
        ["01", "02", "03"],
    ]
    assert [run.shard.bundle for run in early] == ["", "shards/fr-ca-1/", "shards/fr-ca-2/"]
    indexing.run(early)
    for number in ("08", "03"):  # in the first shard and in the third
        rewritten = site / "bulletins" / number / "index.html"
        rewritten.write_text(rewritten.read_text("utf-8").replace("version", "révision"), "utf-8")
    runs = indexing.prepare(indexable(site_pages(site, "", ("en",))))
    assert [(run.shard.number, run.replaces) for run in runs] == [(0, True), (2, True), (3, False)]
    indexing.run(runs)
    indexing.add(indexable(site_pages(site, "en")))
    index, problems = indexing.finish()

    assert problems == [] and index.indexed == index.shards == 6
    fresh = fresh_index_of(site, tmp_path, indexing.shard_pages, Placement.of(indexing.shards))
    assert differing_files(site, fresh) == []
    assert not list(tmp_path.glob("*pagefind*")), "the shards' temporary trees are removed"


def test_shards_filled_while_rendering_whose_pages_went_leave_nothing_behind(tmp_path):
    site = sharded_tiny_site(tmp_path / "site")
    indexing = SearchIndexing(site, LOCALES, shard_pages=3)
    pages = sorted((site / "bulletins").glob("*/index.html"))
    indexing.run([run for path in pages[:6] for run in indexing.wrote(str(path))])
    assert (site / "pagefind" / "shards" / "fr-ca-1").is_dir()
    assert list((site / "pagefind" / "fragment").glob("fr-ca_*"))
    for gone in pages[:6]:  # the first two shards' pages, removed before the language is done
        shutil.rmtree(gone.parent)

    indexing.add(indexable(site_pages(site)))
    index, problems = indexing.finish()

    assert problems == [] and index.languages["fr"].pages == 4
    assert not (site / "pagefind" / "shards" / "fr-ca-1").exists()
    manifest = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))
    assert [s["bundle"] for s in manifest["languages"]["fr-ca"]] == ["", "shards/fr-ca-3/"]
    fresh = fresh_index_of(site, tmp_path, indexing.shard_pages, Placement.of(indexing.shards))
    assert differing_files(site, fresh) == []


def test_finishing_a_language_leaves_the_folders_pagefind_is_writing(tmp_path):
    """A shard indexed while rendering may still be written when the language's folder
    is pruned: the folders Pagefind just made, empty so far, stay (removed under it,
    Pagefind 1.5.2 waited for ever)."""
    from plugins.build.finishing import Finishing
    from plugins.build.staging import new_staging
    from plugins.content.kept import KeptPages

    staging = new_staging(tmp_path / "output")
    for folder in ("pagefind/index", "pagefind/shards/fr-ca-1/fragment", "archives/vide"):
        (staging.path / folder).mkdir(parents=True)
    kept = KeptPages("site", staging.path, tmp_path / "output")

    with Finishing(staging, {"fr": "", "en": "en"}, kept, None) as finishing:
        finishing.rendered("fr")

    assert (staging.path / "pagefind" / "index").is_dir()
    assert (staging.path / "pagefind" / "shards" / "fr-ca-1" / "fragment").is_dir()
    assert not (staging.path / "archives").exists(), "the language's own empty folders go"


def test_a_cold_build_indexes_most_shards_while_it_renders(project_copy, tmp_path, monkeypatch):
    early = []
    wrote = SearchIndexing.wrote

    def counted(self, path):
        runs = wrote(self, path)
        early.extend(runs)
        return runs

    monkeypatch.setattr(SearchIndexing, "wrote", counted)
    built = build_copy(project_copy, tmp_path / "output", **SHARDED)

    assert len(early) > built.search.shards // 2
    cache = project_copy.parent / "cache"
    fresh = fresh_index_of(
        built.output, tmp_path, SHARDED["SEARCH_SHARD_PAGES"], built_placement(built.output, cache)
    )
    assert differing_files(built.output, fresh) == []
    # output/ removed by hand: no shard to reuse, so the pages are placed anew as written.
    shutil.rmtree(built.output)
    early.clear()
    again = build_copy(project_copy, tmp_path / "output", **SHARDED)
    assert len(early) > again.search.shards // 2


def test_a_rebuild_indexes_again_only_the_shard_of_the_edited_page(tmp_path, caplog):
    site = sharded_tiny_site(tmp_path / "site")
    index_site(site, LOCALES, shard_pages=2)
    published = tmp_path / "published"
    shutil.copytree(site / "pagefind", published)
    edited = site / "en" / "bulletins" / "03" / "index.html"
    edited.write_text(edited.read_text("utf-8").replace("word3", "renewed"), "utf-8")

    with caplog.at_level(logging.INFO, logger="bulletins"):
        index, problems = index_site(site, LOCALES, published, shard_pages=2)

    assert problems == [] and index.indexed == 1
    assert caplog.messages[-1].endswith(f", 1 index sur {index.shards} refait")
    now = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))["languages"]
    before = json.loads((published / "shards.json").read_text("utf-8"))["languages"]
    changed = [
        (shard["bundle"], old["bundle"])
        for language in now
        for shard, old in zip(now[language], before[language], strict=True)
        if shard["digest"] != old["digest"]
    ]
    assert len(changed) == 1
    [(bundle, _)] = changed
    for language in now:
        for shard in now[language][1:]:
            if shard["bundle"] != bundle:  # reused: the published files, linked
                folder = site / "pagefind" / shard["bundle"]
                assert bundle_files(folder) == bundle_files(published / shard["bundle"])
                assert all(
                    path.samefile(published / shard["bundle"] / path.relative_to(folder))
                    for path in folder.rglob("*")
                    if path.is_file()
                )
    assert differing_files(site, fresh_index_of(site, tmp_path, shard_pages=2)) == []


def test_an_index_of_another_pagefind_version_or_without_manifest_is_indexed_again(tmp_path):
    site = sharded_tiny_site(tmp_path / "site")
    index_site(site, LOCALES, shard_pages=2)
    published = tmp_path / "published"
    shutil.copytree(site / "pagefind", published)
    manifest = json.loads((published / "shards.json").read_text("utf-8"))
    (published / "shards.json").write_text(json.dumps(manifest | {"pagefind": "0.9.0"}))

    index, _ = index_site(site, LOCALES, published, shard_pages=2)
    assert index.indexed == index.shards
    (published / "shards.json").unlink()
    index, _ = index_site(site, LOCALES, published, shard_pages=2)
    assert index.indexed == index.shards


def test_a_published_shard_that_cannot_be_read_is_indexed_again(tmp_path):
    site = sharded_tiny_site(tmp_path / "site")
    index_site(site, LOCALES, shard_pages=2)
    published = tmp_path / "published"
    shutil.copytree(site / "pagefind", published)
    shards = json.loads((published / "shards.json").read_text("utf-8"))["languages"]
    shutil.rmtree(published / shards["fr-ca"][1]["bundle"])
    (published / "pagefind-entry.json").write_text("{")  # the first shards' records

    index, problems = index_site(site, LOCALES, published, shard_pages=2)

    assert problems == [] and index.indexed == 3  # both first shards, and the missing one
    assert differing_files(site, fresh_index_of(site, tmp_path, shard_pages=2)) == []


@pytest.mark.parametrize("at_a_time", [1, 2])
def test_a_failure_on_any_shard_is_the_one_problem_and_leaves_no_temporary_tree(
    tmp_path, monkeypatch, at_a_time
):
    site = sharded_tiny_site(tmp_path / "site")
    real = indexing.pagefind_command
    runs = []

    def third_fails(tree, output):
        runs.append(tree)
        if len(runs) == 3:
            return [sys.executable, "-c", "import sys; print('mémoire épuisée'); sys.exit(137)"]
        return real(tree, output)

    monkeypatch.setattr(indexing, "pagefind_command", third_fails)

    shards = len(set(shard_of_each_page(site, 2).values()))
    index, problems = index_site(site, LOCALES, shard_pages=2, runs=at_a_time)

    assert index is None and shards > 4
    if at_a_time == 1:  # no run starts after the failed one (two at a time: a race)
        assert len(runs) == 3
    assert [str(p) for p in problems] == [
        "recherche : l'index n'a pas pu être construit : "
        "Pagefind s'est arrêté (code 137) : « mémoire épuisée »"
    ]
    assert not any(tree.exists() for tree in runs)
    assert {tree.parent for tree in runs} == {tmp_path}  # beside the site, same disk


def shard_of_each_page(site: Path, shard_pages: int, cache: Path | None = None) -> dict[str, str]:
    """Site path → the bundle of the shard it is indexed in (placed as the build that
    wrote ``site`` with ``cache`` placed it, else in path order, as ``index_site``)."""
    placement = Placement(shard_pages, built_placement(site, cache) if cache else None)
    shards = plan_shards(indexable(site_pages(site)), version("pagefind_bin"), placement)
    return {page.path: shard.bundle for shard in shards for page in shard.pages}


def test_a_rebuild_of_a_sharded_site_indexes_the_edited_bulletins_shard_only(
    project_copy, tmp_path
):
    edited = "info-psoc/info-psoc-01/index.html"
    rebuilt = edited_rebuild(project_copy, tmp_path / "output", "Une phrase inédite.", **SHARDED)
    output, previous = rebuilt.output, spare_of(rebuilt.output)

    assert rebuilt.search.indexed == 1 and rebuilt.search.shards > 20
    now = json.loads((output / "pagefind" / "shards.json").read_text("utf-8"))["languages"]
    before = json.loads((previous / "pagefind" / "shards.json").read_text("utf-8"))["languages"]
    assert {lang: [s["bundle"] for s in own] for lang, own in now.items()} == {
        lang: [s["bundle"] for s in own] for lang, own in before.items()
    }
    changed = [
        shard["bundle"]
        for language in now
        for shard, old in zip(now[language], before[language], strict=True)
        if shard["digest"] != old["digest"]
    ]
    cache = project_copy.parent / "cache"
    assert changed == [shard_of_each_page(output, SHARDED["SEARCH_SHARD_PAGES"], cache)[edited]]
    for shard in (shard for own in now.values() for shard in own[1:]):
        if shard["bundle"] not in changed:
            folder = output / "pagefind" / shard["bundle"]
            assert bundle_files(folder) == bundle_files(previous / "pagefind" / shard["bundle"])
    fresh = fresh_index_of(
        output, tmp_path, SHARDED["SEARCH_SHARD_PAGES"], built_placement(output, cache)
    )
    assert differing_files(output, fresh) == []


def test_after_one_edit_its_shard_is_indexed_while_the_site_renders(
    project_copy, tmp_path, monkeypatch
):
    """Once every page of the edited page's shard is written or kept from the published
    site, Pagefind indexes that shard while the build goes on rendering."""
    early = []
    settle = SearchIndexing.settle

    def counted(self, page, source):
        runs = settle(self, page, source)
        early.extend(run.shard for run in runs)
        return runs

    build_copy(project_copy, tmp_path / "output", **SHARDED)
    monkeypatch.setattr(SearchIndexing, "settle", counted)
    page = project_copy / "bulletins" / "info-psoc" / "01.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase inédite.\n", "utf-8")
    rebuilt = build_copy(project_copy, tmp_path / "output", **SHARDED)

    cache = project_copy.parent / "cache"
    edited = "info-psoc/info-psoc-01/index.html"
    assert rebuilt.search.indexed == 1
    assert [shard.bundle for shard in early] == [
        shard_of_each_page(rebuilt.output, SHARDED["SEARCH_SHARD_PAGES"], cache)[edited]
    ]
    assert edited in [p.path for p in early[0].pages]
    fresh = fresh_index_of(
        rebuilt.output,
        tmp_path,
        SHARDED["SEARCH_SHARD_PAGES"],
        built_placement(rebuilt.output, cache),
    )
    assert differing_files(rebuilt.output, fresh) == []


def test_the_sample_sites_shards_are_full_but_the_last(built_site):
    shards = json.loads((built_site / "pagefind" / "shards.json").read_text("utf-8"))

    sizes = {lang: [s["pages"] for s in own] for lang, own in shards["languages"].items()}
    assert list(sizes) == ["fr-ca", "en-ca"]
    assert [len(own) for own in sizes.values()] == [2, 1]  # more French pages than one holds
    for own in sizes.values():
        assert own[:-1] == [DEFAULT_SHARD_PAGES] * (len(own) - 1)
        assert 0 < own[-1] <= DEFAULT_SHARD_PAGES
    assert [s["bundle"] for s in shards["languages"]["fr-ca"]] == ["", "shards/fr-ca-1/"]


# 3. The built site: what is indexed, the search pages, the header's box


def indexed_pages(site: Path) -> dict[str, dict[str, str]]:
    """URL → the data-… attributes of <main>, for every page Pagefind indexes."""
    found = {}
    for page in sorted(site.rglob("index.html")):
        if "pagefind" in page.parts:
            continue
        main = read_html(page).find("main")
        if main is not None and main.has_attr("data-pagefind-body"):
            url = "/" + page.parent.relative_to(site).as_posix() + "/"
            found[url.replace("/./", "/")] = {k: v for k, v in main.attrs.items()}
    return found


def test_only_the_pages_worth_finding_are_indexed_each_with_its_kind(built_site):
    pages = indexed_pages(built_site)

    kinds = {url: attrs["data-kind"] for url, attrs in pages.items()}
    assert kinds[CAMPAIGN] == "bulletin"
    assert kinds[INFO_EN] == "bulletin"
    assert kinds["/calendrier/gt-financement/2013-04-16-rencontre-2/"] == "meeting"
    assert kinds["/budget/"] == "budget"
    assert kinds["/a-propos/"] == "page"
    for listing in ("/", "/en/", "/archives/", "/campagne/", "/info-psoc/2017/", "/calendrier/"):
        assert listing not in pages, f"{listing} is a list of links, not content"
    assert "/recherche/" not in pages and "/en/search/" not in pages
    campaign = pages[CAMPAIGN]
    assert campaign["data-series"] == "campagne"
    assert campaign["data-series-name"] == "Bulletin de la campagne"
    assert campaign["data-date-label"] == "18 avril 2013"


def test_an_untranslated_meeting_on_the_english_site_is_left_out_of_its_index(built_site):
    pages = indexed_pages(built_site)
    seen = set()
    for page in (built_site / "en" / "calendar").glob("*/*/index.html"):
        url = "/" + page.parent.relative_to(built_site).as_posix() + "/"
        written_in = read_html(page).find("h1")["lang"]
        assert (url in pages) == (written_in == "en"), url
        seen.add(written_in)
    assert seen == {"en", "fr"}, "the sample has translated and untranslated meetings"


def test_each_language_has_its_own_index_of_its_own_pages(built_site):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    shards = json.loads((built_site / "pagefind" / "shards.json").read_text("utf-8"))
    pages = indexed_pages(built_site)

    english = [url for url in pages if url.startswith("/en/")]
    counts = {lang: sum(s["pages"] for s in own) for lang, own in shards["languages"].items()}
    assert counts == {"fr-ca": len(pages) - len(english), "en-ca": len(english)}
    for lang, own in shards["languages"].items():  # pagefind/ holds each language's first
        assert entry["languages"][lang]["page_count"] == own[0]["pages"]
    assert read_html(built_site / "index.html").find("html")["lang"] == "fr-CA"
    assert read_html(built_site / "en" / "index.html").find("html")["lang"] == "en-CA"


def test_navigation_footer_and_pdf_link_are_not_indexed(built_site):
    page = read_html(built_site / CAMPAIGN.strip("/") / "index.html")
    main = page.find("main")

    assert page.find("header", class_="site-header").find_parent("main") is None
    assert page.find("footer").find_parent("main") is None
    for ignored in main.select(".bulletin__pdf, .twin-note"):
        assert ignored.has_attr("data-pagefind-ignore"), ignored


def test_the_search_pages_are_twins_in_each_language(built_site):
    french_page = built_site / "recherche" / "index.html"
    english_page = built_site / "en" / "search" / "index.html"
    french, english = read_html(french_page), read_html(english_page)

    assert french.find("h1").get_text() == "Rechercher dans les bulletins"
    assert english.find("h1").get_text() == "Search the bulletins"
    english_twin = french.find("link", hreflang="en-CA")["href"]
    assert site_path(built_site, french_page, english_twin) == "/en/search/"
    french_twin = english.find("link", hreflang="fr-CA")["href"]
    assert site_path(built_site, english_page, french_twin) == "/recherche/"
    switch = english.select_one(".language-switcher a")["href"]
    assert site_path(built_site, english_page, switch) == "/recherche/"
    form = english.find("form", attrs={"data-search-page": True})
    assert form["data-none"] == "No results for “{query}”."
    pagefind = site_path(built_site, english_page, form["data-pagefind"])
    assert pagefind == "/pagefind/pagefind.js"
    assert (built_site / pagefind.lstrip("/")).is_file()
    kinds = [option.get_text() for option in english.select("#recherche-type option")]
    assert kinds == ["All types", "Bulletins", "Meetings", "Budget", "Pages", "Messages"]


def test_every_page_has_the_search_box_and_an_archives_link_without_javascript(built_site):
    pages = [p for p in built_site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 100
    for page in pages:
        soup = read_html(page)
        english = page.is_relative_to(built_site / "en")
        box = soup.select_one(".site-header form[data-search-box]")
        assert box is not None, page
        action = site_path(built_site, page, box["action"])
        assert action == ("/en/search/" if english else "/recherche/"), page
        assert box.has_attr("hidden"), f"{page}: the box shows before search.js can run"
        fallback = soup.select_one(".site-header [data-search-fallback]")
        archives = site_path(built_site, page, fallback["href"])
        assert archives == ("/en/archives/" if english else "/archives/"), page
        assert not fallback.has_attr("hidden"), page
        scripts = {site_path(built_site, page, s["src"]) for s in soup("script", src=True)}
        assert "/theme/js/search.js" in scripts, page


# 4. In Chromium, from the built site served on localhost

STATUS = "[data-search-status]"
RESULTS = """
return {
  status: document.querySelector('[data-search-status]').textContent,
  results: Array.from(document.querySelectorAll('.search-result')).map(item => ({
    href: item.querySelector('a').getAttribute('href'),
    title: item.querySelector('a').textContent,
    facts: item.querySelector('.search-result__facts').textContent,
    marks: Array.from(item.querySelectorAll('mark')).map(mark => mark.textContent),
  })),
};
"""


def outcome(driver, timeout: float = 30) -> dict:
    """The search page's status and results once the search it runs is over."""
    searching = driver.execute_script(
        "return document.querySelector('[data-search-page]').dataset.searching;"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = driver.execute_script(RESULTS)
        if found["status"] and found["status"] != searching:
            return found
        time.sleep(0.05)
    pytest.fail(f"the search did not finish in {timeout} s: {found}", pytrace=False)


def search_for(browser, site_url, query: str, page: str = "/recherche/") -> dict:
    from tests.gates.browser import console_errors, open_page

    console_errors(browser)  # what earlier pages logged
    open_page(browser, f"{site_url}{page}?q={quote_plus(query)}", 1280)
    return outcome(browser)


def hrefs(found: dict) -> list[str]:
    return [result["href"] for result in found["results"]]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("475 M$", "/info-psoc/info-psoc-01/"),  # written « 475\u00a0M$ » on the page
        ("2e rencontre", CAMPAIGN),  # written « 2<sup>e</sup> rencontre »
    ],
)
def test_a_query_typed_with_ordinary_spaces_finds_the_typeset_text(
    browser, site_url, query, expected
):
    found = search_for(browser, site_url, query)

    assert expected in hrefs(found)[:2], hrefs(found)
    result = next(result for result in found["results"] if result["href"] == expected)
    marked = {mark.strip(",.") for mark in result["marks"]}
    assert set(query.split()) <= marked, result["marks"]  # « 2e » whole, « 475 » and « M$ »


@pytest.mark.browser
def test_seuils_planchers_returns_the_campaign_bulletin_of_18_april_2013_first(browser, site_url):
    from tests.gates.browser import console_errors

    found = search_for(browser, site_url, "seuils planchers")

    first = found["results"][0]
    assert first["href"] == CAMPAIGN, hrefs(found)
    assert first["title"].startswith("Bulletin de la campagne «\u00a0Je tiens à ma communauté")
    assert first["facts"] == "Bulletin · Bulletin de la campagne · 18 avril 2013"
    assert {"seuils", "planchers"} <= {mark.lower().strip(",.") for mark in first["marks"]}
    assert found["status"] == f"{len(found['results'])} résultats pour « seuils planchers »."
    assert any("/calendrier/" in href for href in hrefs(found)), "meetings say it too"
    assert browser.execute_script("return location.search;") == "?q=seuils+planchers"
    assert console_errors(browser) == []


@pytest.mark.browser
@pytest.mark.parametrize("query", ["échéancier", "echeancier", "ÉCHÉANCIER"])
def test_a_word_found_with_or_without_its_accents(query, browser, site_url):
    """Pagefind 1.5 indexes each word without its diacritics, keeping the written form:
    « echeancier » finds « échéancier », and a query written like the text ranks it a
    little higher (ranking.diacriticSimilarity)."""
    found = search_for(browser, site_url, query)

    assert hrefs(found)[0] == CAMPAIGN, hrefs(found)
    assert "L'échéancier" in found["results"][0]["marks"]


@pytest.mark.browser
def test_french_words_are_stemmed(browser, site_url):
    """« consolider » finds the bulletin that only says « consolidation »: both are
    « consolid » to Pagefind's French stemmer (neither is a prefix of the other)."""
    found = search_for(browser, site_url, "consolider")

    assert CAMPAIGN in hrefs(found), hrefs(found)


@pytest.mark.browser
def test_an_english_search_returns_the_english_twin_and_never_a_french_page(browser, site_url):
    english = search_for(browser, site_url, "PSOC budget", page="/en/search/")
    french = search_for(browser, site_url, "PSOC budget")

    assert INFO_EN in hrefs(english)
    assert all(href.startswith("/en/") for href in hrefs(english)), hrefs(english)
    assert english["status"].endswith("results for “PSOC budget”.")
    assert "/info-psoc/info-psoc-01/" in hrefs(french)
    assert not [href for href in hrefs(french) if href.startswith("/en/")], hrefs(french)


@pytest.mark.browser
def test_after_a_rebuild_the_edited_bulletin_is_found_by_its_new_words(
    browser, project_copy, tmp_path
):
    from tests.gates.browser import serve

    output = edited_rebuild(project_copy, tmp_path / "output", "Une phrase inédite : vérifiée.")

    with serve(output.output) as base:
        found = search_for(browser, base, "inédite")
        english = search_for(browser, base, "PSOC budget", page="/en/search/")
        french = search_for(browser, base, "seuils planchers")

    assert hrefs(found) == ["/info-psoc/info-psoc-01/"]
    assert INFO_EN in hrefs(english)
    assert CAMPAIGN in hrefs(french)


@pytest.mark.browser
def test_filters_narrow_by_kind_and_series_and_stay_in_the_address(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.gates.browser import open_page

    open_page(browser, f"{site_url}/recherche/?q=seuils+planchers&type=meeting", 1280)
    meetings = outcome(browser)
    assert meetings["results"] and CAMPAIGN not in hrefs(meetings)
    assert all(r["facts"].startswith("Rencontre · ") for r in meetings["results"])

    Select(browser.find_element(By.ID, "recherche-type")).select_by_value("")
    Select(browser.find_element(By.ID, "recherche-serie")).select_by_value("campagne")
    campaign = outcome(browser)
    assert hrefs(campaign) == [CAMPAIGN]
    assert browser.execute_script("return location.search;") == "?q=seuils+planchers&serie=campagne"


@pytest.mark.browser
def test_the_search_page_with_results_has_no_serious_accessibility_violation(
    browser, site_url, axe_source
):
    from tests.gates.browser import axe_violations

    search_for(browser, site_url, "seuils planchers")

    violations = axe_violations(browser, axe_source)

    serious = [v for v in violations if v.impact in {"serious", "critical"}]
    assert not serious, "\n".join(map(str, serious))


@pytest.mark.browser
def test_keyboard_only_the_box_is_reached_and_a_result_opens_with_enter(browser, site_url):
    from selenium.webdriver.common.keys import Keys

    from tests.gates.browser import focused, open_page, press

    open_page(browser, f"{site_url}/recherche/", 1280)
    active = "return document.activeElement.id;"
    for _ in range(40):
        press(browser, Keys.TAB)
        if browser.execute_script(active) == "recherche-mots":
            break
    else:
        pytest.fail("Tab never reaches the search field", pytrace=False)
    assert focused(browser).indicator, "the search field shows no focus outline"
    press(browser, "seuils planchers")
    press(browser, Keys.ENTER)
    assert hrefs(outcome(browser))[0] == CAMPAIGN

    first_result = "return document.activeElement === document.querySelector('.search-result a');"
    for _ in range(10):
        press(browser, Keys.TAB)
        if browser.execute_script(first_result):
            break
    else:
        pytest.fail("Tab never reaches the first result", pytrace=False)
    assert focused(browser).focus_visible
    press(browser, Keys.ENTER)
    deadline = time.monotonic() + 10
    while browser.execute_script("return location.pathname;") != CAMPAIGN:
        assert time.monotonic() < deadline, "Enter did not open the result"
        time.sleep(0.05)


@pytest.mark.browser
def test_the_header_box_of_any_page_searches_from_the_keyboard(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.gates.browser import open_page, press

    open_page(browser, f"{site_url}/info-psoc/", 1280)
    assert browser.find_element(By.CSS_SELECTOR, "[data-search-box]").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-fallback]").is_displayed()
    for _ in range(30):
        press(browser, Keys.TAB)
        if browser.execute_script("return document.activeElement.id;") == "recherche-entete":
            break
    else:
        pytest.fail("Tab never reaches the header's search box", pytrace=False)
    press(browser, "seuils planchers")
    press(browser, Keys.ENTER)
    # Enter submits the form: wait for the search page to be the one loaded.
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(
        lambda driver: driver.execute_script(
            "return !!document.querySelector('[data-search-page]');"
        )
    )
    found = outcome(browser)
    assert browser.execute_script("return location.pathname + location.search;") == (
        "/recherche/?q=seuils+planchers"
    )
    assert hrefs(found)[0] == CAMPAIGN


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory) -> Path:
    """The sample site with its index in shards of about 4 pages (30 or so bundles)."""
    root = tmp_path_factory.mktemp("sharded")
    overrides = {"BUILD_CACHE_PATH": str(root / "cache"), **SHARDED}
    return build_site(CONF, output=root / "output", overrides=overrides).output


@pytest.fixture(scope="session")
def sharded_url(sharded_site):
    from tests.gates.browser import serve

    with serve(sharded_site) as base:
        yield base


def bundles_of(found: dict, site: Path) -> set[str]:
    """The bundles (shards) the results were indexed in."""
    shards = shard_of_each_page(site, SHARDED["SEARCH_SHARD_PAGES"], site.parent / "cache")
    return {shards[href.lstrip("/") + "index.html"] for href in hrefs(found)}


@pytest.mark.browser
def test_a_sharded_index_finds_what_the_whole_index_finds_seuils_planchers_first(
    browser, sharded_url, sharded_site, site_url
):
    from tests.gates.browser import console_errors

    sharded = search_for(browser, sharded_url, "seuils planchers")
    errors = console_errors(browser)
    whole = search_for(browser, site_url, "seuils planchers")

    assert hrefs(sharded)[0] == CAMPAIGN, hrefs(sharded)
    assert sharded["results"][0]["facts"] == "Bulletin · Bulletin de la campagne · 18 avril 2013"
    assert len(bundles_of(whole, sharded_site)) > 3, "the pages found are in several shards"
    # A shard without « planchers » falls back to its longest indexed prefix (« plan »):
    # Pagefind's rule for a word it does not know, applied by each shard on its own.
    assert set(hrefs(whole)) <= set(hrefs(sharded))
    assert errors == []


@pytest.mark.browser
def test_a_sharded_english_index_returns_english_pages_only(browser, sharded_url, site_url):
    sharded = search_for(browser, sharded_url, "PSOC budget", page="/en/search/")
    whole = search_for(browser, site_url, "PSOC budget", page="/en/search/")

    assert INFO_EN in hrefs(sharded)
    assert all(href.startswith("/en/") for href in hrefs(sharded)), hrefs(sharded)
    assert set(hrefs(whole)) <= set(hrefs(sharded))


OFFERED = """
return ['recherche-serie', 'recherche-type'].map(id =>
  Array.from(document.getElementById(id).options).map(option => option.value));
"""


@pytest.mark.browser
def test_a_sharded_index_offers_the_kinds_and_series_of_every_shard(
    browser, sharded_url, sharded_site, site_url
):
    from tests.gates.browser import open_page

    offered = {}
    for name, base in (("sharded", sharded_url), ("whole", site_url)):
        open_page(browser, f"{base}/recherche/?q=rencontre", 1280)
        outcome(browser)
        offered[name] = browser.execute_script(OFFERED)
    # Each kind lives in a few shards only: the filters sum every shard's.
    assert offered["sharded"] == offered["whole"]
    series, kinds = offered["sharded"]
    assert {"campagne", "info-psoc"} <= set(series)
    assert {"bulletin", "meeting", "budget", "page"} <= set(kinds)

    open_page(browser, f"{sharded_url}/recherche/?q=seuils+planchers&type=meeting", 1280)
    meetings = outcome(browser)
    assert meetings["results"]
    assert all(result["facts"].startswith("Rencontre · ") for result in meetings["results"])
    assert len(bundles_of(meetings, sharded_site)) > 1


@pytest.mark.browser
def test_a_sharded_index_runs_under_the_sites_policy_sent_as_a_header(browser, sharded_site):
    """shards.json and the shards' bundles are fetched from the site itself, which the
    policy allows (it restricts scripts, not connections)."""
    from tests.gates.browser import console_errors, open_page, serve

    policy = served_policy(sharded_site)
    with serve(sharded_site, headers={"Content-Security-Policy": policy}) as base:
        console_errors(browser)
        open_page(browser, f"{base}/recherche/?q=seuils+planchers", 1280)
        found = outcome(browser)
        errors = console_errors(browser)

    assert hrefs(found)[0] == CAMPAIGN
    assert len(bundles_of(found, sharded_site)) > 3
    assert errors == []


@pytest.mark.browser
def test_a_site_indexed_before_shards_is_searched_as_before(browser, built_site, tmp_path):
    """Without shards.json (a site published before them), pagefind/ is the whole index."""
    from tests.gates.browser import console_errors, open_page, serve

    old = tmp_path / "old"
    shutil.copytree(built_site, old)
    (old / "pagefind" / "shards.json").unlink()
    with serve(old) as base:
        console_errors(browser)
        open_page(browser, f"{base}/recherche/?q=seuils+planchers", 1280)
        found = outcome(browser)
        errors = console_errors(browser)

    assert hrefs(found)[0] == CAMPAIGN
    assert [e for e in errors if "shards.json" not in e] == []  # the 404 itself, at most


FOUND = "found"  # the query still finds the campaign bulletin
SHOWN = "shown"  # the status quotes the query as typed, as text
BAD_INPUT = {
    "a lone quote": ('"', 'Aucun résultat pour « " ».'),
    "an unclosed phrase": ('"seuils planchers', FOUND),
    # Words in these may match (Pagefind falls back to a word's longest indexed prefix):
    # whatever the count, the query is shown as the visitor typed it.
    "a script": ("<script>window.injected = 1</script>", SHOWN),
    "an image with a handler": ('<img src=x onerror="window.injected=1">', SHOWN),
    "2,000 characters": ("z" * 2000, "Aucun résultat pour « " + "z" * 60 + "… »."),
    "2,000 characters of words": ("seuils planchers " * 118, FOUND),
    "only spaces": (" " * 12, "Aucun résultat : écrivez un ou plusieurs mots à chercher."),
}


@pytest.mark.browser
@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_shown_as_text_and_logs_no_error(case, browser, site_url):
    from tests.gates.browser import console_errors

    query, expected = BAD_INPUT[case]

    found = search_for(browser, site_url, query)

    if expected == FOUND:
        assert CAMPAIGN in hrefs(found), found["status"]
    elif expected == SHOWN:
        assert found["status"].endswith(f" pour « {query} »."), found["status"]
    else:
        assert found["status"] == expected
    assert browser.execute_script("return window.injected;") is None
    injected = "return document.querySelectorAll('main script, main img').length;"
    assert browser.execute_script(injected) == 0
    typed = "return document.getElementById('recherche-mots').value.length;"
    assert browser.execute_script(typed) <= 200
    assert console_errors(browser) == []


def served_policy(built_site: Path, without: str = "") -> str:
    """The search page's Content-Security-Policy, as a host would send it in a header."""
    meta = read_html(built_site / "recherche" / "index.html").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    return " ".join(meta["content"].replace(without, "").split())


@pytest.mark.browser
def test_search_runs_under_the_sites_policy_and_needs_wasm_unsafe_eval(browser, built_site):
    """The policy of the page's <meta> does not reach Pagefind's web worker (a worker
    follows its own response's headers): served as a header on every file, as a host
    would, it does, and the search then works only with 'wasm-unsafe-eval'."""
    from tests.gates.browser import console_errors, open_page, serve

    for policy, works in (
        (served_policy(built_site), True),
        (served_policy(built_site, without="'wasm-unsafe-eval'"), False),
    ):
        with serve(built_site, headers={"Content-Security-Policy": policy}) as base:
            console_errors(browser)
            open_page(browser, f"{base}/recherche/?q=seuils+planchers", 1280)
            found = outcome(browser)
            errors = console_errors(browser)
        if works:
            assert hrefs(found)[0] == CAMPAIGN, policy
            assert errors == [], policy
        else:
            assert found["results"] == [], policy
            assert found["status"].startswith("La recherche n'a pas pu se charger"), policy


@pytest.mark.browser
def test_the_site_opened_from_its_files_shows_the_archives_link_not_a_dead_box(browser, built_site):
    from selenium.webdriver.common.by import By

    from tests.gates.browser import open_page

    open_page(browser, (built_site / "recherche" / "index.html").as_uri(), 1280)

    unavailable = browser.find_element(By.CSS_SELECTOR, "[data-search-unavailable]")
    assert unavailable.is_displayed()
    assert "pas sur le site ouvert depuis vos fichiers" in unavailable.text
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-page]").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "[data-search-fallback]").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-search-box]").is_displayed()
