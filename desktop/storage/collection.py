"""The collection database (汇总库): a finance bureau's units in PostgreSQL, with the same
models and Alembic migrations as a .jxdb file. Must not import Qt.

Decision: the collection's own table (``merge_record``: who merged which file when) has
its own migrations (``collection_migrations``, version table ``collection_version``)
beside the document schema's, which the collection shares with every .jxdb file.
Why: a .jxdb never holds it, so county files keep their schema version and stay readable
by the programs the units already have. Alternatives: a schema-5 revision for both (every
county file then needs the newest program for nothing it uses); a revision that creates
the table on PostgreSQL only (one revision, two schemas).

Passwords are never taken from a URL (nor written to settings): libpq reads its own
``.pgpass`` / ``PGPASSFILE`` / ``PGSERVICE`` (a ``?service=`` in the URL), and otherwise
the caller's ``ask_password`` is asked once per server, user and database in a process.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from desktop.storage.errors import DocumentFileError, NewerSchemaError
from desktop.storage.history import track_history

#: How a collection database is named on the command line (libpq's URI schemes).
SCHEMES = ("postgresql://", "postgres://")
#: The key of the advisory lock that keeps schema upgrades and merges one at a time
#: (the bytes "JXDB", like a .jxdb file's application_id).
_ADVISORY_KEY = 0x4A584442
#: The tables of a collection besides those of a .jxdb file of the newest schema.
COLLECTION_TABLES = frozenset({"collection_version", "merge_record"})

merge_record = Table(
    "merge_record",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("merged_at", DateTime, nullable=False),  # UTC, without zone
    Column("computer", Text, nullable=False),
    Column("user", Text, nullable=False),
    Column("database_user", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("fingerprints", Text, nullable=False),  # the units' short fingerprints, 、-joined
    Column("units", Integer, nullable=False),
)

#: Passwords asked in this process: (host, port, user, database) -> password.
_PASSWORDS: dict[tuple[str, int | None, str, str], str] = {}
#: ``ask_password(prompt)``: the password, or None when the user gave none.
AskPassword = Callable[[str], str | None]

PGPASS_ADVICE = "请把密码写进 .pgpass 文件（见说明书“汇总库”一节）"


class CollectionError(DocumentFileError):
    """A collection database could not be reached, opened or written; ``message`` says
    why and what to do (Chinese). Nothing was changed in the database by the failure."""


def is_collection_url(text: str) -> bool:
    """Whether ``text`` names a collection database (postgresql://…) rather than a file."""
    return text.strip().lower().startswith(SCHEMES)


def collection_url(text: str) -> URL:
    """The SQLAlchemy URL (driver psycopg) of the database ``text`` names.

    Raises ``CollectionError`` for a URL that cannot be read, has no database name, or
    carries a password (passwords belong in .pgpass, never on a command line).
    """
    shown = text.strip()
    try:
        url = make_url(shown)
    except (ArgumentError, ValueError) as exc:
        raise CollectionError(
            Path(shown),
            f"数据库地址“{shown}”无法识别。请按 postgresql://用户名@服务器/数据库名 的格式填写，"
            "例如 postgresql://huizong@192.168.1.10/jixiao。",
        ) from exc
    if url.password is not None:
        raise CollectionError(
            Path(url.database or "数据库"),
            "数据库地址中含有密码，未连接。密码不要写在命令行或设置里（别人能看到，也会留在"
            f"命令记录中）：{PGPASS_ADVICE}，地址中去掉密码；没有 .pgpass 时程序会询问密码。",
        )
    if not url.database and "service" not in url.query:
        raise CollectionError(
            Path(shown),
            f"数据库地址“{shown}”中缺少数据库名。"
            "请按 postgresql://用户名@服务器/数据库名 的格式填写。",
        )
    return url.set(drivername="postgresql+psycopg")


def shown_url(url: URL) -> str:
    """The URL as the user wrote it, without driver name (and never a password)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


class Collection:
    """An open collection database: the counterpart of ``Document`` for services that read
    or write declarations through ``session()``.

    ``path`` names the database in messages (its URL, as a path: ``path.name`` is the
    database name); ``read_only`` is always None (reviewers write explanations; who may
    write what is the database's privileges); there is no edit lock file: concurrent
    writers are kept apart by row locks and, for merges, an advisory lock.
    """

    read_only: str | None = None
    lock_holder: Any = None

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.shown = shown_url(url)
        self.path = Path(url.database or "数据库")
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        track_history(self._sessions)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise.

        Raises ``CollectionError`` (Chinese) when the server refuses or the connection is
        lost; nothing of the block was committed then.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError as exc:
            raise CollectionError(
                self.path,
                f"没有写入汇总库“{self.path.name}”：要写入的内容与库中已有的内容相互冲突"
                f"（{_first_line(exc.orig)}），库中内容未作改动。请稍后重试。",
            ) from exc
        except DBAPIError as exc:
            raise CollectionError(self.path, connection_message(self.url, exc)) from exc

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def open_collection(
    text_or_url: str | URL, *, create: bool = False, ask_password: AskPassword | None = None
) -> Collection:
    """Connect to the collection database named by ``text_or_url`` and check its schema.

    An empty database gets the schema when ``create`` (a first merge), an older schema
    is upgraded (one transaction, one program at a time); the password comes from libpq
    (.pgpass, PGPASSFILE, PGSERVICE) or, when the server asks for one, from
    ``ask_password`` once per process. Raises ``CollectionError`` (bad URL, server not
    reachable, wrong password, no such database, no privilege, an empty database when
    not ``create``, a database of another program) and ``NewerSchemaError`` (a newer
    program's schema): the database is unchanged then.
    """
    url = text_or_url if isinstance(text_or_url, URL) else collection_url(text_or_url)
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": "10"})
    key = (url.host or "", url.port, url.username or "", url.database or "")
    engine = _engine(url, _PASSWORDS.get(key))
    try:
        try:
            connection = engine.connect()
        except DBAPIError as exc:
            if not _wants_password(exc) or key in _PASSWORDS:
                raise
            password = ask_password(_prompt(url)) if ask_password is not None else None
            if not password:
                raise CollectionError(
                    Path(url.database or "数据库"),
                    f"数据库服务器要求输入密码（{shown_url(url)}），未连接。{PGPASS_ADVICE}。",
                ) from exc
            engine.dispose()
            engine = _engine(url, password)
            connection = engine.connect()
            _PASSWORDS[key] = password
        with connection:
            _check_schema(connection, url, create=create)
    except DBAPIError as exc:
        engine.dispose()
        raise CollectionError(Path(url.database or "数据库"), connection_message(url, exc)) from exc
    except BaseException:
        engine.dispose()
        raise
    return Collection(url, engine)


def _engine(url: URL, password: str | None) -> Engine:
    arguments = {"password": password} if password else {}
    try:
        return create_engine(url, connect_args=arguments, pool_pre_ping=True)
    except ImportError as exc:  # a build without the PostgreSQL driver
        raise CollectionError(
            Path(url.database or "数据库"),
            "本程序的这个版本没有附带 PostgreSQL 驱动（psycopg），不能使用汇总库。"
            "请按说明书“汇总库”一节从源码安装本程序（make setup）后再使用。",
        ) from exc


def _prompt(url: URL) -> str:
    return f"汇总库 {shown_url(url)} 的密码（输入时不显示）："


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else ""


def _wants_password(exc: DBAPIError) -> bool:
    return "no password supplied" in str(exc.orig)


def connection_message(url: URL, exc: DBAPIError) -> str:
    """The Chinese message for a failure of the server or connection (libpq's English
    message read for the usual causes), naming the database and saying what to do."""
    detail = str(exc.orig)
    name, server = (
        url.database or "",
        f"{url.host or '本机'}" + (f":{url.port}" if url.port else ""),
    )
    user = url.username or "（当前登录名）"
    if "password authentication failed" in detail:
        reason = (
            f"用户“{user}”的密码不对（或没有这个用户）。请核对 .pgpass 中的密码，或向管理员确认"
        )
    elif "no password supplied" in detail:
        reason = f"服务器要求输入密码。{PGPASS_ADVICE}"
    elif "does not exist" in detail and "database" in detail:
        reason = f"服务器上没有名为“{name}”的数据库。请核对数据库名，或请管理员先建立它"
    elif "does not exist" in detail and "role" in detail:
        reason = f"服务器上没有用户“{user}”。请核对用户名，或请管理员先建立它"
    elif "permission denied" in detail:
        reason = f"用户“{user}”没有使用该数据库的权限。请管理员授予权限"
    elif any(
        words in detail
        for words in (
            "Connection refused",
            "could not translate host name",
            "timeout expired",
            "No route to host",
            "Network is unreachable",
            "could not connect",
            "server closed the connection",
            "connection is closed",
            "terminating connection",
        )
    ):
        reason = (
            f"连接不到数据库服务器“{server}”（服务器未开机、数据库服务未启动、地址或端口不对，"
            "或被防火墙挡住）。请核对地址，或联系管理员"
        )
    else:
        reason = f"数据库服务器报告：{_first_line(exc.orig)}"
    return f"无法使用汇总库 {shown_url(url)}：{reason}。库中内容未作改动。"


def _check_schema(connection: Connection, url: URL, *, create: bool) -> None:
    """Refuse a database that is not ours; give an empty one the schema (``create``) and
    upgrade an older one, in one transaction under the advisory lock."""
    from desktop.storage import migrate
    from desktop.storage.document import NEWEST_TABLES

    name = url.database or ""
    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        tables = set(inspect(connection).get_table_names())
        ours = NEWEST_TABLES | COLLECTION_TABLES
        foreign = sorted(tables - ours)
        if foreign or (tables and "alembic_version" not in tables):
            shown = "、".join(f"“{t}”" for t in (foreign or sorted(tables))[:3])
            raise CollectionError(
                Path(name),
                f"数据库“{name}”中已有其他程序的表（{shown}），不是绩效目标汇总库，未作任何改动。"
                "请为汇总库另建一个空数据库（见说明书“汇总库”一节）。",
            )
        if not tables and not create:
            raise CollectionError(
                Path(name),
                f"数据库“{name}”是空的，还没有合并任何单位。"
                f"请先用 jixiao merge {shown_url(url)} 收到/*.jxdb 把各单位的文件合并进来。",
            )
        for table, known in (
            ("alembic_version", migrate.revisions(migrate.MIGRATIONS)),
            ("collection_version", migrate.revisions(migrate.COLLECTION_MIGRATIONS)),
        ):
            if table not in tables:
                continue
            found = connection.execute(text(f"SELECT version_num FROM {table}")).scalar()
            if found not in known:
                raise NewerSchemaError(
                    Path(name),
                    f"汇总库“{name}”由较新版本的绩效目标填报程序建立（版本 {found}）。"
                    "请升级本程序后再使用；库中内容未作改动。",
                )
        try:
            migrate.upgrade_collection(connection)
        except DBAPIError:
            raise
        except Exception as exc:  # a migration failed: rolled back with the transaction
            raise CollectionError(
                Path(name),
                f"汇总库“{name}”的格式较旧，升级失败（{exc}），库中内容未作改动。"
                "请把这段说明发给程序维护人员。",
            ) from exc


def lock_for_merge(session: Session) -> None:
    """Wait until no other program merges into the collection, then hold the lock until
    the session's transaction ends (a merge is one transaction per source file)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


def record_merge(session: Session, path: Path, declarations: list[dict[str, Any]]) -> None:
    """Record in ``merge_record`` that this program merged the file ``path`` holding the
    JSON-form ``declarations``: this computer and login name, the database user, now
    (UTC), the file's SHA-256 and the short content fingerprints of its units (the 指纹
    printed on each page of their forms)."""
    from desktop.models import Declaration
    from desktop.storage import lock
    from desktop.storage.interchange import fingerprint, load_row, short_fingerprint

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    prints = [short_fingerprint(fingerprint(load_row(Declaration, d, {}))) for d in declarations]
    session.execute(
        merge_record.insert().values(
            merged_at=datetime.now(UTC).replace(tzinfo=None),
            computer=lock.computer_name(),
            user=lock.user_name(),
            database_user=session.execute(text("SELECT current_user")).scalar_one(),
            file_name=str(path.resolve()),
            file_sha256=digest.hexdigest(),
            fingerprints="、".join(prints),
            units=len(declarations),
        )
    )
