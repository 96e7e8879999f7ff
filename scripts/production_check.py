"""The production path, exercised: the README's deployment commands on PostgreSQL and Redis.

Run by `.ci/run` (and `make production-check`). It starts, as the README's Deployment section
says and with its settings (``DEBUG=false``, a strong ``SECRET_KEY``, HTTPS behind one proxy,
``TRUSTED_PROXY_COUNT=1``, Redis as broker and cache), ``migrate``, ``collectstatic``,
``check --deploy``, then gunicorn, one Celery worker and Celery beat, each in its own process
group. This script plays the TLS proxy (``X-Forwarded-Proto``/``X-Forwarded-For``), the mail
server (aiosmtpd) and a webhook receiver (``http.server``), and checks, as the system's users
would meet it:

1. ``/healthz`` answers 200 with the database, the broker and the migrations ``ok``; the portal
   and a static file (WhiteNoise, hashed name) are served;
2. a meeting created over the API with a write token reaches the receiver as a signed
   ``meeting.created`` webhook, and its invitations reach the mail server (worker + SMTP);
3. a silence procedure opened over the API with its deadline 20 seconds away is closed by
   beat's minutely ``close-procedures``: its signed ``procedure.closed`` webhook and its result
   e-mails arrive; beat sends the daily scan at ``REMINDERS_SCAN_AT`` (set to a minute or two
   ahead) and the worker runs it;
4. on SIGTERM the three processes stop cleanly within their timeouts.

Nothing here is mocked: the database, the broker, the mail and the HTTP deliveries are real.
It takes about two minutes, most of it waiting for beat's minutes.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import redis
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "union.example.org"
DATABASE_URL = os.environ.get(
    "PRODUCTION_CHECK_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/union_production_check",
)
BROKER_URL = os.environ.get("PRODUCTION_CHECK_BROKER_URL", "redis://127.0.0.1:6379/12")
CACHE_URL = os.environ.get("PRODUCTION_CHECK_CACHE_URL", "redis://127.0.0.1:6379/11")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def say(message: str) -> None:
    print(f"production check: {message}", flush=True)


def fail(message: str) -> None:
    raise SystemExit(f"production check failed: {message}")


class MailServer:
    """aiosmtpd on 127.0.0.1: every message accepted, parsed, kept."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def with_message_id(self, pattern: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if re.search(pattern, m.get("Message-ID", ""))]


class Receiver(http.server.ThreadingHTTPServer):
    """A webhook receiver: every POST kept as (headers, raw body), answered 200."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.deliveries.append((dict(self.headers.items()), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)
        self.port = self.server_address[1]

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()


def receiver_verifies(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The check a receiver makes, as the README's webhooks section gives it."""
    fields = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    t, given = int(fields["t"]), fields["v1"]
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given) and abs(time.time() - t) <= tolerance


def fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def settings_env(work: Path, mail: MailServer, scan_at: str) -> dict[str, str]:
    """The README's Deployment settings, pointed at this machine's services and sinks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SECURE_PROXY_SSL_HEADER="true",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=DATABASE_URL,
        CELERY_BROKER_URL=BROKER_URL,
        CACHE_URL=CACHE_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{mail.port}",
        DEFAULT_FROM_EMAIL=f"secretariat@{HOST}",
        PORTAL_URL=f"https://{HOST}",
        TIME_ZONE="UTC",
        REMINDERS_SCAN_AT=scan_at,
        MEDIA_ROOT=str(work / "media"),
        DOCUMENTS_ROOT=str(work / "documents"),
        # The receiver listens on the loopback address, which webhooks refuse by default.
        WEBHOOKS_ALLOW_PRIVATE_URLS="true",
        GUNICORN_ACCESS_LOG=str(work / "access.log"),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        fail(f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Process:
    """A long-running process in its own group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], work: Path) -> None:
        self.name = name
        self.log = work / f"{name}.log"
        self._file = self.log.open("w")
        self.popen = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=self._file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float) -> int | None:
        """SIGTERM, as systemd stops a unit; the exit status, or None if it had to be killed."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
            return None
        finally:
            self._file.close()


def request(
    port: int, path: str, *, method: str = "GET", token: str = "", body: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    """A request as the TLS proxy forwards it: HTTPS, the client's address appended."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    data = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def wait_for(what: str, condition, timeout: float, processes: list[Process]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        for process in processes:
            if process.popen.poll() is not None:
                fail(f"{process.name} exited while waiting for {what}:\n{process.output()[-3000:]}")
        time.sleep(0.5)
    logs = "\n".join(f"--- {p.name}\n{p.output()[-2500:]}" for p in processes)
    fail(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")


def next_minute(margin: int = 25) -> tuple[str, dt.datetime]:
    """``HH:MM`` of the first minute starting at least ``margin`` seconds from now (UTC)."""
    at = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=margin + 60)).replace(
        second=0, microsecond=0
    )
    return at.strftime("%H:%M"), at


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="union-production-"))
    mail, receiver = MailServer(), Receiver()
    mail.start()
    receiver.start()
    fresh_database(DATABASE_URL)
    for url in (BROKER_URL, CACHE_URL):
        redis.Redis.from_url(url).flushdb()
    scan_at, scan_moment = next_minute(margin=60)
    env = settings_env(work, mail, scan_at)

    # The README's deployment commands, in its order.
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    deploy = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if deploy.returncode or "no issues" not in deploy.stdout:
        fail(f"check --deploy reports:\n{deploy.stdout}{deploy.stderr}")
    manage(env, "load_demo")
    token = manage(env, "issue_token", "production check", "--scope", "write").split()[-1]
    secret = secrets.token_urlsafe(24)
    manage(
        env, "shell", "-c",
        "from webhooks.models import Subscriber\n"
        "from webhooks.services import subscriber_save\n"
        "from core.access import Access\n"
        "subscriber_save(actor=Access(user=None, label='production check', is_staff=True,"
        " reads_all=True, can_write=True), subscriber=Subscriber(name='receiver',"
        f" url='http://127.0.0.1:{receiver.port}/hooks', secret={secret!r},"
        " events=['meeting.created', 'procedure.closed']))",
    )  # fmt: skip

    port = free_port()
    processes = [
        Process(
            "gunicorn",
            [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2"],
            env, work,
        ),
        Process(
            "worker",
            [str(VENV_BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO",
             "--concurrency", "2", "--hostname", "production-check@%h"],
            env, work,
        ),
        Process(
            "beat",
            [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
             "--schedule", str(work / "celerybeat-schedule")],
            env, work,
        ),
    ]  # fmt: skip
    try:
        check(port, token, secret, mail, receiver, processes, scan_moment)
    finally:
        statuses = {p.name: p.stop(timeout=60) for p in processes}
        mail.stop()
        receiver.shutdown()
    unclean = {name: status for name, status in statuses.items() if status != 0}
    if unclean:
        fail(f"did not stop cleanly on SIGTERM (exit status, None = killed): {unclean}")
    say("stopped cleanly on SIGTERM: " + ", ".join(statuses))
    say("passed.")


def check(port, token, secret, mail, receiver, processes, scan_moment) -> None:
    def healthy():
        try:
            status, _headers, body = request(port, "/healthz")
        except OSError:
            return None
        return (status, json.loads(body)) if status in (200, 503) else None

    status, health = wait_for("gunicorn to answer /healthz", healthy, 60, processes)
    if status != 200 or set(health["checks"].values()) != {"ok"}:
        fail(f"/healthz answered {status}: {health}")
    wait_for(
        "the Celery worker to be ready",
        lambda: "ready." in processes[1].output(), 60, processes,
    )  # fmt: skip
    wait_for("beat to start", lambda: "beat: Starting" in processes[2].output(), 60, processes)
    say("gunicorn, worker and beat are up; /healthz is ok")

    status, _headers, portal = request(port, "/")
    if status != 200 or b"Atameken" not in portal:
        fail(f"the portal answered {status}")
    stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', portal)
    if not stylesheet:
        fail("the portal links no hashed stylesheet (collectstatic's manifest)")
    status, headers, _body = request(port, stylesheet.group(1).decode())
    if status != 200 or "max-age" not in headers.get("Cache-Control", ""):
        fail(f"the stylesheet answered {status} {headers}")
    status, headers, _body = request(port, "/admin/login/")
    if status != 200 or "Strict-Transport-Security" not in headers:
        fail(f"the admin's login answered {status} without HSTS")

    # An extraordinary General Assembly three days from now: every member and observer is
    # invited at once (the invitation notices), and the webhook announces it.
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    status, _headers, created = request(
        port, "/api/v1/meetings/", method="POST", token=token,
        body={"kind": "ga_extraordinary", "host": "atameken", "time_zone": "UTC",
              "starts_at": f"{day}T10:00:00Z", "ends_at": f"{day}T16:00:00Z"},
    )  # fmt: skip
    if status != 201:
        fail(f"POST /api/v1/meetings/ answered {status}: {created[:500]!r}")
    meeting = json.loads(created)

    def webhook(kind: str):
        """The first delivery of ``kind`` received, once its signature is checked."""
        for headers, body in list(receiver.deliveries):
            event = json.loads(body)
            if event.get("event") == kind:
                if not receiver_verifies(secret, headers.get("X-Union-Signature", ""), body):
                    fail(f"the {kind} webhook's signature does not verify: {headers}")
                return headers, body, event
        return None

    _headers, _body, event = wait_for(
        "the meeting.created webhook", lambda: webhook("meeting.created"), 60, processes
    )
    if event["data"]["meeting"]["id"] != meeting["id"]:
        fail(f"the webhook does not name the meeting {meeting['id']}: {event}")
    say(f"a signed meeting.created webhook reached the receiver ({event['id']})")

    invited = {a["chamber"] for a in meeting["attendance"]}
    invitations = wait_for(
        "the invitations to reach the mail server",
        lambda: mail.with_message_id(r"\.invitation\.0@"), 60, processes,
    )  # fmt: skip
    say(
        f"{len(invitations)} invitation(s) reached the mail server "
        f"({len(invited)} chambers invited)"
    )

    # A statement put to silence procedure, its deadline 20 seconds away: beat's minutely
    # close-procedures closes it, and the result goes out as a webhook and by e-mail.
    status, _headers, draft = request(
        port, "/api/v1/decisions/", method="POST", token=token,
        body={"kind": "general", "title": "Statement on transit corridors", "method": "vote"},
    )  # fmt: skip
    if status != 201:
        fail(f"POST /api/v1/decisions/ answered {status}: {draft[:500]!r}")
    decision = json.loads(draft)["id"]
    closes_at = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=20)
    status, _headers, opened = request(
        port, f"/api/v1/decisions/{decision}/procedure/", method="POST", token=token,
        body={"mode": "silence", "closes_at": closes_at.isoformat(), "letter": "No objection?"},
    )  # fmt: skip
    if status != 201:
        fail(f"POST /api/v1/decisions/{decision}/procedure/ answered {status}: {opened[:500]!r}")
    procedure = json.loads(opened)["id"]
    _headers, _body, closed = wait_for(
        "beat to close the written procedure and its webhook to arrive",
        lambda: webhook("procedure.closed"), 120, processes,
    )  # fmt: skip
    if closed["data"]["procedure"]["id"] != procedure:
        fail(f"the procedure.closed webhook names another procedure: {closed}")
    results = wait_for(
        "the procedure's result to reach the mail server",
        lambda: mail.with_message_id(r"\.procedure_closed\.0@"), 60, processes,
    )  # fmt: skip
    if "Sending due task close-procedures" not in processes[2].output():
        fail("beat did not log close-procedures")
    say(
        f"beat closed the written procedure at its deadline: a signed procedure.closed webhook "
        f"and {len(results)} result e-mail(s) went out"
    )

    # The daily scan, which beat sends at REMINDERS_SCAN_AT and a worker runs.
    def scan_ran_after_beat_sent_it():
        beat_log, worker_log = processes[2].output(), processes[1].output()
        sent = beat_log.find("Sending due task scan-reminders")
        if sent < 0:
            return False
        sent_at = beat_log[beat_log.rfind("[", 0, sent) + 1 :][:19]
        return [
            line for line in worker_log.splitlines()
            if "scan_reminders[" in line and "succeeded" in line and line[1:20] >= sent_at
        ]  # fmt: skip

    wait_seconds = (scan_moment - dt.datetime.now(dt.UTC)).total_seconds() + 60
    wait_for(
        f"beat's daily scan at {scan_moment:%H:%M} UTC to be run by the worker",
        scan_ran_after_beat_sent_it, max(wait_seconds, 30), processes,
    )  # fmt: skip
    say(f"beat sent the daily scan at {scan_moment:%H:%M} UTC and the worker ran it")


if __name__ == "__main__":
    main()
