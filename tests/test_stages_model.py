"""The year's stages in files (schema 6, models/stages.py): the migration adds every stage
field empty without changing a file's content, a filled field is content, the JSON form
carries the fields and the 目标调整 and refuses values outside their lists, and a merge
keeps both offices' 目标调整."""

from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.models import TargetAdjustment
from desktop.models.labels import ROW_KINDS
from desktop.models.stages import EVALUATE, MONITOR, stage_fields
from desktop.services import backups
from desktop.storage import document as storage
from desktop.storage.interchange import InterchangeError, fingerprint, load_declarations
from tests.conftest import DATA, file_fingerprint

SAMPLE_JSON = Path(__file__).parent.parent / "resources" / "sample" / "leting_507002_2022.json"


def _sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE_JSON.read_text("utf-8"))
    return document


def test_migration_adds_the_stage_fields_empty_and_keeps_the_content(tmp_path: Path) -> None:
    """A schema 5 file opens at schema 6: each declaration at 申报, every stage field empty,
    no 目标调整, and the content fingerprint as before."""
    path = tmp_path / "old.jxdb"
    shutil.copy(DATA / "schema-5-sample.jxdb", path)
    before = file_fingerprint(path)
    backups.open_file(path).close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (storage.SCHEMA_VERSION,)
        assert raw.execute(
            "SELECT DISTINCT stage, monitoring_month FROM declaration"
        ).fetchall() == [("申报", None)]
        assert raw.execute(
            "SELECT DISTINCT actual_value, score, achievement_grade FROM indicator"
        ).fetchall() == [("", None, "")]
        assert raw.execute("SELECT count(*) FROM target_adjustment").fetchone() == (0,)
    finally:
        raw.close()
    assert file_fingerprint(path) == before


def test_a_filled_stage_field_is_content_and_an_emptied_one_is_not() -> None:
    """Filling an 实际完成值 or moving to 监控 changes the fingerprint; emptying them again
    gives the 申报 fingerprint back (an empty stage field is no content)."""
    (declaration,) = load_declarations(_sample())
    declared = fingerprint(declaration)
    indicator = declaration.budget_projects[0].indicators[0]
    indicator.actual_value = "330辆"
    assert fingerprint(declaration) != declared
    indicator.actual_value = ""
    declaration.stage = MONITOR
    assert fingerprint(declaration) != declared
    declaration.stage = "申报"
    assert fingerprint(declaration) == declared


def test_json_form_carries_stage_data_and_older_documents_import_empty() -> None:
    """A document without the stage keys (an older program's) imports at 申报 with the
    fields empty; one with them keeps each value and its 目标调整."""
    document = _sample()
    unit = document["declarations"][0]
    for key in ("stage", "monitoring_month"):
        del unit[key]
    for project in unit["budget_projects"]:
        for indicator in project["indicators"]:
            del indicator["actual_value"]
    (old,) = load_declarations(json.loads(json.dumps(document)))
    assert (old.stage, old.monitoring_month, old.target_adjustments) == ("申报", None, [])
    assert old.budget_projects[0].indicators[0].actual_value == ""

    document = _sample()
    unit = document["declarations"][0]
    unit |= {"stage": EVALUATE, "monitoring_month": 7}
    project = unit["budget_projects"][0]
    project["annual_executed"] = "41.20"
    first = project["indicators"][0]
    first |= {"actual_value": "330辆", "score": "16.67", "completion_likelihood": "有可能"}
    unit["target_adjustments"] = [
        {
            "uuid": "becfd0e1-f2a3-4145-8a91-a2b3c4d5e6f7",
            "modified_at": "2022-07-15T02:00:00.000000Z",
            "row_uuid": first["uuid"],
            "field": "target_value",
            "old_text": "320辆",
            "new_text": first["target_value"],
            "reason": "车辆编制调整",
            "adjusted_on": "2022-07-15",
        }
    ]
    (new,) = load_declarations(document)
    assert (new.stage, new.monitoring_month) == ("自评", 7)
    assert new.budget_projects[0].annual_executed == Decimal("41.20")
    loaded = new.budget_projects[0].indicators[0]
    assert (loaded.actual_value, loaded.score, loaded.completion_likelihood) == (
        "330辆",
        Decimal("16.67"),
        "有可能",
    )
    (adjustment,) = new.target_adjustments
    assert isinstance(adjustment, TargetAdjustment)
    assert (adjustment.reason, adjustment.adjusted_on) == ("车辆编制调整", "2022-07-15")


@pytest.mark.parametrize(
    ("where", "key", "value", "said"),
    [
        ("declaration", "stage", "终评", "是不认识的值“终评”"),
        ("declaration", "monitoring_month", 13, "应在 1～12 之间"),
        ("indicator", "completion_likelihood", "大概能", "是不认识的值"),
        ("indicator", "achievement_grade", "优", "是不认识的值"),
        ("indicator", "score", "十分", "不是有效的金额或百分比"),
    ],
)
def test_json_form_refuses_stage_values_outside_their_lists(
    where: str, key: str, value: object, said: str
) -> None:
    """A stage value no form has is refused with the place and what is wrong, in Chinese."""
    document = _sample()
    unit = document["declarations"][0]
    row = unit if where == "declaration" else unit["budget_projects"][0]["indicators"][0]
    row[key] = value
    with pytest.raises(InterchangeError, match=said):
        load_declarations(document)


def test_registry_names_each_stage_field_in_the_stage_order() -> None:
    """The registry's stage fields are the model's, in order; 自评 keeps 监控's to read."""
    from desktop.models import BudgetProject, Indicator

    kind = ROW_KINDS[Indicator]
    assert [f.label for f in kind.stage_fields(MONITOR)] == [
        "上年实际",
        "当前完成值",
        "全年预计完成值",
        "完成可能性",
        "偏差原因",
        "改进措施",
    ]
    assert [f.name for f in kind.stage_fields(EVALUATE)][-4:] == [
        "actual_value",
        "achievement_grade",
        "score",
        "deviation_analysis",
    ]
    assert stage_fields(EVALUATE, "budget_project") == (
        "executed_to_date",
        "annual_budget",
        "annual_executed",
        "overall_outcome",
    )
    assert [f.label for f in ROW_KINDS[BudgetProject].stage_fields(MONITOR)] == ["预算执行数"]
    with pytest.raises(ValueError):
        kind.stage_fields("终评")


def test_a_bad_target_adjustment_in_a_file_is_named_in_the_clerks_words(tmp_path: Path) -> None:
    """A 目标调整 row changed by another program is refused naming it as the clerk counts
    it (第1条目标调整的“调整日期”), not as a table row."""
    from desktop.content_words import part_words
    from desktop.storage.errors import DamagedFileError

    path = tmp_path / "odd.jxdb"
    shutil.copy(DATA / "schema-6-sample.jxdb", path)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE target_adjustment SET adjusted_on = '2022-07-15 上午'")
    raw.commit()
    raw.close()
    with pytest.raises(DamagedFileError) as refused:
        storage.check_file(path)
    assert refused.value.part is not None
    assert part_words(refused.value.part).startswith("第1条目标调整的“调整日期”有 13 字")
