"""Structured indicators in files: the schema 5 migration fills them, editing keeps the
指标值 text and its fields together (undo included), and the JSON form, merge, compare,
the fingerprint and the file check carry them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.content_words import part_words
from desktop.models import Indicator
from desktop.services import backups, documents, structure
from desktop.services.editing import set_field
from desktop.storage import document as storage
from desktop.storage.errors import DamagedFileError
from tests.conftest import DATA, file_fingerprint


def _indicators(path: Path) -> list[tuple]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(
            "SELECT target_value, indicator_nature, comparison, target_number, unit_of_measure,"
            " direction, weight FROM indicator ORDER BY id"
        ).fetchall()
    finally:
        raw.close()


def test_migration_fills_the_fields_from_the_text(tmp_path: Path) -> None:
    """A schema 4 file opens at schema 5 with every indicator's fields read from its 指标值;
    方向 and 分值 stay empty (their defaults); the content fingerprint does not change."""
    path = tmp_path / "old.jxdb"
    shutil.copy(DATA / "schema-4-sample.jxdb", path)
    printed_before = file_fingerprint(path)  # read-only: migrated in memory, file untouched
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (4,)
    backups.open_file(path).close()
    rows = _indicators(path)
    assert ("≥95%", "定量", "≥", "95", "%", "", None) in rows
    assert ("90批", "定量", "", "90", "批", "", None) in rows
    assert ("2022年12月底", "定性", "", None, "", "", None) in rows
    assert ("推动经济社会快速发展", "定性", "", None, "", "", None) in rows
    assert all(row[5] == "" and row[6] is None for row in rows)
    assert file_fingerprint(path) == printed_before


def test_newer_schema_is_still_refused(tmp_path: Path) -> None:
    """A file stamped with a schema after this program's is refused, untouched."""
    from desktop.storage.errors import NewerSchemaError

    path = tmp_path / "newer.jxdb"
    shutil.copy(DATA / f"schema-{storage.SCHEMA_VERSION}-sample.jxdb", path)
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version={storage.SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(NewerSchemaError):
        storage.check_file(path)


def _first_indicator(document: storage.Document, level3: str) -> Indicator:
    with document.session() as session:
        return session.scalars(select(Indicator).where(Indicator.level3 == level3)).first()


def test_editing_text_and_fields_keeps_them_together_and_undo_restores_wording(
    sample_path: Path,
) -> None:
    """Editing the 指标值 re-reads the fields; editing a sign rewrites the text as the form
    shows it; undoing the step puts back the clerk's own wording exactly."""
    document = storage.open_document(sample_path)
    row = _first_indicator(document, "完成接待活动批次")
    uuid = row.uuid
    typed = set_field(
        document, row_type=Indicator, row_uuid=uuid, field="target_value", value="不低于９５％"
    )
    assert {c.field for c in typed.fields} >= {"target_value", "comparison", "target_number"}
    changed = set_field(document, row_type=Indicator, row_uuid=uuid, field="comparison", value="≤")
    stored = _first_indicator(document, "完成接待活动批次")
    assert (stored.target_value, stored.comparison, stored.target_number) == ("≤95%", "≤", 95)
    structure.apply_changes(document, changed.inverse())
    stored = _first_indicator(document, "完成接待活动批次")
    assert (stored.target_value, stored.comparison) == ("不低于９５％", "≥")
    again = set_field(
        document, row_type=Indicator, row_uuid=uuid, field="target_number", value="95"
    )
    assert not again  # typed again: the wording stays
    with pytest.raises(ValueError, match="不是计算符号"):
        set_field(document, row_type=Indicator, row_uuid=uuid, field="comparison", value="大概")
    with document.session() as session:  # a 定性 row has no number for a sign
        words = session.scalars(
            select(Indicator.uuid).where(Indicator.target_value == "推动经济社会快速发展")
        ).first()
    with pytest.raises(ValueError, match="请先填写“目标数值”"):
        set_field(document, row_type=Indicator, row_uuid=words, field="comparison", value="≥")
    set_field(document, row_type=Indicator, row_uuid=uuid, field="weight", value="20")
    set_field(document, row_type=Indicator, row_uuid=uuid, field="direction", value="反")
    stored = _first_indicator(document, "完成接待活动批次")
    assert (stored.weight, stored.direction) == (Decimal(20), "反向")
    document.close()


def test_paste_sets_number_before_sign_and_unit(sample_path: Path) -> None:
    """A pasted block of sign, number and unit (Excel's column order) rewrites the text;
    a new pasted row gets its text from them too."""
    document = storage.open_document(sample_path)
    row = _first_indicator(document, "完成接待活动批次")
    with document.session() as session:
        project_uuid = session.get(Indicator, row.id).budget_project.uuid
        count = len(session.get(Indicator, row.id).budget_project.indicators)
    fields = ["comparison", "target_number", "unit_of_measure"]
    structure.paste_rows(
        document,
        row_type=Indicator,
        parent_uuid=project_uuid,
        row_uuids=[row.uuid],
        fields=fields,
        values=[["≥", Decimal(100), "批次"], ["＜", Decimal(3), "次"]],
        new_rows_at=count,
    )
    assert _first_indicator(document, "完成接待活动批次").target_value == "≥100批次"
    with document.session() as session:
        added = session.scalars(select(Indicator).order_by(Indicator.id.desc())).first()
        assert (added.target_value, added.comparison, added.unit_of_measure) == (
            "＜3次",
            "＜",
            "次",
        )
    document.close()


def test_json_round_trip_carries_the_fields_and_reads_old_documents(tmp_path: Path) -> None:
    """Export/import keeps 方向 and 分值; a document without the six keys (an older
    program's) imports with them read from the text; contradicting fields are read again."""
    first = documents.write_sample(tmp_path / "a.jxdb")
    with first.session() as session:
        uuid = session.scalars(select(Indicator.uuid).order_by(Indicator.id)).first()
    set_field(first, row_type=Indicator, row_uuid=uuid, field="weight", value="16.67")
    text = documents.export_json_text(first)
    first.close()
    data = json.loads(text)
    indicator = data["declarations"][0]["budget_projects"][0]["indicators"][0]
    assert indicator["weight"] == "16.67"
    for row in data["declarations"][0]["budget_projects"][0]["indicators"]:
        for key in ("indicator_nature", "comparison", "target_number", "unit_of_measure"):
            row.pop(key)
        row.pop("direction")
    data["declarations"][0]["budget_projects"][1]["indicators"][0]["comparison"] = "≤"
    (tmp_path / "old.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    second = documents.create_from_json(tmp_path / "old.json", tmp_path / "b.jxdb")
    back = json.loads(documents.export_json_text(second))
    second.close()
    assert back == json.loads(text)


def test_file_check_refuses_fields_outside_their_domain(tmp_path: Path) -> None:
    """A 计算符号, 性质 or 方向 that is none of the form's is refused with its place."""
    for column, value, words in (
        ("comparison", "~", "计算符号"),
        ("indicator_nature", "半定量", "指标性质"),
        ("direction", "up", "指标方向"),
        ("weight", "1e3", "分值"),
    ):
        path = tmp_path / f"{column}.jxdb"
        shutil.copy(DATA / "schema-5-sample.jxdb", path)
        raw = sqlite3.connect(path)
        raw.execute(f"UPDATE indicator SET {column} = ? WHERE id = 1", (value,))
        raw.commit()
        raw.close()
        with pytest.raises(DamagedFileError) as info:
            storage.check_file(path)
        assert info.value.part is not None and words in part_words(info.value.part)


def test_merge_and_compare_carry_the_chosen_fields(tmp_path: Path) -> None:
    """Another office's 分值 shows in 比较 and merges in; the fields read from the text do
    not add differences of their own."""
    from desktop.services.merging import compare_files

    mine = tmp_path / "mine.jxdb"
    theirs = tmp_path / "theirs.jxdb"
    documents.write_sample(mine).close()
    shutil.copy(mine, theirs)
    other = storage.open_document(theirs)
    row = _first_indicator(other, "完成接待活动批次")
    set_field(other, row_type=Indicator, row_uuid=row.uuid, field="weight", value="20")
    set_field(other, row_type=Indicator, row_uuid=row.uuid, field="target_value", value="≥95批")
    other.close()
    labels = [difference.label for difference in compare_files(mine, theirs)]
    assert "分值" in labels and "指标值" in labels
    assert "目标数值" not in labels and "计算符号" not in labels, labels
