"""A finance bureau's collection on PostgreSQL (issue 23), against a real server of its
own (``postgres_server`` in conftest: skipped where PostgreSQL is not installed, required
by .ci/run): the models and migrations there, the merge, the read commands, concurrent
reviewers, and every bad URL or server answered in Chinese."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

from benchmarks.generate import unit_copies
from desktop import paths
from desktop.file_words import password_prompt
from desktop.models import Declaration
from desktop.services.documents import declaration_names, load_declaration
from desktop.storage import collection as storage
from desktop.storage import migrate
from desktop.storage.document import NEWEST_TABLES, SCHEMA_REVISION
from desktop.storage.interchange import fingerprint, insert_declaration
from desktop.ui.wording import error_words
from tests.conftest import file_fingerprint
from tests.postgres import PostgresServer


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
        assert versions == [SCHEMA_REVISION, "c002"]
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
    """A collection at the previous document revision (0004, before structured indicators),
    holding a unit (the rows of tests/data/schema-4-sample.jxdb, copied as they are), is
    upgraded on opening: every row as it was, both version tables at head, and each
    indicator's structured fields read from its 指标值 (migration 0005 on PostgreSQL)."""
    import sqlite3

    from tests.conftest import DATA

    tables = ("declaration", "budget_project", "indicator", "content_history")
    source = sqlite3.connect(DATA / "schema-4-sample.jxdb")
    engine = _engine(collection_url)
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0004")
        for table in tables:
            cursor = source.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor]
            columns = ", ".join(names)
            marks = ", ".join(f":{name}" for name in names)
            connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), rows)
        old = {
            table: [c["name"] for c in inspect(connection).get_columns(table)] for table in tables
        }
        before = {
            table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))))
            for table in tables
        }
    source.close()
    engine.dispose()
    assert len(before["indicator"]) > 20
    collection = storage.open_collection(collection_url)  # no create: an existing collection
    collection.close()
    engine = _engine(collection_url)
    with engine.connect() as connection:
        after = {
            table: sorted(
                map(tuple, connection.execute(text(f"SELECT {', '.join(old[table])} FROM {table}")))
            )
            for table in tables
        }
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            SCHEMA_REVISION
        )
        assert "merge_record" in inspect(connection).get_table_names()
        read = connection.execute(
            text(
                "SELECT comparison, target_number, unit_of_measure FROM indicator "
                "WHERE target_value = '≥95%'"
            )
        ).first()
    engine.dispose()
    assert after == before
    assert tuple(read) == ("≥", "95", "%")


def test_collection_upgrade_from_c001_adds_the_edit_holder(collection_url: str) -> None:
    """A collection made before the window could edit its units (revision c001: no
    ``edit_holder``) is upgraded on opening, its units kept, and then locks a unit."""
    collection = storage.open_collection(collection_url, create=True)
    with collection.session() as session:
        insert_declaration(session, _sample())
    with collection.engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection, migrate.COLLECTION_MIGRATIONS), "c001")
        assert "edit_holder" not in inspect(connection).get_table_names()
    collection.close()
    collection = storage.open_collection(collection_url)
    (unit,) = storage.list_units(collection)
    assert (unit.unit_code, unit.editor) == ("507002", None)
    document = storage.CollectionUnit(collection, unit.uuid)
    try:
        document.take_edit_lock()
        (unit,) = storage.list_units(storage.open_collection(collection_url))
        assert unit.editor is not None and unit.editor.database_user == "clerk"
    finally:
        document.close()
    assert _rows(collection_url, "SELECT version_num FROM collection_version") == [("c002",)]


def test_collection_of_another_program_or_empty_is_refused(
    collection_url: str, postgres_server: PostgresServer
) -> None:
    """A database holding another program's tables is refused, untouched; an empty one is
    refused for reading (nothing merged yet) and a newer program's schema is refused."""
    name = collection_url.rsplit("/", 1)[1]
    with _refused("还没有合并任何单位"):
        storage.open_collection(collection_url)
    postgres_server.admin("CREATE TABLE users (id int)", name)
    with _refused("已有其他程序的表（“users”）"):
        storage.open_collection(collection_url, create=True)
    assert postgres_server.admin("SELECT count(*) FROM pg_tables WHERE schemaname='public'", name)
    postgres_server.admin("DROP TABLE users", name)
    storage.open_collection(collection_url, create=True).close()
    postgres_server.admin("UPDATE alembic_version SET version_num = '0099'", name)
    from desktop.file_words import refusal_words
    from desktop.storage.errors import NewerSchemaError

    with pytest.raises(NewerSchemaError) as info:
        storage.open_collection(collection_url)
    assert info.value.version == "0099" and info.value.collection
    assert "较新版本" in refusal_words(info.value)


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
        with _refused(expected):
            storage.open_collection(url)
    wrong = tmp_path / "pgpass"
    wrong.write_text(f"127.0.0.1:{port}:*:clerk:wrong\n")
    wrong.chmod(0o600)
    import os

    os.environ["PGPASSFILE"] = str(wrong)  # restored by the fixture's monkeypatch
    with _refused("密码不对"):
        storage.open_collection(collection_url)


def test_collection_password_asked_once_when_no_pgpass(
    collection_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without .pgpass the server's request for a password is answered by asking once;
    later openings in the same process reuse it; no answer is refused in Chinese."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr(storage, "_PASSWORDS", {})
    for ask_nobody in (None, lambda _: None):  # none given: the question comes back
        with _refused("要求输入密码", storage.PasswordRequiredError) as refused:
            storage.open_collection(collection_url, ask_password=ask_nobody)
        assert refused.value.reason.shown == collection_url
        assert (
            password_prompt(collection_url) == f"汇总库 {collection_url} 的密码（输入时不显示）："
        )
    asked: list[str] = []

    def ask(address: str) -> str:
        asked.append(address)
        return "secret"

    storage.open_collection(collection_url, create=True, ask_password=ask).close()
    storage.open_collection(collection_url, ask_password=ask).close()
    assert asked == [collection_url]  # the address shown, never a password
    with storage.open_collection(collection_url).session() as session:  # no asking: kept
        assert session.scalar(select(Declaration.id)) is None


@contextlib.contextmanager
def _refused(
    words: str, error: type[Exception] = storage.CollectionError
) -> Iterator[pytest.ExceptionInfo]:
    """Expect ``error`` in the block, told (in the window's words) with ``words`` (a
    regular expression)."""
    with pytest.raises(error) as refused:
        yield refused
    told = error_words(refused.value)
    assert re.search(words, told), told


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder 收到 with 200 units' files: copies of the sample, each its own unit (code
    600001…, name 乐亭县第N单位, every row a new UUID; ``unit_copies``)."""
    from desktop.services.documents import write_sample

    folder = tmp_path_factory.mktemp("bureau")
    write_sample(folder / "sample.jxdb").close()
    unit_copies(folder / "sample.jxdb", folder / "收到", 200)
    return folder


def _rows(url: str, sql: str) -> list[tuple]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_collection_and_unit_sessions_word_server_errors_alike(
    collection_url: str, sample_path: Path
) -> None:
    """The collection's session and a unit's word a failure of the server the same way
    (one translation): a write that conflicts with the database's content is told as a
    conflict, nothing written, the collection's advice 请稍后重试, the unit's 刷新 (a
    ``CollectionWriteError``: the window keeps the edit); a server not reachable is told
    as such."""
    from sqlalchemy.engine import make_url

    from desktop.services.merging import merge_into_collection

    collection = storage.open_collection(collection_url, create=True)
    merge_into_collection(collection, [sample_path])
    unit = storage.CollectionUnit(collection, _sample()["uuid"])
    twice = text(
        'INSERT INTO edit_holder (declaration_uuid, backend_pid, computer, "user",'
        " database_user, since) VALUES ('u', 1, 'pc', 'me', 'clerk', now())"
    )
    try:
        with (
            pytest.raises(storage.CollectionError) as by_collection,
            collection.session() as session,
        ):
            session.execute(twice)
            session.execute(twice)
        assert not isinstance(by_collection.value, storage.CollectionWriteError)
        unit.take_edit_lock()
        with pytest.raises(storage.CollectionWriteError) as by_unit, unit.session() as session:
            session.execute(twice)
            session.execute(twice)
        database = make_url(collection_url).database
        for error, advice in ((by_collection, "请稍后重试"), (by_unit, "请点“刷新”后重试")):
            words = error_words(error.value)
            assert words.startswith(f"没有写入汇总库“{database}”"), words
            assert "相互冲突" in words and words.endswith(f"{advice}。")
            assert "duplicate key" in words  # the server's own words, one line
        assert _rows(
            collection_url, "SELECT count(*) FROM edit_holder WHERE declaration_uuid = 'u'"
        )[0] == (0,)
    finally:
        unit.close()
    gone = storage.collection_url(f"postgresql://clerk@127.0.0.1:1/{database}")
    nowhere = storage.Collection(gone, create_engine(gone))
    with (
        _refused(r"连接不到数据库服务器“127\.0\.0\.1:1”") as down,
        nowhere.session() as session,
    ):
        session.execute(text("SELECT 1"))
    assert not isinstance(down.value, storage.CollectionWriteError)
    nowhere.close()


@pytest.fixture(scope="module")
def bureau(
    received: Path, postgres_server: PostgresServer
) -> Iterator[tuple[Path, str, subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]]:
    """The 200 units merged by jixiao merge into a new 汇总.jxdb and into a collection
    database: (folder, the database's URL, both commands' results). PGPASSFILE is set."""
    from tests.test_cli import jixiao

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGPASSFILE", str(postgres_server.pgpass))
        url = postgres_server.new_database()
        into_file = jixiao("merge", "汇总.jxdb", "收到/*.jxdb", cwd=received)
        merged = jixiao("merge", url, "收到/*.jxdb", cwd=received)
        yield received, url, into_file, merged


def test_collection_merge_of_200_units_as_into_a_jxdb(
    bureau: tuple[Path, str, subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    """jixiao merge postgresql://… 收到/*.jxdb: the report is line for line that of the
    same merge into a new .jxdb; every file is recorded (who, which file, its SHA-256 and
    fingerprint); merged again, every unit is the same and nothing is added."""
    import getpass
    import hashlib

    from desktop.storage.interchange import short_fingerprint
    from tests.test_cli import jixiao

    received, url, into_file, merged = bureau
    assert into_file.returncode == 0, into_file.stderr
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines() == into_file.stdout.splitlines()[1:]  # no 已新建…
    assert "共 200 项，其中 200 项采用或加入了对方的内容。" in merged.stdout
    assert _rows(url, "SELECT count(*) FROM declaration") == [(200,)]
    records = _rows(
        url,
        'SELECT "user", file_name, file_sha256, fingerprints, units FROM merge_record ORDER BY id',
    )
    assert len(records) == 200
    user, name, digest, prints, units = records[0]
    first = received / "收到" / "600001.jxdb"
    assert (user, units) == (getpass.getuser(), 1)
    assert Path(name) == first.resolve()
    assert digest == hashlib.sha256(first.read_bytes()).hexdigest()
    assert prints == short_fingerprint(file_fingerprint(first))
    again = jixiao("merge", url, "收到", cwd=received)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("部门整体：相同，无需合并") == 200
    assert _rows(url, "SELECT count(*) FROM declaration") == [(200,)]
    assert _rows(url, "SELECT count(*) FROM merge_record") == [(400,)]


def test_collection_summary_check_export_as_of_the_jxdb(
    bureau: tuple[Path, str, subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    """summary, check and export-json of the collection print exactly what they print for
    the .jxdb of the same merge (the 汇总表 of 200 units); summary -o writes the workbook."""
    from tests.test_cli import jixiao

    received, url, _, _ = bureau
    outputs = {}
    for name in ("summary", "check", "export-json"):
        of_file = jixiao(name, "汇总.jxdb", cwd=received)
        outputs[name] = jixiao(name, url, cwd=received)
        assert outputs[name].returncode == of_file.returncode, outputs[name].stderr
        assert outputs[name].stdout == of_file.stdout, name
        assert outputs[name].stderr == of_file.stderr
    listed = outputs["summary"].stdout.splitlines()
    assert len(listed) == 201 and "600200\t乐亭县第200单位\t2022\t492.87\t3" in listed[-1]
    written = jixiao("summary", url, "-o", "汇总.xlsx", cwd=received)
    assert written.stdout == "已写出汇总表（200 个单位）：汇总.xlsx\n", written.stderr


def test_collection_one_unit_by_declaration(
    bureau: tuple[Path, str, subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    """--declaration takes a unit code, code/year or number: summary, check, export-json
    and export-xlsx of that unit alone; diff of a unit's file against the collection; a
    code not there is refused in Chinese (exit 1, or 2 for check)."""
    from tests.test_cli import jixiao

    received, url, _, _ = bureau
    one = jixiao("summary", url, "--declaration", "600007", cwd=received)
    assert one.returncode == 0, one.stderr
    assert one.stdout.splitlines()[1].startswith("1\t600007\t乐亭县第7单位\t2022")
    assert len(one.stdout.splitlines()) == 2
    by_year = jixiao("check", url, "--declaration", "600007/2022", cwd=received)
    alone = jixiao("check", "收到/600007.jxdb", cwd=received)
    assert (by_year.returncode, by_year.stdout) == (alone.returncode, alone.stdout)
    by_number = jixiao("export-json", url, "--declaration", "3", cwd=received)
    assert by_number.stdout == jixiao("export-json", "收到/600003.jxdb", cwd=received).stdout
    sheet = jixiao("export-xlsx", url, "--declaration", "600150", "-o", "u.xlsx", cwd=received)
    assert sheet.returncode == 0, sheet.stderr
    from desktop.services.excel import read_workbook

    assert read_workbook(received / "u.xlsx").declaration.unit_name == "乐亭县第150单位"
    same = jixiao("diff", "收到/600009.jxdb", url, cwd=received)
    assert (same.returncode, same.stdout) == (0, "两个文件的内容相同。\n")
    other = jixiao("diff", "收到/600009.jxdb", url, "--declaration", "600010", cwd=received)
    assert other.returncode == 1 and "乐亭县第9单位" in other.stdout
    missing = jixiao("summary", url, "--declaration", "999999", cwd=received)
    assert missing.returncode == 1
    assert "没有序号或单位编码为“999999”的单位（共 200 个：1. 600001 乐亭县第1单位" in (
        missing.stderr
    )
    assert "其余 190 个见 jixiao summary" in missing.stderr and "Traceback" not in missing.stderr
    bad = jixiao("check", url, "--declaration", "nothing", cwd=received)
    assert bad.returncode == 2 and "没有序号或单位编码为“nothing”" in bad.stderr


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
    import shutil
    import sqlite3

    nul = tmp_path / "recv" / "nul.jxdb"  # SQLite keeps a NUL in a text, PostgreSQL cannot
    shutil.copyfile(received / "收到" / "600002.jxdb", nul)
    raw = sqlite3.connect(nul)
    raw.execute("UPDATE indicator SET basis = '依据' || char(0) || '文件' WHERE position = 0")
    raw.commit()
    raw.close()
    result = jixiao("merge", collection_url, "recv", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "整份绩效目标（3 个预算项目）：对方新增 → 已加入" in result.stdout
    assert all(line[5:] in result.stderr for line in BAD_FILE_LINES)
    assert "“nul.jxdb”中的数据不符合本程序的格式（含有数据库不能保存的值" in result.stderr
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


REVIEWER = """
import sys, time
from pathlib import Path
from desktop.review import Severity, review
from desktop.services.documents import declaration_names, load_declaration
from desktop.services.reviewing import explain_finding
from desktop.storage.collection import open_collection

url, who, start = sys.argv[1], sys.argv[2], Path(sys.argv[3])
collection = open_collection(url)
with collection.session() as session:
    units = [uuid for uuid, _ in declaration_names(session)]
while not start.exists():  # both reviewers begin together
    time.sleep(0.01)
for uuid in units:
    with collection.session() as session:
        (warning,) = [f for f in review(load_declaration(session, uuid))
                      if f.severity is Severity.WARNING]
    explain_finding(collection, declaration_uuid=uuid, finding=warning,
                    text=f"审核员{who}：该指标沿用上年口径，已与单位核实。")
"""


def test_collection_two_reviewers_explain_at_once(
    collection_url: str, received: Path, tmp_path: Path
) -> None:
    """Two reviewers (two processes) write 已说明 explanations of the same findings of 40
    units at the same moment: each finding ends with exactly one explanation (one of the
    two: the unit's row is locked while one is written), and check counts them 已说明."""
    import os
    import sys

    from desktop.services.merging import merge_into_collection

    collection = storage.open_collection(collection_url, create=True)
    try:
        merge_into_collection(collection, sorted((received / "收到").glob("*.jxdb"))[:40])
    finally:
        collection.close()
    start = tmp_path / "start"
    environ = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    reviewers = [
        subprocess.Popen(
            [sys.executable, "-c", REVIEWER, collection_url, who, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
        )
        for who in ("甲", "乙")
    ]
    start.touch()
    outputs = [reviewer.communicate(timeout=240) for reviewer in reviewers]
    assert [r.returncode for r in reviewers] == [0, 0], outputs
    explained = _rows(
        collection_url,
        "SELECT d.unit_code, count(e.id), min(e.text) FROM declaration d"
        " LEFT JOIN finding_explanation e ON e.declaration_id = d.id GROUP BY d.unit_code",
    )
    assert len(explained) == 40 and all(count == 1 for _, count, _ in explained)
    assert {text[:4] for _, _, text in explained} <= {"审核员甲", "审核员乙"}
    from tests.test_cli import jixiao

    checked = jixiao("check", collection_url, cwd=tmp_path)
    assert "已说明 40 个" in checked.stdout, checked.stderr


def test_collection_commands_refuse_in_chinese_without_traceback(
    collection_url: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """From the command line: a URL with a password, an unreachable server, no password to
    be had (no .pgpass, no terminal), a database of another program: a Chinese message on
    standard error, exit 1 (2 for check), never a traceback, nothing written."""
    import os

    from tests.conftest import received_folder
    from tests.test_cli import jixiao

    port = postgres_server.port
    name = collection_url.rsplit("/", 1)[1]
    postgres_server.admin("CREATE TABLE accounts (id int)", name)
    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    received_folder(tmp_path / "收到", tmp_path / "a.jxdb")
    cases = [
        (("merge", f"postgresql://clerk:secret@127.0.0.1:{port}/{name}", "收到"), 1, "含有密码"),
        (("summary", f"postgresql://clerk@127.0.0.1:1/{name}"), 1, "连接不到数据库服务器"),
        (("check", collection_url), 2, "已有其他程序的表（“accounts”）"),
        (("merge", collection_url, "收到"), 1, "不是绩效目标汇总库"),
    ]
    for arguments, code, expected in cases:
        done = jixiao(*arguments, cwd=tmp_path)
        assert (done.returncode, done.stdout) == (code, ""), done.stderr
        assert expected in done.stderr and "Traceback" not in done.stderr
    os.environ["PGPASSFILE"] = str(tmp_path / "none")  # restored by the fixture's monkeypatch
    asked = jixiao("summary", collection_url, cwd=tmp_path)  # standard input is no terminal
    assert asked.returncode == 1 and "要求输入密码" in asked.stderr and ".pgpass" in asked.stderr
    assert (
        postgres_server.admin(
            "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'", name
        ).strip()
        == "accounts"
    )


def test_collection_named_by_a_libpq_service(
    collection_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """postgresql://?service=huizong takes server, port, database and user from libpq's
    service file (PGSERVICEFILE), the password from .pgpass: nothing secret in the URL."""
    from sqlalchemy.engine import make_url

    url = make_url(collection_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[huizong]\nhost={url.host}\nport={url.port}\ndbname={url.database}\nuser=clerk\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    collection = storage.open_collection("postgresql://?service=huizong", create=True)
    try:
        with collection.session() as session:
            assert session.execute(text("SELECT current_database()")).scalar() == url.database
    finally:
        collection.close()


def test_collection_without_libpq_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bundle's psycopg that finds no libpq (ImportError from the driver) is told in
    Chinese with the package to install (libpq5); without psycopg at all, the source
    install. No server needed: the driver fails before connecting."""
    import importlib.util

    def no_libpq(*_args, **_kwargs):
        raise ImportError("no pq wrapper available: libpq library not found")

    monkeypatch.setattr(storage, "create_engine", no_libpq)
    with pytest.raises(storage.CollectionError) as refused:
        storage.open_collection("postgresql://huizong@192.168.1.10/jixiao_huizong")
    words = error_words(refused.value)
    assert "libpq5" in words and "sudo apt install" in words
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(storage.CollectionError) as refused:
        storage.open_collection("postgresql://huizong@192.168.1.10/jixiao_huizong")
    assert "没有附带 PostgreSQL 驱动" in error_words(refused.value)


def test_every_collection_problem_is_worded_for_its_moment() -> None:
    """Each ``CollectionProblem`` names the database and says what to do, in Chinese; the
    window and the command line give the same words for a failure while connecting, the
    window alone a unit shown's (its bar's 刷新); a lost edit lock as the banner says it.
    No server needed: the reasons are data."""
    from desktop.file_words import Advice
    from desktop.file_words import error_words as file_error_words
    from desktop.storage.errors import CollectionError, CollectionWriteError
    from desktop.storage.reasons import CollectionMoment, CollectionProblem, CollectionReason

    def reason(problem: CollectionProblem, moment=CollectionMoment.CONNECTING):
        return CollectionReason(
            problem,
            database="jixiao",
            moment=moment,
            shown="postgresql://huizong@10.0.0.5/jixiao",
            server="10.0.0.5",
            user="huizong",
            seconds="10",
            detail="some server words",
            tables=("users",),
        )

    cli = Advice(copy="", wait="")
    for problem in CollectionProblem:
        error = CollectionError(Path("jixiao"), reason(problem))
        words = error_words(error)
        assert words and "None" not in words and words.endswith("。"), (problem, words)
        assert re.search(r"[\u4e00-\u9fff]", words), problem
        if problem is not CollectionProblem.LOCK_LOST:
            assert file_error_words(error, cli) == words, problem
    server = CollectionError(Path("jixiao"), reason(CollectionProblem.SERVER_REFUSED))
    assert error_words(server) == (
        "无法使用汇总库 postgresql://huizong@10.0.0.5/jixiao：数据库服务器报告：some server words。"
        "库中内容未作改动。"
    )
    lost = CollectionError(
        Path("jixiao"), reason(CollectionProblem.CONNECTION_LOST, CollectionMoment.UNIT_SHOWN)
    )
    assert error_words(lost) == (
        "与汇总库“jixiao”的服务器“10.0.0.5”的连接中断了（网络断开，或服务器关机、数据库服务停止）。"
        "请检查网络或联系管理员，恢复后点“刷新”。库中内容未作改动。"
    )
    lock = CollectionWriteError(
        Path("u"), reason(CollectionProblem.LOCK_LOST, CollectionMoment.UNIT_SHOWN)
    )
    assert error_words(lock) == (
        "与汇总库“jixiao”的连接中断过，编辑锁已失去，刚才的修改没有写入汇总库。"
        "请点“刷新”，再点“编辑”重新取得编辑锁后重做。"
    )
