"""Meetings as subscribers and readers see them: ICS read by icalendar, pages, the bulletin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from plugins.build import PROJECT_ROOT, language_settings
from plugins.meetings.ics import ICS_STATUS, meeting_event
from plugins.meetings.reading import split_body
from plugins.model import ContentError, Meeting, MeetingStatus
from plugins.validation import check_content
from tests.conftest import CONF, build_copy, read_html
from tests.linkcheck import site_path

EVENTS_PER_GROUP = {
    "gt-financement": 6,
    "comite-strategique": 4,
    "comite-covid": 7,
    "comite-liaison": 1,
    "comite-vision": 13,
    "comite-psoc": 16,
    "assemblees": 15,
    "comite-ad-hoc-actions": 2,
    "rq-aca-encadrement": 5,
    "rq-aca-strategie-intersectorielle": 4,
}
SCHEDULE = [
    ("Rencontre 1", "2013-03-01", "1er mars 2013", "Échange et proposition d'un plan de travail"),
    ("Rencontre 2", "2013-04-16", "16 avril 2013", "Échange et analyse autour de la contribution"),
    ("Rencontre 3", "2013-05-13", "13 mai 2013", "Échange sur la structure et la mécanique"),
    ("Rencontre 4", "2013-06-26", "26 juin 2013", "Identification des dynamiques qui ont créé"),
    ("Rencontre 5", "2013-08-28", "28 août 2013", "Identification de solutions acceptables"),
    (
        "Rencontre 6",
        "2013-09-25",
        "25 septembre 2013",
        "Identification des stratégies qui permettent",
    ),
]
TIMED_MEETING = """Title: Rencontre du comité PSOC sur les modes de financement
Date: 2030-06-14 09:30
End: 2030-06-14 12:00
Group: comite-psoc
Number: 3
Location: Québec
Status: reportée

## Objectifs

Présenter les résultats des travaux du comité.

## Compte rendu

À venir.
"""


def read_ics(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def settings_for(content: Path, **overrides) -> dict:
    """Full Pelican settings of the French run on a copy of the content."""
    return language_settings(
        CONF, "fr", content.parent / "output", {"PATH": str(content), **overrides}
    )


@pytest.fixture(scope="module")
def timed_site(tmp_path_factory) -> Path:
    """The sample content plus one future timed meeting, with a frozen today."""
    import shutil

    root = tmp_path_factory.mktemp("timed")
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "reunions" / "comite-psoc" / "2030-06-14-modes-de-financement.md").write_text(
        TIMED_MEETING, encoding="utf-8"
    )
    return build_copy(content, root / "output", BUILD_TODAY="2013-05-01").output


# --- ICS -------------------------------------------------------------------


def test_each_group_ics_has_one_event_per_meeting_file(built_site):
    for group, count in EVENTS_PER_GROUP.items():
        assert len(events(read_ics(built_site / "calendrier" / f"{group}.ics"))) == count, group
    everything = events(read_ics(built_site / "calendrier" / "toutes-les-rencontres.ics"))
    assert len(everything) == sum(EVENTS_PER_GROUP.values())
    english = events(read_ics(built_site / "en" / "calendar" / "all-meetings.ics"))
    assert len(english) == len(everything)


def test_uids_derive_from_meeting_files_and_are_unique(built_site):
    calendar = read_ics(built_site / "calendrier" / "toutes-les-rencontres.ics")
    uids = [str(event["UID"]) for event in events(calendar)]
    assert len(set(uids)) == len(uids)
    files = [
        f
        for f in sorted((PROJECT_ROOT / "content" / "reunions").rglob("*/*.md"))
        if not f.name.endswith(".en.md")  # English twins share their original's UID
    ]
    expected = {
        f.relative_to(PROJECT_ROOT / "content" / "reunions").with_suffix("").as_posix()
        for f in files
    }
    assert {uid.split("@")[0] for uid in uids} == {e.replace("/", "-") for e in expected}
    assert "gt-financement-2013-03-01-rencontre-1@ctroc.org" in uids


def test_ics_bytes_and_uids_are_identical_across_builds(built_site, timed_site):
    for name in ("gt-financement.ics", "assemblees.ics", "comite-vision.ics"):
        assert (built_site / "calendrier" / name).read_bytes() == (
            timed_site / "calendrier" / name
        ).read_bytes(), name


def test_all_day_meetings_use_dates_with_exclusive_end(built_site):
    calendar = read_ics(built_site / "calendrier" / "assemblees.ics")
    by_uid = {str(e["UID"]): e for e in events(calendar)}
    agr = by_uid["assemblees-2022-03-28-agr@ctroc.org"]
    assert agr["DTSTART"].dt == dt.date(2022, 3, 28)
    assert not isinstance(agr["DTSTART"].dt, dt.datetime)
    assert agr["DTEND"].dt == dt.date(2022, 4, 1)  # 28 to 31 March inclusive
    assert str(agr["LOCATION"]) == "Auberge Saint-Pierre, Québec"
    aga = by_uid["assemblees-2021-10-15-aga@ctroc.org"]
    assert str(aga["LOCATION"]) == "Manoir du Lac Delage, Québec"
    assert aga["DTEND"].dt == dt.date(2021, 10, 16)


def test_timed_meeting_has_tzid_and_a_quebec_vtimezone(timed_site):
    calendar = read_ics(timed_site / "calendrier" / "comite-psoc.ics")
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["America/Montreal"]
    raw = (timed_site / "calendrier" / "comite-psoc.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=America/Montreal:20300614T093000" in raw
    assert "DTEND;TZID=America/Montreal:20300614T120000" in raw
    event = next(e for e in events(calendar) if "modes-de-financement" in str(e["UID"]))
    start = event["DTSTART"].dt
    assert start.utcoffset() == dt.timedelta(hours=-4)  # summer time in Quebec
    assert start.astimezone(dt.UTC).hour == 13
    assert str(event["STATUS"]) == "TENTATIVE"  # reportée


def test_status_is_mapped_for_every_meeting_status():
    assert {status.value: ICS_STATUS[status] for status in MeetingStatus} == {
        "prévue": "CONFIRMED",
        "tenue": "CONFIRMED",
        "reportée": "TENTATIVE",
        "annulée": "CANCELLED",
    }
    start = dt.datetime(2030, 1, 10, tzinfo=dt.UTC)
    for status, expected in ICS_STATUS.items():
        meeting = Meeting(
            "content/reunions/x/a.md", "A", start, start, True, "x", None, "", status,
            "<p>Objectif</p>", "", "a", "x-a@ctroc.org",
        )  # fmt: skip
        assert str(meeting_event(meeting, "http://x/", "X")["STATUS"]) == expected


def test_held_meetings_are_confirmed_with_url_description_and_dtstamp(built_site):
    calendar = read_ics(built_site / "calendrier" / "gt-financement.ics")
    first = next(e for e in events(calendar) if str(e["UID"]).endswith("rencontre-1@ctroc.org"))
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["URL"]) == (
        "http://localhost:8000/calendrier/gt-financement/2013-03-01-rencontre-1/"
    )
    assert str(first["DESCRIPTION"]).startswith("Échange et proposition d'un plan de travail")
    assert "<p>" not in str(first["DESCRIPTION"])
    assert first["DTSTAMP"].dt == dt.datetime(2013, 3, 1, 5, 0, tzinfo=dt.UTC)


def test_every_ics_url_is_a_real_meeting_page(built_site):
    for lang_dir, folder in (("", "calendrier"), ("en", "calendar")):
        root = built_site / lang_dir if lang_dir else built_site
        name = "toutes-les-rencontres.ics" if folder == "calendrier" else "all-meetings.ics"
        for event in events(read_ics(root / folder / name)):
            path = str(event["URL"]).removeprefix("http://localhost:8000/")
            assert (built_site / path / "index.html").is_file(), path


# --- the schedule embedded in the campaign bulletin -------------------------


def test_campaign_bulletin_schedule_comes_from_meeting_files(built_site):
    page = read_html(built_site / "campagne" / "campagne-2013-04-18" / "index.html")
    heading = page.find("h2", id="lecheancier-du-groupe-de-travail")
    table = heading.find_next("table")
    assert "schedule" in table["class"]
    assert [th.get_text() for th in table.thead.find_all("th")] == [
        "Rencontre",
        "Date",
        "Statut",
        "Objectifs de la rencontre",
    ]
    rows = table.tbody.find_all("tr")
    assert len(rows) == 6
    for row, (number, iso, label, objective) in zip(rows, SCHEDULE, strict=True):
        cells = row.find_all(["th", "td"])
        assert cells[0].get_text() == number
        assert cells[1].time["datetime"] == iso
        assert cells[1].get_text() == label
        assert cells[2].get_text() == "Tenue"
        assert cells[3].get_text().startswith(objective)
    assert "[[calendrier" not in page.get_text()
    assert heading.find_next("p").get_text().startswith("Le groupe de travail MSSS")


# --- pages -----------------------------------------------------------------


def test_group_page_lists_meetings_with_status_and_objectives(built_site):
    path = built_site / "calendrier" / "gt-financement" / "index.html"
    page = read_html(path)
    past = page.find("h2", id="passees").find_parent("section")
    items = past.select("li.meeting")
    assert len(items) == 6
    assert "Rencontre 6" in items[0].h3.get_text()  # most recent first
    assert "25 septembre 2013" in items[0].get_text()
    assert "Statut : Tenue" in " ".join(items[0].get_text().split())
    assert "Identification des stratégies" in items[0].get_text()
    link = site_path(built_site, path, items[0].h3.a["href"])
    assert link == "/calendrier/gt-financement/2013-09-25-rencontre-6/"
    ics = site_path(built_site, path, page.find("link", type="text/calendar")["href"])
    assert ics == "/calendrier/gt-financement.ics"


def test_meeting_page_shows_objectives_then_minutes(built_site):
    page = read_html(
        built_site / "calendrier" / "gt-financement" / "2013-04-16-rencontre-2" / "index.html"
    )
    headings = [h.get_text() for h in page.find("main").find_all("h2")]
    assert headings == ["Objectifs", "Compte rendu"]
    assert (
        "seuils planchers nationaux"
        in page.find("section", attrs={"aria-labelledby": "compte-rendu"}).get_text()
    )


def test_all_groups_page_links_each_group(built_site):
    path = built_site / "calendrier" / "index.html"
    page = read_html(path)
    links = {site_path(built_site, path, a["href"]) for a in page.select(".group-list a")}
    assert links == {f"/calendrier/{group}/" for group in EVENTS_PER_GROUP}
    assert "15 rencontres" in page.select_one(".group-list").get_text()


def test_english_calendar_has_translated_labels_and_english_dates(built_site):
    path = built_site / "en" / "calendar" / "gt-financement" / "index.html"
    page = read_html(path)
    text = " ".join(page.find("main").get_text().split())
    assert "Past meetings" in text and "Upcoming meetings" in text
    assert "March 1, 2013" in text
    assert "Status: Held" in text
    assert "Rencontres passées" not in text
    link = site_path(built_site, path, page.select_one("li.meeting h3 a")["href"])
    assert link == "/en/calendar/gt-financement/2013-09-25-rencontre-6/"
    assert (built_site / link.removeprefix("/") / "index.html").is_file()
    switch = page.select_one(".language-switcher a")
    assert site_path(built_site, path, switch["href"]) == "/calendrier/gt-financement/"
    home = read_html(built_site / "en" / "calendar" / "index.html")
    assert "Meeting calendar" in home.h1.get_text()


def test_navigation_links_calendar_and_budget(built_site):
    def nav_of(page: Path) -> dict[str, str]:
        links = read_html(page).select(".site-nav a")
        return {a.get_text(): site_path(built_site, page, a["href"]) for a in links}

    nav = nav_of(built_site / "index.html")
    assert nav["Calendrier"] == "/calendrier/" and nav["Budget"] == "/budget/"
    nav = nav_of(built_site / "en" / "index.html")
    assert nav["Calendar"] == "/en/calendar/" and nav["Budget"] == "/en/budget/"


def test_upcoming_meetings_come_first_and_reach_the_home_page(timed_site):
    page = read_html(timed_site / "calendrier" / "gt-financement" / "index.html")
    upcoming = page.find("h2", id="a-venir").find_parent("section").select("li.meeting")
    past = page.find("h2", id="passees").find_parent("section").select("li.meeting")
    assert [li.h3.get_text()[:11] for li in upcoming] == [f"Rencontre {n}" for n in (3, 4, 5, 6)]
    assert [li.h3.get_text()[:11] for li in past] == ["Rencontre 2", "Rencontre 1"]
    home = timed_site / "index.html"
    section = read_html(home).find("h2", id="prochaines-rencontres").find_parent("section")
    assert "Rencontre 3 du Groupe de travail" in section.select("li.meeting")[0].get_text()
    assert "/calendrier/" in {site_path(timed_site, home, a["href"]) for a in section("a")}


def test_subscribe_page_lists_every_calendar(built_site):
    page = read_html(built_site / "abonnement" / "index.html")
    values = {field.get("value") for field in page.find_all("input")}
    assert "http://localhost:8000/calendrier/toutes-les-rencontres.ics" in values
    assert "http://localhost:8000/calendrier/gt-financement.ics" in values


# --- bad input ---------------------------------------------------------------


BAD_MEETINGS = {
    "reunions/comite-psoc/2021-01-01-fin.md": (
        "Title: Fin avant début\nDate: 2021-01-02 10:00\nEnd: 2021-01-01 09:00\n"
        "Group: comite-psoc\nStatus: tenue\n",
        "content/reunions/comite-psoc/2021-01-01-fin.md:3: la fin (2021-01-01 09:00) "
        "précède le début (2021-01-02 10:00)",
    ),
    "reunions/comite-psoc/2021-01-03-groupe.md": (
        "Title: Groupe inconnu\nDate: 2021-01-03\nGroup: comite-psc\nStatus: tenue\n",
        "content/reunions/comite-psoc/2021-01-03-groupe.md:3: groupe inconnu « comite-psc » "
        "— vouliez-vous dire « comite-psoc » ? ; groupes connus (GROUPS dans pelicanconf.py) : "
        "gt-financement, comite-strategique",
    ),
    "reunions/comite-psoc/2021-01-04-statut.md": (
        "Title: Statut inconnu\nDate: 2021-01-04\nGroup: comite-psoc\nStatus: faite\n",
        "content/reunions/comite-psoc/2021-01-04-statut.md:4: statut inconnu « faite » ; "
        "statuts possibles : prévue, tenue, reportée, annulée",
    ),
    "reunions/comite-psoc/2021-01-05-passee.md": (
        "Title: Passée mais prévue\nDate: 2021-01-05\nGroup: comite-psoc\nStatus: prévue\n",
        "content/reunions/comite-psoc/2021-01-05-passee.md:4: rencontre passée (2021-01-05) "
        "encore « prévue » : indiquez « tenue », « reportée » ou « annulée »",
    ),
    "reunions/comite-psoc/2021-01-06-sans-titre.md": (
        "Date: 2021-01-06\nGroup: comite-psoc\nStatus: tenue\n",
        "content/reunions/comite-psoc/2021-01-06-sans-titre.md:1: métadonnée obligatoire "
        "manquante « Title »",
    ),
    "reunions/comite-psoc/2021-01-07-sans-groupe.md": (
        "Title: Sans groupe\nDate: 2021-01-07\nStatus: tenue\n",
        "content/reunions/comite-psoc/2021-01-07-sans-groupe.md:1: métadonnée obligatoire "
        "manquante « Group »",
    ),
    "reunions/comite-psoc/2021-01-08-sans-date.md": (
        "Title: Sans date\nGroup: comite-psoc\nStatus: tenue\n",
        "content/reunions/comite-psoc/2021-01-08-sans-date.md:1: métadonnée obligatoire "
        "manquante « Date »",
    ),
    "reunions/gt-financement/2013-10-30-rencontre-7.md": (
        "Title: Rencontre 7\nDate: 2013-10-30\nGroup: gt-financement\nNumber: 6\nStatus: tenue\n",
        "content/reunions/gt-financement/2013-10-30-rencontre-7.md:4: numéro 6 déjà utilisé par "
        "content/reunions/gt-financement/2013-09-25-rencontre-6.md dans le groupe "
        "« gt-financement »",
    ),
}


def write_bad_meetings(content: Path) -> None:
    for relative, (text, _message) in BAD_MEETINGS.items():
        (content / relative).write_text(text, encoding="utf-8")


def test_each_bad_meeting_has_its_french_message_with_file_and_line(project_copy):
    write_bad_meetings(project_copy)
    problems = [str(p) for p in check_content(settings_for(project_copy))[1]]
    for _text, message in BAD_MEETINGS.values():
        assert any(p.startswith(message) for p in problems), (message, problems)
    assert len(problems) == len(BAD_MEETINGS)


def test_unknown_group_in_a_bulletin_marker_names_file_and_line(project_copy):
    bulletin = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    text = bulletin.read_text(encoding="utf-8").replace(
        "[[calendrier gt-financement]]", "[[calendrier gt-finance]]"
    )
    bulletin.write_text(text, encoding="utf-8")
    line = text.splitlines().index("[[calendrier gt-finance]]") + 1
    problems = [str(p) for p in check_content(settings_for(project_copy))[1]]
    assert problems == [
        f"content/bulletins/campagne/2013-04-18.md:{line}: calendrier d'un groupe inconnu "
        "« gt-finance » — vouliez-vous dire « gt-financement » ? ; groupes connus : "
        "gt-financement, comite-strategique, comite-covid, comite-liaison, comite-vision, "
        "comite-psoc, assemblees, comite-ad-hoc-actions, rq-aca-encadrement, "
        "rq-aca-strategie-intersectorielle"
    ]


def test_a_past_planned_meeting_is_fine_before_its_date(project_copy):
    write_bad_meetings(project_copy)
    problems = check_content(settings_for(project_copy, BUILD_TODAY="2021-01-05"))[1]
    assert not any("encore « prévue »" in p.message for p in problems)


def test_bad_meetings_fail_the_build_and_write_no_calendar(project_copy, tmp_path):
    write_bad_meetings(project_copy)
    output = tmp_path / "output"
    with pytest.raises(ContentError) as error:
        build_copy(project_copy, output)
    messages = [str(p) for p in error.value.problems]
    for _text, message in BAD_MEETINGS.values():
        assert any(m.startswith(message) for m in messages), message
    assert not output.exists()


def test_body_splits_into_objectives_and_minutes():
    html = '<h2 id="o">Objectifs</h2><p>A</p><h2 id="c">Compte rendu</h2><p>B</p>'
    assert split_body(html) == ("<p>A</p>", "<p>B</p>")
    assert split_body("<p>Seul</p>") == ("<p>Seul</p>", "")


def test_schedule_reaches_the_pdf_edition_and_the_feed(built_site):
    import feedparser
    from pypdf import PdfReader

    pdf = built_site / "campagne" / "campagne-2013-04-18" / "campagne-2013-04-18.pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    for number, _iso, label, _objective in SCHEDULE:
        assert f"{number} {label}" in text
    feed = feedparser.parse(str(built_site / "flux" / "campagne.atom.xml"))
    content = feed.entries[0].content[0].value
    assert content.count("<tr") == 7  # header + 6 meetings
    assert content.count("Tenue") == 6
    assert "Rencontre 6" in content and "[[calendrier" not in content


def test_schedule_table_speaks_the_bulletins_language():
    from plugins.meetings.schedule import schedule_table

    start = dt.datetime(2013, 3, 1, tzinfo=dt.UTC)
    meeting = Meeting(
        "content/reunions/gt/a.md", "A", start, start, True, "gt", 1, "", MeetingStatus.HELD,
        "<p>Objectif</p>", "", "a", "gt-a@ctroc.org",
    )  # fmt: skip
    from bs4 import BeautifulSoup

    theme = str(PROJECT_ROOT / "theme")
    english = BeautifulSoup(schedule_table([meeting], "en", theme), "html.parser")
    assert [th.get_text() for th in english.thead.find_all("th")] == [
        "Meeting",
        "Date",
        "Status",
        "Objectives of the meeting",
    ]
    assert english.tbody.th.get_text() == "Meeting 1"
    assert english.tbody.time.get_text() == "March 1, 2013"


def test_unreadable_meeting_files_are_problems_not_tracebacks(project_copy):
    folder = project_copy / "reunions" / "comite-covid"
    (folder / "2021-02-01-latin1.md").write_bytes(
        b"Title: R\xe9union\nDate: 2021-02-01\nGroup: comite-covid\nStatus: tenue\n"
    )
    dates = {
        "2021-02-02-date.md": "demain matin",
        "2021-02-30-date.md": "2021-02-30",
        "2021-02-03-heure.md": "2021-02-03 25:70",
    }
    for name, date in dates.items():
        (folder / name).write_text(
            f"Title: Une date\nGroup: comite-covid\nDate: {date}\nStatus: tenue\n",
            encoding="utf-8",
        )
    problems = [str(p) for p in check_content(settings_for(project_copy))[1]]
    assert any(
        p.startswith(
            "content/reunions/comite-covid/2021-02-01-latin1.md:1: impossible de lire ce fichier : "
            "le fichier n'est pas en UTF-8 (octet invalide ligne 1)"
        )
        for p in problems
    ), problems
    assert any(
        p.startswith(
            "content/reunions/comite-covid/2021-02-02-date.md:3: date illisible « demain matin » : "
            "écrivez AAAA-MM-JJ ou AAAA-MM-JJ HH:MM"
        )
        for p in problems
    ), problems
    assert (
        "content/reunions/comite-covid/2021-02-30-date.md:3: date impossible « 2021-02-30 » : "
        "écrivez une date réelle sous la forme AAAA-MM-JJ (par exemple 2021-09-07)"
    ) in problems
    assert (
        "content/reunions/comite-covid/2021-02-03-heure.md:3: date impossible « 2021-02-03 25:70 » "
        ": écrivez une date et une heure réelles (par exemple 2021-09-07 09:30)"
    ) in problems


def test_english_twin_files_translate_meetings_in_english_pages_and_ics(built_site):
    page = read_html(built_site / "en" / "calendar" / "gt-financement" / "index.html")
    title = page.select_one("li.meeting h3 a")
    assert title.get_text().startswith("Meeting 6 of the MSSS – community sector working group")
    assert title["lang"] == "en"
    meeting = read_html(
        built_site / "en" / "calendar" / "gt-financement" / "2013-04-16-rencontre-2" / "index.html"
    )
    assert [h.get_text() for h in meeting.find("main").find_all("h2")] == ["Objectives", "Minutes"]
    assert "national funding floors" in meeting.find("main").get_text()
    english = read_ics(built_site / "en" / "calendar" / "gt-financement.ics")
    french = read_ics(built_site / "calendrier" / "gt-financement.ics")
    assert {str(e["UID"]) for e in events(english)} == {str(e["UID"]) for e in events(french)}
    first = next(e for e in events(english) if "rencontre-1@" in str(e["UID"]))
    assert str(first["SUMMARY"]).startswith("Meeting 1 of the MSSS")
    assert str(first["DESCRIPTION"]).startswith("Discussion and proposal of a short-term")
    assert str(first["URL"]).endswith("/en/calendar/gt-financement/2013-03-01-rencontre-1/")
    french_page = read_html(built_site / "calendrier" / "gt-financement" / "index.html")
    assert french_page.select_one("li.meeting h3 a")["lang"] == "fr"


def test_english_twin_without_french_meeting_is_a_problem(project_copy):
    orphan = project_copy / "reunions" / "comite-covid" / "2021-02-03-orphelin.en.md"
    orphan.write_text("Title: Orphan\nLang: en\n", encoding="utf-8")
    problems = [str(p) for p in check_content(settings_for(project_copy))[1]]
    assert problems == [
        "content/reunions/comite-covid/2021-02-03-orphelin.en.md:1: traduction sans rencontre "
        "française : créez d'abord content/reunions/comite-covid/2021-02-03-orphelin.md "
        "(ou corrigez le nom du fichier)"
    ]


# --- issue 7: status in schedules, mistyped markers, seed 003, SEQUENCE, memo ----------


def meeting_with(status: MeetingStatus) -> Meeting:
    start = dt.datetime(2013, 3, 1, tzinfo=dt.UTC)
    return Meeting(
        "content/reunions/gt/a.md", "A", start, start, True, "gt", 1, "", status,
        "<p>Objectif</p>", "", "a", "gt-a@ctroc.org",
    )  # fmt: skip


def test_schedule_table_shows_a_postponed_or_cancelled_meeting_in_words():
    from bs4 import BeautifulSoup

    from plugins.meetings.schedule import schedule_table

    theme = str(PROJECT_ROOT / "theme")
    meetings = [meeting_with(MeetingStatus.POSTPONED), meeting_with(MeetingStatus.CANCELLED)]
    french = BeautifulSoup(schedule_table(meetings, "fr", theme), "html.parser")
    assert [row.find_all("td")[1].get_text() for row in french.tbody.find_all("tr")] == [
        "Reportée",
        "Annulée",
    ]
    english = BeautifulSoup(schedule_table(meetings, "en", theme), "html.parser")
    assert [row.find_all("td")[1].get_text() for row in english.tbody.find_all("tr")] == [
        "Postponed",
        "Cancelled",
    ]


def test_a_cancelled_meeting_reads_as_cancelled_in_the_bulletin_and_its_feed(
    project_copy, tmp_path
):
    import feedparser

    meeting = project_copy / "reunions" / "gt-financement" / "2013-09-25-rencontre-6.md"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("Status: tenue", "Status: annulée"),
        encoding="utf-8",
    )
    output = build_copy(project_copy, tmp_path / "output").output
    page = read_html(output / "campagne" / "campagne-2013-04-18" / "index.html")
    last = page.select("table.schedule tbody tr")[-1]
    assert last.th.get_text() == "Rencontre 6"
    assert last.find_all("td")[1].get_text() == "Annulée"
    feed = feedparser.parse(str(output / "flux" / "campagne.atom.xml"))
    assert "Annulée" in feed.entries[0].content[0].value


MISTYPED = {
    "[[calendrier]]": "marqueur de calendrier sans groupe « [[calendrier]] » — vouliez-vous "
    "dire « [[calendrier gt-financement]] » ?",
    "[[calandrier gt-financement]]": "marqueur de calendrier mal écrit « [[calandrier "
    "gt-financement]] » — vouliez-vous dire « [[calendrier gt-financement]] » ?",
    "[calendrier gt-financement]": "marqueur de calendrier mal écrit « [calendrier "
    "gt-financement] » — vouliez-vous dire « [[calendrier gt-financement]] » ?",
    "Voir [[calendrier gt-financement]] ici.": "marqueur « [[calendrier gt-financement]] » "
    "au milieu d'un texte",
}


@pytest.mark.parametrize("written", list(MISTYPED))
def test_a_mistyped_marker_is_a_french_problem_at_its_line(project_copy, written):
    bulletin = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    text = bulletin.read_text(encoding="utf-8").replace("[[calendrier gt-financement]]", written)
    bulletin.write_text(text, encoding="utf-8")
    line = text.splitlines().index(written) + 1
    problems = [str(p) for p in check_content(settings_for(project_copy))[1]]
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f"content/bulletins/campagne/2013-04-18.md:{line}: {MISTYPED[written]}"
    )


def test_a_mistyped_marker_fails_the_build(project_copy, tmp_path):
    bulletin = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    text = bulletin.read_text(encoding="utf-8").replace(
        "[[calendrier gt-financement]]", "[[calandrier gt-financement]]"
    )
    bulletin.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build_copy(project_copy, tmp_path / "output")
    assert any("vouliez-vous dire « [[calendrier" in str(p) for p in error.value.problems)


def test_harmless_marker_variants_are_expanded(project_copy, tmp_path):
    bulletin = project_copy / "bulletins" / "campagne" / "2013-04-18.md"
    text = bulletin.read_text(encoding="utf-8").replace(
        "[[calendrier gt-financement]]", "[[ Calendrier   GT-Financement ]]"
    )
    bulletin.write_text(text, encoding="utf-8")
    assert check_content(settings_for(project_copy))[1] == []
    output = build_copy(project_copy, tmp_path / "output").output
    page = read_html(output / "campagne" / "campagne-2013-04-18" / "index.html")
    assert len(page.select("table.schedule tbody tr")) == 6
    assert "[[" not in page.get_text()


def test_a_bracketed_text_that_is_not_a_marker_is_left_alone():
    from plugins.meetings.schedule import read_marker

    groups = {"gt-financement": {}}
    assert read_marker("[calendrier des rencontres]", groups) is None
    assert read_marker("[[toc]]", groups) is None
    assert read_marker("Un texte ordinaire", groups) is None


SEED_003_MEETINGS = {
    "comite-ad-hoc-actions": ["2021-11-29", "2021-12-01"],
    "rq-aca-encadrement": ["2021-04-14", "2021-06-09", "2021-09-23", "2021-11-03", "2022-02-01"],
    "rq-aca-strategie-intersectorielle": ["2021-09-01", "2021-11-23", "2022-01-25", "2022-03-16"],
}


def test_seed_003_committees_have_one_event_per_dated_meeting(built_site):
    for group, dates in SEED_003_MEETINGS.items():
        found = sorted(
            str(e["DTSTART"].dt)
            for e in events(read_ics(built_site / "calendrier" / f"{group}.ics"))
        )
        assert found == dates, group
        english = read_ics(built_site / "en" / "calendar" / f"{group}.ics")
        assert (
            english["X-WR-CALNAME"]
            != read_ics(built_site / "calendrier" / f"{group}.ics")["X-WR-CALNAME"]
        )
    readme = (PROJECT_ROOT / "content" / "reunions" / "README.md").read_text(encoding="utf-8")
    assert "Laissées de côté" in readme and "Sequence" in readme and "Modified" in readme


def test_sequence_follows_the_status_unless_the_file_says_more():
    from plugins.meetings.reading import Revision

    expected = {
        MeetingStatus.PLANNED: 0,
        MeetingStatus.HELD: 0,
        MeetingStatus.POSTPONED: 1,
        MeetingStatus.CANCELLED: 2,
    }
    for status, sequence in expected.items():
        event = meeting_event(meeting_with(status), "http://x/", "X")
        assert event["SEQUENCE"] == sequence
        assert "LAST-MODIFIED" not in event
    modified = dt.datetime(2021, 12, 2, 15, 0, tzinfo=dt.UTC)
    event = meeting_event(meeting_with(MeetingStatus.HELD), "http://x/", "X", Revision(4, modified))
    assert event["SEQUENCE"] == 4
    assert event["LAST-MODIFIED"].dt == modified


def test_sequence_and_modified_metadata_reach_the_ics(project_copy, tmp_path):
    meeting = project_copy / "reunions" / "comite-covid" / "2021-10-27-comite-covid.md"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace(
            "Status: tenue", "Status: reportée\nSequence: 3\nModified: 2021-10-20 14:30"
        ),
        encoding="utf-8",
    )
    output = build_copy(project_copy, tmp_path / "output").output
    calendar = read_ics(output / "calendrier" / "comite-covid.ics")
    event = next(e for e in events(calendar) if "2021-10-27" in str(e["UID"]))
    assert event["SEQUENCE"] == 3
    assert event["LAST-MODIFIED"].dt == dt.datetime(2021, 10, 20, 18, 30, tzinfo=dt.UTC)
    others = [e for e in events(calendar) if e is not event]
    assert all(e["SEQUENCE"] == 0 and "LAST-MODIFIED" not in e for e in others)


def test_bad_sequence_or_modified_are_french_problems_at_their_line(project_copy):
    folder = project_copy / "reunions" / "comite-covid"
    (folder / "2021-10-27-comite-covid.md").write_text(
        "Title: A\nDate: 2021-10-27\nGroup: comite-covid\nStatus: tenue\nSequence: deux\n",
        encoding="utf-8",
    )
    (folder / "2021-10-01-comite-covid.md").write_text(
        "Title: B\nDate: 2021-10-01\nGroup: comite-covid\nStatus: tenue\nModified: hier\n",
        encoding="utf-8",
    )
    problems = sorted(str(p) for p in check_content(settings_for(project_copy))[1])
    assert problems == [
        "content/reunions/comite-covid/2021-10-01-comite-covid.md:5: date de modification "
        "(Modified) illisible « hier » : écrivez AAAA-MM-JJ ou AAAA-MM-JJ HH:MM",
        "content/reunions/comite-covid/2021-10-27-comite-covid.md:5: numéro de révision "
        "invalide « deux » pour Sequence : écrivez un entier (0, 1, 2…) et augmentez-le à "
        "chaque changement de date ou de lieu",
    ]


def test_ics_memo_gives_the_same_bytes_and_skips_the_work(tmp_path, monkeypatch):
    from plugins.meetings import ics

    meetings = [meeting_with(MeetingStatus.HELD)]
    args = (meetings, "GT", "fr", {"gt-a@ctroc.org": "http://x/"}, {"gt": "GT"})
    first = ics.cached_calendar_bytes(tmp_path, *args)
    assert first == ics.calendar_bytes(*args)

    def fail(*_args, **_kwargs):
        raise AssertionError("rebuilt although nothing changed")

    monkeypatch.setattr(ics, "calendar_bytes", fail)
    assert ics.cached_calendar_bytes(tmp_path, *args) == first
    changed = [meeting_with(MeetingStatus.CANCELLED)]
    with pytest.raises(AssertionError):
        ics.cached_calendar_bytes(tmp_path, changed, *args[1:])
