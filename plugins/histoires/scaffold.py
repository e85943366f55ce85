"""``invoke new --histoire``: the file of an event's messages, as a draft to fill in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from unidecode import unidecode

from plugins.histoires.reading import HISTOIRES_DIR
from plugins.histoires.rules import Action
from plugins.model import Regroupement


def file_slug(title: str) -> str:
    """« Forum du RCCQ » → ``forum-du-rccq``."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(title).lower()).strip("-") or "evenement"


def new_story(
    content: Path, group: Regroupement, title: str, action: Action, today: dt.date
) -> tuple[Path, str]:
    """Where the draft goes and its text: the header, a reminder of the rules, and an
    empty message under each network (``invoke check`` says what is left to write)."""
    path = content / HISTOIRES_DIR / f"{today.isoformat()}-{file_slug(title)}.md"
    required = " et ".join((*action.required_hashtags, action.recipient))
    text = (
        f"Title: {title}\n"
        f"Date: {today.isoformat()}\n"
        f"Group: {group.acronym}\n"
        "Status: brouillon\n"
        "\n"
        "<!-- Un message par élément de liste (« - … »), sous le réseau où il sera envoyé ;\n"
        "retirez le réseau qui ne sert pas. Chaque message contient "
        f"{required},\n"
        f"et nomme le regroupement ({group.acronym}). Twitter : {action.twitter_limit} "
        "caractères au plus ;\n"
        f"Facebook : {action.facebook_sentences} phrases au plus. Une fois les messages "
        "envoyés, écrivez « Status: envoyé ». -->\n"
        "\n"
        "## Twitter\n"
        "\n"
        "- \n"
        "\n"
        "## Facebook\n"
        "\n"
        "- \n"
    )
    return path, text
