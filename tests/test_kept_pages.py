"""A rebuild keeps, from the published site, the pages nothing changed
(plugins.content.kept), and publishes the bytes a build from nothing publishes."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

from plugins.build import build_site
from plugins.build.staging import spare_of
from tests.conftest import CONF, build_copy
from tests.site_bytes import differing_files

INFO = Path("bulletins/info-psoc/01.md")
INFO_PAGE = "info-psoc/info-psoc-01/index.html"
CAMPAIGN = Path("bulletins/campagne/2013-04-18.md")
CAMPAIGN_PAGE = "campagne/campagne-2013-04-18/index.html"
TWIN_PAGE = "en/info-psoc/info-psoc-01/index.html"
# Made of every bulletin's body: always made again, never kept.
BODIES = ("flux/", "en/flux/", "pagefind/", ".pdf", ".ics", ".xml")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{text}\n", "utf-8")


def fingerprints(site: Path) -> dict[str, str]:
    """Each file of the site → the digest of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in site.rglob("*")
        if path.is_file()
    }


def same_file(first: Path, second: Path) -> bool:
    return first.stat().st_ino == second.stat().st_ino


def cold_build(content: Path, tmp_path: Path, name: str) -> Path:
    """The same content built from nothing: its own output and cache."""
    root = tmp_path / name
    return build_copy(content, root / "output", BUILD_CACHE_PATH=root / "cache").output


def test_an_edited_body_renders_its_page_again_and_keeps_every_other(project_copy, tmp_path):
    output = build_copy(project_copy, tmp_path / "output").output
    before = (output / CAMPAIGN_PAGE).read_bytes()
    append(project_copy / INFO, "Précision ajoutée après relecture : le seuil reste à 10 %.")

    build_copy(project_copy, output)

    previous = spare_of(output)  # the site it replaced
    for page in (CAMPAIGN_PAGE, TWIN_PAGE, "a-propos/index.html", "index.html"):
        assert same_file(output / page, previous / page), page
    # A feed is kept too when none of its items changed: the series' other than INFO-PSOC's.
    for feed in ("flux/campagne.atom.xml", "en/feeds/bulletins.rss.xml"):
        assert same_file(output / feed, previous / feed), feed
    for page in (INFO_PAGE, "flux/bulletins.atom.xml", "flux/info-psoc.rss.xml"):
        assert not same_file(output / page, previous / page), page
    assert "le seuil reste à 10" in (output / INFO_PAGE).read_text(encoding="utf-8")
    assert (output / CAMPAIGN_PAGE).read_bytes() == before
    assert differing_files(output, cold_build(project_copy, tmp_path, "cold")) == []


def test_the_published_site_never_changes_while_the_next_builds_write(project_copy, tmp_path):
    """Kept pages and reused search shards are hard links between the published site
    and the one before it: the next build writes over that one, and must never write
    into a shared file. (Small shards: the sample site's index then has several.)"""
    shards = {"SEARCH_SHARD_PAGES": 4}
    output = build_copy(project_copy, tmp_path / "output", **shards).output
    assert list((output / "pagefind" / "shards").iterdir())
    # Each edit renders again a page the build before kept (a shared file).
    for number, bulletin in enumerate((INFO, CAMPAIGN, INFO, CAMPAIGN), start=1):
        published = fingerprints(output)
        append(project_copy / bulletin, f"Précision n° {number} ajoutée après relecture.")
        build_copy(project_copy, output, **shards)
        assert fingerprints(spare_of(output)) == published  # now the site before it
    cold = build_copy(project_copy, tmp_path / "cold", BUILD_CACHE_PATH=tmp_path / "c2", **shards)
    assert differing_files(output, cold.output) == []


def test_a_title_a_meeting_or_a_template_change_renders_every_page(project_copy, tmp_path):
    output = build_copy(project_copy, tmp_path / "output").output
    bulletin = project_copy / INFO
    bulletin.write_text(
        bulletin.read_text(encoding="utf-8").replace("Title: ", "Title: Édition révisée — ", 1),
        encoding="utf-8",
    )
    meeting = next((project_copy / "reunions").rglob("*.md"))
    append(meeting, "Salle confirmée la veille.")

    build_copy(project_copy, output)

    for page in (CAMPAIGN_PAGE, "a-propos/index.html", "index.html"):
        assert not same_file(output / page, spare_of(output) / page), page
    assert "Édition révisée" in (output / "index.html").read_text(encoding="utf-8")
    assert differing_files(output, cold_build(project_copy, tmp_path, "cold")) == []


def test_a_page_changed_by_hand_in_output_is_written_again(project_copy, tmp_path):
    output = build_copy(project_copy, tmp_path / "output").output
    (output / CAMPAIGN_PAGE).write_text("changé à la main", encoding="utf-8")
    append(project_copy / INFO, "Précision ajoutée après relecture.")

    build_copy(project_copy, output)

    assert differing_files(output, cold_build(project_copy, tmp_path, "cold")) == []


def test_a_removed_bulletin_leaves_the_site_and_its_search_from_the_third_build_on(
    project_copy, tmp_path
):
    """From the third build on, a build writes over the site before the published one
    (the spare), which still has every page it had: the removed twin's page there is
    neither indexed by the search nor published."""
    output = build_copy(project_copy, tmp_path / "output").output
    append(project_copy / INFO, "Précision ajoutée après relecture.")
    build_copy(project_copy, output)
    assert (spare_of(output) / TWIN_PAGE).is_file()
    (project_copy / INFO.with_suffix(".en.md")).unlink()

    build_copy(project_copy, output)

    assert not (output / TWIN_PAGE).exists()
    fragments = (output / "pagefind" / "fragment").iterdir()
    urls = [gzip.decompress(fragment.read_bytes()) for fragment in fragments]
    assert not [url for url in urls if b"/en/info-psoc/info-psoc-01/" in url]
    assert differing_files(output, cold_build(project_copy, tmp_path, "cold")) == []


def test_a_forced_build_renders_every_page(project_copy, tmp_path):
    output = build_copy(project_copy, tmp_path / "output").output
    settings = {"PATH": str(project_copy), "BUILD_CACHE_PATH": str(project_copy.parent / "cache")}

    build_site(CONF, output=output, overrides=settings, force=True)

    assert not same_file(output / CAMPAIGN_PAGE, spare_of(output) / CAMPAIGN_PAGE)


def test_no_other_page_shows_a_bulletins_body(project_copy, tmp_path):
    """What plugins.content.kept relies on, held against the theme: a sentence added to
    one bulletin's body changes its own page (not its twin's), and otherwise only what
    is always made again (feeds, PDF editions, calendars, the search index)."""
    first = cold_build(project_copy, tmp_path, "first")
    kept = tmp_path / "first-site"
    shutil.copytree(first, kept)
    append(project_copy / INFO, "Précision ajoutée après relecture.")
    second = cold_build(project_copy, tmp_path, "second")

    changed = [name.split(" (")[0] for name in differing_files(kept, second)]
    pages = [name for name in changed if not any(part in name for part in BODIES)]
    assert pages == [INFO_PAGE]
    assert TWIN_PAGE not in changed


def test_a_kept_page_removed_from_output_during_the_build_is_one_french_problem(tmp_path):
    """Between the check that output/ is as the last build left it and the links, a
    page removed by hand cannot be published: the build stops and says which."""
    from plugins.build import changed_during_build
    from plugins.content.kept import KeptPages

    published, staged = tmp_path / "output", tmp_path / ".output-staging-x"
    (published / "a-propos").mkdir(parents=True)
    (published / "a-propos" / "index.html").write_text("<p>À propos</p>", encoding="utf-8")
    staged.mkdir()
    previous = {name: ("key", [name]) for name in ("a-propos/index.html", "index.html")}
    kept = KeptPages("site", staged, published, previous)
    assert kept.keep("a-propos/index.html", "key") and kept.keep("index.html", "key")

    gone = kept.link_kept()

    assert gone == ["index.html"]
    assert (staged / "a-propos" / "index.html").samefile(published / "a-propos" / "index.html")
    assert str(changed_during_build(published, gone)).endswith(
        "output/index.html a été supprimé pendant la construction : relancez la construction"
    )
