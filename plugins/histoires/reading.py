"""Files of ``content/histoires/`` → typed ``Story`` values and their problems.

One file per event: a header (``Title``, ``Date``, ``Group``, ``Status``,
optional ``Event``) and the messages as list items under ``## Twitter`` and
``## Facebook``, one item a message, its text exactly as sent. A file with a
problem of form (unknown regroupement, impossible date, a message outside a
network's heading…) yields no Story; the action's rules (length, hashtags,
recipient) are ``plugins.histoires.rules``'.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from plugins.model import (
    Network,
    Problem,
    Regroupement,
    SourceFile,
    Story,
    StoryMessage,
    StoryStatus,
    invalid_field,
)

HISTOIRES_DIR = "histoires"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^[-*+]\s+(.*)$")
_CONTINUATION = re.compile(r"^\s{2,}(\S.*)$")


def regroupements(settings: Mapping[str, Any]) -> dict[str, Regroupement]:
    """``REGROUPEMENTS`` as typed values, by key."""
    return {
        key: Regroupement(
            key=key,
            name=conf["name"],
            acronym=conf["acronym"],
            forms=tuple(conf.get("forms") or ()),
        )
        for key, conf in (settings.get("REGROUPEMENTS") or {}).items()
    }


def fold(text: str) -> str:
    """Case and apostrophes folded: « L’R » and « l'r » compare equal."""
    return " ".join(text.replace("’", "'").casefold().split())


def find_regroupement(raw: str, known: Mapping[str, Regroupement]) -> Regroupement | None:
    """The regroupement ``raw`` names: its key, acronym, name or another form."""
    wanted = fold(raw)
    for group in known.values():
        if wanted == fold(group.key) or wanted in (fold(name) for name in group.names):
            return group
    return None


@dataclass(frozen=True)
class Wall:
    """Every valid story (newest first) and the problems of the others."""

    stories: tuple[Story, ...]
    problems: tuple[Problem, ...]
    regroupements: Mapping[str, Regroupement]

    def of_group(self, key: str) -> tuple[Story, ...]:
        return tuple(s for s in self.stories if s.group is not None and s.group.key == key)

    def message_count(self, key: str | None = None) -> int:
        stories = self.stories if key is None else self.of_group(key)
        return sum(len(story.messages) for story in stories)


def parse_status(raw: str) -> StoryStatus | None:
    wanted = fold(raw).replace("é", "e")
    return next((s for s in StoryStatus if fold(s.value).replace("é", "e") == wanted), None)


def parse_day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


def body_messages(file: SourceFile) -> tuple[list[StoryMessage], list[Problem]]:
    """The list items under ``## Twitter`` and ``## Facebook``, and what is misplaced."""
    messages: list[StoryMessage] = []
    problems: list[Problem] = []
    lines = file.text.splitlines()
    start = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    network: Network | None = None
    unknown_section = False  # under a heading already reported: its items are not
    current: StoryMessage | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            if current.text:
                messages.append(current)
            else:
                problems.append(
                    Problem(file.path, current.line, "message vide : écrivez le texte envoyé")
                )
        current = None

    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        continuation = _CONTINUATION.match(line)
        if heading:
            close()
            name = fold(heading.group(2))
            network = next((n for n in Network if n.value == name), None)
            unknown_section = network is None
            if network is None:
                problems.append(
                    Problem(
                        file.path,
                        number,
                        f"section « {heading.group(2)} » inconnue : les messages vont sous "
                        "« ## Twitter » ou « ## Facebook »",
                    )
                )
        elif item or (line.strip() in ("-", "*", "+")):
            close()
            text = item.group(1).strip() if item else ""
            if unknown_section:
                continue
            if network is None:
                problems.append(
                    Problem(
                        file.path,
                        number,
                        "message hors d'une section : placez-le sous « ## Twitter » ou "
                        "« ## Facebook », selon le réseau où il a été envoyé",
                    )
                )
                continue
            current = StoryMessage(network, text, number)
        elif continuation and current is not None:
            joined = f"{current.text} {continuation.group(1).strip()}".strip()
            current = StoryMessage(current.network, joined, current.line)
        elif line.strip():
            close()
            if network is not None and not unknown_section:
                problems.append(
                    Problem(
                        file.path,
                        number,
                        "texte hors d'une liste : chaque message est un élément de liste "
                        "qui commence par « - »",
                    )
                )
        else:
            close()
    close()
    return messages, problems


def story_of(
    file: SourceFile, known: Mapping[str, Regroupement]
) -> tuple[Story | None, list[Problem]]:
    """The file's Story, or None with the problems that keep it out."""
    problems: list[Problem] = []
    for key, noun in (("title", "Title"), ("date", "Date"), ("status", "Status")):
        if not (file.raw(key) or "").strip():
            problems.append(
                Problem(
                    file.path,
                    1,
                    f"métadonnée obligatoire manquante « {noun} » : ajoutez « {noun}: … » "
                    "en tête du fichier",
                )
            )
    written = {key: value for key, value in file.metadata.items() if value.strip()}
    problems += invalid_field(
        file.path,
        file.text,
        written,
        "date",
        parse_day,
        "date impossible « {raw} » : écrivez une vraie date AAAA-MM-JJ (par exemple 2016-10-01)",
    )
    problems += invalid_field(
        file.path,
        file.text,
        written,
        "status",
        parse_status,
        "statut inconnu « {raw} » : écrivez brouillon (pas encore envoyé) ou envoyé",
    )
    day = parse_day(written.get("date", ""))
    status = parse_status(written.get("status", ""))
    raw_group = (file.raw("group") or "").strip()
    group = find_regroupement(raw_group, known) if raw_group else None
    if raw_group and group is None:
        listed = ", ".join(f"{g.acronym} ({g.key})" for g in known.values())
        problems.append(
            Problem(
                file.path,
                file.line("group"),
                f"regroupement inconnu « {raw_group} » : regroupements connus : {listed} ; "
                "ajoutez-le dans REGROUPEMENTS (pelicanconf.py) au besoin",
            )
        )
    if status is StoryStatus.DRAFT and not raw_group:
        problems.append(
            Problem(
                file.path,
                1,
                "brouillon sans regroupement : ajoutez « Group: … » (le sigle ou le nom du "
                "regroupement qui envoie les messages)",
            )
        )
    messages, misplaced = body_messages(file)
    problems += misplaced
    if not messages and not misplaced:
        problems.append(
            Problem(
                file.path,
                1,
                "aucun message : écrivez chaque message comme un élément de liste (« - … ») "
                "sous « ## Twitter » ou « ## Facebook »",
            )
        )
    if problems or day is None or status is None:
        return None, problems
    story = Story(
        path=file.path,
        slug=file.stem,
        title=file.raw("title") or "",
        date=day,
        group=group,
        status=status,
        event=(file.raw("event") or "").strip() or None,
        messages=tuple(messages),
    )
    return story, []


def wall_from_files(files: Iterable[SourceFile], settings: Mapping[str, Any]) -> Wall:
    """Every story of the action, newest first (then by file), and the problems."""
    known = regroupements(settings)
    stories: list[Story] = []
    problems: list[Problem] = []
    for file in files:
        story, found = story_of(file, known)
        problems += found
        if story is not None:
            stories.append(story)
    stories.sort(key=lambda s: s.slug)
    stories.sort(key=lambda s: s.date, reverse=True)
    return Wall(tuple(stories), tuple(problems), known)
