"""The one Dagster resource: gongkai's configuration, as pipelines/settings.py builds it."""

import datetime as dt
from pathlib import Path

import dagster as dg

from pipelines.settings import Settings

PII_KEY_VAR = "GONGKAI_PII_KEY"


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
        )
