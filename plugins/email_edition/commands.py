"""``invoke email`` and ``invoke send``: a bulletin's email edition, written or sent.

Both build the site first (or reuse it when nothing changed), so a bulletin
that fails validation is never sent; then read the bulletin's published page.
Each returns an exit status and prints French lines only.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TextIO

from plugins.build import PROJECT_ROOT, build_site, report_failure, siteurls_of
from plugins.build.staging import BuildBusy
from plugins.configuration import mail_address, read_conf
from plugins.content.loading import load_content
from plugins.email_edition.edition import (
    GMAIL_CLIP_BYTES,
    Addresses,
    EditionRefused,
    Published,
    email_message,
    html_size,
    message_id,
    published,
)
from plugins.email_edition.sending import SendFailed, SentLog, Server, send
from plugins.i18n.formatting import format_date, format_filesize
from plugins.memo import cache_root
from plugins.model import ContentError, shown_path

EMAIL_DIR = "email"  # under the build cache: never published


@dataclass(frozen=True)
class Request:
    """What the staff asked for, with the paths they wrote."""

    conf: Path
    bulletin: str  # as written: content/bulletins/info-psoc/01.md
    lang: str | None = None
    overrides: Mapping[str, Any] | None = None  # PATH, BUILD_CACHE_PATH (tests)
    output: Path | None = None


@dataclass(frozen=True)
class Prepared:
    edition: Published
    settings: dict[str, Any]
    addresses: Addresses
    eml: Path
    shown_eml: str


def read(conf: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    return read_conf(conf, overrides)


def production_settings(conf: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """publishconf.py beside ``conf`` (absolute SITEURL), else ``conf`` itself."""
    publish = conf.with_name("publishconf.py")
    return read(publish if publish.is_file() else conf, overrides)


def prepare(request: Request) -> Prepared:
    """Build (or reuse) the site, then the bulletin's edition; EditionRefused or
    ContentError when it cannot be made."""
    settings = read(request.conf, request.overrides)
    if not settings.get("EMAIL"):
        raise EditionRefused(
            f"{request.conf.name} : pas de réglage EMAIL ; ajoutez l'expéditeur, l'adresse de "
            "la liste et le serveur d'envoi (voir le guide, « Envoyer un bulletin par courriel »)"
        )
    source = Path(request.bulletin)
    if not source.is_file():
        raise EditionRefused(f"bulletin introuvable : {request.bulletin}")
    if request.lang is not None and request.lang not in settings["LANGUAGES"]:
        known = ", ".join(settings["LANGUAGES"])
        raise EditionRefused(f"langue « {request.lang} » inconnue ; langues du site : {known}")
    overrides = dict(request.overrides or {})
    result = build_site(request.conf, output=request.output, overrides=overrides)
    settings["PROJECT_ROOT"] = str(PROJECT_ROOT)
    model = load_content(settings)
    file = model.file(os.path.abspath(source))
    bulletin = model.bulletin(file) if file is not None else None
    if bulletin is None:
        raise EditionRefused(
            f"{request.bulletin} n'est pas un bulletin : donnez un fichier de "
            "content/bulletins/<série>/"
        )
    if request.lang is not None and request.lang != bulletin.lang:
        twin = next(
            (t for t in model.translations_of(file) if model.bulletin(t).lang == request.lang),
            None,
        )
        if twin is None:
            raise EditionRefused(
                f"{request.bulletin} n'a pas de version « {request.lang} » : créez-la avec "
                f"invoke new --translate {request.bulletin}"
            )
        file, bulletin = twin, model.bulletin(twin)
    if (file.raw("status") or "").strip().lower() == "draft":
        raise EditionRefused(
            f"{file.path} est un brouillon (Status: draft) : publiez-le avant de l'envoyer"
        )
    production = production_settings(request.conf, request.overrides)
    lang_path = settings["LANGUAGES"][bulletin.lang]["path"]
    fields = {"slug": bulletin.slug, "category": bulletin.series.key, "lang": bulletin.lang}
    page = result.output / lang_path / settings["ARTICLE_SAVE_AS"].format(**fields)
    page_url = siteurls_of(production)[bulletin.lang] + "/"
    page_url += settings["ARTICLE_URL"].format(**fields)
    edition = published(page, bulletin, page_url, production["SITEURL"])
    suffix = "" if bulletin.lang == "fr" else f"-{bulletin.lang}"
    eml = cache_root(settings) / EMAIL_DIR / f"{bulletin.slug}{suffix}.eml"
    addresses = Addresses.from_settings(settings["EMAIL"])
    return Prepared(edition, settings, addresses, eml, shown_path(eml))


def write_eml(message: EmailMessage, path: Path) -> int:
    """Write the message's bytes atomically; their size."""
    data = message.as_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return len(data)


def short_name(edition: Published) -> str:
    """« INFO-PSOC no 1 », « Campagne du 18 avril 2013 »."""
    bulletin = edition.bulletin
    series = bulletin.series.short_title(bulletin.lang)
    if bulletin.number:
        return f"{series} no {bulletin.number}"
    return f"{series} du {format_date(bulletin.date, 'fr')}"


def clipping_warning(message: EmailMessage, stream: TextIO) -> None:
    size = html_size(message)
    if size > GMAIL_CLIP_BYTES:
        print(
            f"avertissement : la partie HTML fait {format_filesize(size, 'fr')} : Gmail coupe "
            f"un message au-delà de 102 Ko (« Message tronqué ») ; raccourcissez le bulletin",
            file=stream,
        )


def failure(stream: TextIO, run, nothing: str = "rien n'a été envoyé") -> int:
    """Run ``run()``; print a refusal as one French line ending with ``nothing`` (or the
    build's problems)."""
    try:
        return run()
    except ContentError as error:
        report_failure(
            error, stream, "rien n'a été écrit ni envoyé : corrigez d'abord ces problèmes"
        )
    except (EditionRefused, SendFailed, BuildBusy) as error:
        print(f"{error} ; {nothing}.", file=stream)
    return 1


def run_email(request: Request, stream: TextIO = sys.stdout, errors: TextIO = sys.stderr) -> int:
    """Write the bulletin's email edition (.eml) and print its path."""

    def run() -> int:
        prepared = prepare(request)
        message = email_message(prepared.edition, prepared.settings, prepared.addresses)
        size = write_eml(message, prepared.eml)
        clipping_warning(message, errors)
        print(
            f"Édition courriel de {short_name(prepared.edition)} "
            f"({format_filesize(size, 'fr')}) : {prepared.shown_eml}",
            file=stream,
        )
        return 0

    return failure(errors, run, "aucune édition n'a été écrite")


def run_send(
    request: Request,
    to: str | None,
    dry_run: bool = False,
    again: bool = False,
    environ: Mapping[str, str] | None = None,
    stream: TextIO = sys.stdout,
    errors: TextIO = sys.stderr,
) -> int:
    """Send the bulletin's email edition to ``to`` (the list of ``EMAIL`` by default)."""
    environ = os.environ if environ is None else environ

    def run() -> int:
        if to is not None and mail_address(to):
            raise EditionRefused(
                f"adresse « {to} » invalide : écrivez par exemple liste@exemple.org"
            )
        prepared = prepare(request)
        recipient = to or prepared.addresses.to
        server = Server.from_settings(prepared.settings["EMAIL"]["smtp"], environ)
        identity = message_id(prepared.edition)
        log = SentLog(prepared.eml.parent / "sent.json")
        previously = log.sent_at(identity, recipient)
        name = short_name(prepared.edition)
        if previously and not again:
            raise EditionRefused(
                f"{name} a déjà été envoyé à {recipient} le "
                f"{previously[:16].replace('T', ' à ')} ; ajoutez --again pour l'envoyer de "
                "nouveau"
            )
        moment = dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0)
        addresses = replace(prepared.addresses, to=recipient)
        message = email_message(prepared.edition, prepared.settings, addresses, sent_at=moment)
        clipping_warning(message, errors)
        size = format_filesize(len(message.as_bytes()), "fr")
        if dry_run:
            write_eml(message, prepared.eml)
            print(
                f"Envoi simulé : {name} serait envoyé à {recipient} par {server} "
                f"(1 message, {size}) ; message écrit dans {prepared.shown_eml}",
                file=stream,
            )
            return 0
        send(message, server, recipient)
        log.record(identity, recipient, moment)
        print(f"{name} envoyé à {recipient} (1 message, {size})", file=stream)
        return 0

    return failure(errors, run)
