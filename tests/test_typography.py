"""French typography (issue 19, item 3): the rules one by one, what they never touch,
golden paragraphs of the seed bulletins, and what a reader gets on the pages, in the
PDF and in the feeds (the email edition: tests/test_email_edition.py).

\\u00a0 is the non-breaking space (before « : », inside « », between a number and its
symbol or unit), \\u202f the narrow one (before « ; », « ! », « ? »).
"""

from __future__ import annotations

import feedparser
import pypdf
import pytest
from bs4 import BeautifulSoup

from plugins.i18n.typography import typeset_html, typeset_text
from tests.conftest import read_html

CAMPAIGN_PAGE = "campagne/campagne-2013-04-18/index.html"
CAMPAIGN_PDF = "campagne/campagne-2013-04-18/campagne-2013-04-18.pdf"
INFO_PAGE = "info-psoc/info-psoc-01/index.html"
INFO_EN_PAGE = "en/info-psoc/info-psoc-01/index.html"
INFO_EN_PDF = "en/info-psoc/info-psoc-01/info-psoc-01-en.pdf"


def p(text: str) -> str:
    return typeset_html(f"<p>{text}</p>", "fr").removeprefix("<p>").removesuffix("</p>")


# 1. Each rule.


def test_a_colon_takes_a_non_breaking_space_whether_one_was_typed_or_not():
    assert p("Objectifs : ici") == "Objectifs\u00a0: ici"
    assert p("Objectifs: ici") == "Objectifs\u00a0: ici"
    assert p("Objectifs\u00a0: ici") == "Objectifs\u00a0: ici"
    assert p("la campagne :") == "la campagne\u00a0:"


def test_a_time_a_ratio_and_an_address_keep_their_colon():
    assert p("à 9:30, en 16:9, au http://localhost:8000/") == (
        "à 9:30, en 16:9, au http://localhost:8000/"
    )


def test_semicolon_exclamation_and_question_marks_take_a_narrow_no_break_space():
    assert p("amorcées !") == "amorcées\u202f!"
    assert p("régionaux ? Oui") == "régionaux\u202f? Oui"
    assert p("financières;") == "financières\u202f;"
    assert p("vraiment ?!") == "vraiment\u202f?!"
    assert p("associative!") == "associative\u202f!"


def test_a_sign_without_a_word_before_it_gets_no_space():
    assert p("(?) et [!]") == "(?) et [!]"
    assert p("a;b et ;-)") == "a;b et ;-)"


def test_guillemets_hold_a_non_breaking_space_inside():
    assert p("« Je tiens »") == "«\u00a0Je tiens\u00a0»"
    assert p("«Je tiens»") == "«\u00a0Je tiens\u00a0»"
    assert p("d’« huile »") == "d’«\u00a0huile\u00a0»"


def test_a_number_keeps_its_symbol_or_unit_on_its_line():
    assert (
        p("25 M$, 100%, 12 $, 3 k$, 40 %")
        == "25\u00a0M$, 100\u00a0%, 12\u00a0$, 3\u00a0k$, 40\u00a0%"
    )
    assert p("475M$") == "475\u00a0M$"
    assert p("à 9 h 30, 12 km, 5 min") == "à 9\u00a0h\u00a030, 12\u00a0km, 5\u00a0min"


def test_a_unit_is_only_a_unit_after_a_number():
    assert p("les 5 prochaines années, 2 heures, sous-$") == (
        "les 5 prochaines années, 2 heures, sous-$"
    )


def test_thousands_written_with_spaces_stay_together_and_other_numbers_are_left_alone():
    assert p("13 000 groupes et 1 234 567 $") == "13\u00a0000 groupes et 1\u00a0234\u00a0567\u00a0$"
    assert p("plus de 3000 groupes") == "plus de 3000 groupes"
    assert p("au 514 844 1309") == "au 514 844 1309"  # a phone number, not a number
    assert p("de 2012 à 2013 200 groupes") == "de 2012 à 2013 200 groupes"


def test_ordinals_are_raised_in_html():
    assert p("la 2e rencontre") == "la 2<sup>e</sup> rencontre"
    assert p("le 1er mars, la 1re fois") == "le 1<sup>er</sup> mars, la 1<sup>re</sup> fois"
    assert p("les 3es et les 1ers") == "les 3<sup>es</sup> et les 1<sup>ers</sup>"
    assert p("au XXe siècle, Napoléon Ier") == "au XX<sup>e</sup> siècle, Napoléon I<sup>er</sup>"


def test_what_only_looks_like_an_ordinal_is_left_alone():
    text = "#2e2e2e, 0x2e, 1e3, 1,2e, A2e, 2ème, Le, Ce, De"
    assert p(text) == text


def test_no_before_a_number_is_raised_and_kept_with_it():
    assert p("INFO-PSOC no 1") == "INFO-PSOC n<sup>o</sup>\u00a01"
    assert p("No 12 et nos 3 et 4") == "N<sup>o</sup>\u00a012 et n<sup>os</sup>\u00a03 et 4"


def test_nos_as_our_is_not_a_number_sign():
    assert p("nos 5 prochaines années, nos membres, le no") == (
        "nos 5 prochaines années, nos membres, le no"
    )


def test_plain_text_gets_the_spaces_and_keeps_the_letters_of_ordinals():
    assert typeset_text("INFO-PSOC no 1 : la 2e rencontre !", "fr") == (
        "INFO-PSOC no\u00a01\u00a0: la 2e rencontre\u202f!"
    )


# 2. What is never touched.


def test_code_preformatted_keys_scripts_and_styles_keep_their_text():
    fragment = (
        "<p>Tapez <code>a : b; 2e</code> puis <kbd>Ctrl :</kbd></p>\n"
        "<pre><code>x = 2e ; y : z !\n</code></pre>\n"
        "<script>var a = 1 ? 2 : 3;</script><style>a::after { content: ' :'; }</style>"
    )
    assert typeset_html(fragment, "fr") == fragment


def test_attributes_are_never_touched():
    fragment = '<p><a href="https://x.org/2e : !" title="la 2e : fois !">lien</a></p>'
    assert typeset_html(fragment, "fr") == fragment
    heading = '<h2 id="2e-rencontre">2e rencontre</h2>'
    assert typeset_html(heading, "fr") == '<h2 id="2e-rencontre">2<sup>e</sup> rencontre</h2>'


def test_addresses_written_in_the_text_are_left_as_written():
    text = "https://x.org:8000/a?b=1;c=2, www.ctroc.org/2e?x=1, a@b.org et mailto:c@d.org"
    assert p(text) == text
    assert p("écrivez à a@b.org : merci") == "écrivez à a@b.org\u00a0: merci"


def test_an_element_in_another_language_keeps_its_own_rules():
    fragment = '<p>Il a dit <span lang="en">Note: 2e ok!</span> ici !</p>'
    assert typeset_html(fragment, "fr") == (
        '<p>Il a dit <span lang="en">Note: 2e ok!</span> ici\u202f!</p>'
    )


def test_english_is_returned_unchanged():
    fragment = "<p>INFO-PSOC no 1 : 2e « x » 25 M$ !</p>"
    assert typeset_html(fragment, "en") == fragment
    assert typeset_text("No. 1: really?", "en") == "No. 1: really?"
    assert typeset_html(fragment, "fr-CA") != fragment


def test_escaped_markup_stays_text():
    assert p("&lt;b&gt; : &amp; 2e") == "&lt;b&gt;\u00a0: &amp; 2<sup>e</sup>"
    assert p("&lt;sup&gt;e&lt;/sup&gt; !") == "&lt;sup&gt;e&lt;/sup&gt;\u202f!"


def test_the_rules_read_across_inline_elements():
    assert p("« <em>Engagez-vous</em> »") == "«\u00a0<em>Engagez-vous</em>\u00a0»"
    assert p("<strong>Objectifs</strong>: ici") == "<strong>Objectifs</strong>\u00a0: ici"
    assert p('<a href="#">ici</a>!') == '<a href="#">ici</a>\u202f!'
    assert p("<strong>25</strong>%") == "<strong>25</strong>\u00a0%"


# 3. Golden paragraphs of the seed bulletins (content/bulletins, /work/shared/seeds),
#    as Markdown writes them → as readers get them.

GOLDEN = [
    pytest.param(
        '<h3 id="2e-rencontre-du-groupe-de-travail-sur-le-financement-la-reflexion-et-la-'
        'recherche-de-solutions-sont-amorcees">2e rencontre du Groupe de travail sur le '
        "financement : la réflexion et la recherche de solutions sont amorcées !</h3>",
        '<h3 id="2e-rencontre-du-groupe-de-travail-sur-le-financement-la-reflexion-et-la-'
        'recherche-de-solutions-sont-amorcees">2<sup>e</sup> rencontre du Groupe de travail '
        "sur le financement\u00a0: la réflexion et la recherche de solutions sont "
        "amorcées\u202f!</h3>",
        id="campagne-heading",
    ),
    pytest.param(
        "<p>Vous serez informés dès qu'une action particulière sera requise par la "
        "conjoncture. Rappelons que le comité de coordination est formé de six personnes "
        "déléguées par les deux organisations nationales ayant lancé la campagne : la Table "
        "et la CTROC.</p>",
        "<p>Vous serez informés dès qu'une action particulière sera requise par la "
        "conjoncture. Rappelons que le comité de coordination est formé de six personnes "
        "déléguées par les deux organisations nationales ayant lancé la campagne\u00a0: la "
        "Table et la CTROC.</p>",
        id="campagne-colon",
    ),
    pytest.param(
        "<p>C'est inspirant ! Le mouvement propose une diversité d'actions et d'outils pour "
        "se faire entendre. Et son message a déjà eu de l'écho : le MSSS a mis sur pied un "
        "groupe de travail sur le financement du PSOC.</p>",
        "<p>C'est inspirant\u202f! Le mouvement propose une diversité d'actions et d'outils "
        "pour se faire entendre. Et son message a déjà eu de l'écho\u00a0: le MSSS a mis sur "
        "pied un groupe de travail sur le financement du PSOC.</p>",
        id="campagne-exclamation",
    ),
    pytest.param(
        '<ul>\n<li>Site Internet : <a href="http://jesoutienslecommunautaire.org">'
        "jesoutienslecommunautaire.org</a></li>\n"
        '<li>Facebook : <a href="https://www.facebook.com/jesoutienslecommunautaire">'
        "facebook.com/jesoutienslecommunautaire</a></li>\n"
        '<li>Courriel : <a href="mailto:financementocasss@gmail.com">'
        "financementocasss@gmail.com</a></li>\n"
        "<li>Téléphone : 514-844-1309</li>\n</ul>",
        '<ul>\n<li>Site Internet\u00a0: <a href="http://jesoutienslecommunautaire.org">'
        "jesoutienslecommunautaire.org</a></li>\n"
        '<li>Facebook\u00a0: <a href="https://www.facebook.com/jesoutienslecommunautaire">'
        "facebook.com/jesoutienslecommunautaire</a></li>\n"
        '<li>Courriel\u00a0: <a href="mailto:financementocasss@gmail.com">'
        "financementocasss@gmail.com</a></li>\n"
        "<li>Téléphone\u00a0: 514-844-1309</li>\n</ul>",
        id="campagne-contacts",
    ),
    pytest.param(
        "<p>Comme nous le savons désormais, ce sont 25 millions qui seront ajoutés à "
        "l'enveloppe globale du PSOC pour les 5 prochaines années, et non 80 millions, comme "
        "veut le faire croire la ministre déléguée Lucie Charlebois. Au moment d'écrire ces "
        "lignes, nous ne savons toujours pas comment seront répartis les montants. Est-ce que "
        "la ministre respectera les cadres régionaux ? Décidera-t-elle unilatéralement à qui "
        "devront aller ces montants ? Une rencontre devrait avoir lieu dans les prochaines "
        "semaines, nous vous en tiendrons informés.</p>",
        "<p>Comme nous le savons désormais, ce sont 25 millions qui seront ajoutés à "
        "l'enveloppe globale du PSOC pour les 5 prochaines années, et non 80 millions, comme "
        "veut le faire croire la ministre déléguée Lucie Charlebois. Au moment d'écrire ces "
        "lignes, nous ne savons toujours pas comment seront répartis les montants. Est-ce que "
        "la ministre respectera les cadres régionaux\u202f? Décidera-t-elle unilatéralement à "
        "qui devront aller ces montants\u202f? Une rencontre devrait avoir lieu dans les "
        "prochaines semaines, nous vous en tiendrons informés.</p>",
        id="info-psoc-questions",
    ),
    pytest.param(
        "<p>De même, 3 TROC/ROC sont impliqués dans le comité Action/suivi (ROC "
        "Capitale-Nationale, ROC Abitibi-Témiscamingue et TROC Bas St-Laurent). On y "
        "revendique 475 M$, ce qui inclut le 355 M$ du secteur santé et services sociaux "
        "nécessaire au PSOC.</p>",
        "<p>De même, 3 TROC/ROC sont impliqués dans le comité Action/suivi (ROC "
        "Capitale-Nationale, ROC Abitibi-Témiscamingue et TROC Bas St-Laurent). On y "
        "revendique 475\u00a0M$, ce qui inclut le 355\u00a0M$ du secteur santé et services "
        "sociaux nécessaire au PSOC.</p>",
        id="info-psoc-millions",
    ),
    pytest.param(
        "<p>Celle-ci s'est tenue le 21 février dernier, à Terrebonne. Étaient présents : 15 "
        "regroupements nationaux membres de la Table (sur une possibilité de 42) et 15 Tables "
        "régionales d'organismes communautaires – TROC/ROC (sur une possibilité de 16) – dont "
        "13 sont membres de la CTROC.</p>",
        "<p>Celle-ci s'est tenue le 21 février dernier, à Terrebonne. Étaient présents\u00a0: "
        "15 regroupements nationaux membres de la Table (sur une possibilité de 42) et 15 "
        "Tables régionales d'organismes communautaires – TROC/ROC (sur une possibilité de 16) "
        "– dont 13 sont membres de la CTROC.</p>",
        id="info-psoc-numbers-left-alone",
    ),
    pytest.param(
        "<blockquote>\n<p>« Tout le monde s'entend sur la confusion qu'entraîne la poursuite "
        "de deux campagnes. Le contexte d'austérité a modifié la donne. »</p>\n</blockquote>",
        "<blockquote>\n<p>«\u00a0Tout le monde s'entend sur la confusion qu'entraîne la "
        "poursuite de deux campagnes. Le contexte d'austérité a modifié la donne.\u00a0»</p>"
        "\n</blockquote>",
        id="info-psoc-quotation",
    ),
    pytest.param(
        "<li>Suite à leurs consultations régionales, une majorité de TROC/ROC étaient d'avis "
        "qu'il s'avère préférable d'investir les énergies dans une seule campagne, soit « "
        "<em>Engagez-vous pour le communautaire</em> », considérant que :<ul>\n"
        "<li>Des organismes sont sollicités doublement en termes d'énergie et de ressources "
        "financières;</li>\n<li>Leur membership élargi;</li>\n</ul>",
        "<li>Suite à leurs consultations régionales, une majorité de TROC/ROC étaient d'avis "
        "qu'il s'avère préférable d'investir les énergies dans une seule campagne, soit "
        "«\u00a0<em>Engagez-vous pour le communautaire</em>\u00a0», considérant que\u00a0:"
        "<ul>\n<li>Des organismes sont sollicités doublement en termes d'énergie et de "
        "ressources financières\u202f;</li>\n<li>Leur membership élargi\u202f;</li>\n</ul>",
        id="info-psoc-nested-list",
    ),
    pytest.param(
        "<p>Le taux de participation est toujours très important, étant de 100% presque en "
        "tout temps, ce qui démontre la vitalité et l'engagement de nos membres au sein de "
        "notre vie associative!</p>",
        "<p>Le taux de participation est toujours très important, étant de 100\u00a0% presque "
        "en tout temps, ce qui démontre la vitalité et l'engagement de nos membres au sein de "
        "notre vie associative\u202f!</p>",
        id="rapport-percent",
    ),
    pytest.param(
        "<p>1er septembre 2021: rencontre préparatoire de la délégation; rencontre du comité "
        "stratégie intersectorielle</p>",
        "<p>1<sup>er</sup> septembre 2021\u00a0: rencontre préparatoire de la "
        "délégation\u202f; rencontre du comité stratégie intersectorielle</p>",
        id="rapport-agenda",
    ),
    pytest.param(
        "<p>Ainsi, ceux-ci relèveraient dorénavant d'une équipe PSOC à venir; par conséquent, "
        "plusieurs des travaux proposés ne pourraient se réaliser avant 2022. Ces deux "
        "documents devraient être appliqués à partir du 1er avril 2022.</p>",
        "<p>Ainsi, ceux-ci relèveraient dorénavant d'une équipe PSOC à venir\u202f; par "
        "conséquent, plusieurs des travaux proposés ne pourraient se réaliser avant 2022. Ces "
        "deux documents devraient être appliqués à partir du 1<sup>er</sup> avril 2022.</p>",
        id="rapport-first-of-april",
    ),
]


@pytest.mark.parametrize(("written", "read"), GOLDEN)
def test_seed_paragraphs_read_as_the_oqlf_writes_them(written, read):
    assert typeset_html(written, "fr") == read


@pytest.mark.parametrize(("written", "read"), GOLDEN)
def test_typesetting_twice_is_typesetting_once(written, read):
    assert typeset_html(read, "fr") == read
    assert typeset_text(typeset_text(written, "fr"), "fr") == typeset_text(written, "fr")


def test_seed_titles_and_summaries_as_text():
    assert typeset_text(
        "INFO-PSOC no 1 : budget 2017-2018, groupe de travail avec le MSSS et bilan de la campagne",
        "fr",
    ) == (
        "INFO-PSOC no\u00a01\u00a0: budget 2017-2018, groupe de travail avec le MSSS et bilan "
        "de la campagne"
    )
    assert typeset_text(
        "Lors de la 2e rencontre du Groupe de travail sur le financement du PSOC, le 16 avril "
        "2013, le MSSS s'est dit d'accord sur l'application de seuils planchers nationaux. "
        "Aussi : les stratégies du printemps.",
        "fr",
    ) == (
        "Lors de la 2e rencontre du Groupe de travail sur le financement du PSOC, le 16 avril "
        "2013, le MSSS s'est dit d'accord sur l'application de seuils planchers nationaux. "
        "Aussi\u00a0: les stratégies du printemps."
    )


def test_the_english_twin_paragraph_is_left_as_written():
    written = (
        "<p>As we now know, $25 million will be added to the overall PSOC envelope over the "
        "next 5 years, and not $80 million. Will the Minister respect the regional "
        "frameworks? Will she decide unilaterally who is to receive these amounts?</p>"
    )
    assert typeset_html(written, "en") == written


# 4. What a reader gets: the built site (pages, PDF, feeds).


def test_a_bulletin_page_raises_ordinals_and_keeps_colons_and_guillemets_on_their_line(
    built_site,
):
    page = read_html(built_site / CAMPAIGN_PAGE)
    heading = page.select_one(".bulletin__body h3")
    assert str(heading).startswith('<h3 id="2e-rencontre-du-groupe-de-travail')
    assert heading.decode_contents() == (
        "2<sup>e</sup> rencontre du Groupe de travail sur le financement\u00a0: la réflexion "
        "et la recherche de solutions sont amorcées\u202f!"
    )
    assert page.find("h1").get_text() == (
        "Bulletin de la campagne «\u00a0Je tiens à ma communauté > je soutiens le "
        "communautaire\u00a0»"
    )
    assert page.title.get_text().startswith("Bulletin de la campagne «\u00a0Je tiens")
    series = read_html(built_site / "campagne/index.html")  # configured, not content
    assert series.find("h1").get_text().startswith("Bulletin de la campagne «\u00a0Je tiens")
    body = page.select_one(".bulletin__body").get_text()
    assert "Bravo au mouvement\u202f!" in body
    assert "Téléphone\u00a0: 514-844-1309" in body
    assert " :" not in body and " !" not in body and "« " not in body and " »" not in body


def test_the_title_of_info_psoc_raises_no_and_its_body_keeps_amounts_whole(built_site):
    page = read_html(built_site / INFO_PAGE)
    assert page.find("h1").decode_contents().startswith("INFO-PSOC n<sup>o</sup>\u00a01\u00a0: ")
    assert page.title.get_text().startswith("INFO-PSOC no\u00a01\u00a0: budget")
    assert "On y revendique 475\u00a0M$, ce qui inclut le 355\u00a0M$" in page.get_text()


def test_the_english_twin_keeps_english_typography(built_site):
    page = read_html(built_site / INFO_EN_PAGE)
    assert page.find("h1").decode_contents().startswith("INFO-PSOC No. 1: 2017-2018 budget")
    body = page.select_one(".bulletin__body")
    assert "Will the Minister respect the regional frameworks? " in body.get_text()
    assert body.find("sup") is None
    assert "\u202f" not in body.get_text()


def test_the_pdf_text_holds_the_non_breaking_spaces(built_site):
    text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(built_site / CAMPAIGN_PDF).pages
    )
    assert "financement\u00a0: la réflexion" in text
    assert "des actions partout au Québec\u202f!" in text.replace("Des", "des")
    assert "«\u00a0Je tiens à ma" in text
    assert "la 2e rencontre" in text  # the raised « e » read on its line
    english = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(built_site / INFO_EN_PDF).pages
    )
    assert "\u202f" not in english
    assert "regional frameworks?" in english


def test_feed_entries_carry_the_typeset_text(built_site):
    feed = feedparser.parse((built_site / "flux/campagne.atom.xml").read_bytes())
    [entry] = feed.entries
    assert entry.title.startswith("Bulletin de la campagne «\u00a0Je tiens")
    content = entry.content[0].value
    assert "la 2<sup>e</sup> rencontre" in content
    assert "financement\u00a0: la réflexion" in content
    text = BeautifulSoup(content, "html.parser").get_text()
    assert "Bravo au mouvement\u202f!" in text
    english = feedparser.parse((built_site / "en/feeds/info-psoc.atom.xml").read_bytes())
    assert english.entries[0].title.startswith("INFO-PSOC No. 1: 2017-2018")
    assert "\u202f" not in english.entries[0].content[0].value


def test_the_wall_typesets_its_headings_and_shows_each_message_as_it_was_sent(built_site):
    """The messages are copied into X or Facebook: their text is the staff's, byte for byte
    (a raised letter or an added space would change what is posted and its count)."""
    page = read_html(built_site / "histoires-docasss/messages/index.html")
    messages = [quote.get_text() for quote in page.select(".wall-message blockquote")]
    assert any("Même dilemme partout: s’endetter ou fermer l’été" in m for m in messages)
    assert all("\u00a0" not in m and "\u202f" not in m for m in messages)
    post = page.find("a", string="Publier sur X")["href"]
    assert "\u00a0" not in post and "%C2%A0" not in post


def test_calendars_carry_the_typeset_objectives(built_site):
    from icalendar import Calendar

    calendar = Calendar.from_ical((built_site / "calendrier/comite-vision.ics").read_bytes())
    descriptions = [str(event.get("DESCRIPTION", "")) for event in calendar.walk("VEVENT")]
    assert any("l'assemblée d'octobre 2021\u00a0: proposition" in d for d in descriptions)
