"""The action's rules, from settings (``ACTION``), checked on each message.

A draft (``Status: brouillon``) is refused for each broken rule, on the
message's line; a sent record (``envoyé``) is published as it was sent, its
findings printed as warnings. Not naming the regroupement is a warning even
in a draft: the seed's own examples 5 and 6 name none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plugins.histoires.reading import fold
from plugins.model import Advice, Network, Problem, Story, StoryMessage, StoryStatus

# A hashtag's word; not after a letter, « # » or « & » (a character reference: ``&#39;``).
HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
# A sentence ends with . ! ? or … followed by a space (or the end); « M. » and
# numbers (« 2,5 M$. ») are rare enough in these messages not to matter.
_SENTENCE_END = re.compile(r"[.!?…]+(?:\s|$)")


@dataclass(frozen=True)
class Action:
    """The rules of the action, as ``ACTION`` in pelicanconf.py gives them."""

    name: str
    required_hashtags: tuple[str, ...]
    optional_hashtags: tuple[str, ...]
    recipient: str
    twitter_limit: int
    facebook_sentences: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Action | None:
        conf = settings.get("ACTION")
        if not conf:
            return None
        return cls(
            name=conf["name"],
            required_hashtags=tuple(conf["required_hashtags"]),
            optional_hashtags=tuple(conf.get("optional_hashtags") or ()),
            recipient=conf["recipient"],
            twitter_limit=int(conf["twitter_limit"]),
            facebook_sentences=int(conf["facebook_sentences"]),
        )


def twitter_length(text: str) -> int:
    """The length Twitter counts: NFC code points, every URL 23 characters.

    twitter-text is imported here, on the first message measured: compiling its
    regular expressions takes a quarter of a second, which every build without
    a message to check (most rebuilds: checks are kept, plugins.validation.memo)
    would otherwise pay.
    """
    from twitter_text import parse_tweet

    return parse_tweet(text).weightedLength


def sentences(text: str) -> int:
    """How many sentences ``text`` has: a last one without its full stop counts, the
    hashtags, mentions and addresses that close a message do not."""
    ends = _SENTENCE_END.findall(text.strip())
    rest = _SENTENCE_END.split(text.strip())[-1]
    words = [w for w in rest.split() if not w.startswith(("#", "@", "http://", "https://"))]
    return len(ends) + (1 if any(any(c.isalnum() for c in w) for w in words) else 0)


def hashtags(text: str) -> list[str]:
    return [f"#{tag}" for tag in HASHTAG.findall(text)]


def near_miss(wanted: str, present: list[str]) -> str | None:
    """A hashtag of ``present`` that was probably meant to be ``wanted``."""
    folded = {fold(tag): tag for tag in present}
    close = difflib.get_close_matches(fold(wanted), list(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def message_findings(message: StoryMessage, action: Action) -> list[str]:
    """What the message breaks, in French (empty: it follows every rule)."""
    found = []
    text = message.text
    if message.network is Network.TWITTER:
        length = twitter_length(text)
        if length > action.twitter_limit:
            found.append(
                f"message Twitter trop long : {length} caractères sur {action.twitter_limit} "
                "(chaque adresse web compte pour 23) ; raccourcissez-le"
            )
    else:
        count = sentences(text)
        if count > action.facebook_sentences:
            found.append(
                f"message Facebook trop long : {count} phrases sur "
                f"{action.facebook_sentences} au plus ; gardez l'essentiel"
            )
    present = hashtags(text)
    present_folded = {fold(tag) for tag in present}
    for wanted in action.required_hashtags:
        if fold(wanted) in present_folded:
            continue
        guess = near_miss(wanted, present)
        if guess:
            found.append(
                f"mot-clic obligatoire {wanted} absent : « {guess} » — vouliez-vous dire {wanted} ?"
            )
        else:
            found.append(f"mot-clic obligatoire {wanted} absent : ajoutez-le au message")
    if fold(action.recipient) not in fold(text):
        found.append(
            f"destinataire {action.recipient} absent : ajoutez-le pour que le message lui parvienne"
        )
    return found


def names_group(message: StoryMessage, story: Story) -> bool:
    """Whether the message names its regroupement by one of its forms (or has none)."""
    if story.group is None:
        return True
    text = fold(message.text)
    return any(fold(name) in text for name in story.group.names)


def story_problems(story: Story, action: Action | None) -> list[Problem]:
    """Every finding of a story's messages: refusals for a draft, advice once sent."""
    if action is None:
        return []
    draft = story.status is StoryStatus.DRAFT
    found: list[Problem] = []
    for message in story.messages:
        for finding in message_findings(message, action):
            kind = Problem if draft else Advice
            found.append(kind(story.path, message.line, finding))
        if not names_group(message, story):
            forms = " ou ".join(f"« {name} »" for name in (story.group.acronym, story.group.name))
            found.append(
                Advice(
                    story.path,
                    message.line,
                    f"le message ne nomme pas le regroupement : ajoutez {forms} si la "
                    "place le permet",
                )
            )
    return found
