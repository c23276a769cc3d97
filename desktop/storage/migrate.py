"""Alembic, configured in code: the schema of a .jxdb file is built and migrated only here.

Decision: no alembic.ini; the script location is this package's ``migrations`` folder,
so the migrations ship inside the installed program. Must not import Qt.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration on our migrations, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    """Run every migration up to the newest on ``connection`` (inside its transaction)."""
    command.upgrade(alembic_config(connection), "head")


def head_revision() -> str:
    """The newest migration's revision identifier."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head
