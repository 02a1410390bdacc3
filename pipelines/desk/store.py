"""The desk's own database (SQLite, `Settings.desk_db`): accounts, uploads as handed in, decisions on findings
and sign-offs. It lives apart from the warehouse, so rebuilding the warehouse never loses who decided what.

Nothing is updated in place but an account's password: a decision or a sign-off is a new row, and the latest
row for a finding or a report is its state, so the history of who did what and when stays readable."""

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer')),
    agency_code TEXT,          -- a clerk's agency
    county TEXT,               -- a reviewer's county
    created_at TEXT NOT NULL,
    CHECK ((role = 'clerk' AND agency_code IS NOT NULL) OR (role = 'reviewer' AND county IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS upload (
    id INTEGER PRIMARY KEY,
    agency_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    original_name TEXT NOT NULL,
    stored_path TEXT NOT NULL,  -- the file as handed in, never overwritten
    raw_path TEXT,              -- its copy under the raw root (relative), when it was put there
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    status TEXT NOT NULL,       -- accepted | problems | rejected
    summary TEXT NOT NULL       -- JSON: what validation found
);
CREATE TABLE IF NOT EXISTS decision (
    id INTEGER PRIMARY KEY,
    agency_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    finding_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_by_report ON decision (agency_code, year);
CREATE TABLE IF NOT EXISTS signoff (
    id INTEGER PRIMARY KEY,
    agency_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved')),
    fingerprint TEXT,           -- what the report was computed from when it was submitted or approved
    note TEXT NOT NULL DEFAULT '',
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signoff_by_report ON signoff (agency_code, year);
"""


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    agency_code: str | None
    county: str | None
    password_hash: str = ""

    @property
    def is_reviewer(self) -> bool:
        return self.role == "reviewer"


class Store:
    """One SQLite file; every call opens its own short connection (the desk serves requests from threads)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        try:
            con.execute("PRAGMA journal_mode = WAL")
            with con:  # one transaction: committed on success, rolled back on error
                yield con
        finally:
            con.close()

    # ---------------------------------------------------------------- accounts

    def add_account(self, name: str, password_hash: str, agency_code: str | None, county: str | None) -> Account:
        role = "clerk" if agency_code else "reviewer"
        with self._connect() as con:
            con.execute(
                "INSERT INTO account (name, password_hash, role, agency_code, county, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (name, password_hash, role, agency_code, county, now()),
            )
        return Account(name, role, agency_code, county, password_hash)

    def set_password(self, name: str, password_hash: str) -> None:
        with self._connect() as con:
            con.execute("UPDATE account SET password_hash = ? WHERE name = ?", (password_hash, name))

    def account(self, name: str) -> Account | None:
        with self._connect() as con:
            row = con.execute("SELECT name, role, agency_code, county, password_hash FROM account WHERE name = ?", (name,)).fetchone()
        return Account(**dict(row)) if row else None

    def accounts(self) -> list[Account]:
        with self._connect() as con:
            rows = con.execute("SELECT name, role, agency_code, county FROM account ORDER BY name").fetchall()
        return [Account(**dict(r)) for r in rows]

    # ----------------------------------------------------------------- uploads

    def add_upload(self, **fields) -> int:
        fields = fields | {"summary": json.dumps(fields["summary"], ensure_ascii=False)}
        cols = ", ".join(fields)
        with self._connect() as con:
            cur = con.execute(f"INSERT INTO upload ({cols}) VALUES ({', '.join('?' for _ in fields)})", tuple(fields.values()))
            return int(cur.lastrowid or 0)

    def uploads(self, agency_code: str, limit: int = 50) -> list[dict]:
        with self._connect() as con:
            rows = con.execute("SELECT * FROM upload WHERE agency_code = ? ORDER BY id DESC LIMIT ?", (agency_code, limit)).fetchall()
        return [_upload(r) for r in rows]

    def upload(self, upload_id: int) -> dict | None:
        with self._connect() as con:
            row = con.execute("SELECT * FROM upload WHERE id = ?", (upload_id,)).fetchone()
        return _upload(row) if row else None

    # --------------------------------------------------------------- decisions

    def decide(self, agency_code: str, year: int, finding_id: str, decision: str, reason: str, by: str) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO decision (agency_code, year, finding_id, decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (agency_code, year, finding_id, decision, reason, by, now()),
            )

    def decisions(self, agency_code: str, year: int) -> dict[str, dict]:
        """The latest decision on each finding of one report."""
        with self._connect() as con:
            rows = con.execute("SELECT * FROM decision WHERE agency_code = ? AND year = ? ORDER BY id", (agency_code, year)).fetchall()
        return {r["finding_id"]: dict(r) for r in rows}

    # ---------------------------------------------------------------- sign-off

    def sign(self, agency_code: str, year: int, state: str, fingerprint: str | None, by: str, note: str = "") -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO signoff (agency_code, year, state, fingerprint, note, signed_by, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (agency_code, year, state, fingerprint, note, by, now()),
            )

    def signoffs(self, agency_code: str, year: int) -> list[dict]:
        """Every sign-off step of one report, oldest first."""
        with self._connect() as con:
            rows = con.execute("SELECT * FROM signoff WHERE agency_code = ? AND year = ? ORDER BY id", (agency_code, year)).fetchall()
        return [dict(r) for r in rows]

    def latest_signoffs(self, year: int) -> dict[str, dict]:
        with self._connect() as con:
            rows = con.execute("SELECT * FROM signoff WHERE year = ? ORDER BY id", (year,)).fetchall()
        return {r["agency_code"]: dict(r) for r in rows}


def _upload(row: sqlite3.Row) -> dict:
    out = dict(row)
    out["summary"] = json.loads(out["summary"])
    return out
