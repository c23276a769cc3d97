"""Alembic, configured in code: the schema of a .jxdb file is built and migrated only here.

Decision: no alembic.ini; the script location is this package's ``migrations`` folder,
so the migrations ship inside the installed program. Must not import Qt.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.pool import StaticPool

from desktop.storage.errors import MigrationError

MIGRATIONS = Path(__file__).with_name("migrations")
#: The migrations of a collection database's own tables (storage/collection.py).
COLLECTION_MIGRATIONS = Path(__file__).with_name("collection_migrations")


def alembic_config(connection: Connection | None = None, migrations: Path = MIGRATIONS) -> Config:
    """An Alembic configuration on ``migrations`` (the document schema's by default),
    optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    return config


def upgrade_collection(connection: Connection) -> None:
    """Bring a collection database to the newest schema inside ``connection``'s
    transaction: the document schema, then the collection's own tables."""
    upgrade_to_head(connection)
    command.upgrade(alembic_config(connection, COLLECTION_MIGRATIONS), "head")


def revisions(migrations: Path) -> set[str]:
    """Every revision identifier of the migrations in ``migrations``."""
    script = ScriptDirectory.from_config(alembic_config(None, migrations))
    return {revision.revision for revision in script.walk_revisions()}


def upgrade_to_head(connection: Connection) -> None:
    """Run every migration up to the newest on ``connection`` (inside its transaction)."""
    command.upgrade(alembic_config(connection), "head")


def head_revision() -> str:
    """The newest migration's revision identifier."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def upgrade_file(raw: sqlite3.Connection, *, path: Path, schema_version: int) -> None:
    """Migrate the file open on ``raw`` (a plain sqlite3 connection) to the newest schema.

    One transaction: every migration, then ``PRAGMA foreign_key_check``, then
    ``user_version = schema_version``; on any failure all is rolled back and the file is
    as it was. Foreign keys are off meanwhile: batch mode rebuilds a table by copying it
    and dropping the old one, and with foreign keys on that drop would fire ``ON DELETE
    CASCADE`` / ``SET NULL`` on the rows that point at it (SQLite documents this for
    ALTER TABLE; the check afterwards proves no row was orphaned). ``BEGIN`` is issued by
    us because Python's sqlite3 does not open a transaction before DDL.
    Raises ``MigrationError`` (Chinese message naming ``path``).
    """
    raw.isolation_level = None
    raw.execute("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: set before BEGIN
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
    event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        with engine.begin() as connection:
            upgrade_to_head(connection)
            if connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise MigrationError(path, "升级后有内容失去了所属的项目")
            connection.exec_driver_sql(f"PRAGMA user_version={int(schema_version)}")
    except MigrationError:
        raise
    except Exception as exc:  # any failure of a migration: rolled back, file unchanged
        raise MigrationError(path, str(exc)) from exc
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
