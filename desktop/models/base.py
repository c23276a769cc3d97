"""Declarative base, constraint naming convention and the column types shared by all models.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import DateTime, MetaData, String, Text, TypeDecorator, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

_ClassT = TypeVar("_ClassT", bound=type)
_ResultT = TypeVar("_ResultT")


def per_class(function: Callable[[_ClassT], _ResultT]) -> Callable[[_ClassT], _ResultT]:
    """``functools.cache`` for a function of a row class, computed once per class. The
    cast keeps the argument's type: typeshed's cache accepts only ``Hashable`` arguments,
    and mypy does not see a class object as hashable when its instances define
    ``__hash__`` (SQLAlchemy's declarative base does)."""
    return cast(Callable[[_ClassT], _ResultT], cache(function))


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every ORM class; its metadata carries the constraint naming convention.

    Column defaults apply when an object is constructed, not only when it is flushed, so
    a new row has its UUID, modification time and empty texts at once (rules and reports
    may see rows that were never saved).
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __init__(self, **kwargs: Any) -> None:
        for key, callable_, value in _defaults(type(self)):
            if key not in kwargs:
                kwargs[key] = value(None) if callable_ else value
        for key, value in kwargs.items():  # what SQLAlchemy's default constructor does
            if not hasattr(type(self), key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {type(self).__name__}")
            setattr(self, key, value)


@per_class
def _defaults(cls: type[Base]) -> tuple[tuple[str, bool, Any], ...]:
    """(column key, is callable, default) of each column of ``cls`` that has a default."""
    found = []
    for column in inspect(cls).columns:
        default = column.default
        if default is not None and (default.is_callable or default.is_scalar):
            found.append((column.key, default.is_callable, default.arg))  # type: ignore[attr-defined]  # is_callable or is_scalar: a default with .arg
    return tuple(found)


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal stored as its exact text (``"184.00"`` stays ``"184.00"``).

    SQLite has no decimal type and SQLAlchemy's ``Numeric`` goes through binary floats
    there, so amounts are stored as TEXT. The text keeps the decimals the clerk typed,
    which is what the printed form shows.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"ExactDecimal needs a Decimal, got {type(value).__name__}")
        return str(value)

    def compare_values(self, x: object, y: object) -> bool:
        """Equal as stored: ``184`` and ``184.00`` are different amounts on the form."""
        return x is y or (isinstance(x, Decimal) and isinstance(y, Decimal) and str(x) == str(y))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation as exc:  # only a hand-edited file can get here
            raise ValueError(f"stored amount is not a decimal: {value!r}") from exc


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC time stored without zone (SQLite keeps none) and returned zone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("modification times must be zone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The current time in UTC, zone-aware, to the microsecond."""
    return datetime.now(UTC)


def new_uuid() -> str:
    """A new random row identity: lowercase UUID4 text, 36 characters."""
    return str(uuid.uuid4())


class SyncedRow:
    """Mixin for rows that travel between offices: a stable UUID and a modification time.

    The UUID identifies the same row in copies of a file held by different offices; the
    modification time (UTC) tells which copy changed last when a file comes back.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    modified_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


@per_class
def content_fields(cls: type[SyncedRow]) -> dict[str, type]:
    """The clerk-visible fields of a row class, in column order, with their Python type.

    Identity and bookkeeping columns (``id``, ``uuid``, ``modified_at``, ``position``,
    foreign keys) are left out. Types are ``str``, ``int``, ``Decimal``
    or ``datetime``. This is the one
    list that the JSON form and the editing services work from (computed once per class:
    callers must not change it).
    """
    fields: dict[str, type] = {}
    for column in inspect(cls).columns:
        if column.key in ("id", "uuid", "modified_at", "position") or column.foreign_keys:
            continue
        if isinstance(column.type, ExactDecimal):
            fields[column.key] = Decimal
        elif isinstance(column.type, UtcDateTime):
            fields[column.key] = datetime
        else:
            fields[column.key] = column.type.python_type
    return fields


@per_class
def owned_collections(cls: type[SyncedRow]) -> dict[str, type[SyncedRow]]:
    """The ordered child lists a row owns (deleted with it): attribute name -> row class."""
    return {
        relation.key: relation.mapper.class_
        for relation in inspect(cls).relationships
        if relation.uselist and relation.cascade.delete_orphan
    }
