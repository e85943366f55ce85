"""Sending an email edition through SMTP, and remembering what was sent.

The server comes from ``EMAIL["smtp"]``, overridden by ``SMTP_HOST``,
``SMTP_PORT`` and ``SMTP_SECURITY``; the user and password only from
``SMTP_USER`` and ``SMTP_PASSWORD``, never from a file of the repository.
Every failure is one French line (``SendFailed``); nothing is marked as sent
unless the server accepted the message.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from plugins.configuration import SMTP_SECURITY

DEFAULT_TIMEOUT = 30  # seconds


class SendFailed(Exception):
    """Why the message was not sent, in one French line."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # starttls, ssl or none
    timeout: int
    user: str | None
    password: str | None

    @classmethod
    def from_settings(cls, smtp: Mapping[str, Any], environ: Mapping[str, str]) -> Server:
        port = environ.get("SMTP_PORT") or smtp["port"]
        try:
            port = int(port)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise SendFailed(
                f"SMTP_PORT « {environ.get('SMTP_PORT')} » n'est pas un numéro de port "
                "(1 à 65535 ; 587 pour starttls, 465 pour ssl)"
            )
        security = environ.get("SMTP_SECURITY") or smtp["security"]
        if security not in SMTP_SECURITY:
            raise SendFailed(
                f"SMTP_SECURITY « {security} » inconnue ; écrivez {', '.join(SMTP_SECURITY)}"
            )
        user = environ.get("SMTP_USER") or None
        password = environ.get("SMTP_PASSWORD")
        if user and password is None:
            raise SendFailed("SMTP_USER est donné sans SMTP_PASSWORD : donnez les deux")
        return cls(
            host=environ.get("SMTP_HOST") or smtp["host"],
            port=port,
            security=security,
            timeout=int(smtp.get("timeout") or DEFAULT_TIMEOUT),
            user=user,
            password=password,
        )

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def send(message: EmailMessage, server: Server, to: str) -> None:
    """Hand ``message`` to ``server`` for ``to``; SendFailed says why it could not."""
    where = f"{server.host}:{server.port}"
    context = ssl.create_default_context()
    try:
        if server.security == "ssl":
            client = smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout, context=context
            )
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        with client:
            if server.security == "starttls":
                client.starttls(context=context)
            if server.user:
                login(client, server.user, server.password or "")
            client.send_message(message, to_addrs=[to])
    except ConnectionRefusedError:
        raise SendFailed(
            f"connexion refusée par {where} : vérifiez le serveur et le port "
            '(EMAIL["smtp"], ou SMTP_HOST et SMTP_PORT)'
        ) from None
    except TimeoutError:
        raise SendFailed(
            f"le serveur {where} n'a pas répondu en {server.timeout} s : réessayez plus tard "
            "ou vérifiez le serveur et le port"
        ) from None
    except smtplib.SMTPAuthenticationError:
        raise SendFailed(
            f"authentification refusée par {where} pour « {server.user} » : vérifiez "
            "SMTP_USER et SMTP_PASSWORD"
        ) from None
    except smtplib.SMTPNotSupportedError as error:
        starttls = server.security == "starttls"
        reason = "le chiffrement STARTTLS" if starttls else "l'authentification"
        raise SendFailed(
            f"le serveur {where} ne propose pas {reason} ({error}) : vérifiez "
            'EMAIL["smtp"]["security"] ou SMTP_SECURITY'
        ) from None
    except ssl.SSLError as error:
        reason = getattr(error, "verify_message", None) or error.reason or str(error)
        raise SendFailed(
            f"échec de la connexion chiffrée (TLS) avec {where} : {reason} ; vérifiez le "
            "serveur, le port et la sécurité (starttls sur 587, ssl sur 465)"
        ) from None
    except smtplib.SMTPRecipientsRefused:
        raise SendFailed(f"le serveur {where} refuse l'adresse « {to} »") from None
    except smtplib.SMTPServerDisconnected as error:
        if isinstance(error.__context__, TimeoutError):
            raise SendFailed(
                f"le serveur {where} n'a pas répondu en {server.timeout} s : réessayez plus "
                "tard ou vérifiez le serveur et le port"
            ) from None
        raise SendFailed(
            f"le serveur {where} a coupé la connexion : vérifiez le port et la sécurité "
            "(starttls sur 587, ssl sur 465)"
        ) from None
    except smtplib.SMTPSenderRefused as error:
        if error.smtp_code == 530:
            raise SendFailed(
                f"le serveur {where} exige le chiffrement ou l'authentification avant "
                'l\'envoi : vérifiez EMAIL["smtp"]["security"] (starttls) et SMTP_USER'
            ) from None
        raise SendFailed(
            f"le serveur {where} refuse l'expéditeur « {error.sender} » : vérifiez "
            'EMAIL["from"] (souvent, il doit être l\'adresse du compte SMTP_USER)'
        ) from None
    except smtplib.SMTPException as error:
        raise SendFailed(f"le serveur {where} a refusé l'envoi : {error}") from None
    except socket.gaierror:
        raise SendFailed(
            f"serveur d'envoi « {server.host} » introuvable : vérifiez son nom "
            '(EMAIL["smtp"]["host"] ou SMTP_HOST) et la connexion Internet'
        ) from None
    except OSError as error:
        raise SendFailed(f"envoi impossible par {where} : {error.strerror or error}") from None


def login(client: smtplib.SMTP, user: str, password: str) -> None:
    """Authenticate; credentials with accents go as UTF-8 (AUTH PLAIN, RFC 4616),
    which smtplib's own login cannot send."""
    if (user + password).isascii():
        client.login(user, password)
        return
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("AUTH")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


class SentLog:
    """Which edition (Message-ID) went to which address, kept in the build cache."""

    def __init__(self, path: Path):
        self.path = path

    def entries(self) -> list[dict[str, str]]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []

    def sent_at(self, message_id: str, to: str) -> str | None:
        return next(
            (
                entry["sent_at"]
                for entry in self.entries()
                if entry.get("message_id") == message_id and entry.get("to") == to.lower()
            ),
            None,
        )

    def record(self, message_id: str, to: str, moment: dt.datetime) -> None:
        entries = self.entries() + [
            {"message_id": message_id, "to": to.lower(), "sent_at": moment.isoformat()}
        ]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entries, indent=1, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)
