"""Excel export per stage (issue 20, item 5): a project sheet of a declaration at 监控 or
自评 carries the stage's fields right of its 申报 table, under the registry's labels, read
back with openpyxl; the 申报 table still reads back as before."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from desktop.exchange.workbook import (
    ROW_CODE,
    ROW_INDICATOR_HEADER,
    ROW_UNIT,
    STAGE_COLUMN,
    stage_indicator_fields,
)
from desktop.exchange.workbook_import import ExportedWorkbook, read_workbook
from desktop.models import BudgetProject
from desktop.models.labels import ROW_KINDS
from desktop.models.stages import EVALUATE, MONITOR
from desktop.services import backups
from desktop.services.documents import write_sample
from desktop.services.excel import export_workbook
from tests.stage_sample import INDICATOR_DATA, PROJECT_DATA, staged_file


def _export(path: Path, out: Path) -> None:
    document = backups.open_file(path)
    try:
        export_workbook(document, out)
    finally:
        document.close()


def test_evaluation_workbook_carries_the_stage_fields(tmp_path: Path) -> None:
    """At 自评 each project sheet has 监控's and 自评's indicator fields beside the rows and
    the project's stage fields with its 执行率 beside the header block; the import still
    reads the 申报 table."""
    out = tmp_path / "e.xlsx"
    _export(staged_file(tmp_path, EVALUATE), out)
    sheet = load_workbook(out)["2.接待管理经费"]
    fields = stage_indicator_fields(EVALUATE)
    assert [f.label for f in fields] == [
        "当前完成值",
        "全年预计完成值",
        "完成可能性",
        "偏差原因",
        "改进措施",
        "实际完成值",
        "达成度",
        "得分",
        "偏差原因分析及改进措施",
    ]
    headers = [sheet.cell(ROW_INDICATOR_HEADER, STAGE_COLUMN + i).value for i in range(len(fields))]
    assert headers == [f.label for f in fields]
    first = [sheet.cell(ROW_INDICATOR_HEADER + 1, STAGE_COLUMN + i).value for i in range(6)]
    assert first == list(INDICATOR_DATA[1][0][:6])
    assert sheet.cell(ROW_UNIT, STAGE_COLUMN).value == "绩效自评表"
    labels = [sheet.cell(ROW_CODE + i, STAGE_COLUMN).value for i in range(5)]
    assert labels == [f.label for f in ROW_KINDS[BudgetProject].stage_fields(EVALUATE)] + ["执行率"]
    values = [sheet.cell(ROW_CODE + i, STAGE_COLUMN + 1).value for i in range(5)]
    assert values[:3] == [70, 180, 150]  # numbers, as the 申报 amounts
    assert values[3] == PROJECT_DATA[1][3]
    assert values[4] == "83.33%"
    assert sheet.page_setup.orientation == "landscape"
    back = read_workbook(out)
    assert isinstance(back, ExportedWorkbook)
    project = back.declaration.budget_projects[1]
    assert project.name == "接待管理经费" and len(project.indicators) == 7
    assert project.indicators[0].target_value == "90批"


def test_monitoring_workbook_has_monitoring_fields_only(tmp_path: Path) -> None:
    """At 监控 the sheet carries 监控's fields, not 自评's; at 申报 nothing right of the table."""
    out = tmp_path / "m.xlsx"
    _export(staged_file(tmp_path, MONITOR), out)
    sheet = load_workbook(out)["1.公务用车北斗定位服务费及平台软件运维费用"]
    fields = stage_indicator_fields(MONITOR)
    headers = [sheet.cell(ROW_INDICATOR_HEADER, STAGE_COLUMN + i).value for i in range(6)]
    assert headers == [f.label for f in fields] + [None]
    assert sheet.cell(ROW_INDICATOR_HEADER + 4, STAGE_COLUMN + 3).value == "经费保障"
    assert sheet.cell(ROW_UNIT, STAGE_COLUMN).value == "绩效运行监控表（截至6月底）"
    assert sheet.cell(ROW_CODE + 1, STAGE_COLUMN).value == "执行率"
    assert sheet.cell(ROW_CODE + 1, STAGE_COLUMN + 1).value == "47.35%"
    declared = tmp_path / "s.xlsx"
    write_sample(tmp_path / "s.jxdb").close()
    _export(tmp_path / "s.jxdb", declared)
    plain = load_workbook(declared)["2.接待管理经费"]
    assert plain.max_column == STAGE_COLUMN - 1
