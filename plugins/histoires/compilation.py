"""The printable compilation of the messages: one PDF per regroupement, one for all.

The seed asks groups to pass the messages to their members « pour qu'ils
affichent les messages dans des endroits visibles (babillard, etc.) »: US
Letter, large type, one message per card with its regroupement, event and
date, the wall's address on every page. Rendered like the bulletins' PDF
editions: WeasyPrint through the sandboxed fetcher, tagged (PDF/UA-1), cached
by content hash outside ``output/``, in the PDF pool.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.context import current
from plugins.histoires.reading import Wall
from plugins.i18n.catalogues import gettext_for, theme_environment
from plugins.i18n.formatting import format_date
from plugins.model import Problem, Story
from plugins.pdf_edition.cache import assets_digest, cache_key, cache_path, publish
from plugins.pdf_edition.editions import render_all, weasyprint_version
from plugins.pdf_edition.render import RenderJob

FILE_STEM = "histoires-docasss"
TEMPLATE = "histoires/compilation.html"


@dataclass(frozen=True)
class Compilation:
    """One published compilation: its URL below the sub-site and its size."""

    url: str
    size: int


@dataclass(frozen=True)
class Card:
    """One message as printed: its text, who sent it, when and where."""

    text: str
    group: str
    event: str
    date: str
    network: str


def compilation_url(wall_path: str, key: str | None) -> str:
    """``…/messages/histoires-docasss.pdf``, ``…/messages/rccq/histoires-docasss-rccq.pdf``."""
    if key is None:
        return f"{wall_path}{FILE_STEM}.pdf"
    return f"{wall_path}{key}/{FILE_STEM}-{key}.pdf"


def cards(stories: tuple[Story, ...], lang: str) -> list[Card]:
    return [
        Card(
            text=message.text,
            group=story.group.name if story.group else "",
            event=story.title,
            date=format_date(story.date, lang),
            network=message.network.value.capitalize(),
        )
        for story in stories
        for message in story.messages
    ]


def asset_files(theme: Path) -> list[Path]:
    files = [theme / "static" / "css" / "compilation.css", theme / "static" / "css" / "tokens.css"]
    files.append(theme / "templates" / TEMPLATE)
    files += sorted(p for p in (theme / "static" / "fonts").glob("*") if p.is_file())
    return [p for p in files if p.is_file()]


def publish_compilations(
    wall: Wall, settings: Mapping[str, Any], wall_path: str, wall_url: str
) -> dict[str | None, Compilation]:
    """Render (or take from the cache) and publish every compilation of the sub-site;
    by regroupement key (None: all). A failed render is a Problem, and no link."""
    lang = settings["DEFAULT_LANG"]
    theme = Path(settings["THEME"]).resolve()
    _ = gettext_for(settings["THEME"], lang)
    env = theme_environment(settings["THEME"], lang)
    assets = assets_digest(asset_files(theme), weasyprint_version())
    organisation = settings.get("ORGANISATION") or {}
    static = theme / "static"
    wanted: list[tuple[str | None, str, tuple[Story, ...]]] = [
        (None, _("Histoires d'OCASSS — tous les messages"), wall.stories)
    ]
    for key, group in wall.regroupements.items():
        if wall.of_group(key):
            title = _("Histoires d'OCASSS — les messages de %(group)s") % {"group": group.name}
            wanted.append((key, title, wall.of_group(key)))
    plans = []
    for key, title, stories in wanted:
        newest = max(story.date for story in stories)
        html = env.get_template(TEMPLATE).render(
            lang=lang,
            title=title,
            cards=cards(stories, lang),
            wall_url=wall_url if key is None else f"{wall_url}{key}/",
            organisation=organisation,
            created=dt.datetime.combine(newest, dt.time()).isoformat(),
        )
        digest = cache_key(assets, html, html, {"kind": "histoires", "lang": lang})
        cached = cache_path(settings.get("BUILD_CACHE_PATH", ".cache"), digest)
        job = RenderJob(
            html_with_toc=html,
            html_without_toc=html,
            base_url=static.as_uri() + "/",
            stylesheet_url=(static / "css" / "compilation.css").as_uri(),
            roots=(str(static),),
            target=str(cached.resolve()),
            identifier=bytes.fromhex(digest[:32]),
        )
        plans.append((key, compilation_url(wall_path, key), cached, job))
    missing = {job.target: job for _key, _url, cached, job in plans if not cached.is_file()}
    workers = int(settings.get("PDF_JOBS") or os.cpu_count() or 1)
    results = {r.target: r for r in render_all(list(missing.values()), workers)}
    published: dict[str | None, Compilation] = {}
    for key, url, cached, job in plans:
        result = results.get(job.target)
        if result is not None and (result.error or result.refusals or result.errors):
            reason = result.error or "; ".join(result.errors) or "ressource refusée"
            current().problems.add(
                Problem(
                    "theme/templates/" + TEMPLATE,
                    1,
                    f"impossible de produire la compilation {url} : {reason}",
                )
            )
            cached.unlink(missing_ok=True)
            continue
        target = Path(settings["OUTPUT_PATH"]) / url
        publish(cached, target)
        published[key] = Compilation(url, target.stat().st_size)
    return published
