"""A failed run reaches the operator: the alert log, a local HTTP receiver (webhook) and a local SMTP server."""

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dagster as dg
import pytest
from aiosmtpd.controller import Controller

import tests.support.ledger_fixtures as F
from pipelines.defs.automation.alerts import alert_on_run_failure
from pipelines.defs.tables.assets import statutory_tables
from pipelines.resources import GongkaiConfig
from pipelines.settings import settings


class Receiver(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append({"content_type": self.headers["Content-Type"], "body": json.loads(body)})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # quiet
        pass


class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def receivers():
    Receiver.received = []
    http = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield {"webhook": f"http://127.0.0.1:{http.server_port}/hook", "smtp": f"127.0.0.1:{smtp.port}", "mailbox": mailbox}
    smtp.stop()
    http.shutdown()
    http.server_close()


def failed_run(tmp_path, monkeypatch, env: dict[str, str]):
    """statutory_tables 2022 before any ingestion: the asset raises (no validated ledgers), the run fails."""
    F.pii_env(monkeypatch, tmp_path)
    cfg = settings(raw=tmp_path / "raw", warehouse=tmp_path / "wh" / "gongkai.duckdb", environ={"GONGKAI_PII_KEY": "k", **env})
    resources = {"gongkai": GongkaiConfig.from_settings(cfg)}
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([statutory_tables], partition_key="2022", resources=resources, instance=instance, raise_on_error=False)
    assert not result.success
    (failure,) = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_run_failure",
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id),
        dagster_event=failure.dagster_event,
        resources=resources,
    ).for_run_failure()
    return cfg, result.run_id, context


def test_a_failed_run_reaches_the_log_the_webhook_and_the_mailbox(tmp_path, monkeypatch, receivers):
    cfg, run_id, context = failed_run(
        tmp_path,
        monkeypatch,
        {"GONGKAI_ALERT_WEBHOOK": receivers["webhook"], "GONGKAI_ALERT_SMTP": receivers["smtp"], "GONGKAI_ALERT_MAIL_TO": "ops@example.invalid"},
    )
    alert_on_run_failure(context)

    (line,) = cfg.alert_log.read_text(encoding="utf-8").splitlines()
    assert f"run_id={run_id}" in line and "partition=2022" in line and "no validated ledgers" in line

    (posted,) = Receiver.received
    assert posted["content_type"].startswith("application/json")
    body = posted["body"]
    assert (body["event"], body["run_id"], body["partition"]) == ("run_failed", run_id, "2022")
    assert body["error"].startswith("statutory_tables:") and "no validated ledgers" in body["error"]

    (to, mail), *_ = receivers["mailbox"].messages
    assert to == ["ops@example.invalid"] and mail["From"] == "gongkai@localhost"
    assert "run failed" in mail["Subject"] and "2022" in mail["Subject"]
    text = mail.get_content()
    assert run_id in text and "no validated ledgers" in text


def test_an_unreachable_webhook_is_logged_not_raised(tmp_path, monkeypatch):
    closed = free_port()  # nothing listens there
    cfg, run_id, context = failed_run(tmp_path, monkeypatch, {"GONGKAI_ALERT_WEBHOOK": f"http://127.0.0.1:{closed}/hook"})
    alert_on_run_failure(context)
    lines = cfg.alert_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "run_failed" in lines[0]
    assert f"alert_not_delivered run_id={run_id} webhook:" in lines[1]


def test_the_sensor_is_in_the_code_location_and_runs_by_default():
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("alert_on_run_failure")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING and "gongkai" in sensor.required_resource_keys


def test_a_mail_server_without_recipients_is_said_in_the_log(tmp_path, monkeypatch):
    cfg, run_id, context = failed_run(tmp_path, monkeypatch, {"GONGKAI_ALERT_SMTP": "127.0.0.1:25"})
    alert_on_run_failure(context)
    lines = cfg.alert_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "GONGKAI_ALERT_MAIL_TO names no one" in lines[1]
