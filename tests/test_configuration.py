"""Settings are checked when they load: a malformed entry is a French Problem, never a traceback."""

from __future__ import annotations

import copy
import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from plugins.build import PROJECT_ROOT, build_site, report_failure
from plugins.configuration import settings_problems
from plugins.model import ContentError, Problem
from plugins.validation.commands import run_check

CONF = PROJECT_ROOT / "pelicanconf.py"
PUBLISH = PROJECT_ROOT / "publishconf.py"
CONF_LINES = CONF.read_text(encoding="utf-8").splitlines()

MISSING_EN_SECTIONS = (
    'SERIES["info-psoc"] : pas de « required_sections » pour la langue « en » (LANGUAGES) ; '
    "ajoutez la liste des sections obligatoires en anglais"
)
MISSING_FR_SECTIONS = (
    'SERIES["info-psoc"] : pas de « required_sections » pour la langue « fr » (LANGUAGES) ; '
    "ajoutez la liste des sections obligatoires en français"
)


def line_of(needle: str, after: str | None = None) -> int:
    """The first line of pelicanconf.py holding ``needle`` (below the line holding ``after``)."""
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(CONF_LINES) if after in line)
    return next(i for i, line in enumerate(CONF_LINES[start:], start) if needle in line) + 1


@pytest.fixture(scope="module")
def real_settings() -> dict:
    return read_settings(str(CONF))


@pytest.fixture
def settings(real_settings) -> dict:
    """A copy of the real settings, to break on purpose."""
    return copy.deepcopy(real_settings)


def only_problem(settings: dict) -> Problem:
    problems = settings_problems(settings, CONF)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------------------
# The real settings.
# ---------------------------------------------------------------------------


def test_real_pelicanconf_has_no_problem(real_settings):
    assert settings_problems(real_settings, CONF) == []


def test_real_publishconf_has_no_problem():
    assert settings_problems(read_settings(str(PUBLISH)), PUBLISH) == []


# ---------------------------------------------------------------------------
# SERIES.
# ---------------------------------------------------------------------------


def test_series_without_required_sections_for_a_language_names_key_and_language(settings):
    del settings["SERIES"]["info-psoc"]["required_sections"]["en"]
    problem = only_problem(settings)
    assert problem == Problem(
        "pelicanconf.py",
        line_of('"required_sections":', after='"info-psoc": {'),
        MISSING_EN_SECTIONS,
    )
    assert str(problem).startswith(f"pelicanconf.py:{problem.line}: SERIES[")


def test_series_without_required_sections_at_all_names_every_language(settings):
    del settings["SERIES"]["info-psoc"]["required_sections"]
    line = line_of('"required_sections":', after='"info-psoc": {')  # still in the file
    assert settings_problems(settings, CONF) == [
        Problem("pelicanconf.py", line, MISSING_EN_SECTIONS),
        Problem("pelicanconf.py", line, MISSING_FR_SECTIONS),
    ]


def test_missing_key_is_placed_on_its_entry_when_the_file_does_not_write_it(settings, tmp_path):
    del settings["SERIES"]["info-psoc"]["required_sections"]
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        'SERIES = {\n    "info-psoc": {\n        "title": {"fr": "INFO-PSOC"},\n    },\n}\n',
        encoding="utf-8",
    )
    problems = settings_problems(settings, conf)
    assert {(p.path, p.line) for p in problems} == {("pelicanconf.py", 2)}


def test_misspelt_series_key_suggests_the_known_one(settings):
    entry = settings["SERIES"]["info-psoc"]
    entry["requried_sections"] = entry.pop("required_sections")
    # Said once, as a misspelling, not also as missing sections; the real file does
    # not write the misspelt key, so its entry's line is given.
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"info-psoc": {'),
        'SERIES["info-psoc"] : clé inconnue « requried_sections » — '
        "vouliez-vous dire « required_sections » ?",
    )


def test_misspelt_series_key_is_placed_where_the_file_writes_it(settings, tmp_path):
    entry = settings["SERIES"]["info-psoc"]
    entry["requried_sections"] = entry.pop("required_sections")
    text = CONF.read_text(encoding="utf-8").replace(
        '"required_sections": {\n            "fr": ["Budget"',
        '"requried_sections": {\n            "fr": ["Budget"',
    )
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(text, encoding="utf-8")
    assert settings_problems(settings, conf) == [
        Problem(
            "pelicanconf.py",
            line_of('"required_sections":', after='"info-psoc": {'),
            'SERIES["info-psoc"] : clé inconnue « requried_sections » — '
            "vouliez-vous dire « required_sections » ?",
        )
    ]


def test_unknown_series_key_without_close_match_lists_the_known_keys(settings):
    settings["SERIES"]["info-psoc"]["couleur"] = "rouge"
    assert only_problem(settings).message == (
        'SERIES["info-psoc"] : clé inconnue « couleur » ; clés possibles : '
        "title, short_title, description, numbered, required_sections"
    )


def test_numbered_must_be_true_or_false(settings):
    settings["SERIES"]["info-psoc"]["numbered"] = "oui"
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"numbered": True'),
        'SERIES["info-psoc"]["numbered"] : valeur de type str, attendu True ou False',
    )


def test_series_without_title_asks_for_one_per_language(settings):
    del settings["SERIES"]["campagne"]["title"]
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"campagne": {'),
        'SERIES["campagne"] : pas de titre (« title ») ; donnez {"fr": "…", "en": "…"}',
    )


def test_series_title_needs_french(settings):
    del settings["SERIES"]["info-psoc"]["title"]["fr"]
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"title": {"fr": "INFO-PSOC"'),
        'SERIES["info-psoc"] : pas de « title » pour la langue « fr » (LANGUAGES) ; '
        "ajoutez le titre en français",
    )


def test_empty_title_is_refused(settings):
    settings["SERIES"]["info-psoc"]["short_title"]["en"] = "  "
    assert only_problem(settings).message == (
        'SERIES["info-psoc"]["short_title"]["en"] : texte vide ; '
        "écrivez le texte entre les guillemets"
    )


def test_misspelt_language_in_a_title_suggests_the_language(settings):
    titles = settings["SERIES"]["info-psoc"]["title"]
    titles["eng"] = titles["en"]
    assert only_problem(settings).message == (
        'SERIES["info-psoc"]["title"] : langue inconnue « eng » — vouliez-vous dire « en » ?'
    )


def test_required_sections_must_be_a_list_of_names(settings):
    sections = settings["SERIES"]["info-psoc"]["required_sections"]
    sections["fr"] = "Budget"
    sections["en"] = ["Budget", ""]
    problems = settings_problems(settings, CONF)
    assert [(p.line, p.message) for p in problems] == [
        (
            line_of('"fr": ["Budget", "Groupe de travail"'),
            'SERIES["info-psoc"]["required_sections"]["fr"] : valeur de type str, '
            'attendu une liste ["…", "…"]',
        ),
        (
            line_of('"en": ["Budget", "Working group"'),
            'SERIES["info-psoc"]["required_sections"]["en"][1] : texte vide ; '
            "écrivez le texte entre les guillemets",
        ),
    ]


def test_series_key_must_be_a_slug(settings):
    settings["SERIES"]["Info PSOC"] = settings["SERIES"].pop("info-psoc")
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of("SERIES = {"),
        "SERIES[\"Info PSOC\"] : clé invalide : elle sert d'adresse (URL) ; n'utilisez que "
        "des minuscules sans accents, des chiffres et des tirets (par exemple « info-psoc »)",
    )


def test_series_entry_must_be_a_dict(settings):
    settings["SERIES"]["info-psoc"] = ["INFO-PSOC"]
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"info-psoc": {'),
        'SERIES["info-psoc"] : valeur de type list, attendu un dictionnaire {…}',
    )


# ---------------------------------------------------------------------------
# GROUPS.
# ---------------------------------------------------------------------------


def test_group_without_name(settings):
    del settings["GROUPS"]["comite-psoc"]["name"]
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"comite-psoc": {'),
        'GROUPS["comite-psoc"] : pas de nom (« name ») ; donnez {"fr": "…", "en": "…"}',
    )


def test_group_name_needs_french(settings):
    settings["GROUPS"]["comite-psoc"]["name"] = {"en": "PSOC committee"}
    assert only_problem(settings).message == (
        'GROUPS["comite-psoc"] : pas de « name » pour la langue « fr » (LANGUAGES) ; '
        "ajoutez le nom en français"
    )


def test_group_name_and_series_title_need_every_language_of_the_site(settings):
    """The English site would show the French name as if it were English."""
    settings["GROUPS"]["comite-psoc"]["name"] = {"fr": "Comité PSOC"}
    assert only_problem(settings).message == (
        'GROUPS["comite-psoc"] : pas de « name » pour la langue « en » (LANGUAGES) ; '
        "ajoutez le nom en anglais"
    )
    settings["GROUPS"]["comite-psoc"]["name"]["en"] = "PSOC committee"
    del settings["SERIES"]["campagne"]["title"]["en"]
    assert only_problem(settings).message == (
        'SERIES["campagne"] : pas de « title » pour la langue « en » (LANGUAGES) ; '
        "ajoutez le titre en anglais"
    )


def test_group_unknown_key(settings):
    settings["GROUPS"]["comite-psoc"]["names"] = settings["GROUPS"]["comite-psoc"].pop("name")
    assert only_problem(settings).message == (
        'GROUPS["comite-psoc"] : clé inconnue « names » — vouliez-vous dire « name » ?'
    )


def test_group_key_must_be_a_slug(settings):
    settings["GROUPS"]["Comité PSOC"] = settings["GROUPS"].pop("comite-psoc")
    assert only_problem(settings).message.startswith('GROUPS["Comité PSOC"] : clé invalide')


# ---------------------------------------------------------------------------
# LANGUAGES.
# ---------------------------------------------------------------------------


def test_languages_need_french(settings):
    del settings["LANGUAGES"]["fr"]
    problem = only_problem(settings)
    assert problem.line == line_of("LANGUAGES = {")
    assert problem.message.startswith("LANGUAGES : pas de langue « fr » ;")


def test_french_comes_first(settings):
    settings["LANGUAGES"] = {"en": settings["LANGUAGES"]["en"], "fr": settings["LANGUAGES"]["fr"]}
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"fr": {', after="LANGUAGES = {"),
        "LANGUAGES : « fr » doit venir en premier (le français est construit à la racine "
        "du site) ; déplacez son entrée en tête de LANGUAGES",
    )


def test_only_french_is_at_the_root(settings):
    settings["LANGUAGES"]["en"]["path"] = ""
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of('"path": "en"'),
        'LANGUAGES["en"]["path"] : chemin vide : seul le français est à la racine du site ; '
        'écrivez par exemple "path": "en"',
    )


def test_language_entry_unknown_key_and_missing_locale(settings):
    english = settings["LANGUAGES"]["en"]
    english["local"] = english.pop("locale")
    assert only_problem(settings).message == (
        'LANGUAGES["en"] : clé inconnue « local » — vouliez-vous dire « locale » ?'
    )
    del english["local"]
    assert only_problem(settings).message == (
        'LANGUAGES["en"] : pas de locale (« locale ») ; donnez "en_CA"'
    )


def test_unsupported_language(settings):
    settings["LANGUAGES"]["es"] = {"path": "es", "locale": "es_ES", "name": "Español"}
    problems = settings_problems(settings, CONF)
    assert 'LANGUAGES["es"] : langue non prise en charge ; langues possibles : fr, en' in [
        p.message for p in problems
    ]


def test_languages_of_the_wrong_type_do_not_cascade(settings):
    settings["LANGUAGES"] = ["fr", "en"]
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of("LANGUAGES = {"),
        "LANGUAGES : valeur de type list, attendu un dictionnaire {…}",
    )


# ---------------------------------------------------------------------------
# Other settings.
# ---------------------------------------------------------------------------


def test_organisation_needs_every_key_the_site_prints(settings):
    del settings["ORGANISATION"]["phone"]
    settings["ORGANISATION"]["courriel"] = settings["ORGANISATION"].pop("email")
    assert [p.message for p in settings_problems(settings, CONF)] == [
        "ORGANISATION : clé inconnue « courriel » ; clés possibles : "
        "name, short_name, website, email, phone",
        'ORGANISATION : pas de courriel (« email ») ; donnez "info@exemple.org"',
        'ORGANISATION : pas de téléphone (« phone ») ; donnez "514-000-0000"',
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("MAX_SOURCE_BYTES", 0, "valeur 0, attendu un nombre entier supérieur à 0"),
        ("FEED_MAX_ITEMS", "100", "valeur de type str, attendu un nombre entier supérieur à 0"),
        ("PDF_JOBS", -1, "valeur -1, attendu un nombre entier supérieur à 0"),
        ("MARKDOWN_JOBS", True, "valeur de type bool, attendu un nombre entier supérieur à 0"),
        ("SEARCH_SHARD_PAGES", 0, "valeur 0, attendu un nombre entier supérieur à 0"),
        ("SEARCH_SHARD_PAGES", 1.5, "valeur de type float, attendu un nombre entier supérieur à 0"),
        ("SEARCH_JOBS", 0, "valeur 0, attendu un nombre entier supérieur à 0"),
        (
            "BUILD_TODAY",
            "2024-02-30",
            'date impossible « 2024-02-30 », attendu None ou une date "AAAA-MM-JJ" '
            '(par exemple "2024-05-17")',
        ),
        (
            "FEED_SITEURL",
            "localhost:8000",
            "adresse « localhost:8000 » sans http:// ni https:// ; écrivez l'adresse complète "
            '(par exemple "https://bulletins.ctroc.org")',
        ),
        (
            "CALENDAR_ALL_NAMES",
            "toutes",
            'valeur de type str, attendu un dictionnaire par langue {"fr": "…", "en": "…"}',
        ),
    ],
)
def test_scalar_settings(settings, key, value, message):
    settings[key] = value
    problem = only_problem(settings)
    assert problem.message == f"{key} : {message}"
    # Pelican defaults (PDF_JOBS…) are written nowhere: line 1 of the settings file.
    expected = line_of(f"{key} =") if any(f"{key} =" in line for line in CONF_LINES) else 1
    assert (problem.path, problem.line) == ("pelicanconf.py", expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            ["https://www.youtube-nocookie.com"],
            "EMBED_HOSTS[0] : hôte « https://www.youtube-nocookie.com » invalide : écrivez le "
            'nom seul, sans https:// ni chemin (par exemple "www.youtube-nocookie.com")',
        ),
        (
            ["player.vimeo.com", "vimeo.com/video"],
            "EMBED_HOSTS[1] : hôte « vimeo.com/video » invalide : écrivez le nom seul, sans "
            'https:// ni chemin (par exemple "www.youtube-nocookie.com")',
        ),
        ("player.vimeo.com", 'EMBED_HOSTS : valeur de type str, attendu une liste ["…", "…"]'),
    ],
)
def test_embed_hosts_are_host_names(settings, value, message):
    settings["EMBED_HOSTS"] = value
    assert only_problem(settings) == Problem("pelicanconf.py", line_of("EMBED_HOSTS ="), message)


def test_calendar_name_is_a_url(settings):
    settings["CALENDAR_ALL_NAMES"]["en"] = "All meetings"
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of("CALENDAR_ALL_NAMES ="),
        'CALENDAR_ALL_NAMES["en"] : « All meetings » invalide : elle sert d\'adresse (URL) ; '
        "n'utilisez que des minuscules sans accents, des chiffres et des tirets "
        "(par exemple « info-psoc »)",
    )


@pytest.mark.parametrize("value", [None, "2013-05-01", dt.date(2013, 5, 1)])
def test_build_today_accepts_none_a_date_or_its_text(settings, value):
    settings["BUILD_TODAY"] = value
    assert settings_problems(settings, CONF) == []


@pytest.mark.parametrize("key", ["MARKDOWN_JOBS", "PDF_JOBS", "FEED_MAX_ITEMS"])
def test_job_counts_and_feed_limit_accept_none(settings, key):
    settings[key] = None
    assert settings_problems(settings, CONF) == []


def test_feed_tag_authority_is_required(settings):
    del settings["FEED_TAG_AUTHORITY"]
    assert only_problem(settings) == Problem(
        "pelicanconf.py",
        line_of("FEED_TAG_AUTHORITY ="),
        'FEED_TAG_AUTHORITY : réglage absent ; ajoutez FEED_TAG_AUTHORITY = "ctroc.org,2013" '
        "(ne le changez jamais ensuite)",
    )


def test_every_mistake_is_reported_in_one_run_sorted_by_line(settings):
    del settings["SERIES"]["info-psoc"]["required_sections"]["en"]
    del settings["GROUPS"]["comite-psoc"]["name"]
    settings["MAX_SOURCE_BYTES"] = 0
    problems = settings_problems(settings, CONF)
    assert [p.line for p in problems] == sorted(
        [
            line_of('"required_sections":', after='"info-psoc": {'),
            line_of('"comite-psoc": {'),
            line_of("MAX_SOURCE_BYTES ="),
        ]
    )


# ---------------------------------------------------------------------------
# Which file: publishconf.py star-imports pelicanconf.py.
# ---------------------------------------------------------------------------


def test_publishconf_names_pelicanconf_for_a_key_it_imports():
    settings = read_settings(str(PUBLISH))
    settings["SERIES"] = copy.deepcopy(settings["SERIES"])
    settings["SERIES"]["info-psoc"]["numbered"] = 1
    problem = only_problem_of(settings, PUBLISH)
    assert (problem.path, problem.line) == ("pelicanconf.py", line_of('"numbered": True'))


def test_publishconf_names_itself_for_a_key_it_assigns(settings, tmp_path):
    (tmp_path / "pelicanconf.py").write_text(CONF.read_text(encoding="utf-8"), encoding="utf-8")
    publish = tmp_path / "publishconf.py"
    publish.write_text(
        PUBLISH.read_text(encoding="utf-8") + "FEED_MAX_ITEMS = 0\n", encoding="utf-8"
    )
    settings["FEED_MAX_ITEMS"] = 0
    problem = only_problem_of(settings, publish)
    last = len(publish.read_text(encoding="utf-8").splitlines())
    assert (problem.path, problem.line) == ("publishconf.py", last)


def only_problem_of(settings: dict, conf: Path) -> Problem:
    problems = settings_problems(settings, conf)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------------------
# End to end: the build and `invoke check` stop with the message, no traceback.
# ---------------------------------------------------------------------------


@pytest.fixture
def broken_conf(tmp_path, monkeypatch) -> tuple[Path, int]:
    """pelicanconf.py copied to tmp_path with a line removing INFO-PSOC's sections."""
    # Pelican registers the file it reads as sys.modules["pelicanconf"]: keep the real one.
    monkeypatch.delitem(sys.modules, "pelicanconf", raising=False)
    conf = tmp_path / "pelicanconf.py"
    text = CONF.read_text(encoding="utf-8")
    text += f"\nPATH = {str(PROJECT_ROOT / 'content')!r}\n"
    text += f"THEME = {str(PROJECT_ROOT / 'theme')!r}\n"
    text += 'SERIES["info-psoc"].pop("required_sections")\n'
    conf.write_text(text, encoding="utf-8")
    return conf, len(text.splitlines())


def test_the_copied_settings_are_fine_before_breaking(broken_conf):
    conf, last = broken_conf
    lines = conf.read_text(encoding="utf-8").splitlines()
    conf.write_text("\n".join(lines[: last - 1]) + "\n", encoding="utf-8")
    assert settings_problems(read_settings(str(conf)), conf) == []


def test_build_stops_before_writing_anything(broken_conf, tmp_path):
    conf, pop_line = broken_conf
    output = tmp_path / "output"
    with pytest.raises(ContentError) as caught:
        build_site(conf, output=output, overrides={"BUILD_CACHE_PATH": str(tmp_path / "cache")})
    # The removed key is placed on the statement that removed it.
    assert caught.value.problems == [
        Problem("pelicanconf.py", pop_line, MISSING_EN_SECTIONS),
        Problem("pelicanconf.py", pop_line, MISSING_FR_SECTIONS),
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pelicanconf.py"]
    stream = io.StringIO()
    report_failure(caught.value, stream)
    assert stream.getvalue().splitlines() == [
        f"pelicanconf.py:{pop_line}: {MISSING_EN_SECTIONS}",
        f"pelicanconf.py:{pop_line}: {MISSING_FR_SECTIONS}",
        "2 problèmes dans 1 fichier ; rien n'a été publié.",
    ]


def test_check_prints_the_problems_and_exits_1(broken_conf):
    conf, pop_line = broken_conf
    stream = io.StringIO()
    assert run_check(conf, stream=stream) == 1
    assert stream.getvalue().splitlines() == [
        f"pelicanconf.py:{pop_line}: {MISSING_EN_SECTIONS}",
        f"pelicanconf.py:{pop_line}: {MISSING_FR_SECTIONS}",
        "2 problèmes dans 1 fichier.",
    ]


def test_new_bulletin_with_broken_series_says_what_is_wrong_and_writes_nothing(
    broken_conf, tmp_path, capsys
):
    from plugins.validation.commands import run_new

    conf, pop_line = broken_conf
    content = tmp_path / "content"
    content.mkdir()
    assert run_new(conf, series="info-psoc", content=content) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"pelicanconf.py:{pop_line}: {MISSING_EN_SECTIONS}",
        f"pelicanconf.py:{pop_line}: {MISSING_FR_SECTIONS}",
        "2 problèmes dans 1 fichier.",
    ]
    assert list(content.iterdir()) == []


# ---------------------------------------------------------------------------
# A settings file Python cannot run: one French problem on its line, never a traceback.
# ---------------------------------------------------------------------------

NOT_PYTHON = {
    "a doubled comma": (
        '"numbered": True,,',
        "les réglages ne peuvent pas être lus : erreur de syntaxe Python (syntaxe invalide) ; "
        "corrigez cette ligne",
    ),
    "a misspelt True": (
        '"numbered": Tru,',
        "les réglages ne peuvent pas être lus : nom inconnu « Tru » (une faute de frappe, ou "
        "des guillemets oubliés ?) ; corrigez cette ligne",
    ),
}


@pytest.fixture(params=list(NOT_PYTHON))
def unrunnable_conf(request, broken_conf) -> tuple[Path, int, str]:
    """The copied settings with one line Python cannot run (on INFO-PSOC's ``numbered``)."""
    conf, last = broken_conf
    lines = conf.read_text(encoding="utf-8").splitlines()[: last - 1]
    line = lines.index('        "numbered": True,') + 1
    typo, message = NOT_PYTHON[request.param]
    lines[line - 1] = f"        {typo}"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf, line, message


def test_the_build_names_the_line_python_stopped_at(unrunnable_conf, tmp_path):
    conf, line, message = unrunnable_conf
    with pytest.raises(ContentError) as caught:
        build_site(conf, output=tmp_path / "output")
    assert caught.value.problems == [Problem("pelicanconf.py", line, message)]
    assert not (tmp_path / "output").exists()


def test_check_and_new_name_the_line_python_stopped_at(unrunnable_conf, tmp_path, capsys):
    from plugins.validation.commands import run_new

    conf, line, message = unrunnable_conf
    stream = io.StringIO()
    assert run_check(conf, stream=stream) == 1
    assert stream.getvalue().splitlines() == [
        f"pelicanconf.py:{line}: {message}",
        "1 problème dans 1 fichier.",
    ]
    content = tmp_path / "content"
    content.mkdir()
    assert run_new(conf, series="info-psoc", content=content) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"pelicanconf.py:{line}: {message}"
    assert list(content.iterdir()) == []


def test_a_missing_settings_file_is_one_french_line_without_a_machine_path(tmp_path):
    with pytest.raises(ContentError) as caught:
        build_site(tmp_path / "pelicanconf.py", output=tmp_path / "output")
    assert [str(problem) for problem in caught.value.problems] == [
        "fichier de réglages introuvable : pelicanconf.py ; lancez la commande depuis le "
        "dossier du projet"
    ]


@pytest.mark.parametrize(
    ("python", "french"),
    [
        ("'[' was never closed", "« [ » ouvert mais jamais fermé"),
        (
            "closing parenthesis '}' does not match opening parenthesis '[' on line 92",
            "« } » ne ferme pas le « [ » ouvert ligne 92",
        ),
        (
            "unterminated string literal (detected at line 59)",
            "texte jamais fermé par son guillemet",
        ),
        ("invalid syntax. Perhaps you forgot a comma?", "une virgule manque ?"),
        ("unexpected indent", "indentation inattendue"),
        ("cannot assign to literal", "cannot assign to literal"),  # rarer: as Python says it
    ],
)
def test_python_syntax_errors_are_said_in_french(python, french):
    from plugins.configuration import syntax_message

    assert syntax_message(python) == french
