"""The one Dagster resource: gongkai's configuration, as pipelines/settings.py builds it."""

import datetime as dt
from pathlib import Path

import dagster as dg

from pipelines.settings import Settings

PII_KEY_VAR = "GONGKAI_PII_KEY"
WEBHOOK_VAR = "GONGKAI_ALERT_WEBHOOK"
SMTP_PASSWORD_VAR = "GONGKAI_ALERT_SMTP_PASSWORD"


class GongkaiConfig(dg.ConfigurableResource):
    """Where the raw ledgers, the warehouse and the narratives are, and the key of the applicant hash.

    Assets and sensors receive this resource and nothing else; `settings()` gives the plain `Settings`
    the stage functions take."""

    raw_dir: str
    warehouse: str
    narratives_dir: str
    pii_key_file: str
    desk_dir: str = ""  # the desk's folder: the reports read the warnings a reviewer dismissed there
    pii_key: str = ""  # set: wins over the file (the code location passes it as an EnvVar, never its value)
    run_date: str = ""  # YYYY-MM-DD the runs take as today; empty: today in Asia/Shanghai
    # where a failed run is reported (pipelines/defs/automation/alerts.py); the secrets as references to their variables
    alert_log: str = ""
    alert_webhook: str = ""
    alert_smtp: str = ""
    alert_mail_to: str = ""
    alert_mail_from: str = ""
    alert_smtp_user: str = ""
    alert_smtp_password: str = ""
    alert_smtp_starttls: bool = False

    @classmethod
    def from_settings(cls, s: Settings, secret_from_env: bool = False) -> "GongkaiConfig":
        """`secret_from_env`: hand Dagster the key as a reference to its variable, so the UI shows the name only."""
        if s.pii_key_value and secret_from_env:
            key: str | dg.EnvVar = dg.EnvVar(PII_KEY_VAR)
        else:
            key = s.pii_key_value or ""
        return cls(
            raw_dir=str(s.raw_dir),
            warehouse=str(s.warehouse),
            narratives_dir=str(s.narratives_dir),
            pii_key_file=str(s.pii_key_file),
            pii_key=key,
            desk_dir=str(s.desk_dir),
            run_date=s.run_date.isoformat() if s.run_date else "",
            alert_log=str(s.alert_log_file) if s.alert_log_file else "",
            alert_webhook=_secret(s.alert_webhook, WEBHOOK_VAR, secret_from_env),
            alert_smtp=s.alert_smtp,
            alert_mail_to=s.alert_mail_to,
            alert_mail_from=s.alert_mail_from,
            alert_smtp_user=s.alert_smtp_user,
            alert_smtp_password=_secret(s.alert_smtp_password, SMTP_PASSWORD_VAR, secret_from_env),
            alert_smtp_starttls=s.alert_smtp_starttls,
        )

    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse=Path(self.warehouse),
            narratives_dir=Path(self.narratives_dir),
            pii_key_file=Path(self.pii_key_file),
            pii_key_value=self.pii_key or None,
            **({"desk_dir": Path(self.desk_dir)} if self.desk_dir else {}),
            run_date=dt.date.fromisoformat(self.run_date) if self.run_date else None,
            alert_log_file=Path(self.alert_log) if self.alert_log else None,
            alert_webhook=self.alert_webhook,
            alert_smtp=self.alert_smtp,
            alert_mail_to=self.alert_mail_to,
            alert_mail_from=self.alert_mail_from or "gongkai@localhost",
            alert_smtp_user=self.alert_smtp_user,
            alert_smtp_password=self.alert_smtp_password,
            alert_smtp_starttls=self.alert_smtp_starttls,
        )


def _secret(value: str, var: str, from_env: bool) -> "str | dg.EnvVar":
    """A set secret handed to Dagster as a reference to its variable (the UI shows the name), or as is."""
    return dg.EnvVar(var) if value and from_env else value
