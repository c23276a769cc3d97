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
