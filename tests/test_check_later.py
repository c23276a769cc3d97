"""A big file opened for the window is checked in two parts (issue 18, first paint): its
structure and first unit before it is shown, the rest after, before anything is written.
Real damaged files: a value out of its domain in the unit not shown, and in the one shown."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.content_words import part_words
from desktop.models import Declaration
from desktop.services import editing
from desktop.storage import document as storage
from desktop.storage.errors import DamagedFileError
from tests.conftest import file_digest

#: The budget projects of one unit, by its code (507002 is shown first: file order).
_PROJECTS_OF = (
    "SELECT id FROM budget_project WHERE declaration_id = "
    "(SELECT id FROM declaration WHERE unit_code = '{code}')"
)


def _damage(path: Path, code: str) -> None:
    """An amount NaN in a budget project of unit ``code`` (as another tool could write)."""
    raw = sqlite3.connect(path)
    raw.execute(
        f"UPDATE budget_project SET budget_amount = 'NaN' "
        f"WHERE id = (SELECT min(id) FROM ({_PROJECTS_OF.format(code=code)}))"
    )
    raw.commit()
    raw.close()


@pytest.fixture(autouse=True)
def _every_file_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "CHECK_LATER_BYTES", 0)


def _unit_uuid(document: storage.Document, code: str) -> str:
    with document.session() as session:
        return str(session.query(Declaration.uuid).filter_by(unit_code=code).scalar())


def _unit_name(path: Path, code: str) -> str:
    raw = sqlite3.connect(path)
    try:
        return str(
            raw.execute(
                "SELECT unit_name FROM declaration WHERE unit_code = ?", (code,)
            ).fetchone()[0]
        )
    finally:
        raw.close()


def test_damage_in_a_unit_not_shown_is_refused_before_any_write(two_units_path: Path) -> None:
    """Opened with the first unit checked, editable; an edit of it is held (read back
    through the document, not in the file); the rest's check refuses the file with
    ``check_file``'s message; closing drops the held edit: the file is byte for byte as
    before, no journal left beside it."""
    _damage(two_units_path, "507003")
    with pytest.raises(DamagedFileError) as whole:
        storage.check_file(two_units_path)
    before = file_digest(two_units_path)
    document = storage.open_document(two_units_path, check_later=True)
    try:
        assert document.checking and document.read_only is None
        uuid = _unit_uuid(document, "507002")
        editing.set_field(
            document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="改"
        )
        assert document.holds_edits
        with document.session() as session:  # the document reads its held edit
            assert session.query(Declaration.unit_name).filter_by(uuid=uuid).scalar() == "改"
        assert _unit_name(two_units_path, "507002") != "改"  # the file's readers do not
        with pytest.raises(DamagedFileError) as rest:  # with the held edit's journal beside
            document.check_rest()
        assert (rest.value.problem, rest.value.part) == (whole.value.problem, whole.value.part)
        assert rest.value.part is not None
        assert "预算数" in part_words(rest.value.part) and "第2个单位" in part_words(
            rest.value.part
        )
        assert document.checking  # never made to write
    finally:
        document.close()
    assert file_digest(two_units_path) == before
    assert sorted(p.name for p in two_units_path.parent.iterdir() if "two.jxdb" in p.name) == [
        "two.jxdb"
    ]


def test_edits_held_during_the_check_are_written_once_it_accepts(two_units_path: Path) -> None:
    """Edits (and their undo) made while the rest is checked reach the file in one
    transaction when the check accepts it, with the edit lock; later edits are written at once."""
    document = storage.open_document(two_units_path, check_later=True)
    try:
        uuid = _unit_uuid(document, "507002")
        for value in ("甲", "乙"):
            editing.set_field(
                document, row_type=Declaration, row_uuid=uuid, field="unit_name", value=value
            )
        assert _unit_name(two_units_path, "507002") == "乐亭县机关事务中心"
        assert storage.editing_program(two_units_path) is None  # the lock is held too
        document.check_rest()
        document.rest_checked()
        assert not document.checking and not document.holds_edits
        assert _unit_name(two_units_path, "507002") == "乙"
        assert storage.editing_program(two_units_path) is not None
        editing.set_field(
            document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="丙"
        )
        assert _unit_name(two_units_path, "507002") == "丙"
    finally:
        document.close()
    assert storage.editing_program(two_units_path) is None


def test_held_edits_lost_by_sqlite_are_said_and_never_written_unchecked(
    two_units_path: Path,
) -> None:
    """When SQLite rolled the held transaction back (a write failed midway), the next edit
    is refused with a Chinese message and the transaction begun again: no edit reaches the
    file before the check (a savepoint alone would have committed it)."""
    from desktop.storage.errors import DocumentWriteError

    before = file_digest(two_units_path)
    document = storage.open_document(two_units_path, check_later=True)
    try:
        uuid = _unit_uuid(document, "507002")
        editing.set_field(
            document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="甲"
        )
        held = document._held
        assert held is not None
        held.connection.driver_connection.rollback()  # as SQLite does after SQLITE_FULL
        with pytest.raises(DocumentWriteError) as info:
            editing.set_field(
                document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="乙"
            )
        assert "检查期间记下的修改未能保留" in info.value.message
        editing.set_field(
            document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="丙"
        )
        assert file_digest(two_units_path) == before  # held again, not written
        assert document.holds_edits
    finally:
        document.close()
    assert file_digest(two_units_path) == before


def test_a_unit_chosen_during_the_check_is_checked_before_it_is_shown(
    two_units_path: Path,
) -> None:
    """``check_unit`` checks a unit's rows (once) while the rest is checked: a damaged one
    is refused with the message of the whole check."""
    document = storage.open_document(two_units_path, check_later=True)
    try:
        second = _unit_uuid(document, "507003")
        document.check_unit(second)
        assert second in document.checked_units
    finally:
        document.close()
    _damage(two_units_path, "507003")
    with pytest.raises(DamagedFileError) as whole:
        storage.check_file(two_units_path)
    document = storage.open_document(two_units_path, check_later=True)
    try:
        with pytest.raises(DamagedFileError) as unit:
            document.check_unit(_unit_uuid(document, "507003"))
        assert (unit.value.problem, unit.value.part) == (whole.value.problem, whole.value.part)
    finally:
        document.close()


def test_damage_in_the_unit_shown_is_refused_on_opening(two_units_path: Path) -> None:
    _damage(two_units_path, "507002")
    before = file_digest(two_units_path)
    with pytest.raises(DamagedFileError) as info:
        storage.open_document(two_units_path, check_later=True)
    assert info.value.part is not None
    assert "预算数" in part_words(info.value.part) and "第1个单位" in part_words(info.value.part)
    assert file_digest(two_units_path) == before


def test_a_file_accepted_whole_becomes_editable(two_units_path: Path) -> None:
    document = storage.open_document(two_units_path, check_later=True)
    try:
        assert document.checking and not document.holds_edits
        progress: list[tuple[int, int]] = []
        document.check_rest(lambda done, total: progress.append((done, total)))
        assert progress and progress[-1][0] == progress[-1][1]  # told up to the end
        assert [done for done, _ in progress] == sorted(done for done, _ in progress)
        document.rest_checked()
        assert document.read_only is None and not document.checking
        with document.session() as session:
            uuid = session.query(Declaration.uuid).filter_by(unit_code="507003").scalar()
        editing.set_field(
            document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="改过"
        )
    finally:
        document.close()


def test_a_small_file_is_checked_whole_at_once(
    two_units_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "CHECK_LATER_BYTES", two_units_path.stat().st_size + 1)
    _damage(two_units_path, "507003")
    with pytest.raises(DamagedFileError):
        storage.open_document(two_units_path, check_later=True)


def test_the_unit_checked_first_is_the_one_the_window_shows(two_units_path: Path) -> None:
    """The file's order (fiscal year, unit code), not the order written: the unit added
    second, given the lower code, is shown — and checked — first."""
    from desktop.services.documents import load_declaration

    raw = sqlite3.connect(two_units_path)
    raw.execute("UPDATE declaration SET unit_code = '507001' WHERE unit_code = '507003'")
    raw.commit()
    raw.close()
    document = storage.open_document(two_units_path)
    with document.session() as session:
        shown = load_declaration(session, project_rows=False)
        assert shown is not None and shown.unit_code == "507001"
    document.close()
    _damage(two_units_path, "507001")
    with pytest.raises(DamagedFileError) as info:
        storage.open_document(two_units_path, check_later=True)
    assert info.value.part is not None and "第1个单位" in part_words(info.value.part)
