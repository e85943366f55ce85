"""``invoke send``: a bulletin's email edition handed to a real SMTP server.

The server is aiosmtpd, started in the test process on 127.0.0.1, asking for
STARTTLS (a throw-away certificate made by ``openssl``) and then for a user
and password, as a mail provider does. The client trusts that certificate
only through ``SSL_CERT_FILE``. Each test checks what staff see (the exit
status and the French line) and what the list receives (the message as
Python's ``email`` package reads it). The site is built once per module.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pelican.settings import read_settings

from plugins.build import PROJECT_ROOT
from plugins.email_edition.commands import Request, run_email, run_send
from plugins.i18n.formatting import format_filesize

CONF = PROJECT_ROOT / "pelicanconf.py"
BULLETIN = Path("bulletins/info-psoc/01.md")
LIST = "liste@exemple.org"
OTHER = "autre@exemple.org"
USER, PASSWORD = "bulletins", "mot-de-passe"
ACCENTED_USER, ACCENTED_PASSWORD = "ctroc", "mot-de-passe-é"
ACCOUNTS = {USER: PASSWORD, ACCENTED_USER: ACCENTED_PASSWORD}
TITLE_FR = (  # as readers see it: French typography's non-breaking spaces
    "INFO-PSOC no\u00a01\u00a0: budget 2017-2018, groupe de travail avec le MSSS et bilan de "
    "la campagne"
)
TITLE_EN = "INFO-PSOC No. 1: 2017-2018 budget, working group with the MSSS and campaign review"
MESSAGE_ID_FR = "<info-psoc-01.fr@bulletins.ctroc.org>"
NOTHING_SENT = " ; rien n'a été envoyé."
HEADERS = ("Subject", "From", "To", "Reply-To", "Message-ID", "List-Unsubscribe")


# The servers -----------------------------------------------------------------------------


def free_port() -> int:
    """A port of 127.0.0.1 where nothing listens (once the probe is closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: keeps every envelope the server accepted."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            for envelope in self.envelopes
        ]


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """The accounts of ACCOUNTS, as a mail provider would check them (UTF-8)."""
    accepted = isinstance(auth_data, LoginPassword) and any(
        auth_data.login == user.encode() and auth_data.password == password.encode()
        for user, password in ACCOUNTS.items()
    )
    return AuthResult(success=accepted, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1 and localhost (its key beside it)."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem"


@pytest.fixture(scope="module")
def server(certificate):
    """aiosmtpd on 127.0.0.1: STARTTLS required, then AUTH required."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, certificate.with_name("key.pem"))
    controller = Controller(
        Inbox(),
        hostname="127.0.0.1",
        port=free_port(),
        server_hostname="localhost",
        ready_timeout=10,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture(scope="module")
def silent_port():
    """A TCP server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    stop, accepted = threading.Event(), []

    def accept():
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture(scope="module")
def dead_port() -> int:
    return free_port()


# The site --------------------------------------------------------------------------------


class Site:
    """Requests for the module's copy of content/, all with one EMAIL setting.

    Every Site shares the copy and the build cache (so the sent log); each has
    its own output, so that each is built once and then reused."""

    def __init__(self, root: Path, name: str, **smtp):
        self.root = root
        self.cache = root / "cache"
        self.output = root / f"output-{name}"
        self.email = {**read_settings(str(CONF))["EMAIL"], "to": LIST, "smtp": smtp}

    @property
    def sent_log(self) -> Path:
        return self.cache / "email" / "sent.json"

    @property
    def eml(self) -> Path:
        return self.cache / "email" / "info-psoc-01.eml"

    def request(self, lang: str | None = None, bulletin: str | None = None, **overrides):
        settings = {
            "PATH": str(self.root / "content"),
            "BUILD_CACHE_PATH": str(self.cache),
            "EMAIL": self.email,
            **overrides,
        }
        source = bulletin or str(self.root / "content" / BULLETIN)
        return Request(CONF, source, lang=lang, overrides=settings, output=self.output)

    def build(self) -> Site:
        assert run_email(self.request(), io.StringIO(), io.StringIO()) == 0
        return self


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sending")
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    return root


@pytest.fixture(scope="module")
def site(shared, server) -> Site:
    """EMAIL["smtp"] is the live server."""
    smtp = {"host": "127.0.0.1", "port": server.port, "security": "starttls", "timeout": 10}
    return Site(shared, "live", **smtp).build()


@pytest.fixture(scope="module")
def elsewhere(shared, dead_port) -> Site:
    """EMAIL["smtp"] is a port where nothing listens, over SSL, given up after 1 s."""
    smtp = {"host": "localhost", "port": dead_port, "security": "ssl", "timeout": 1}
    return Site(shared, "dead", **smtp).build()


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch, shared, server, certificate):
    """No sent log, an empty inbox, the certificate trusted, paths shown in full."""
    (shared / "cache" / "email" / "sent.json").unlink(missing_ok=True)
    server.handler.envelopes.clear()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("BULLETINS_SITEURL", raising=False)  # publishconf.py's SITEURL
    monkeypatch.chdir(PROJECT_ROOT)


# Helpers ---------------------------------------------------------------------------------


def login(user: str = USER, password: str = PASSWORD, **more: str) -> dict[str, str]:
    """The environment of ``invoke send``: only what is given here."""
    return {"SMTP_USER": user, "SMTP_PASSWORD": password, **more}


def send(request: Request, to: str | None = None, **options) -> tuple[int, list, list]:
    """run_send: (exit status, lines printed, error lines)."""
    stream, errors = io.StringIO(), io.StringIO()
    options.setdefault("environ", login())
    status = run_send(request, to, stream=stream, errors=errors, **options)
    return status, stream.getvalue().splitlines(), errors.getvalue().splitlines()


def state(site: Site, server) -> tuple[int, str | None]:
    """What a refusal must leave as it was: the messages received, the sent log."""
    log = site.sent_log.read_text(encoding="utf-8") if site.sent_log.exists() else None
    return len(server.handler.envelopes), log


def assert_refused(result, site: Site, server, before) -> str:
    """Exit 1, one French line ending « rien n'a été envoyé. », nothing sent; the line."""
    status, out, err = result
    assert (status, out) == (1, [])
    assert len(err) == 1, err
    assert err[0].endswith(NOTHING_SENT)
    assert "Traceback" not in err[0]
    assert state(site, server) == before
    return err[0]


def parse(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def written_eml(site: Site, lang: str | None = None) -> EmailMessage:
    """The .eml that ``invoke email`` writes for the bulletin (it prints its path)."""
    stream = io.StringIO()
    assert run_email(site.request(lang), stream, io.StringIO()) == 0
    return parse(Path(stream.getvalue().rsplit(" : ", 1)[1].strip()).read_bytes())


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text/plain and text/html contents, decoded."""
    return tuple(
        message.get_body(preferencelist=(subtype,)).get_content() for subtype in ("plain", "html")
    )


def recent(date: str) -> bool:
    moment = parsedate_to_datetime(date)
    return abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def logged(site: Site) -> list[tuple[str, str]]:
    entries = json.loads(site.sent_log.read_text(encoding="utf-8"))
    return [(entry["message_id"], entry["to"]) for entry in entries]


# Sending ---------------------------------------------------------------------------------


def test_sends_over_starttls_with_auth_the_edition_invoke_email_writes(site, server):
    expected = written_eml(site)
    status, out, err = send(site.request())
    assert (status, err) == (0, [])

    assert len(server.handler.envelopes) == 1
    envelope = server.handler.envelopes[0]
    assert envelope.mail_from == parseaddr(site.email["from"])[1]
    assert envelope.rcpt_tos == [LIST]
    size = format_filesize(len(envelope.original_content), "fr")
    assert out == [f"INFO-PSOC no 1 envoyé à {LIST} (1 message, {size})"]

    received = parse(envelope.original_content)
    assert received["Subject"] == TITLE_FR
    assert received["To"] == LIST
    assert received["Message-ID"] == MESSAGE_ID_FR
    for name in HEADERS:
        assert received[name] == expected[name], name
    assert parts(received) == parts(expected)
    assert "Budget 2017-2018" in parts(received)[0]
    assert "Budget 2017-2018" in parts(received)[1]

    assert recent(received["Date"])  # the moment of sending ...
    assert parsedate_to_datetime(expected["Date"]).year == 2017  # ... not the bulletin's

    assert logged(site) == [(MESSAGE_ID_FR, LIST)]
    entry = json.loads(site.sent_log.read_text(encoding="utf-8"))[0]
    sent_at = dt.datetime.fromisoformat(entry["sent_at"])
    assert sent_at == parsedate_to_datetime(received["Date"])


def test_sending_again_is_refused_unless_asked_to(site, server):
    assert send(site.request())[0] == 0
    before = state(site, server)

    line = assert_refused(send(site.request()), site, server, before)
    assert line.startswith(f"INFO-PSOC no 1 a déjà été envoyé à {LIST} le ")
    assert "déjà été envoyé" in line and "--again" in line

    status, out, err = send(site.request(), again=True)
    assert (status, err) == (0, [])
    assert out[0].startswith(f"INFO-PSOC no 1 envoyé à {LIST} (1 message, ")
    assert [envelope.rcpt_tos for envelope in server.handler.envelopes] == [[LIST], [LIST]]
    assert logged(site) == [(MESSAGE_ID_FR, LIST)] * 2


def test_another_address_is_a_first_send(site, server):
    assert send(site.request())[0] == 0
    status, out, err = send(site.request(), to=OTHER)
    assert (status, err) == (0, [])
    assert out[0].startswith(f"INFO-PSOC no 1 envoyé à {OTHER} ")
    assert server.handler.envelopes[1].rcpt_tos == [OTHER]
    assert server.handler.messages()[1]["To"] == OTHER
    assert logged(site) == [(MESSAGE_ID_FR, LIST), (MESSAGE_ID_FR, OTHER)]


def test_dry_run_writes_the_message_and_sends_nothing(site, server):
    assert send(site.request(), to=OTHER)[0] == 0
    before = state(site, server)
    site.eml.unlink()

    status, out, err = send(site.request(), dry_run=True)
    assert (status, err) == (0, [])
    size = format_filesize(site.eml.stat().st_size, "fr")
    assert out == [
        f"Envoi simulé : INFO-PSOC no 1 serait envoyé à {LIST} par 127.0.0.1:{server.port} "
        f"(starttls) (1 message, {size}) ; message écrit dans {site.eml}"
    ]
    written = parse(site.eml.read_bytes())
    assert (written["Subject"], written["To"]) == (TITLE_FR, LIST)
    assert recent(written["Date"])
    assert state(site, server) == before


def test_english_edition(site, server):
    status, out, err = send(site.request(lang="en"))
    assert (status, err) == (0, [])
    assert out[0].startswith(f"INFO-PSOC no 1 envoyé à {LIST} (1 message, ")
    received = server.handler.messages()[0]
    assert received["Subject"] == TITLE_EN
    assert received["Message-ID"] == "<info-psoc-01.en@bulletins.ctroc.org>"
    assert received["Content-Language"] == "en"
    assert parts(received) == parts(written_eml(site, "en"))
    assert logged(site) == [("<info-psoc-01.en@bulletins.ctroc.org>", LIST)]


# The server fails ------------------------------------------------------------------------


def test_connection_refused(site, server, dead_port):
    before = state(site, server)
    result = send(site.request(), environ=login(SMTP_PORT=str(dead_port)))
    line = assert_refused(result, site, server, before)
    assert line.startswith(f"connexion refusée par 127.0.0.1:{dead_port} : ")


@pytest.mark.parametrize("port", ["99999", "-1", "smtp"])
def test_an_impossible_smtp_port_is_named(site, server, port):
    before = state(site, server)
    line = assert_refused(send(site.request(), environ=login(SMTP_PORT=port)), site, server, before)
    assert line.startswith(f"SMTP_PORT « {port} » n'est pas un numéro de port")


def test_authentication_refused(site, server):
    before = state(site, server)
    result = send(site.request(), environ=login(password="pas-le-bon"))
    line = assert_refused(result, site, server, before)
    assert f"authentification refusée par 127.0.0.1:{server.port} pour « {USER} »" in line


def test_an_untrusted_certificate_is_a_tls_failure(site, server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE")
    before = state(site, server)
    line = assert_refused(send(site.request()), site, server, before)
    assert line.startswith(f"échec de la connexion chiffrée (TLS) avec 127.0.0.1:{server.port}")


@pytest.fixture
def silent(silent_port) -> dict[str, str]:
    """The environment pointing at the server that never answers."""
    return login(SMTP_HOST="127.0.0.1", SMTP_PORT=str(silent_port), SMTP_SECURITY="starttls")


def test_a_server_that_never_answers_is_given_up_after_the_timeout(elsewhere, server, silent):
    before = state(elsewhere, server)
    started = time.monotonic()
    result = send(elsewhere.request(), environ=silent)
    assert time.monotonic() - started < 5  # EMAIL["smtp"]["timeout"] is 1 s
    line = assert_refused(result, elsewhere, server, before)
    assert "127.0.0.1:" in line


def test_a_server_that_never_answers_is_said_not_to_answer(elsewhere, server, silent):
    line = send(elsewhere.request(), environ=silent)[2][0]
    assert "n'a pas répondu en 1 s" in line


def test_an_accented_password_is_sent_as_utf8(site, server):
    status, out, err = send(site.request(), environ=login(ACCENTED_USER, ACCENTED_PASSWORD))
    assert (status, err) == (0, [])
    assert len(server.handler.envelopes) == 1


# Bad input -------------------------------------------------------------------------------


def test_an_invalid_address_is_refused(site, server):
    before = state(site, server)
    line = assert_refused(send(site.request(), to="pas-une-adresse"), site, server, before)
    assert line.startswith("adresse « pas-une-adresse » invalide : ")


def test_an_unknown_bulletin_is_refused(site, server):
    missing = str(site.root / "content" / "bulletins" / "info-psoc" / "99.md")
    before = state(site, server)
    line = assert_refused(send(site.request(bulletin=missing)), site, server, before)
    assert line == f"bulletin introuvable : {missing}{NOTHING_SENT}"


def test_settings_without_email_are_refused(site, server):
    before = state(site, server)
    line = assert_refused(send(site.request(EMAIL=None)), site, server, before)
    assert line.startswith("pelicanconf.py : pas de réglage EMAIL ; ")


def test_a_bulletin_failing_validation_is_neither_written_nor_sent(
    project_copy, tmp_path, site, server
):
    source = project_copy / BULLETIN
    text = source.read_text(encoding="utf-8").rstrip("\n") + "\n"
    line = text.count("\n") + 2  # after a blank line
    source.write_text(text + "\n<script>alert(1)</script>\n", encoding="utf-8")
    cache = tmp_path / "cache"
    request = Request(
        CONF,
        str(source),
        overrides={"PATH": str(project_copy), "BUILD_CACHE_PATH": str(cache), "EMAIL": site.email},
        output=tmp_path / "output",
    )
    status, out, err = send(request)
    assert (status, out) == (1, [])
    problems = [entry for entry in err if f"content/{BULLETIN}:{line}" in entry]
    assert len(problems) == 1, err
    assert "balise « script » refusée" in problems[0]
    assert err[-1] == (
        "1 problème dans 1 fichier ; rien n'a été écrit ni envoyé : corrigez d'abord ces problèmes."
    )
    assert not any("rien n'a été publié" in entry for entry in err)
    assert not any("Traceback" in entry for entry in err)
    assert server.handler.envelopes == []
    assert not (cache / "email").exists()


# The environment -------------------------------------------------------------------------


def test_the_environment_overrides_the_settings_server(elsewhere, server, dead_port):
    before = state(elsewhere, server)
    line = assert_refused(send(elsewhere.request()), elsewhere, server, before)
    assert f"localhost:{dead_port}" in line  # the settings alone: nothing listens there

    environ = login(SMTP_HOST="127.0.0.1", SMTP_PORT=str(server.port), SMTP_SECURITY="starttls")
    status, out, err = send(elsewhere.request(), environ=environ)
    assert (status, err) == (0, [])
    assert out[0].startswith(f"INFO-PSOC no 1 envoyé à {LIST} (1 message, ")
    assert [envelope.rcpt_tos for envelope in server.handler.envelopes] == [[LIST]]
    assert logged(elsewhere) == [(MESSAGE_ID_FR, LIST)]
