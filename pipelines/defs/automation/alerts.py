"""A failed run tells someone: a line in the alert log always, a webhook POST and a mail when configured.

Delivery never raises: a webhook that is down must not hide the failure it was to report, so each channel's own
failure is written to the log (and the sensor's log) instead.
"""

import datetime as dt
import json
import smtplib
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage

import dagster as dg

from pipelines.resources import GongkaiConfig
from pipelines.settings import Settings

TIMEOUT_S = 10


@dataclass(frozen=True)
class Alert:
    job: str
    run_id: str
    partition: str | None
    error: str  # the first failing step's error, one line
    failed_at: str  # ISO 8601, UTC

    @property
    def subject(self) -> str:
        where = f"{self.job} {self.partition}" if self.partition else self.job
        return f"[gongkai] 运行失败 / run failed: {where}"

    def line(self) -> str:
        part = f" partition={self.partition}" if self.partition else ""
        return f"{self.failed_at} run_failed job={self.job}{part} run_id={self.run_id}: {self.error}"


def _smtp_address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    return (host, int(port)) if port else (value, 25)


def deliver(alert: Alert, cfg: Settings) -> list[str]:
    """Report `alert` on every configured channel; returns what could not be delivered (also logged)."""
    problems: list[str] = []
    if cfg.alert_webhook:
        try:
            body = json.dumps({"event": "run_failed", **asdict(alert), "text": f"{alert.subject}: {alert.error}"}, ensure_ascii=False).encode("utf-8")
            request = urllib.request.Request(cfg.alert_webhook, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                response.read()
        except Exception as err:  # noqa: BLE001  (any failure of the channel is reported, never raised)
            problems.append(f"webhook: {type(err).__name__}: {err}")
    if cfg.alert_smtp and not cfg.alert_mail_to:
        problems.append("mail: GONGKAI_ALERT_SMTP is set but GONGKAI_ALERT_MAIL_TO names no one")
    if cfg.alert_smtp and cfg.alert_mail_to:
        try:
            mail = EmailMessage()
            mail["Subject"] = alert.subject
            mail["From"] = cfg.alert_mail_from
            mail["To"] = ", ".join(a.strip() for a in cfg.alert_mail_to.split(",") if a.strip())
            mail.set_content(
                f"作业 / job: {alert.job}\n分区 / partition: {alert.partition or '—'}\nrun id: {alert.run_id}\n时间 / at: {alert.failed_at}\n\n{alert.error}\n"
            )
            host, port = _smtp_address(cfg.alert_smtp)
            with smtplib.SMTP(host, port, timeout=TIMEOUT_S) as smtp:
                if cfg.alert_smtp_starttls:
                    smtp.starttls()
                if cfg.alert_smtp_user:
                    smtp.login(cfg.alert_smtp_user, cfg.alert_smtp_password)
                smtp.send_message(mail)
        except Exception as err:  # noqa: BLE001
            problems.append(f"mail: {type(err).__name__}: {err}")
    cfg.alert_log.parent.mkdir(parents=True, exist_ok=True)
    with open(cfg.alert_log, "a", encoding="utf-8") as log:
        log.write(alert.line() + "\n")
        for problem in problems:
            log.write(f"{alert.failed_at} alert_not_delivered run_id={alert.run_id} {problem}\n")
    return problems


def alert_from(context: dg.RunFailureSensorContext) -> Alert:
    run = context.dagster_run
    error = context.failure_event.message or "run failed"
    for event in context.get_step_failure_events():
        data = event.step_failure_data
        if data and data.error:
            err = data.error
            while err.cause is not None and err.cls_name == "DagsterExecutionStepExecutionError":
                err = err.cause
            error = f"{event.step_key}: {err.message.strip().splitlines()[0]}"
            break
    record = context.instance.get_run_record_by_id(run.run_id)
    ended = record.end_time if record is not None else None
    when = dt.datetime.fromtimestamp(ended, dt.UTC) if ended else dt.datetime.now(dt.UTC)
    return Alert(
        job=run.job_name,
        run_id=run.run_id,
        partition=run.tags.get("dagster/partition"),
        error=" ".join(error.split()),
        failed_at=when.replace(microsecond=0).isoformat(),
    )


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="运行失败时写入告警日志，并按配置调用 webhook、发送邮件 / on a failed run: a line in the alert log, and a webhook "
    "call and a mail when configured (GONGKAI_ALERT_*)",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext, gongkai: GongkaiConfig) -> None:
    alert = alert_from(context)
    cfg = gongkai.settings()
    context.log.info(f"alert: {alert.line()} → {cfg.alert_log}")
    for problem in deliver(alert, cfg):
        context.log.warning(f"告警未送达 / alert not delivered: {problem}")
