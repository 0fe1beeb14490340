"""The desk's storage on SQLite and on a real PostgreSQL server (started by .ci/run):
nothing lost across a restart, nothing mixed when departments upload at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from gxreport.web import storage
from tests.web_support import database_url  # noqa: F401 - fixture


@pytest.fixture()
def url(tmp_path, database_url):
    return storage.database_url(tmp_path, database_url)


def test_the_default_is_sqlite_in_the_data_folder_in_wal_mode(tmp_path):
    store = storage.Storage(storage.database_url(tmp_path, None))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
    assert (tmp_path / storage.DATABASE_FILE).is_file()
    assert storage.database_url(tmp_path, "postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_files_are_kept_once_by_their_hash_and_survive_a_restart(url):
    store = storage.Storage(url)
    upload = "工作簿".encode() + bytes(range(256)) * 50
    built = {"docx": ("甲局报告.docx", b"PK docx"), "html": ("甲局报告.html", "<p>甲局</p>".encode())}
    first = store.add_submission(upload, "甲.xlsx", storage.READY, {"findings": []}, built, agency="甲局")
    second = store.add_submission(upload, "甲（再传）.xlsx", storage.READY, {"findings": []}, built, agency="甲局")
    store.close()

    again = storage.Storage(url)
    one, two = again.submission(first), again.submission(second)
    assert one["sha256"] == two["sha256"] == storage.sha256(upload)
    assert again.blob(one["sha256"]) == upload
    docs = again.documents_of(one["id"])
    assert {name: again.blob(doc["sha256"]) for name, doc in docs.items()} == {"docx": b"PK docx", "html": "<p>甲局</p>".encode()}
    assert docs["docx"]["filename"] == "甲局报告.docx"
    with again.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(storage.blobs)) == 3  # the upload stored once
    again.close()


def test_a_failed_store_leaves_nothing_behind(url):
    store = storage.Storage(url)
    with pytest.raises(Exception):
        store.add_submission(b"data", "x.xlsx", storage.READY, {"bad": {1, 2}}, {})  # a set is not JSON
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(storage.submissions)) == 0
        assert conn.scalar(select(func.count()).select_from(storage.blobs)) == 0
    store.close()


def test_departments_uploading_at_once_lose_nothing_and_mix_nothing(url):
    store = storage.Storage(url)
    names = [f"第{i}局" for i in range(12)]
    round_id = store.open_round("annual", 2021, "2022-01-31", names)
    departments = store.departments(round_id)
    assert [d.name for d in departments] == names and len({d.token for d in departments}) == 12
    errors: list[BaseException] = []

    def department_uploads(department: storage.Department) -> None:
        try:
            for attempt in range(3):
                data = f"{department.name} 第{attempt}次".encode()
                store.add_submission(
                    data, f"{department.name}-{attempt}.xlsx", storage.HAS_ERRORS if attempt < 2 else storage.READY,
                    {"attempt": attempt}, {"docx": (f"{department.name}.docx", data + b" docx")},
                    department_id=department.id, submitter=department.name,
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=department_uploads, args=(d,)) for d in departments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    latest = store.latest_submissions(round_id)
    for department in departments:
        own = store.submissions_of(department.id)
        assert [s["filename"] for s in own] == [f"{department.name}-{n}.xlsx" for n in (2, 1, 0)]
        newest = latest[department.id]
        assert newest["state"] == storage.READY and newest["submitter"] == department.name
        assert store.blob(newest["sha256"]) == f"{department.name} 第2次".encode()
        docx = store.documents_of(newest["id"])["docx"]
        assert store.blob(docx["sha256"]) == f"{department.name} 第2次 docx".encode()
    store.close()


def test_a_renewed_or_revoked_token_finds_no_department(url):
    store = storage.Storage(url)
    round_id = store.open_round("annual", 2021, "2022-01-31", ["甲局"])
    department = store.departments(round_id)[0]
    assert store.department_by_token(department.token).name == "甲局"
    new = store.renew_token(department.id)
    assert store.department_by_token(department.token) is None and store.department_by_token(new).id == department.id
    store.revoke(department.id)
    assert store.department_by_token(new) is None
    store.close()


def test_settings_are_made_once(url):
    store = storage.Storage(url)
    made = store.setting_or_create("secret_key", lambda: "first")
    assert store.setting_or_create("secret_key", lambda: "second") == made == "first"
    assert store.set_setting("password", "hash-1", only_if_absent=True)
    assert not store.set_setting("password", "hash-2", only_if_absent=True)
    assert store.setting("password") == "hash-1"
    store.close()


def test_a_round_keeps_its_latest_roll_up(url):
    store = storage.Storage(url)
    round_id = store.open_round("annual", 2021, "2022-01-31", ["甲局"])
    assert store.latest_rollup(round_id) is None
    store.add_rollup(round_id, "县政府汇总.xlsx", b"first")
    store.add_rollup(round_id, "县政府汇总.xlsx", b"second")
    assert store.blob(store.latest_rollup(round_id)["sha256"]) == b"second"
    assert [r["n"] for r in store.rounds()] == [1]
    store.close()
