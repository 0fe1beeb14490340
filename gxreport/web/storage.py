"""The desk's storage: rounds, departments, submissions and every file, through SQLAlchemy Core.

SQLite in the data folder by default (WAL, so readers never wait for the one
writer), PostgreSQL by one URL (the two dialects share every statement but the
insert that keeps a file once). Every uploaded file and every built document
is a row of ``blobs`` keyed by its sha256, written in the same transaction as
the row that points at it, so a crash leaves either both or neither and two
departments uploading at once never see each other's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

DATABASE_FILE = "gxreport.sqlite3"
TOKEN_BYTES = 24  # secrets.token_urlsafe: 32 characters, 192 bits

# A submission's state on the office's dashboard, worst first.
NOT_SUBMITTED = "未提交"
UNREADABLE = "无法读取"
HAS_ERRORS = "有错误"
HAS_WARNINGS = "有警告"
READY = "可生成"

metadata = MetaData()

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)
rounds = Table(
    "rounds", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("year", Integer, nullable=False),
    Column("deadline", String(10), nullable=False),  # ISO date
    Column("created", DateTime, nullable=False),
)
departments = Table(
    "departments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("revoked", Boolean, nullable=False, default=False),
    UniqueConstraint("round_id", "name"),
)
submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),  # the clerk's link to the result page
    Column("department_id", Integer, ForeignKey("departments.id"), index=True),
    Column("filename", String(255), nullable=False),  # shown only, never a path
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("submitter", String(100), nullable=False, default=""),
    Column("created", DateTime, nullable=False),
    Column("state", String(10), nullable=False),
    Column("agency", String(200), nullable=False, default=""),
    Column("errors", Integer, nullable=False, default=0),
    Column("warnings", Integer, nullable=False, default=0),
    Column("result", Text, nullable=False),  # JSON: message or findings and table views
)
documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), index=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), index=True),  # a round's roll-up
    Column("name", String(40), nullable=False),  # docx, html, pdf, page-1…, rollup
    Column("filename", String(255), nullable=False),  # the download's name, never a path
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("created", DateTime, nullable=False),
    UniqueConstraint("submission_id", "name"),
)

audits = Table(
    "audits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), index=True),  # a round's documents audited, or none
    Column("created", DateTime, nullable=False),
    Column("filename", String(255), nullable=False),  # the audit workbook's download name, never a path
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),  # the audit workbook
    Column("result", Text, nullable=False),  # JSON: the rows as the page lists them
)
audit_files = Table(
    "audit_files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False, index=True),
    Column("filename", String(255), nullable=False),  # shown only, never a path
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def database_url(data_dir: Path, url: str | None) -> str:
    """The SQLAlchemy URL: the given one (``postgresql://`` runs on psycopg 3) or SQLite in ``data_dir``."""
    if not url:
        return f"sqlite:///{(data_dir / DATABASE_FILE).as_posix()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at each checkpoint, never corrupt
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@dataclass
class Department:
    id: int
    round_id: int
    name: str
    token: str
    revoked: bool


class Storage:
    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite"):
            # Writers wait for each other up to 30 s instead of failing at once.
            self.engine: Engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # settings -----------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(settings.c.value).where(settings.c.key == key))

    def setting_or_create(self, key: str, make) -> str:
        """The stored value, or ``make()`` stored first (two processes starting at once agree)."""
        value = self.setting(key)
        if value is not None:
            return value
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(settings).values(key=key, value=make()))
        except IntegrityError:
            pass
        return self.setting(key)

    def set_setting(self, key: str, value: str, only_if_absent: bool = False) -> bool:
        try:
            with self.engine.begin() as conn:
                if only_if_absent or conn.scalar(select(settings.c.key).where(settings.c.key == key)) is None:
                    conn.execute(insert(settings).values(key=key, value=value))
                else:
                    conn.execute(update(settings).where(settings.c.key == key).values(value=value))
        except IntegrityError:
            return False
        return True

    # files ----------------------------------------------------------------------
    def _put_blob(self, conn: Connection, data: bytes) -> str:
        """Store a file once by its hash; the same file uploaded twice at once is still one row."""
        digest = sha256(data)
        if conn.scalar(select(blobs.c.sha256).where(blobs.c.sha256 == digest)) is None:
            dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
            conn.execute(dialect_insert(blobs).values(sha256=digest, size=len(data), data=data).on_conflict_do_nothing())
        return digest

    def blob(self, digest: str) -> bytes | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(blobs.c.data).where(blobs.c.sha256 == digest))

    # rounds and departments ---------------------------------------------------------
    def open_round(self, kind: str, year: int, deadline: str, names: list[str]) -> int:
        with self.engine.begin() as conn:
            round_id = conn.execute(
                insert(rounds).values(kind=kind, year=year, deadline=deadline, created=now())
            ).inserted_primary_key[0]
            for name in names:
                conn.execute(insert(departments).values(round_id=round_id, name=name, token=new_token(), revoked=False))
        return round_id

    def rounds(self) -> list[dict]:
        with self.engine.connect() as conn:
            counts = (
                select(departments.c.round_id, func.count().label("n")).group_by(departments.c.round_id).subquery()
            )
            rows = conn.execute(
                select(rounds, counts.c.n).outerjoin(counts, counts.c.round_id == rounds.c.id).order_by(rounds.c.id.desc())
            )
            return [dict(row._mapping) for row in rows]

    def round(self, round_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
            return dict(row._mapping) if row else None

    def departments(self, round_id: int) -> list[Department]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(departments).where(departments.c.round_id == round_id).order_by(departments.c.id))
            return [Department(**row._mapping) for row in rows]

    def department_by_token(self, token: str) -> Department | None:
        """The department a link belongs to; a revoked link belongs to none."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(departments).where(departments.c.token == token, departments.c.revoked.is_(False))
            ).first()
            return Department(**row._mapping) if row else None

    def department(self, department_id: int) -> Department | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(departments).where(departments.c.id == department_id)).first()
            return Department(**row._mapping) if row else None

    def renew_token(self, department_id: int) -> str:
        """Revoke a department's link by giving it a new one."""
        token = new_token()
        with self.engine.begin() as conn:
            conn.execute(update(departments).where(departments.c.id == department_id).values(token=token, revoked=False))
        return token

    def revoke(self, department_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(departments).where(departments.c.id == department_id).values(revoked=True))

    # submissions and documents -------------------------------------------------------
    def add_submission(
        self,
        data: bytes,
        filename: str,
        state: str,
        result: dict,
        built: dict[str, tuple[str, bytes]],
        department_id: int | None = None,
        submitter: str = "",
        agency: str = "",
        errors: int = 0,
        warnings: int = 0,
    ) -> str:
        """Store an upload, its check result and its documents (name → (download name, bytes)) at once.

        Returns the submission's key (its unguessable link)."""
        key = new_token()
        with self.engine.begin() as conn:
            digest = self._put_blob(conn, data)
            submission_id = conn.execute(
                insert(submissions).values(
                    key=key, department_id=department_id, filename=filename, sha256=digest, submitter=submitter,
                    created=now(), state=state, agency=agency, errors=errors, warnings=warnings,
                    result=json.dumps(result, ensure_ascii=False),
                )
            ).inserted_primary_key[0]
            for name, (download, content) in built.items():
                self._add_document(conn, name, download, content, submission_id=submission_id)
        return key

    def _add_document(self, conn: Connection, name: str, filename: str, data: bytes, **owner) -> None:
        digest = self._put_blob(conn, data)
        conn.execute(insert(documents).values(name=name, filename=filename, sha256=digest, created=now(), **owner))

    def add_document(self, submission_id: int, name: str, filename: str, data: bytes) -> None:
        """A document made later (PDF, page images); made twice at once, the first one stays."""
        try:
            with self.engine.begin() as conn:
                self._add_document(conn, name, filename, data, submission_id=submission_id)
        except IntegrityError:
            pass

    def add_rollup(self, round_id: int, filename: str, data: bytes) -> None:
        with self.engine.begin() as conn:
            self._add_document(conn, "rollup", filename, data, round_id=round_id)

    def latest_rollup(self, round_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(documents).where(documents.c.round_id == round_id).order_by(documents.c.id.desc()).limit(1)
            ).first()
            return dict(row._mapping) if row else None

    def submission(self, key: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(submissions).where(submissions.c.key == key)).first()
        if row is None:
            return None
        item = dict(row._mapping)
        item["result"] = json.loads(item["result"])
        return item

    def submissions_of(self, department_id: int) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(submissions.c.key, submissions.c.filename, submissions.c.created, submissions.c.state,
                       submissions.c.submitter, submissions.c.errors, submissions.c.warnings)
                .where(submissions.c.department_id == department_id)
                .order_by(submissions.c.id.desc())
            )
            return [dict(row._mapping) for row in rows]

    def latest_submissions(self, round_id: int) -> dict[int, dict]:
        """Each department's latest submission in a round, by department id."""
        with self.engine.connect() as conn:
            latest = (
                select(func.max(submissions.c.id))
                .join(departments, departments.c.id == submissions.c.department_id)
                .where(departments.c.round_id == round_id)
                .group_by(submissions.c.department_id)
            )
            rows = conn.execute(select(submissions).where(submissions.c.id.in_(latest)))
            return {row.department_id: dict(row._mapping) for row in rows}

    def documents_of(self, submission_id: int) -> dict[str, dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents).where(documents.c.submission_id == submission_id))
            return {row.name: dict(row._mapping) for row in rows}

    # audits of published reports ---------------------------------------------------------
    def add_audit(self, files: list[tuple[str, bytes]], filename: str, workbook: bytes, result: dict,
                  round_id: int | None = None) -> int:
        """Store the reports audited (shown name, bytes), the audit workbook and the page's view at once."""
        with self.engine.begin() as conn:
            audit_id = conn.execute(
                insert(audits).values(round_id=round_id, created=now(), filename=filename,
                                      sha256=self._put_blob(conn, workbook), result=json.dumps(result, ensure_ascii=False))
            ).inserted_primary_key[0]
            for name, data in files:
                conn.execute(insert(audit_files).values(audit_id=audit_id, filename=name, sha256=self._put_blob(conn, data)))
        return audit_id

    def audit(self, audit_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(audits).where(audits.c.id == audit_id)).first()
            if row is None:
                return None
            item = dict(row._mapping)
            item["files"] = [dict(f._mapping) for f in conn.execute(
                select(audit_files.c.filename, audit_files.c.sha256).where(audit_files.c.audit_id == audit_id).order_by(audit_files.c.id))]
        item["result"] = json.loads(item["result"])
        return item

    def all_audits(self) -> list[dict]:
        """Every audit, newest first, without its rows."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(audits.c.id, audits.c.round_id, audits.c.created, audits.c.filename).order_by(audits.c.id.desc()))
            return [dict(row._mapping) for row in rows]
