"""A finance bureau's collection on PostgreSQL (issue 23), against a real server of its
own (``postgres_server`` in conftest: skipped where PostgreSQL is not installed, required
by .ci/run): the models and migrations there, the merge, the read commands, concurrent
reviewers, and every bad URL or server answered in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

from desktop import paths
from desktop.models import Declaration
from desktop.services.documents import declaration_names, load_declaration
from desktop.storage import collection as storage
from desktop.storage import migrate
from desktop.storage.document import NEWEST_TABLES, SCHEMA_REVISION
from desktop.storage.interchange import fingerprint, insert_declaration
from tests.conftest import PostgresServer, file_fingerprint


def _engine(url: str):  # -> Engine on the database, the password from PGPASSFILE
    return create_engine(storage.collection_url(url))


def _sample() -> dict:
    return json.loads(paths.sample_json().read_text(encoding="utf-8"))["declarations"][0]


def test_collection_schema_on_postgresql_is_the_document_schema(
    collection_url: str, sample_path: Path
) -> None:
    """A first opening with create builds the .jxdb schema and the merge record there (the
    Alembic migrations, run on PostgreSQL); the models write and read the sample with the
    same fingerprint as the .jxdb file holds."""
    collection = storage.open_collection(collection_url, create=True)
    try:
        tables = set(inspect(collection.engine).get_table_names())
        assert tables == NEWEST_TABLES | storage.COLLECTION_TABLES
        with collection.engine.connect() as connection:
            versions = [
                connection.execute(text(f"SELECT version_num FROM {table}")).scalar()
                for table in ("alembic_version", "collection_version")
            ]
        assert versions == [SCHEMA_REVISION, "c001"]
        with collection.session() as session:
            insert_declaration(session, _sample())
        with collection.session() as session:
            declaration = load_declaration(session)
            assert declaration is not None
            assert fingerprint(declaration) == file_fingerprint(sample_path)
            assert [name for _, name in declaration_names(session)] == [
                "507002 乐亭县机关事务中心 2022年度"
            ]
    finally:
        collection.close()


def test_collection_upgrade_from_the_previous_revision_keeps_every_row(
    collection_url: str,
) -> None:
    """A collection at the previous document revision (0003, before pending input), holding
    a unit, is upgraded on opening: every row as it was, both version tables at head."""
    engine = _engine(collection_url)
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0003")
        from sqlalchemy.orm import Session

        with Session(bind=connection) as session:
            insert_declaration(session, _sample())
            session.flush()
        before = {
            table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))))
            for table in ("declaration", "budget_project", "indicator", "content_history")
        }
    engine.dispose()
    assert len(before["indicator"]) > 20
    collection = storage.open_collection(collection_url)  # no create: an existing collection
    collection.close()
    engine = _engine(collection_url)
    with engine.connect() as connection:
        after = {
            table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))))
            for table in before
        }
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            SCHEMA_REVISION
        )
        assert "pending_input" in inspect(connection).get_table_names()
        assert "merge_record" in inspect(connection).get_table_names()
    engine.dispose()
    assert after == before


def test_collection_of_another_program_or_empty_is_refused(
    collection_url: str, postgres_server: PostgresServer
) -> None:
    """A database holding another program's tables is refused, untouched; an empty one is
    refused for reading (nothing merged yet) and a newer program's schema is refused."""
    name = collection_url.rsplit("/", 1)[1]
    with pytest.raises(storage.CollectionError, match="还没有合并任何单位"):
        storage.open_collection(collection_url)
    postgres_server.admin("CREATE TABLE users (id int)", name)
    with pytest.raises(storage.CollectionError, match="已有其他程序的表（“users”）"):
        storage.open_collection(collection_url, create=True)
    assert postgres_server.admin("SELECT count(*) FROM pg_tables WHERE schemaname='public'", name)
    postgres_server.admin("DROP TABLE users", name)
    storage.open_collection(collection_url, create=True).close()
    postgres_server.admin("UPDATE alembic_version SET version_num = '0099'", name)
    from desktop.storage.errors import NewerSchemaError

    with pytest.raises(NewerSchemaError, match="较新版本"):
        storage.open_collection(collection_url)


def test_collection_urls_and_servers_refused_in_chinese(
    collection_url: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """A password in the URL, a malformed URL, no database name, an unreachable server, a
    wrong password, a missing database: each a Chinese message, nothing connected."""
    port = postgres_server.port
    cases = {
        f"postgresql://clerk:secret@127.0.0.1:{port}/x": "含有密码",
        "postgresql://clerk@127.0.0.1:notaport/x": "无法识别",
        f"postgresql://clerk@127.0.0.1:{port}/": "缺少数据库名",
        "postgresql://clerk@127.0.0.1:1/x": "连接不到数据库服务器",
        f"postgresql://clerk@127.0.0.1:{port}/nowhere": "没有名为“nowhere”的数据库",
    }
    for url, expected in cases.items():
        with pytest.raises(storage.CollectionError, match=expected):
            storage.open_collection(url)
    wrong = tmp_path / "pgpass"
    wrong.write_text(f"127.0.0.1:{port}:*:clerk:wrong\n")
    wrong.chmod(0o600)
    import os

    os.environ["PGPASSFILE"] = str(wrong)  # restored by the fixture's monkeypatch
    with pytest.raises(storage.CollectionError, match="密码不对"):
        storage.open_collection(collection_url)


def test_collection_password_asked_once_when_no_pgpass(
    collection_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without .pgpass the server's request for a password is answered by asking once;
    later openings in the same process reuse it; no answer is refused in Chinese."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr(storage, "_PASSWORDS", {})
    with pytest.raises(storage.CollectionError, match="要求输入密码"):
        storage.open_collection(collection_url, ask_password=lambda _: None)
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return "secret"

    storage.open_collection(collection_url, create=True, ask_password=ask).close()
    storage.open_collection(collection_url, ask_password=ask).close()
    assert len(asked) == 1 and "的密码" in asked[0] and "secret" not in asked[0]
    with storage.open_collection(collection_url).session() as session:  # no asking: kept
        assert session.scalar(select(Declaration.id)) is None


def unit_files(folder: Path, count: int, sample: Path) -> list[Path]:
    """``count`` units' files as a bureau receives them: copies of the sample, each its
    own unit (code 600001…, name 乐亭县第N单位, every row a new UUID), closed and valid."""
    import shutil
    import sqlite3
    import uuid

    folder.mkdir(parents=True, exist_ok=True)
    tables = ("declaration", "key_task", "item_target", "item_target_statement",
              "budget_project", "disbursement_checkpoint", "indicator", "print_record")  # fmt: skip
    made = []
    for n in range(1, count + 1):
        path = folder / f"{600000 + n}.jxdb"
        shutil.copyfile(sample, path)
        raw = sqlite3.connect(path)
        raw.create_function("new_uuid", 0, lambda: str(uuid.uuid4()))
        for table in tables:
            raw.execute(f"UPDATE {table} SET uuid = new_uuid()")
        raw.execute("DELETE FROM finding_explanation")
        raw.execute("DELETE FROM content_history")
        raw.execute(
            "UPDATE declaration SET unit_code = ?, unit_name = ?",
            (str(600000 + n), f"乐亭县第{n}单位"),
        )
        raw.commit()
        raw.close()
        made.append(path)
    return made


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder 收到 with 200 units' files (see ``unit_files``)."""
    from desktop.services.documents import write_sample

    folder = tmp_path_factory.mktemp("bureau")
    write_sample(folder / "sample.jxdb").close()
    unit_files(folder / "收到", 200, folder / "sample.jxdb")
    return folder


def _rows(url: str, sql: str) -> list[tuple]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_collection_merge_of_200_units_as_into_a_jxdb(collection_url: str, received: Path) -> None:
    """jixiao merge postgresql://… 收到/*.jxdb: the report is line for line that of the
    same merge into a new .jxdb; every file is recorded (who, which file, its SHA-256 and
    fingerprint); merged again, every unit is the same and nothing is added."""
    import getpass
    import hashlib

    from tests.test_cli import jixiao

    into_file = jixiao("merge", "汇总.jxdb", "收到/*.jxdb", cwd=received)
    assert into_file.returncode == 0, into_file.stderr
    merged = jixiao("merge", collection_url, "收到/*.jxdb", cwd=received)
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines() == into_file.stdout.splitlines()[1:]  # no 已新建…
    assert "共 200 项，其中 200 项采用或加入了对方的内容。" in merged.stdout
    assert _rows(collection_url, "SELECT count(*) FROM declaration") == [(200,)]
    records = _rows(
        collection_url,
        'SELECT "user", file_name, file_sha256, fingerprints, units FROM merge_record ORDER BY id',
    )
    assert len(records) == 200
    user, name, digest, prints, units = records[0]
    first = received / "收到" / "600001.jxdb"
    assert (user, units) == (getpass.getuser(), 1)
    assert Path(name).resolve() == first.resolve()
    assert digest == hashlib.sha256(first.read_bytes()).hexdigest()
    from desktop.storage.interchange import short_fingerprint

    assert prints == short_fingerprint(file_fingerprint(first))
    again = jixiao("merge", collection_url, "收到", cwd=received)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("部门整体：相同，无需合并") == 200
    assert _rows(collection_url, "SELECT count(*) FROM declaration") == [(200,)]
    assert _rows(collection_url, "SELECT count(*) FROM merge_record") == [(400,)]


def test_collection_merge_skips_bad_files_and_commits_each_source(
    collection_url: str, received: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bad files are skipped with the .jxdb merge's reasons (exit 3); a merge stopped
    midway (Ctrl+C while the third file is written) keeps the two files merged before,
    each recorded, and nothing of the third: a transaction per source."""
    from desktop.services import merging
    from tests.conftest import BAD_FILE_LINES, received_folder
    from tests.test_cli import jixiao

    received_folder(tmp_path / "recv", received / "收到" / "600001.jxdb")
    result = jixiao("merge", collection_url, "recv", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "整份绩效目标（3 个预算项目）：对方新增 → 已加入" in result.stdout
    assert all(line in result.stderr for line in BAD_FILE_LINES)
    assert "Traceback" not in result.stderr

    files = sorted((received / "收到").glob("*.jxdb"))[:4]
    recorded = []
    real = merging.record_merge

    def record(session, path, declarations):
        if len(recorded) == 2:
            raise KeyboardInterrupt
        recorded.append(path)
        real(session, path, declarations)

    monkeypatch.setattr(merging, "record_merge", record)
    collection = storage.open_collection(collection_url)
    try:
        with pytest.raises(KeyboardInterrupt):
            merging.merge_into_collection(collection, files)
    finally:
        collection.close()
    # 600001 (already there: the same) and 600002 merged and recorded, 600003 not at all
    assert _rows(collection_url, "SELECT unit_code FROM declaration ORDER BY 1") == [
        ("600001",),
        ("600002",),
    ]
    names = _rows(collection_url, "SELECT file_name FROM merge_record ORDER BY id")
    assert [Path(n).name for (n,) in names] == ["b.jxdb", "600001.jxdb", "600002.jxdb"]
