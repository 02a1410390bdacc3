"""Small resources configured from the environment."""

import dagster as dg

from pipelines.settings import Settings, settings


class GongkaiPaths(dg.ConfigurableResource):
    """Where the raw ledgers are and where the warehouse goes (GONGKAI_RAW_DIR, GONGKAI_WAREHOUSE)."""

    raw_dir: str
    warehouse: str

    @classmethod
    def from_env(cls) -> "GongkaiPaths":
        s = settings()
        return cls(raw_dir=str(s.raw_dir), warehouse=str(s.warehouse))

    def settings(self) -> Settings:
        return settings(raw=self.raw_dir, warehouse=self.warehouse)
