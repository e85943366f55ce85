"""Settings checked when they load: each mistake of pelicanconf.py is a French Problem.

``SETTINGS`` says, declaratively, what every setting our plugins read must look
like (derived from how plugins/ uses it); one walker compares the settings
Pelican read with it. The line of each mistake is found by parsing the settings
files with ``ast``, so a broken entry never surfaces as a ``KeyError`` deep in
the build.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
import re
import string
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.model import LANGUAGES as SUPPORTED_LANGUAGES
from plugins.model import ContentError, Problem

KeyPath = tuple[Any, ...]  # ("SERIES", "info-psoc", "required_sections", "en")
Check = Callable[[Any], "str | None"]  # the complaint about one value, None when right

IN_LANGUAGE = {"fr": "en français", "en": "en anglais"}
SLUG_CHARACTERS = set(string.ascii_lowercase + string.digits + "-")
SLUG_RULE = (
    "elle sert d'adresse (URL) ; n'utilisez que des minuscules sans accents, "
    "des chiffres et des tirets (par exemple « info-psoc »)"
)
COUNT = "un nombre entier supérieur à 0"
_ABSENT = object()


# ---------------------------------------------------------------------------
# What a mistake is, before it is placed in a file.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A mistake: the key path named in the message, the one located in the file."""

    label: KeyPath
    at: KeyPath
    text: str


def key_label(path: KeyPath) -> str:
    """``SERIES["info-psoc"]["required_sections"]`` for a key path."""
    if not path:
        return ""
    head, *keys = path
    return str(head) + "".join(f"[{json.dumps(key, ensure_ascii=False)}]" for key in keys)


def wrong_type(value: Any, expected: str) -> str:
    """« valeur de type str, attendu True ou False »."""
    kind = "valeur None" if value is None else f"valeur de type {type(value).__name__}"
    return f"{kind}, attendu {expected}"


def unknown_key(
    key: Any, known: Iterable[str], what: str = "clé inconnue", listed: str = "clés possibles"
) -> str:
    """« clé inconnue « x » — vouliez-vous dire « y » ? », or the known keys."""
    guess = close_match(key, known)
    if guess:
        return f"{what} « {key} » — vouliez-vous dire « {guess} » ?"
    return f"{what} « {key} » ; {listed} : {', '.join(known)}"


def close_match(key: Any, known: Iterable[str]) -> str | None:
    """The known key ``key`` was probably meant to be, if any."""
    matches = difflib.get_close_matches(str(key), list(known), n=1)
    return matches[0] if matches else None


def is_slug(value: Any) -> bool:
    """Lowercase ASCII letters, digits and inner hyphens only."""
    return (
        isinstance(value, str)
        and value != ""
        and set(value) <= SLUG_CHARACTERS
        and not value.startswith("-")
        and not value.endswith("-")
    )


# ---------------------------------------------------------------------------
# Checks of single values.
# ---------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A non-empty string."""
    if not isinstance(value, str):
        return wrong_type(value, "un texte entre guillemets")
    if not value.strip():
        return "texte vide ; écrivez le texte entre les guillemets"
    return None


def flag(value: Any) -> str | None:
    """True or False."""
    return None if isinstance(value, bool) else wrong_type(value, "True ou False")


def count(value: Any) -> str | None:
    """An integer above 0 (True is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return wrong_type(value, COUNT)
    return None if value > 0 else f"valeur {value}, attendu {COUNT}"


def day(value: Any) -> str | None:
    """A date, or a real date written ``AAAA-MM-JJ``."""
    if isinstance(value, dt.date):
        return None
    expected = 'None ou une date "AAAA-MM-JJ" (par exemple "2024-05-17")'
    if not isinstance(value, str):
        return wrong_type(value, expected)
    try:
        real = dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        real = False
    return None if real else f"date impossible « {value} », attendu {expected}"


def text_where(
    value: Any, valid: Callable[[str], bool], complaint: Callable[[str], str]
) -> str | None:
    """What ``text`` says of ``value``; else, when ``valid(value)`` is false,
    ``complaint(value)``."""
    found = text(value)
    if found is None and not valid(value):
        return complaint(value)
    return found


def url(value: Any) -> str | None:
    """An absolute http(s) address."""
    return text_where(
        value,
        lambda v: v.startswith(("http://", "https://")),
        lambda v: (
            f"adresse « {v} » sans http:// ni https:// ; écrivez l'adresse complète "
            '(par exemple "https://bulletins.ctroc.org")'
        ),
    )


_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")


def host(value: Any) -> str | None:
    """A host name alone, as in ``www.youtube-nocookie.com`` (no scheme, no path)."""
    return text_where(
        value,
        _HOST.fullmatch,
        lambda v: (
            f"hôte « {v} » invalide : écrivez le nom seul, sans https:// ni chemin "
            '(par exemple "www.youtube-nocookie.com")'
        ),
    )


_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def mail_address(value: Any) -> str | None:
    """``info@exemple.org`` or ``Nom <info@exemple.org>``."""
    from email.utils import parseaddr

    return text_where(
        value,
        lambda v: bool(_ADDRESS.fullmatch(parseaddr(v)[1] or "-")),
        lambda v: (
            f"adresse courriel « {v} » invalide ; écrivez par exemple "
            '"info@exemple.org" ou "CTROC <info@exemple.org>"'
        ),
    )


def mailto_or_url(value: Any) -> str | None:
    """A ``mailto:`` address or an http(s) page (a list manager's form)."""
    complaint = text(value)
    if complaint is None and value.startswith("mailto:"):
        return mail_address(value[len("mailto:") :].split("?")[0])
    return complaint or url(value)


def https_url(value: Any) -> str | None:
    return text_where(
        value,
        lambda v: v.startswith("https://"),
        lambda v: f"adresse « {v} » : écrivez une adresse https://… (désabonnement en un clic)",
    )


def port(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return wrong_type(value, "un numéro de port (587, 465 ou 25)")
    return None if 0 < value < 65536 else f"port {value} impossible, attendu 1 à 65535"


SMTP_SECURITY = ("starttls", "ssl", "none")


def smtp_security(value: Any) -> str | None:
    if value in SMTP_SECURITY:
        return None
    return f"sécurité « {value} » inconnue ; écrivez {', '.join(SMTP_SECURITY)}"


def slug(value: Any) -> str | None:
    """A non-empty string that can be part of a URL."""
    return text_where(value, is_slug, lambda v: f"« {v} » invalide : {SLUG_RULE}")


def site_path(value: Any) -> str | None:
    """A language's folder: "" (the root) or a slug."""
    if not isinstance(value, str):
        return wrong_type(value, 'un texte entre guillemets ("" pour la racine)')
    return slug(value) if value else None


def mapping(value: Any) -> str | None:
    """Any dict (a language's setting overrides)."""
    return None if isinstance(value, dict) else wrong_type(value, "un dictionnaire {…}")


def slug_key(key: Any) -> str | None:
    """A SERIES or GROUPS key: a slug, since it is a URL."""
    return None if is_slug(key) else f"clé invalide : {SLUG_RULE}"


def language_key(key: Any) -> str | None:
    """A LANGUAGES key: a language the code knows."""
    if key in SUPPORTED_LANGUAGES:
        return None
    return f"langue non prise en charge ; langues possibles : {', '.join(SUPPORTED_LANGUAGES)}"


# ---------------------------------------------------------------------------
# The schema's vocabulary.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A single value judged by ``check``; ``example`` shows one in messages."""

    check: Check
    example: str = '"…"'


@dataclass(frozen=True)
class ListOf:
    """A list whose every item is ``item``."""

    item: Value


@dataclass(frozen=True)
class PerLanguage:
    """{langue: valeur} over the languages of LANGUAGES.

    ``required`` is "fr" (French needed) or "all" (every language of
    LANGUAGES); ``what`` names the value in « ajoutez … en anglais ».
    """

    value: Value | ListOf
    required: str = ""
    what: str = "le texte"


@dataclass(frozen=True)
class Field:
    """One key of a Record.

    An absent key is walked as ``default`` when there is one; otherwise, when
    ``required``, it is reported as « pas de {noun} (« key ») ; donnez {example} ».
    """

    spec: Spec
    noun: str = ""
    required: bool = False
    nullable: bool = False
    default: Any = _ABSENT
    example: str = ""


@dataclass(frozen=True)
class Record:
    """A dict with known keys; ``closed`` refuses the others."""

    fields: Mapping[str, Field]
    closed: bool = True


@dataclass(frozen=True)
class Table:
    """{key: entry} where each key passes ``key_check``; ``rules`` judge the whole."""

    entry: Record
    key_check: Check
    rules: Callable[[Mapping[Any, Any], KeyPath], Iterator[Finding]] | None = None


Spec = Value | ListOf | PerLanguage | Record | Table


def language_rules(languages: Mapping[Any, Any], where: KeyPath) -> Iterator[Finding]:
    """French first and at the root; every other language in its own folder."""
    if "fr" not in languages:
        yield Finding(
            where,
            where,
            "pas de langue « fr » ; le français est la langue du site, à sa racine : "
            'ajoutez en premier "fr": {"path": "", "locale": "fr_CA", "name": "Français"}',
        )
    elif next(iter(languages)) != "fr":
        yield Finding(
            where,
            where + ("fr",),
            "« fr » doit venir en premier (le français est construit à la racine du site) ; "
            "déplacez son entrée en tête de LANGUAGES",
        )
    for code, conf in languages.items():
        folder = conf.get("path") if isinstance(conf, Mapping) else None
        at = where + (code, "path")
        if code == "fr" and folder:
            yield Finding(at, at, 'le français est à la racine du site ; écrivez "path": ""')
        elif code != "fr" and folder == "":
            yield Finding(
                at,
                at,
                "chemin vide : seul le français est à la racine du site ; "
                f'écrivez par exemple "path": "{code}"',
            )


TEXT = Value(text)

LANGUAGE = Record(
    {
        "path": Field(Value(site_path), "dossier", required=True, example='"en"'),
        "locale": Field(TEXT, "locale", required=True, example='"en_CA"'),
        "name": Field(TEXT, "nom", required=True, example='"English"'),
        "overrides": Field(Value(mapping)),
    }
)

SERIES_ENTRY = Record(
    {
        "title": Field(PerLanguage(TEXT, "all", "le titre"), "titre", required=True),
        "short_title": Field(PerLanguage(TEXT, what="le titre court")),
        "description": Field(PerLanguage(TEXT, what="la description")),
        "numbered": Field(Value(flag)),
        # Absent counts as {}: each language of LANGUAGES then says what it lacks.
        "required_sections": Field(
            PerLanguage(ListOf(TEXT), "all", "la liste des sections obligatoires"), default={}
        ),
    }
)

GROUP_ENTRY = Record({"name": Field(PerLanguage(TEXT, "all", "le nom"), "nom", required=True)})

ORGANISATION = Record(
    {
        "name": Field(TEXT, "nom", required=True, example='"Coalition …"'),
        "short_name": Field(TEXT, "sigle", required=True, example='"CTROC"'),
        "website": Field(Value(url), "site web", required=True, example='"https://…"'),
        "email": Field(TEXT, "courriel", required=True, example='"info@exemple.org"'),
        "phone": Field(TEXT, "téléphone", required=True, example='"514-000-0000"'),
    }
)

REGROUPEMENT = Record(
    {
        "name": Field(TEXT, "nom", required=True, example='"Regroupement des …"'),
        "acronym": Field(TEXT, "sigle", required=True, example='"RCCQ"'),
        "forms": Field(ListOf(TEXT)),
    }
)


def hashtag(value: Any) -> str | None:
    return text_where(
        value,
        lambda v: bool(re.fullmatch(r"#\w+", v)),
        lambda v: f"mot-clic « {v} » invalide ; écrivez # suivi du mot, sans espace (#PolQc)",
    )


def mention(value: Any) -> str | None:
    return text_where(
        value,
        lambda v: bool(re.fullmatch(r"@\w+", v)),
        lambda v: f"destinataire « {v} » invalide ; écrivez @ suivi du compte (@luciecharlebois)",
    )


ACTION = Record(
    {
        "name": Field(TEXT, "nom", required=True, example='"Histoires d\'OCASSS"'),
        "required_hashtags": Field(
            ListOf(Value(hashtag)), "mots-clics obligatoires", required=True, example='["#…"]'
        ),
        "optional_hashtags": Field(ListOf(Value(hashtag))),
        "recipient": Field(Value(mention), "destinataire", required=True, example='"@…"'),
        "twitter_limit": Field(Value(count), "limite Twitter", required=True, example="140"),
        "facebook_sentences": Field(
            Value(count), "nombre de phrases Facebook", required=True, example="3"
        ),
        "guide_page": Field(Value(slug)),
    }
)

SMTP = Record(
    {
        "host": Field(TEXT, "serveur", required=True, example='"smtp.exemple.org"'),
        "port": Field(Value(port), "port", required=True, example="587"),
        "security": Field(Value(smtp_security), "sécurité", required=True, example='"starttls"'),
        "timeout": Field(Value(count)),  # seconds
    }
)

EMAIL = Record(
    {
        "from": Field(Value(mail_address), "expéditeur", required=True, example='"CTROC <…>"'),
        "reply_to": Field(Value(mail_address), nullable=True),
        "to": Field(Value(mail_address), "adresse de la liste", required=True, example='"…"'),
        "subscribe": Field(Value(mailto_or_url), nullable=True),
        "unsubscribe": Field(Value(mailto_or_url), nullable=True),
        "unsubscribe_url": Field(Value(https_url), nullable=True),
        "smtp": Field(SMTP, "serveur d'envoi", required=True, example='{"host": …}'),
    }
)

SETTINGS = Record(
    {
        "LANGUAGES": Field(
            Table(LANGUAGE, language_key, language_rules),
            required=True,
            example='{"fr": {"path": "", "locale": "fr_CA", "name": "Français"}}',
        ),
        "SERIES": Field(Table(SERIES_ENTRY, slug_key)),
        "GROUPS": Field(Table(GROUP_ENTRY, slug_key)),
        "ORGANISATION": Field(ORGANISATION),
        "MAX_SOURCE_BYTES": Field(Value(count)),
        "FEED_MAX_ITEMS": Field(Value(count), nullable=True),  # None: every bulletin (Pelican)
        "MARKDOWN_JOBS": Field(Value(count), nullable=True),  # None: one per core
        "PDF_JOBS": Field(Value(count), nullable=True),
        "RENDER_JOBS": Field(Value(count), nullable=True),
        "BUILD_TODAY": Field(Value(day), nullable=True),  # None: today in Quebec
        "CALENDAR_ALL_NAMES": Field(PerLanguage(Value(slug))),
        "FEED_TAG_AUTHORITY": Field(
            TEXT, required=True, example='"ctroc.org,2013" (ne le changez jamais ensuite)'
        ),
        "FEED_SITEURL": Field(Value(url), nullable=True),
        "PDF_LINK_SITEURL": Field(Value(url), nullable=True),
        "SEARCH_INDEX": Field(Value(flag)),
        "SEARCH_SHARD_PAGES": Field(Value(count)),
        "SEARCH_JOBS": Field(Value(count)),
        "EMBED_HOSTS": Field(ListOf(Value(host, '"www.youtube-nocookie.com"'))),
        "EMAIL": Field(EMAIL, nullable=True),
        "REGROUPEMENTS": Field(Table(REGROUPEMENT, slug_key)),
        "ACTION": Field(ACTION),
    },
    closed=False,  # Pelican has its own settings, and checks them itself
)


# ---------------------------------------------------------------------------
# The walker.
# ---------------------------------------------------------------------------


def example_of(spec: Spec, languages: tuple[str, ...]) -> str:
    """A value of the right shape, for « donnez … »."""
    match spec:
        case Value(example=example):
            return example
        case ListOf(item=item):
            return f"[{example_of(item, languages)}]"
        case PerLanguage(value=value):
            pairs = (f'"{lang}": {example_of(value, languages)}' for lang in languages)
            return "{" + ", ".join(pairs) + "}"
    return "{…}"


def walk(spec: Spec, value: Any, where: KeyPath, languages: tuple[str, ...]) -> Iterator[Finding]:
    """Every mistake of ``value`` (found at ``where``) against ``spec``."""
    match spec:
        case Value(check=check):
            complaint = check(value)
            if complaint:
                yield Finding(where, where, complaint)
        case ListOf(item=item):
            if not isinstance(value, list | tuple):
                yield Finding(where, where, wrong_type(value, 'une liste ["…", "…"]'))
                return
            for index, element in enumerate(value):
                yield from walk(item, element, where + (index,), languages)
        case PerLanguage():
            yield from walk_languages(spec, value, where, languages)
        case Record():
            yield from walk_record(spec, value, where, languages)
        case Table(entry=entry, key_check=key_check, rules=rules):
            if not isinstance(value, Mapping):
                yield Finding(where, where, wrong_type(value, "un dictionnaire {…}"))
                return
            for key, item in value.items():
                complaint = key_check(key)
                if complaint:
                    yield Finding(where + (key,), where + (key,), complaint)
                yield from walk(entry, item, where + (key,), languages)
            if rules is not None:
                yield from rules(value, where)


def walk_languages(
    spec: PerLanguage, value: Any, where: KeyPath, languages: tuple[str, ...]
) -> Iterator[Finding]:
    """A {langue: valeur} dict: known languages, right values, required ones present."""
    if not isinstance(value, Mapping):
        expected = f"un dictionnaire par langue {example_of(spec, languages)}"
        yield Finding(where, where, wrong_type(value, expected))
        return
    # A language the code supports but LANGUAGES leaves out is harmless; a typo is not.
    known = list(dict.fromkeys(languages + SUPPORTED_LANGUAGES))
    for lang, item in value.items():
        if lang in known:
            yield from walk(spec.value, item, where + (lang,), languages)
        else:
            message = unknown_key(lang, known, "langue inconnue", "langues possibles")
            yield Finding(where, where + (lang,), message)
    needed = languages if spec.required == "all" else ("fr",) if spec.required else ()
    reason = " (LANGUAGES)" if spec.required == "all" else ""
    for lang in needed:
        if lang not in value:
            in_lang = IN_LANGUAGE.get(lang, f"en langue « {lang} »")
            yield Finding(
                where[:-1],
                where,
                f"pas de « {where[-1]} » pour la langue « {lang} »{reason} ; "
                f"ajoutez {spec.what} {in_lang}",
            )


def walk_record(
    spec: Record, value: Any, where: KeyPath, languages: tuple[str, ...]
) -> Iterator[Finding]:
    """A dict with known keys: unknown ones refused, present ones walked, required ones there."""
    if not isinstance(value, Mapping):
        yield Finding(where, where, wrong_type(value, "un dictionnaire {…}"))
        return
    unknown = [key for key in value if key not in spec.fields] if spec.closed else []
    for key in unknown:
        yield Finding(where, where + (key,), unknown_key(key, spec.fields))
    # A misspelt key is said once, as such, not also as a missing one.
    meant = {close_match(key, spec.fields) for key in unknown}
    for name, rule in spec.fields.items():
        if name not in value and name in meant:
            continue
        item = value.get(name, rule.default)
        if item is None and rule.nullable:
            continue
        if item is not _ABSENT:
            yield from walk(rule.spec, item, where + (name,), languages)
        elif rule.required:
            yield missing(rule, name, where, languages)


def missing(rule: Field, name: str, where: KeyPath, languages: tuple[str, ...]) -> Finding:
    """A required key that is absent."""
    example = rule.example or example_of(rule.spec, languages)
    if not where:
        return Finding((name,), (name,), f"réglage absent ; ajoutez {name} = {example}")
    return Finding(where, where, f"pas de {rule.noun} (« {name} ») ; donnez {example}")


# ---------------------------------------------------------------------------
# Where keys are written: the settings files read with ast.
# ---------------------------------------------------------------------------

Place = tuple[str, int]  # (file name, line)


def key_places(conf: Path) -> dict[KeyPath, Place]:
    """Where each key path is last written, star-imported sibling files included.

    Statements are read in order, as Python runs them: ``from pelicanconf import *``
    reads that file at that point, a later ``SERIES["x"]["numbered"] = …`` or
    ``SERIES["x"].pop("…")`` moves the key (or its parent) to that line.
    """
    places: dict[KeyPath, Place] = {}
    read_places(Path(conf), places, set())
    return places


def read_places(path: Path, places: dict[KeyPath, Place], seen: set[Path]) -> None:
    """Add the key paths one settings file writes to ``places``."""
    if path in seen:
        return
    seen.add(path)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return
    for statement in statements(tree.body):
        if isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
            sibling = path.parent / (statement.module.replace(".", "/") + ".py")
            if any(alias.name == "*" for alias in statement.names) and sibling.is_file():
                read_places(sibling, places, seen)
        else:
            record_statement(statement, path.name, places)


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements in order, those inside if/try/with blocks included."""
    for statement in body:
        if isinstance(statement, ast.If):
            yield from statements(statement.body + statement.orelse)
        elif isinstance(statement, ast.With):
            yield from statements(statement.body)
        elif isinstance(statement, ast.Try):
            handlers = [line for handler in statement.handlers for line in handler.body]
            yield from statements(
                statement.body + handlers + statement.orelse + statement.finalbody
            )
        else:
            yield statement


def record_statement(statement: ast.stmt, name: str, places: dict[KeyPath, Place]) -> None:
    """What one statement writes (assignment, del, or a method call such as pop)."""
    line = statement.lineno
    match statement:
        case ast.Assign(targets=targets, value=value):
            for target in targets:
                assign(subscript_path(target), value, (name, line), places)
        case ast.AnnAssign(target=target, value=value) if value is not None:
            assign(subscript_path(target), value, (name, line), places)
        case ast.AugAssign(target=target, value=value):
            path = subscript_path(target)
            if path:
                places[path] = (name, line)
                record_literal(path, value, name, places)
        case ast.Delete(targets=targets):
            for path in filter(None, map(subscript_path, targets)):
                forget(path, places)
                if len(path) > 1:
                    places[path[:-1]] = (name, line)
        case ast.Expr(value=ast.Call(func=ast.Attribute(value=owner, attr=method), args=args)):
            path = subscript_path(owner)
            if not path:
                return
            key = args[0].value if args and isinstance(args[0], ast.Constant) else _ABSENT
            if method == "pop" and key is not _ABSENT:
                forget(path + (key,), places)
            elif method == "clear":
                forget(path, places)
            elif method == "update" and args:
                record_literal(path, args[0], name, places)
            places[path] = (name, line)


def assign(
    path: KeyPath | None, value: ast.expr, place: Place, places: dict[KeyPath, Place]
) -> None:
    """``path = value``: the old keys below ``path`` are gone, the literal's are new."""
    if not path:
        return
    forget(path, places)
    places[path] = place
    record_literal(path, value, place[0], places)


def record_literal(path: KeyPath, node: ast.expr, name: str, places: dict[KeyPath, Place]) -> None:
    """The line of every key of a dict (or item of a list) literal below ``path``."""
    for key, line, value in literal_items(node):
        places[path + (key,)] = (name, line)
        record_literal(path + (key,), value, name, places)


def literal_items(node: ast.expr) -> list[tuple[Any, int, ast.expr]]:
    """(key, line of the key, value) of a ``{…}``, ``dict(…)``, ``[…]`` or ``(…)`` literal."""
    if isinstance(node, ast.Dict):
        pairs = zip(node.keys, node.values, strict=True)
        return [
            (key.value, key.lineno, value) for key, value in pairs if isinstance(key, ast.Constant)
        ]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return [(word.arg, word.lineno, word.value) for word in node.keywords if word.arg]
    if isinstance(node, ast.List | ast.Tuple):
        return [(index, item.lineno, item) for index, item in enumerate(node.elts)]
    return []


def subscript_path(node: ast.expr) -> KeyPath | None:
    """``SERIES["a"]["b"]`` as ("SERIES", "a", "b"); None for anything else."""
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        parent = subscript_path(node.value)
        return parent + (node.slice.value,) if parent else None
    return None


def forget(path: KeyPath, places: dict[KeyPath, Place]) -> None:
    """Drop ``path`` and every key below it."""
    for key in [key for key in places if key[: len(path)] == path]:
        del places[key]


def place_of(path: KeyPath, places: Mapping[KeyPath, Place], conf: Path) -> Place:
    """Where the deepest written part of ``path`` is; (the settings file, 1) if nowhere."""
    for end in range(len(path), 0, -1):
        if path[:end] in places:
            return places[path[:end]]
    return (Path(conf).name, 1)


# ---------------------------------------------------------------------------
# The entry point.
# ---------------------------------------------------------------------------


def settings_problems(settings: Mapping[str, Any], conf: Path) -> list[Problem]:
    """Every mistake of the settings, as ``pelicanconf.py:LINE: SERIES["x"] : …``, sorted.

    ``settings`` is what Pelican's ``read_settings(str(conf))`` returns. Each
    problem names the file that assigns the key (``pelicanconf.py`` for the
    SERIES of publishconf.py, which star-imports it) and the line, in that
    file's text, of the deepest part of the key path it writes: the key itself
    (``"numbered":``); for a missing key, its container (``"required_sections":``
    when only "en" lacks, ``"info-psoc":`` when required_sections is absent);
    else the top-level assignment. A later statement that rewrites or removes
    the key, such as ``SERIES["info-psoc"].pop("required_sections")``, moves it
    to that statement's line. Line 1 of ``conf`` when no file writes the key.
    """
    declared = settings.get("LANGUAGES")
    languages = (
        tuple(lang for lang in declared if isinstance(lang, str))
        if isinstance(declared, Mapping)
        else ("fr",)
    )
    places = key_places(Path(conf))
    found = {
        Problem(*place_of(finding.at, places, conf), f"{key_label(finding.label)} : {finding.text}")
        for finding in walk(SETTINGS, settings, (), languages)
    }
    return sorted(found)


def read_conf(conf: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Pelican's settings of ``conf`` with ``overrides`` (``read_settings``).

    Raises ContentError with one problem, on the line Python stopped at, when the
    settings file cannot run: a typo that is not Python (SyntaxError), a name it
    does not know (NameError), anything its code raises. Every command reads its
    settings here.
    """
    from pelican.settings import read_settings

    if not Path(conf).is_file():
        said = f"fichier de réglages introuvable : {Path(conf).name}"
        raise ContentError(
            [Problem("", 0, f"{said} ; lancez la commande depuis le dossier du projet")]
        )
    try:
        return read_settings(str(conf), dict(overrides or {}))
    except Exception as error:  # noqa: BLE001 - the settings file is staff's own Python code
        raise ContentError([unreadable_settings(error, Path(conf))]) from None


# Python's own words for the commonest slips in a settings file, in French.
SYNTAX_MESSAGES = (
    (re.compile(r"invalid syntax\. Perhaps you forgot a comma\?"), "une virgule manque ?"),
    (re.compile(r"'(.)' was never closed"), "« {0} » ouvert mais jamais fermé"),
    (re.compile(r"unmatched '(.)'"), "« {0} » fermé sans avoir été ouvert"),
    (
        re.compile(
            r"closing parenthesis '(.)' does not match opening parenthesis '(.)' on line (\d+)"
        ),
        "« {0} » ne ferme pas le « {1} » ouvert ligne {2}",
    ),
    (
        re.compile(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'"),
        "« {0} » ne ferme pas « {1} »",
    ),
    (
        re.compile(r"unterminated (?:triple-quoted )?string literal.*"),
        "texte jamais fermé par son guillemet",
    ),
    (
        re.compile(r"unexpected indent|unindent does not match.*|expected an indented block.*"),
        "indentation inattendue",
    ),
    (re.compile(r"expected ':'"), "« : » attendu"),
    (re.compile(r"invalid syntax"), "syntaxe invalide"),
)


def syntax_message(message: str) -> str:
    """Python's message about a syntax error, in French when it is a common one."""
    for pattern, french in SYNTAX_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return french.format(*found.groups())
    return message


def unreadable_settings(error: Exception, conf: Path) -> Problem:
    """The problem of a settings file Python could not run, on the line it stopped at
    in a settings file of the project (``conf``'s folder), else at ``conf``'s line 1."""
    folder = conf.resolve().parent
    place: tuple[str, int] = (conf.name, 1)
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        frames = [(error.filename, error.lineno)]
    else:
        frames = [
            (frame.filename, frame.lineno or 1)
            for frame in traceback.extract_tb(error.__traceback__)
        ]
    for filename, line in frames:
        path = Path(filename)
        if path.suffix == ".py" and path.resolve().parent == folder:
            place = (path.name, line)
    if isinstance(error, SyntaxError):
        said = f"erreur de syntaxe Python ({syntax_message(error.msg)})"
    elif isinstance(error, NameError) and error.name:
        said = f"nom inconnu « {error.name} » (une faute de frappe, ou des guillemets oubliés ?)"
    elif isinstance(error, ModuleNotFoundError) and error.name:
        said = f"module Python introuvable « {error.name} » (import)"
    else:
        said = f"erreur Python {type(error).__name__} ({error})"
    return Problem(*place, f"les réglages ne peuvent pas être lus : {said} ; corrigez cette ligne")
