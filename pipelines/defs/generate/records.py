"""What the sample generator produces before it is written: records and the files that hold them."""

import datetime as dt
from dataclasses import dataclass, field

from pipelines.defs.generate.messiness import Profile


@dataclass
class Record:
    """One ledger row. `values` hold canonical values: vocabulary keys, dates, numbers, bools, None."""

    kind: str
    values: dict[str, object]
    year: int  # the year the row belongs to (by its date column)
    bad: str | None = None  # the rule id of schemas.rules this row deliberately breaks
    spelled: dict[str, str] = field(default_factory=dict)  # valid but specific spellings (e.g. a pre-2019 outcome)
    serial_date: str | None = None  # in an XLSX, write this date column as an Excel serial number

    @property
    def agency_code(self) -> str:
        return str(self.values["agency_code"])


@dataclass
class LedgerFile:
    path: str  # relative to the raw root, with "/"
    kind: str
    profile: Profile
    records: list[Record]
    exported_at: dt.datetime  # becomes the file's mtime
    sheet: str = ""  # XLSX sheet name
