"""The foundation: a bilingual site a visitor can read, built strictly and atomically."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from plugins.build import PROJECT_ROOT
from plugins.i18n.formatting import format_date
from plugins.model import ContentError
from tests.conftest import build_copy, read_html
from tests.linkcheck import broken_links, site_path, target_file
from tests.site_bytes import site_files

TRANSLATIONS = PROJECT_ROOT / "theme" / "translations"


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def snapshot(directory: Path) -> dict[str, object]:
    """The site's files, byte for byte (Pagefind's order-only files by what cannot change)."""
    return site_files(directory)


def test_home_lists_the_latest_bulletin_of_each_series(built_site):
    home = built_site / "index.html"
    links = {site_path(built_site, home, a["href"]) for a in read_html(home).select("main a")}
    assert "/campagne/campagne-2013-04-18/" in links
    assert "/info-psoc/info-psoc-01/" in links


def test_french_pages_show_french_dates_from_babel(built_site):
    soup = read_html(built_site / "campagne" / "campagne-2013-04-18" / "index.html")
    time = soup.select_one("main time")
    assert time.get_text() == "18 avril 2013"
    assert time["datetime"].startswith("2013-04-18")


def test_english_subsite_is_in_english(built_site):
    page = built_site / "en" / "info-psoc" / "info-psoc-01" / "index.html"
    soup = read_html(page)
    assert soup.html["lang"] == "en-CA"
    assert soup.select_one("main time").get_text() == "May 17, 2017"
    assert soup.select_one("a.skip-link").get_text() == "Skip to content"
    nav = [a.get_text() for a in soup.select("nav.site-nav a")]
    assert "Subscribe" in nav and "About" in nav
    for link in soup.select("nav.site-nav a, a.site-name"):
        assert site_path(built_site, page, link["href"]).startswith("/en/"), link


def test_babel_formats_dates_without_the_system_locale(monkeypatch):
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("LANG", "C")
    assert format_date(dt.date(2013, 4, 18), "fr") == "18 avril 2013"
    assert format_date(dt.date(2013, 4, 18), "en") == "April 18, 2013"


def test_every_page_is_semantic_html_with_one_h1(built_site):
    for page in html_pages(built_site):
        soup = read_html(page)
        where = page.relative_to(built_site)
        expected = "en-CA" if where.parts[0] == "en" else "fr-CA"
        assert soup.html["lang"] == expected, where
        assert len(soup.find_all("h1")) == 1, where
        for landmark in ("header", "nav", "main", "footer"):
            assert soup.find(landmark) is not None, (where, landmark)


def test_translated_pages_have_reciprocal_hreflang_links(built_site):
    pairs = 0
    for page in html_pages(built_site):
        soup = read_html(page)
        for alternate in soup.select('link[rel="alternate"][hreflang]'):
            target = target_file(built_site, page, alternate["href"])
            assert target.is_file(), (page, alternate["href"])
            back = read_html(target).select('link[rel="alternate"][hreflang]')
            own = site_path(built_site, page, "")
            assert own in {site_path(built_site, target, link["href"]) for link in back}, (
                page,
                target,
            )
            pairs += 1
    assert pairs >= 8  # bulletin, about, members, subscribe, home, archives… both ways


def test_bulletin_links_its_twin_in_the_switcher(built_site):
    page = built_site / "info-psoc" / "info-psoc-01" / "index.html"
    switch = read_html(page).select_one("nav.language-switcher a")
    assert site_path(built_site, page, switch["href"]) == "/en/info-psoc/info-psoc-01/"
    assert switch["hreflang"] == "en"


def test_untranslated_bulletin_links_the_other_home_not_a_missing_page(built_site):
    page = built_site / "campagne" / "campagne-2013-04-18" / "index.html"
    soup = read_html(page)
    assert not soup.select('link[rel="alternate"][hreflang="en-CA"]')
    switch = soup.select_one("nav.language-switcher a")
    assert site_path(built_site, page, switch["href"]) == "/en/"
    assert not (built_site / "en" / "campagne").exists()


def test_series_and_year_archives_list_their_bulletins(built_site):
    def links(page: Path) -> set[str]:
        return {site_path(built_site, page, a["href"]) for a in read_html(page).select("main a")}

    series = built_site / "info-psoc" / "index.html"
    assert read_html(series).h1.get_text() == "INFO-PSOC"
    assert "/info-psoc/info-psoc-01/" in links(series)
    year = built_site / "campagne" / "2013" / "index.html"
    assert "/campagne/campagne-2013-04-18/" in links(year)
    assert "2013" in read_html(year).h1.get_text()


def test_pages_from_the_seeds_are_published(built_site):
    members = read_html(built_site / "membres" / "index.html")
    assert len(members.select("main tbody tr")) == 15
    guide = read_html(built_site / "histoires-docasss" / "index.html")
    assert "#histoiresdOCASSS" in guide.get_text()
    assert (built_site / "politique-accompagnement" / "index.html").is_file()
    assert (built_site / "en" / "about" / "index.html").is_file()


def test_no_placeholder_links_survive(built_site):
    for page in html_pages(built_site):
        assert not read_html(page).select('main a[href="#"]'), page


def test_every_internal_link_and_asset_resolves(built_site):
    assert broken_links(built_site) == []


def test_link_checker_catches_missing_pages_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="/nowhere/">x</a><a href="#here">y</a><p id="here"></p>'
        '<a href="/index.html#gone">z</a>',
        encoding="utf-8",
    )
    problems = broken_links(tmp_path)
    assert len(problems) == 2
    assert "nowhere" in problems[0] and "gone" in problems[1]


def test_every_template_msgid_is_translated_in_both_catalogues():
    pots = sorted(TRANSLATIONS.glob("*.pot"))
    assert pots
    for pot in pots:
        with pot.open("rb") as handle:
            template = read_po(handle)
        for lang in ("fr", "en"):
            po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{pot.stem}.po"
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            for message in template:
                if not message.id:
                    continue
                translated = catalog.get(message.id)
                assert translated is not None, (po.name, message.id)
                strings = (
                    translated.string
                    if isinstance(translated.string, tuple)
                    else (translated.string,)
                )
                assert all(strings), (lang, po.name, message.id)


def test_compiled_catalogues_are_not_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "*.mo"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert tracked.stdout.strip() == ""


def test_a_broken_file_fails_the_build_and_keeps_the_previous_output(project_copy, tmp_path):
    output = tmp_path / "output"
    build_copy(project_copy, output)
    before = snapshot(output)
    assert before

    broken = project_copy / "bulletins" / "info-psoc" / "01.md"
    broken.write_bytes(broken.read_bytes() + b"\n\nCaf\xe9 mal encod\xe9\n")
    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, output)

    messages = [str(problem) for problem in failure.value.problems]
    bad_line = broken.read_bytes().count(b"\n", 0, broken.read_bytes().index(b"\xe9")) + 1
    assert any(
        f"bulletins/info-psoc/01.md:{bad_line}:" in m and f"octet invalide ligne {bad_line}" in m
        for m in messages
    ), messages
    assert snapshot(output) == before
    assert not list(tmp_path.glob(".output-staging*"))


def test_make_site_exits_1_with_the_problem_list(project_copy, tmp_path):
    broken = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    broken.write_bytes(b"\xff\xfe" + broken.read_bytes())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "plugins.build",
            "--content",
            str(project_copy),
            "--output",
            str(tmp_path / "out"),
            "--cache",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert "2013-04-18.md:1:" in result.stderr
    assert "rien n'a été publié" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("builds", [1, 2])
def test_a_pelican_warning_fails_the_build_with_file_and_line(project_copy, tmp_path, builds):
    page = project_copy / "pages" / "membres.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nVoir [la page](" + "{filename}/pages/absente.md).\n",
        encoding="utf-8",
    )
    # A second build in the same process (invoke serve) must fail the same way.
    for _ in range(builds - 1):
        with pytest.raises(ContentError):
            build_copy(project_copy, tmp_path / "output")
    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, tmp_path / "output")
    lines = page.read_text(encoding="utf-8").splitlines()
    assert [str(p) for p in failure.value.problems] == [
        f"content/pages/membres.md:{len(lines)}: lien interne introuvable « pages/absente.md » : "
        "vérifiez le chemin du fichier visé (par exemple {filename}/pages/membres.md)"
    ]


def test_a_rebuild_with_nothing_changed_does_nothing(project_copy, tmp_path):
    output = tmp_path / "output"
    first = build_copy(project_copy, output)
    assert not first.unchanged and first.search is not None
    before = snapshot(output)
    entry = output / "pagefind" / "pagefind-entry.json"
    indexed = entry.stat().st_mtime_ns

    again = build_copy(project_copy, output)
    assert again.unchanged
    assert again.search is None and entry.stat().st_mtime_ns == indexed  # not indexed again
    assert snapshot(output) == before

    (output / "index.html").write_text("abîmé à la main", encoding="utf-8")
    repaired = build_copy(project_copy, output)
    assert not repaired.unchanged
    assert snapshot(output) == before

    page = project_copy / "pages" / "membres.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", "utf-8")
    edited = build_copy(project_copy, output)
    assert not edited.unchanged
    assert "Une phrase de plus." in (output / "membres" / "index.html").read_text("utf-8")


def test_french_dates_write_the_first_of_the_month_as_an_ordinal():
    assert format_date(dt.date(2013, 3, 1), "fr") == "1er mars 2013"
    assert format_date(dt.date(2021, 10, 11), "fr") == "11 octobre 2021"
    assert format_date(dt.date(2013, 3, 1), "en") == "March 1, 2013"


def test_a_huge_file_is_refused_before_anything_reads_it(project_copy, tmp_path):
    huge = project_copy / "bulletins" / "info-psoc" / "02.md"
    header = "Title: Trop long\nDate: 2017-06-01\nSeries: info-psoc\nNumber: 2\n\n"
    huge.write_text(header + "## Budget\n\n" + "Du texte collé. " * 80_000, "utf-8")
    size = huge.stat().st_size
    assert size > 1_000_000

    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, tmp_path / "output")
    assert [str(p) for p in failure.value.problems] == [
        f"content/bulletins/info-psoc/02.md:1: fichier trop volumineux "
        f"({str(round(size / 1e6, 1)).replace('.', ',')} Mo ; limite 1 Mo) : découpez-le en "
        "plusieurs bulletins, ou retirez le texte ou les images collés par erreur"
    ]
    assert not (tmp_path / "output").exists()

    check = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(PROJECT_ROOT), "check"]
        + ["--content", str(project_copy)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert check.returncode == 1
    assert "02.md:1: fichier trop volumineux" in check.stdout
