"""Histoires d'OCASSS: the action's messages checked, shown on a wall, compiled.

What a visitor gets (the wall's HTML, the feed read by feedparser, the
compilations' text read by pypdf) and what staff are told (each rule's French
message on the message's line, by `invoke check` and the build alike).
"""

from __future__ import annotations

import io
import urllib.parse
from pathlib import Path

import feedparser
import pypdf
import pytest
from bs4 import BeautifulSoup

from plugins.build import PROJECT_ROOT
from plugins.model import ContentError
from plugins.validation.commands import run_check, run_new
from tests.conftest import build_copy, read_html
from tests.linkcheck import site_path

CONF = PROJECT_ROOT / "pelicanconf.py"
WALL = "histoires-docasss/messages"
# The seed's seven examples (000, « DES EXEMPLES ? »), as they were sent.
SEED = {
    "rccq": "Forum du Regroupement des cuisines collectives du Québec @luciecharlebois les "
    "#OCASSS crient famine! #histoiresdOCASSS #PolQc",
    "r-des-centres-de-femmes": "Journée de réflexion de l’R @luciecharlebois : des femmes "
    "+pauvres et +malades, les centres sont débordés #histoiresdOCASSS #PolQc",
    "rrasmq": "AG RRASMQ @luciecharlebois Même dilemme partout: s’endetter ou fermer l’été "
    "#histoiresdOCASSS la population souffre du sous-$ des #OCASSS",
    "rmjq": "@luciecharlebois Ado en détresse sans transport donc sans MDJ pourtant milieu de "
    "vie indispensable #histoiresdOCASSS au CA du RMJQ #PolQc",
    None: "Courriel désespéré d’une aidante naturelle du SagLac #histoiresdOCASSS "
    "@luciecharlebois – pas de répit pas de qualité de vie #polQc",
    "": "#histoiresdOCASSS @luciecharlebois Colère d’aîné au téléphone – toute une vie "
    "d’impôts payés et se faire dire d’aller dans le privé #polQc",
    "fmhf": "#histoiresdOCASSS à la manif : des membres de la Fédé à bout de souffle "
    "@luciecharlebois +d’actions pour que cesse la violence #polQc",
}
GROUPS = {
    "rccq": "Regroupement des cuisines collectives du Québec",
    "r-des-centres-de-femmes": "L'R des centres de femmes du Québec",
    "rrasmq": "Regroupement des ressources alternatives en santé mentale du Québec",
    "rmjq": "Regroupement des maisons de jeunes du Québec",
    "fmhf": "Fédération des maisons d'hébergement pour femmes",
}
URL_60 = "https://www.exemple.org/" + "a" * 36  # 60 characters


def checked(content: Path) -> list[str]:
    stream = io.StringIO()
    run_check(CONF, content, stream)
    return [line for line in stream.getvalue().splitlines() if "content/" in line]


def write_story(content: Path, name: str, body: str, status: str = "brouillon", **header) -> str:
    fields = {"Title": "Forum du RCCQ", "Date": "2026-11-20", "Group": "RCCQ", "Status": status}
    fields.update({key.capitalize(): value for key, value in header.items()})
    text = "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)
    path = content / "histoires" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text + "\n" + body, encoding="utf-8")
    return f"content/histoires/{name}"


def tweet(text: str) -> str:
    return f"## Twitter\n\n- {text}\n"


GOOD = "Forum du RCCQ @luciecharlebois les cuisines manquent de tout #histoiresdOCASSS #PolQc"


# 1. The wall, as a visitor sees it.


def messages_on(page) -> list[str]:
    return [quote.get_text() for quote in page.select(".wall-message blockquote")]


def test_the_wall_lists_the_seven_seed_messages_with_their_regroupements(built_site):
    wall = built_site / WALL / "index.html"
    page = read_html(wall)
    assert sorted(messages_on(page)) == sorted(SEED.values())
    assert page.find(id="messages").get_text() == "7 messages"
    for key, text in SEED.items():
        if not key:
            continue
        item = next(li for li in page.select(".wall-message") if li.blockquote.get_text() == text)
        event = item.find_parent("article")
        names = {site_path(built_site, wall, a["href"]): a.get_text() for a in event("a")}
        assert names[f"/{WALL}/{key}/"] == GROUPS[key]


def test_each_regroupement_has_its_page_and_its_count(built_site):
    wall = built_site / WALL / "index.html"
    listed = {
        site_path(built_site, wall, link["href"]): link.find_next_sibling("span").get_text()
        for link in read_html(wall).select(".wall-groups li > a")
    }
    assert listed == {f"/{WALL}/{key}/": "(1 message)" for key in GROUPS}
    for key, name in GROUPS.items():
        group_page = read_html(built_site / WALL / key / "index.html")
        assert group_page.find("h1").get_text().startswith(name)
        assert messages_on(group_page) == [SEED[key]]


def test_hashtags_and_mentions_are_links_and_the_share_links_carry_the_message(built_site):
    page = read_html(built_site / WALL / "index.html")
    item = next(
        li for li in page.select(".wall-message") if li.blockquote.get_text() == SEED["rccq"]
    )
    links = {a.get_text(): a["href"] for a in item.blockquote.find_all("a")}
    assert links["#histoiresdOCASSS"] == "https://x.com/hashtag/histoiresdOCASSS"
    assert links["@luciecharlebois"] == "https://x.com/luciecharlebois"
    post = item.find("a", string="Publier sur X")["href"]
    assert post.startswith("https://x.com/intent/post?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(post).query)
    assert query["text"] == [SEED["rccq"]]
    share = item.find("a", string="Partager sur Facebook")["href"]
    shared = urllib.parse.parse_qs(urllib.parse.urlsplit(share).query)["u"][0]
    assert shared.endswith(f"/{WALL}/#{item['id']}")


def test_the_wall_is_linked_from_the_home_page_and_the_guide(built_site):
    for page, words in (
        (built_site / "index.html", "Lire les messages"),
        (built_site / "histoires-docasss/index.html", "Voir les messages"),
    ):
        link = read_html(page).find("a", string=words)["href"]
        assert site_path(built_site, page, link) == f"/{WALL}/", page


def test_the_english_wall_keeps_the_messages_as_sent(built_site):
    page = read_html(built_site / "en" / WALL / "index.html")
    assert page.find("h1").get_text() == "Histoires d'OCASSS: the messages"
    assert sorted(messages_on(page)) == sorted(SEED.values())
    assert page.select_one(".wall-message blockquote")["lang"] == "fr"


# 2. The feed and the compilations.


@pytest.mark.parametrize("name", ["flux/histoires.rss.xml", "flux/histoires.atom.xml"])
def test_the_feed_has_every_message(built_site, name):
    feed = feedparser.parse((built_site / name).read_bytes())
    assert not feed.bozo
    texts = {
        BeautifulSoup(entry.content[0].value, "html.parser").get_text() for entry in feed.entries
    }
    assert len(feed.entries) == 7
    assert texts == set(SEED.values())
    assert all(f"/{WALL}/#" in entry.link for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == 7


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


def test_the_compilation_has_every_message_and_the_wall_address(built_site):
    path = built_site / WALL / "histoires-docasss.pdf"
    text = pdf_text(path)
    for message in SEED.values():
        assert " ".join(message.split()) in text
    reader = pypdf.PdfReader(path)
    assert reader.metadata.title == "Histoires d'OCASSS — tous les messages"
    assert reader.metadata.author == "Coalition des Tables régionales d'organismes communautaires"
    for page in reader.pages:
        assert f"/{WALL}/" in page.extract_text()
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


def test_each_regroupement_has_its_compilation_linked_from_its_page(built_site):
    for key, name in GROUPS.items():
        path = built_site / WALL / key / "index.html"
        link = site_path(
            built_site, path, read_html(path).find("a", type="application/pdf")["href"]
        )
        assert link == f"/{WALL}/{key}/histoires-docasss-{key}.pdf"
        text = pdf_text(built_site / link.lstrip("/"))
        assert " ".join(SEED[key].split()) in text
        assert name in text


# 3. The rules, for a draft.


def test_a_draft_within_the_rules_passes(project_copy):
    write_story(project_copy, "2026-11-20-forum.md", tweet(GOOD))
    assert [line for line in checked(project_copy) if "2026-11-20" in line] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a" * 129 + " " + URL_60 + " #histoiresdOCASSS #PolQc @luciecharlebois RCCQ",
            "message Twitter trop long : 200 caractères sur 140 (chaque adresse web compte "
            "pour 23) ; raccourcissez-le",
        ),
        (
            "RCCQ @luciecharlebois #histoireOCASSS #PolQc",
            "mot-clic obligatoire #histoiresdOCASSS absent : « #histoireOCASSS » — vouliez-vous "
            "dire #histoiresdOCASSS ?",
        ),
        (
            "RCCQ @luciecharlebois #histoiresdocas #PolQc",
            "mot-clic obligatoire #histoiresdOCASSS absent : « #histoiresdocas » — vouliez-vous "
            "dire #histoiresdOCASSS ?",
        ),
        (
            "RCCQ @luciecharlebois #histoiresdOCASSS",
            "mot-clic obligatoire #PolQc absent : ajoutez-le au message",
        ),
        (
            "RCCQ #histoiresdOCASSS #PolQc les cuisines manquent de tout",
            "destinataire @luciecharlebois absent : ajoutez-le pour que le message lui parvienne",
        ),
    ],
)
def test_each_broken_rule_refuses_a_draft_on_the_message_line(project_copy, text, message):
    name = write_story(project_copy, "2026-11-20-forum.md", tweet(text))
    assert [line for line in checked(project_copy) if name in line] == [f"{name}:8: {message}"]


def test_twitter_counts_every_address_as_23_characters():
    from plugins.histoires.rules import twitter_length

    assert twitter_length("a" * 129 + " " + URL_60) == 153
    assert twitter_length("a" * 100 + " " + URL_60) == 124
    assert twitter_length("e\u0301" * 140) == 140  # NFC: « é » decomposed counts once


def test_the_issue_s_two_lengths_with_an_address(project_copy):
    rules = " @luciecharlebois #histoiresdOCASSS #PolQc RCCQ"  # 47 characters
    long = "a" * (129 - len(rules)) + rules + " " + URL_60  # 153 as Twitter counts
    fits = "a" * (100 - len(rules)) + rules + " " + URL_60  # 124
    name = write_story(project_copy, "2026-11-20-forum.md", tweet(long) + "- " + fits + "\n")
    assert [line for line in checked(project_copy) if name in line] == [
        f"{name}:8: message Twitter trop long : 153 caractères sur 140 (chaque adresse web "
        "compte pour 23) ; raccourcissez-le"
    ]


def test_hashtags_are_case_insensitive(project_copy):
    write_story(project_copy, "2026-11-20-forum.md", tweet(GOOD.replace("#PolQc", "#polQc")))
    assert [line for line in checked(project_copy) if "2026-11-20" in line] == []


def test_a_facebook_message_over_three_sentences_is_refused(project_copy):
    text = (
        "Au forum du RCCQ, les cuisines collectives manquent de tout. Les membres attendent. "
        "Les listes s'allongent. Il faut agir ! @luciecharlebois #histoiresdOCASSS #PolQc"
    )
    name = write_story(project_copy, "2026-11-20-forum.md", f"## Facebook\n\n- {text}\n")
    assert [line for line in checked(project_copy) if name in line] == [
        f"{name}:8: message Facebook trop long : 4 phrases sur 3 au plus ; gardez l'essentiel"
    ]


def test_a_message_not_naming_its_regroupement_is_only_a_warning(project_copy):
    text = "@luciecharlebois les cuisines manquent de tout #histoiresdOCASSS #PolQc"
    name = write_story(project_copy, "2026-11-20-forum.md", tweet(text))
    assert [line for line in checked(project_copy) if name in line] == [
        f"avertissement : {name}:8: le message ne nomme pas le regroupement : ajoutez « RCCQ » "
        "ou « Regroupement des cuisines collectives du Québec » si la place le permet"
    ]


def test_a_sent_record_is_published_as_sent_its_findings_are_warnings(project_copy, tmp_path):
    text = "RCCQ @luciecharlebois #histoireOCASSS les cuisines manquent de tout"
    name = write_story(project_copy, "2026-11-20-forum.md", tweet(text), status="envoyé")
    lines = [line for line in checked(project_copy) if name in line]
    assert lines and all(line.startswith(f"avertissement : {name}:8: ") for line in lines)
    site = build_copy(project_copy, tmp_path / "output").output
    page = read_html(site / WALL / "rccq" / "index.html")
    assert text in messages_on(page)


# 4. Bad input: one French message each, on its line; the build refuses them all.

BAD = {
    "unknown regroupement": (
        {"Group": "RQCC"},
        tweet(GOOD),
        3,
        "regroupement inconnu « RQCC » : regroupements connus : RCCQ (rccq), L'R "
        "(r-des-centres-de-femmes), RRASMQ (rrasmq), RMJQ (rmjq), FMHF (fmhf) ; ajoutez-le "
        "dans REGROUPEMENTS (pelicanconf.py) au besoin",
    ),
    "message outside a network": (
        {},
        f"- {GOOD}\n",
        6,
        "message hors d'une section : placez-le sous « ## Twitter » ou « ## Facebook », selon "
        "le réseau où il a été envoyé",
    ),
    "empty message": ({}, tweet(GOOD) + "- \n", 9, "message vide : écrivez le texte envoyé"),
    "impossible date": (
        {"Date": "2026-02-30"},
        tweet(GOOD),
        2,
        "date impossible « 2026-02-30 » : écrivez une vraie date AAAA-MM-JJ (par exemple "
        "2016-10-01)",
    ),
    "no message": (
        {},
        "Notes de la journée.\n",
        1,
        "aucun message : écrivez chaque message comme un élément de liste (« - … ») sous "
        "« ## Twitter » ou « ## Facebook »",
    ),
    "unknown network": (
        {},
        "## Instagram\n\n" + f"- {GOOD}\n",
        6,
        "section « Instagram » inconnue : les messages vont sous « ## Twitter » ou « ## Facebook »",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_story_file_is_named_with_its_line(project_copy, case):
    header, body, line, message = BAD[case]
    name = write_story(project_copy, "2026-11-20-forum.md", body, **header)
    found = [line for line in checked(project_copy) if name in line and "avertissement" not in line]
    assert found == [f"{name}:{line}: {message}"]


def test_the_build_refuses_them_all_at_once_and_keeps_the_previous_site(project_copy, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("ancien site", encoding="utf-8")
    for index, (header, body, _line, _message) in enumerate(BAD.values()):
        write_story(project_copy, f"2026-11-2{index}-cas.md", body, **header)
    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, output)
    messages = {problem.message for problem in failure.value.problems}
    assert {message for *_rest, message in BAD.values()} <= messages
    assert (output / "index.html").read_text(encoding="utf-8") == "ancien site"


# 5. `invoke new --histoire`.


def test_new_histoire_scaffolds_a_draft_that_check_sends_back_to_staff(project_copy):
    import datetime as dt

    stream = io.StringIO()
    status = run_new(
        CONF,
        content=project_copy,
        histoire=True,
        group="RCCQ",
        title="Forum du RCCQ",
        today=dt.date(2026, 12, 2),
        stream=stream,
    )
    assert status == 0
    path = project_copy / "histoires" / "2026-12-02-forum-du-rccq.md"
    assert stream.getvalue().strip().endswith("histoires/2026-12-02-forum-du-rccq.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "Title: Forum du RCCQ\nDate: 2026-12-02\nGroup: RCCQ\nStatus: brouillon\n"
    )
    shown = "content/histoires/2026-12-02-forum-du-rccq.md"
    assert [line for line in checked(project_copy) if shown in line] == [
        f"{shown}:13: message vide : écrivez le texte envoyé",
        f"{shown}:17: message vide : écrivez le texte envoyé",
    ]


def test_new_histoire_refuses_an_unknown_regroupement(project_copy, capsys):
    status = run_new(CONF, content=project_copy, histoire=True, group="XYZ", title="Forum")
    assert status == 1
    assert capsys.readouterr().err.startswith("regroupement inconnu « XYZ » (regroupements : RCCQ")


def test_the_seed_s_third_example_is_published_with_a_warning_only():
    stream = io.StringIO()
    assert run_check(CONF, None, stream) == 0
    assert (
        "avertissement : content/histoires/2016-10-01-ag-rrasmq.md:9: mot-clic obligatoire "
        "#PolQc absent : ajoutez-le au message"
    ) in stream.getvalue().splitlines()
