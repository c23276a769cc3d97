"""Excel export and import (issue: Excel in and out), without the GUI.

Workbooks are made here with openpyxl, as Excel/WPS would store them; LibreOffice, where
installed, saves and prints them as a third program would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Font

from desktop.exchange import workbook_import
from desktop.exchange.errors import WorkbookError
from desktop.exchange.workbook import PART1_SHEET, number_format, sheet_title
from desktop.exchange.workbook_import import (
    ExportedWorkbook,
    IndicatorList,
    cell_text,
    half_width_numbers,
    read_workbook,
)
from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    KeyTask,
)
from desktop.services import excel
from desktop.services.documents import load_declarations
from desktop.services.editing import set_field
from desktop.storage import interchange
from desktop.storage.document import open_document
from desktop.storage.errors import DocumentFileError
from tests.conftest import file_digest, first_declaration
from tests.test_cli import jixiao

SOFFICE = shutil.which("soffice")
SHEET1 = "xl/worksheets/sheet1.xml"
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine"
)


def _content(declaration: Declaration) -> Any:
    """The JSON form without row identities and times; links as project positions."""
    positions = {p.uuid: n for n, p in enumerate(declaration.budget_projects)}

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: positions.get(item) if key == "budget_project_uuid" else strip(item)
                for key, item in value.items()
                if key not in ("uuid", "modified_at", "finding_explanations", "print_records")
            }
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return strip(interchange.dump_row(declaration))


def _export(source: Path, out: Path) -> Path:
    document = open_document(source)
    try:
        excel.export_workbook(document, out)
    finally:
        document.close()
    return out


@pytest.fixture
def sample_xlsx(sample_path: Path, tmp_path: Path) -> Path:
    return _export(sample_path, tmp_path / "sample.xlsx")


def _libreoffice(source: Path, kind: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless (its own profile folder, so runs never clash)."""
    assert SOFFICE is not None
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / f"{source.stem}.{kind}"


# --- export --------------------------------------------------------------------------------


def test_sample_round_trip_is_exact(sample_path: Path, sample_xlsx: Path) -> None:
    """Export then import: every field equal (amounts with their decimals), same fingerprint."""
    original = first_declaration(sample_path)
    content = read_workbook(sample_xlsx)
    assert isinstance(content, ExportedWorkbook)
    assert content.skipped == []
    assert _content(content.declaration) == _content(original)
    assert interchange.fingerprint(content.declaration) == interchange.fingerprint(original)


def test_sample_round_trip_through_the_cli(sample_path: Path, tmp_path: Path) -> None:
    """jixiao export-xlsx, then import-xlsx -o: the new file has the same fingerprint."""
    exported = jixiao("export-xlsx", str(sample_path), "-o", "s.xlsx", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "4 张工作表" in exported.stdout
    imported = jixiao("import-xlsx", "s.xlsx", "-o", "back.jxdb", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "预算项目 3 个" in imported.stdout
    assert interchange.fingerprint(first_declaration(tmp_path / "back.jxdb")) == (
        interchange.fingerprint(first_declaration(sample_path))
    )


def test_export_layout_and_print_setup(sample_xlsx: Path) -> None:
    """One Part 1 sheet and one per project, merged cells, A4 fitted to one page wide with
    the indicator header repeated; amounts are numbers showing their decimals, the plan
    percentages fractions formatted as percent, target values text."""
    book = openpyxl.load_workbook(sample_xlsx)
    assert book.sheetnames == [
        PART1_SHEET,
        "1.公务用车北斗定位服务费及平台软件运维费用",
        "2.接待管理经费",
        "3.综合服务管理经费",
    ]
    sheet = book["2.接待管理经费"]
    assert sheet["A1"].value == "2.接待管理经费绩效目标表"
    assert sheet["A1"].font.b
    assert (sheet["D4"].value, sheet["D4"].number_format) == (184, "0.00")
    assert sheet["B7"].value == pytest.approx(0.3)
    assert sheet["B7"].number_format == "0%"
    assert sheet["J11"].value == "100%"  # a target value stays the text typed
    assert sheet["A3"].border.left.style == "thin"
    assert sheet["A3"].alignment.wrap_text
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:M1", "A4:A5", "B5:M5", "A10:A12", "A13:A15"} <= merged
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$9:$9"
    assert sheet.column_dimensions["A"].width > 10


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, sample_path: Path) -> None:
    """= + - @ at the start of a text are written as text, never as a formula."""
    risky = [
        "=1+1",
        "+86-315",
        "-5%",
        "@SUM(A1)",
        '=HYPERLINK("http://x","y")',
        "=cmd|' /C calc'!A0",
    ]
    document = open_document(sample_path)
    with document.session() as session:
        project = load_declarations(session)[0].budget_projects[0]
        uuids = [i.uuid for i in project.indicators]
        project_uuid = project.uuid
    for uuid, text in zip(uuids, risky, strict=False):
        set_field(document, row_type=Indicator, row_uuid=uuid, field="basis", value=text)
    set_field(document, row_type=BudgetProject, row_uuid=project_uuid, field="name", value="=A1")
    excel.export_workbook(document, tmp_path / "risky.xlsx")
    document.close()
    with zipfile.ZipFile(tmp_path / "risky.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all(b"<f>" not in archive.read(name) for name in sheets)
    back = read_workbook(tmp_path / "risky.xlsx")
    assert isinstance(back, ExportedWorkbook)
    indicators = back.declaration.budget_projects[0].indicators
    assert [i.basis for i in indicators[: len(risky)]] == risky
    assert back.declaration.budget_projects[0].name == "=A1"
    sheet = openpyxl.load_workbook(tmp_path / "risky.xlsx").worksheets[1]
    assert sheet.cell(10, 12).data_type == "s"
    assert sheet.cell(10, 12).quotePrefix


def test_titles_that_look_like_labels_round_trip(tmp_path: Path, sample_path: Path) -> None:
    """An item target or key task named like a form label stays what it is."""

    document = open_document(sample_path)
    with document.session() as session:
        declaration = load_declarations(session)[0]
        item, task = declaration.item_targets[0].uuid, declaration.key_tasks[0].uuid
    set_field(document, row_type=ItemTarget, row_uuid=item, field="title", value="总体绩效目标")
    set_field(document, row_type=KeyTask, row_uuid=task, field="title", value="单位编码")
    excel.export_workbook(document, tmp_path / "labels.xlsx")
    document.close()
    back = read_workbook(tmp_path / "labels.xlsx")
    assert isinstance(back, ExportedWorkbook)
    assert _content(back.declaration) == _content(first_declaration(sample_path))


@pytest.mark.parametrize(
    ("wanted", "taken", "expected"),
    [
        ("1.接待管理经费", set(), "1.接待管理经费"),
        ("1.办公[2022]:采购/维修*?", set(), "1.办公_2022__采购_维修__"),
        ("1." + "很长的项目名称" * 6, set(), ("1." + "很长的项目名称" * 6)[:31]),
        ("'引号'", set(), "引号"),
        ("2.接待", {"2.接待"}, "2.接待（2）"),
        ("2.接待", {"2.接待", "2.接待（2）"}, "2.接待（3）"),
        ("ABC", {"abc"}, "ABC（2）"),
        ("", set(), "预算项目"),
    ],
)
def test_sheet_titles_are_valid_and_unique(wanted: str, taken: set[str], expected: str) -> None:
    title = sheet_title(wanted, taken)
    assert title == expected
    assert len(title) <= 31 and not set("[]:*?/\\") & set(title)


def test_long_and_duplicate_project_names_export(tmp_path: Path, sample_path: Path) -> None:
    """Projects with the same long name get distinct valid sheets and still round-trip."""
    document = open_document(sample_path)
    with document.session() as session:
        uuids = [p.uuid for p in load_declarations(session)[0].budget_projects]
    for uuid in uuids:
        name = "办公楼[东楼]维修改造及设备购置项目/二期：附属设施"
        set_field(document, row_type=BudgetProject, row_uuid=uuid, field="name", value=name)
    excel.export_workbook(document, tmp_path / "long.xlsx")
    with document.session() as session:
        original = load_declarations(session)[0]
        expected = interchange.fingerprint(original)
    document.close()
    names = openpyxl.load_workbook(tmp_path / "long.xlsx").sheetnames
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
    back = read_workbook(tmp_path / "long.xlsx")
    assert isinstance(back, ExportedWorkbook)
    assert interchange.fingerprint(back.declaration) == expected


@pytest.mark.parametrize(
    ("value", "percent", "expected"),
    [
        (Decimal("184.00"), False, "0.00"),
        (Decimal("8.87"), False, "0.00"),
        (Decimal("300"), False, "0"),
        (Decimal("0.123456"), False, "0.000000"),
        (Decimal("30"), True, "0%"),
        (Decimal("30.5"), True, "0.0%"),
    ],
)
def test_number_format_shows_the_typed_decimals(
    value: Decimal, percent: bool, expected: str
) -> None:
    assert number_format(value, percent=percent) == expected


def test_amount_decimals_and_empty_cells_round_trip(tmp_path: Path, sample_path: Path) -> None:
    """0.10, an 18-digit amount, an empty amount and a 12.5% checkpoint come back exactly."""
    document = open_document(sample_path)
    with document.session() as session:
        project = load_declarations(session)[0].budget_projects[0]
        project_uuid, checkpoint = project.uuid, project.disbursement_plan[0].uuid
    for field, value in [
        ("budget_amount", Decimal("123456789012.000001")),
        ("fiscal_funds", None),
        ("other_funds", Decimal("0.10")),
    ]:
        set_field(document, row_type=BudgetProject, row_uuid=project_uuid, field=field, value=value)
    set_field(
        document,
        row_type=DisbursementCheckpoint,
        row_uuid=checkpoint,
        field="cumulative_percent",
        value=Decimal("12.5"),
    )
    excel.export_workbook(document, tmp_path / "amounts.xlsx")
    document.close()
    back = read_workbook(tmp_path / "amounts.xlsx")
    assert isinstance(back, ExportedWorkbook)
    project = back.declaration.budget_projects[0]
    assert str(project.other_funds) == "0.10"
    assert project.fiscal_funds is None
    assert str(project.disbursement_plan[0].cumulative_percent) == "12.5"
    assert str(project.budget_amount) == "123456789012.000001"  # 18 digits: kept as text


@needs_libreoffice
def test_libreoffice_prints_every_cell(sample_xlsx: Path, tmp_path: Path) -> None:
    """The export converted to PDF by LibreOffice shows the text of every cell."""
    pdf = _libreoffice(sample_xlsx, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    book = openpyxl.load_workbook(sample_xlsx)
    missing = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in (None, ""):
                    continue
                shown = cell_text(cell.value, cell.number_format)
                if isinstance(cell.value, float | int) and cell.number_format == "0.00":
                    shown = f"{cell.value:.2f}"
                if re.sub(r"\s+", "", shown) not in flat:
                    missing.append((sheet.title, cell.coordinate, shown))
    assert missing == []


@needs_libreoffice
def test_workbook_saved_by_libreoffice_imports_exactly(
    sample_path: Path, sample_xlsx: Path, tmp_path: Path
) -> None:
    """Our export opened and saved again by another program reads back the same."""
    outdir = tmp_path / "lo"
    outdir.mkdir()
    resaved = _libreoffice(sample_xlsx, "xlsx", outdir)
    back = read_workbook(resaved)
    assert isinstance(back, ExportedWorkbook)
    assert interchange.fingerprint(back.declaration) == (
        interchange.fingerprint(first_declaration(sample_path))
    )


# --- plain indicator lists -----------------------------------------------------------------


def _indicator_list_book(path: Path) -> Path:
    """A clerk's list: a title row, a header in another order with an extra column and
    synonyms, level-1 merged down, a repeated header, odd values, trailing formatting."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "2021年指标"
    sheet["A1"] = "2021年项目绩效指标"
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(
        ["序号", "一级指标", "二级 指标", "三级指标", "指标值\n（绩效标准）", "指标值设定依据",
         "备注", "绩效指标描述"]
    )  # fmt: skip
    rows = [
        [1, "产出指标", "数量指标", "接待批次", "９０批", "年初计划", "x", "完成接待批次"],
        [2, None, "质量指标", "完成率", 1, "工作计划", None, ""],
        [3, None, "时效指标", "完成时间", "2022年12月底", "", None, None],
        [4, "效果指标", "社会效益指标", "保障有力", 0.95, "上年度", None, None],
        ["小计", None, None, None, None, None, None, None],
        ["序号", "一级指标", "二级指标", "三级指标", "指标值", "指标值设定依据", None, None],
        [5, "满意度指标", "服务对象满意度指标", None, None, "只有依据", None, None],
        [6, "满意度指标", "服务对象满意度指标", "满意度", "≥95%", "调查", None, None],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("B4:B6")  # 产出指标 over three rows, as printed tables have it
    sheet["E7"].number_format = "0%"  # 0.95 shown as 95%
    sheet["E5"].number_format = "@"
    for row in range(12, 400):  # trailing formatted, empty rows and columns
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 30).font = Font(bold=True)
    book.save(path)
    return path


def _rewrite_sheet(path: Path, out: Path, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the workbook ``path`` at ``out`` with its first sheet's XML changed."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            copy.writestr(info, change(data) if info.filename == SHEET1 else data)
    return out


def _with_wrong_dimension(path: Path) -> Path:
    """Rewrite the stored sheet dimension to A1:A1, as WPS sometimes leaves it."""

    def shrink(data: bytes) -> bytes:
        data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
        assert count == 1
        return data

    return _rewrite_sheet(path, path.with_name(path.stem + "-wps.xlsx"), shrink)


def _check_indicator_list(found: IndicatorList | ExportedWorkbook) -> None:
    assert isinstance(found, IndicatorList)
    assert found.sheet == "2021年指标"
    assert set(found.columns) == {
        "level1", "level2", "level3", "description", "target_value", "basis"
    }  # fmt: skip
    assert found.rows == [4, 5, 6, 7, 11]
    assert [i["level1"] for i in found.indicators] == [
        "产出指标", "产出指标", "产出指标", "效益指标", "满意度指标"
    ]  # fmt: skip
    assert [i["target_value"] for i in found.indicators] == [
        "90批", "1", "2022年12月底", "95%", "≥95%"
    ]  # fmt: skip
    assert found.indicators[0] == {
        "level1": "产出指标",
        "level2": "数量指标",
        "level3": "接待批次",
        "description": "完成接待批次",
        "target_value": "90批",
        "basis": "年初计划",
    }
    reasons = {(s.row, s.reason[:6]) for s in found.skipped}
    assert (9, "重复的表头（") in reasons
    assert (10, "没有三级指标") in reasons
    assert len(found.skipped) == 2  # 小计 is outside the list's columns: a blank row


def test_indicator_list_is_read_with_merges_synonyms_and_odd_values(tmp_path: Path) -> None:
    _check_indicator_list(read_workbook(_indicator_list_book(tmp_path / "list.xlsx")))


def test_indicator_list_with_a_wrong_stored_dimension(tmp_path: Path) -> None:
    """WPS-style dimension A1:A1 over a larger sheet: all rows are still read."""
    path = _with_wrong_dimension(_indicator_list_book(tmp_path / "list.xlsx"))
    _check_indicator_list(read_workbook(path))


@needs_libreoffice
def test_indicator_list_saved_by_libreoffice(tmp_path: Path) -> None:
    source = _indicator_list_book(tmp_path / "list.xlsx")
    outdir = tmp_path / "lo"
    outdir.mkdir()
    _check_indicator_list(read_workbook(_libreoffice(source, "xlsx", outdir)))


def _formula_list(path: Path, cached: str | None) -> Path:
    """An indicator list whose 指标值 in B2 is the formula =1+1, as openpyxl writes it (no
    stored result), or with ``cached`` as its stored result (as Excel, WPS and LibreOffice
    save it)."""
    book = openpyxl.Workbook()
    book.active.append(["三级指标", "指标值"])
    book.active.append(["完成率", "=1+1"])
    book.active.append(["满意度", "≥95%"])
    book.save(path)
    if cached is not None:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        # openpyxl writes an empty result as <v /> (or <v></v> when lxml is installed)
        parts[sheet], count = re.subn(
            rb"(<f>1\+1</f>)<v\s*/>|(<f>1\+1</f>)<v></v>",
            lambda m: (m.group(1) or m.group(2)) + f"<v>{cached}</v>".encode(),
            parts[sheet],
        )
        assert count == 1
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def test_formula_without_a_stored_result_is_refused(tmp_path: Path, sample_path: Path) -> None:
    """Read, the formula would be an empty 指标值: the import says which cell and what to do,
    and the file imported into is unchanged."""
    path = _formula_list(tmp_path / "公式.xlsx", cached=None)
    with pytest.raises(WorkbookError, match=r"“Sheet”的 B2 是公式.*用 Excel 或 WPS 打开"):
        read_workbook(path)
    before = file_digest(sample_path)
    result = jixiao(
        "import-xlsx", str(path), "--into", str(sample_path), "--project", "1", cwd=tmp_path
    )
    assert result.returncode != 0
    assert "B2 是公式" in result.stderr
    assert file_digest(sample_path) == before


def test_formula_with_its_stored_result_imports_the_result(tmp_path: Path) -> None:
    found = read_workbook(_formula_list(tmp_path / "公式.xlsx", cached="2"))
    assert isinstance(found, IndicatorList)
    assert [i["target_value"] for i in found.indicators] == ["2", "≥95%"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥９５％", "≥95%"),
        ("１，２３４．５元", "1,234.5元"),
        ("完成，按时", "完成，按时"),
        ("＜３天", "<3天"),
    ],
)
def test_half_width_numbers(text: str, expected: str) -> None:
    assert half_width_numbers(text) == expected


def test_indicator_list_into_a_budget_project_via_cli(tmp_path: Path, sample_path: Path) -> None:
    """import-xlsx --into adds to the chosen project in one go, each row with the rows of its
    一级指标 (as on the form); other projects unchanged."""
    source = _indicator_list_book(tmp_path / "list.xlsx")
    before = first_declaration(sample_path)
    result = jixiao("import-xlsx", str(source), "--into", str(sample_path), "--project", "2",
                    cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "将导入 5 条指标" in result.stdout
    assert "第 10 行：没有三级指标" in result.stdout
    after = first_declaration(sample_path)
    rows = after.budget_projects[1].indicators
    old = {i.uuid for i in before.budget_projects[1].indicators}
    added = [i.level3 for i in rows if i.uuid not in old]
    assert added == ["接待批次", "完成率", "完成时间", "保障有力", "满意度"]
    level1s = [i.level1 for i in rows]
    runs = [name for n, name in enumerate(level1s) if n == 0 or level1s[n - 1] != name]
    assert runs == ["产出指标", "效益指标", "满意度指标"]  # each 一级指标 in one block
    assert _content(after)["budget_projects"][0] == _content(before)["budget_projects"][0]


def test_cli_refuses_wrong_target_and_project_number(tmp_path: Path, sample_path: Path) -> None:
    source = _indicator_list_book(tmp_path / "list.xlsx")
    digest = file_digest(sample_path)
    wrong = jixiao("import-xlsx", str(source), "--into", str(sample_path), "--project", "9",
                   cwd=tmp_path)  # fmt: skip
    assert wrong.returncode == 1
    assert "只有 3 个预算项目" in wrong.stderr
    assert wrong.stdout == ""  # no preview promising an import that then fails
    as_new = jixiao("import-xlsx", str(source), "-o", "new.jxdb", cwd=tmp_path)
    assert as_new.returncode == 1 and "这是指标清单" in as_new.stderr
    assert as_new.stdout == ""  # refused before any preview that promises an import
    assert not (tmp_path / "new.jxdb").exists()
    assert file_digest(sample_path) == digest
    (tmp_path / "notes.txt").write_text("重要的笔记", encoding="utf-8")
    overwrite = jixiao("export-xlsx", str(sample_path), "-o", "notes.txt", cwd=tmp_path)
    assert overwrite.returncode == 1 and "不是 Excel 工作簿" in overwrite.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "重要的笔记"


def test_append_indicators_is_one_transaction(tmp_path: Path, sample_path: Path) -> None:
    """A failure while adding leaves the project as it was (all or none)."""
    found = read_workbook(_indicator_list_book(tmp_path / "list.xlsx"))
    assert isinstance(found, IndicatorList)
    found.indicators.append({"level1": "产出指标", "no_such_field": "x"})
    document = open_document(sample_path)
    digest_before = _content(first_declaration(sample_path))
    uuid = excel.budget_project_choices(document)[0][0]
    with pytest.raises(TypeError):
        excel.append_indicators(document, budget_project_uuid=uuid, indicators=found)
    document.close()
    assert _content(first_declaration(sample_path)) == digest_before


# --- bad files -----------------------------------------------------------------------------


def _ole(path: Path, *, encrypted: bool) -> Path:
    """An OLE compound file header (old .xls and password-protected .xlsx both are one)."""
    directory = (
        "EncryptedPackage".encode("utf-16-le") if encrypted else "Workbook".encode("utf-16-le")
    )
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024 + directory + b"\0" * 512)
    return path


def _ods(path: Path) -> Path:
    """The start of an OpenDocument spreadsheet: a zip whose first entry names its type."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def _xml_bomb(path: Path) -> Path:
    """A workbook whose sheet XML carries a billion-laughs entity expansion."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "三级指标"
    book.save(path)
    entities = "".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "lol") * 10}">' for n in range(1, 10)
    )

    def bomb(data: bytes) -> bytes:
        text = data.decode("utf-8").replace("三级指标", "&lol9;")
        text = re.sub(r"^(<\?xml[^>]*\?>)?", rf"\1<!DOCTYPE worksheet [{entities}]>", text)
        return text.encode("utf-8")

    return _rewrite_sheet(path, path.with_name("bomb.xlsx"), bomb)


def _million_empty_rows(path: Path) -> Path:
    """A valid list followed by a million empty, formatted rows (as 'format whole column')."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["三级指标", "指标值"])
    sheet.append(["接待批次", "90批"])
    sheet["A3"].font = Font(bold=True)
    book.save(path)
    empty = b"".join(
        b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>' % (n, n)
        for n in range(4, 1_000_004)
    )
    return _rewrite_sheet(
        path,
        path.with_name("million.xlsx"),
        lambda data: data.replace(b"</sheetData>", empty + b"</sheetData>"),
    )


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda p: (p.write_text("一级指标,三级指标\n", encoding="utf-8"), p)[1],
            "不是 Excel 工作簿",
        ),
        (lambda p: (p.write_bytes(b""), p)[1], "不是 Excel 工作簿"),
        (lambda p: (p.write_bytes(b"PK\x03\x04broken zip"), p)[1], "已损坏"),
        (lambda p: _ole(p, encrypted=True), "设有打开密码"),
        (lambda p: _ole(p, encrypted=False), "另存为“Excel 工作簿（*.xlsx）”"),
        (_xml_bomb, "不安全的 XML"),
        (_ods, "OpenDocument 表格（.ods"),
    ],
    ids=["text", "empty", "broken-zip", "password", "old-xls", "xml-bomb", "ods"],
)
def test_bad_files_are_refused_with_a_message(tmp_path: Path, make: Any, words: str) -> None:
    path = make(tmp_path / "input.xlsx")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert words in caught.value.message


def test_workbook_without_a_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "电话"])
    sheet.append(["张三", "13800000000"])
    book.save(tmp_path / "phones.xlsx")
    with pytest.raises(WorkbookError, match="没有找到可导入的表格"):
        read_workbook(tmp_path / "phones.xlsx")


def test_part_larger_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part that unpacks beyond the limit (a zip bomb) is refused before it is read."""
    monkeypatch.setattr(workbook_import, "MAX_PART_BYTES", 100_000)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for n in range(3000):
        sheet.append(["三级指标", n])
    book.save(tmp_path / "big.xlsx")
    with pytest.raises(WorkbookError, match="解压后超过"):
        read_workbook(tmp_path / "big.xlsx")


def test_million_empty_formatted_rows_read_quickly(tmp_path: Path) -> None:
    """The table above them is read; the walk stops soon after the last value."""
    found = read_workbook(_million_empty_rows(tmp_path / "base.xlsx"))
    assert isinstance(found, IndicatorList)
    assert [i["level3"] for i in found.indicators] == ["接待批次"]


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_bad_files_write_nothing_through_the_cli(tmp_path: Path, sample_path: Path) -> None:
    """A refused workbook leaves the target file and folder as they were (exit code 1)."""
    bad = _ole(tmp_path / "old.xls", encrypted=False)
    digest = file_digest(sample_path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    into = jixiao("import-xlsx", str(bad), "--into", str(sample_path), cwd=tmp_path)
    assert into.returncode == 1 and "旧版 Excel" in into.stderr
    new = jixiao("import-xlsx", str(bad), "-o", "new.jxdb", cwd=tmp_path)
    assert new.returncode == 1
    assert file_digest(sample_path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


def test_cli_asks_which_unit_of_a_file_with_several(tmp_path: Path, two_units_path: Path) -> None:
    """export-xlsx and import-xlsx --into name the units and take --declaration N; check
    heads each unit's findings with its name."""
    ambiguous = jixiao("export-xlsx", str(two_units_path), "-o", "x.xlsx", cwd=tmp_path)
    assert ambiguous.returncode == 1
    assert "有 2 个单位的绩效目标（1. 507002 乐亭县机关事务中心 2022年度；2. 507003" in (
        ambiguous.stderr
    )
    assert not (tmp_path / "x.xlsx").exists()
    chosen = jixiao("export-xlsx", str(two_units_path), "-o", "x.xlsx", "--declaration", "2",
                    cwd=tmp_path)  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    back = read_workbook(tmp_path / "x.xlsx")
    assert isinstance(back, ExportedWorkbook)
    assert back.declaration.unit_name == "乐亭县档案馆"
    listing = _indicator_list_book(tmp_path / "list.xlsx")
    into = jixiao("import-xlsx", str(listing), "--into", str(two_units_path),
                  "--declaration", "2", "--project", "1", cwd=tmp_path)  # fmt: skip
    assert into.returncode == 0, into.stderr
    check = jixiao("check", str(two_units_path), cwd=tmp_path)
    assert "== 1. 507002 乐亭县机关事务中心 2022年度 ==" in check.stdout
    assert "== 2. 507003 乐亭县档案馆 2022年度 ==" in check.stdout


def test_cli_replace_puts_the_list_instead_of_the_indicators(
    tmp_path: Path, sample_path: Path
) -> None:
    listing = _indicator_list_book(tmp_path / "list.xlsx")
    result = jixiao("import-xlsx", str(listing), "--into", str(sample_path), "--project", "1",
                    "--replace", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "的指标已替换为导入的 5 条" in result.stdout
    indicators = first_declaration(sample_path).budget_projects[0].indicators
    assert [i.level3 for i in indicators] == [
        "接待批次",
        "完成率",
        "完成时间",
        "保障有力",
        "满意度",
    ]


def test_workbook_sent_back_merges_with_its_file(sample_path: Path, sample_xlsx: Path) -> None:
    """The import keeps the declaration's and projects' identities: the file made from the
    workbook merges with the original unit by unit (not as a second declaration)."""
    from desktop.services.merging import preview_merge
    from desktop.storage.merge import Status

    book = openpyxl.load_workbook(sample_xlsx)
    book["2.接待管理经费"]["D4"] = 190  # 预算数 changed in Excel
    book.save(sample_xlsx)
    back = sample_xlsx.with_name("sent-back.jxdb")
    excel.create_from_workbook(read_workbook(sample_xlsx), back).close()  # type: ignore[arg-type]
    document = open_document(sample_path)
    try:
        preview = preview_merge(document, [back])
    finally:
        document.close()
    assert preview is not None and preview.skipped == []
    statuses = {item.place: item.status for item in preview.items}
    assert Status.NEW not in statuses.values()
    changed = [place for place, status in statuses.items() if status is not Status.IDENTICAL]
    assert changed == ["项目“接待管理经费”"]


def test_one_project_sheet_of_an_export_is_an_indicator_list(sample_xlsx: Path) -> None:
    """A project sheet copied out of our export alone (no 第一部分) imports as a list:
    the header block above is passed over, merged labels fill every row."""
    book = openpyxl.load_workbook(sample_xlsx)
    for name in book.sheetnames:
        if name != "2.接待管理经费":
            del book[name]
    book.save(sample_xlsx)
    found = read_workbook(sample_xlsx)
    assert isinstance(found, IndicatorList)
    assert found.rows == list(range(10, 17)) and found.skipped == []
    assert [i["level1"] for i in found.indicators] == ["产出指标"] * 3 + ["效益指标"] * 3 + [
        "满意度指标"
    ]
    assert found.indicators[0]["target_value"] == "90批"


def test_text_longer_than_an_excel_cell_is_refused(tmp_path: Path, sample_path: Path) -> None:
    """Excel cells hold 32,767 characters (openpyxl cuts the rest without a word): the export
    names the text and writes nothing, rather than a workbook missing part of it."""
    document = open_document(sample_path)
    with document.session() as session:
        indicator = load_declarations(session)[0].budget_projects[0].indicators[1]
    set_field(document, row_type=Indicator, row_uuid=indicator.uuid, field="basis",
              value="依" * 32768)  # fmt: skip
    with pytest.raises(DocumentFileError, match="第2行指标的“指标值确定依据”有 32768 个字"):
        excel.export_workbook(document, tmp_path / "长.xlsx")
    assert not (tmp_path / "长.xlsx").exists()
    set_field(document, row_type=Indicator, row_uuid=indicator.uuid, field="basis",
              value="依" * 32767)  # fmt: skip
    assert excel.export_workbook(document, tmp_path / "长.xlsx") == 4
    document.close()


def test_columns_not_imported_are_named_in_the_preview(tmp_path: Path) -> None:
    """A header on row 3 with 指标值 and 绩效标准 (both mean 指标值), 备注 and 序号: the
    preview names the columns whose contents are not imported."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某单位绩效指标"])
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(["备注", "指标值", "三级指标", "一级指标", "二级指标", "绩效标准", "序号"])
    sheet.append(["x", 95, "满意度", "满意度指标", "服务对象满意度指标", "≥95%", 1])
    book.save(tmp_path / "mine.xlsx")
    found = read_workbook(tmp_path / "mine.xlsx")
    assert isinstance(found, IndicatorList)
    assert found.ignored == ["备注", "绩效标准", "序号"]
    assert [i["target_value"] for i in found.indicators] == ["95"]
    preview = excel.describe(found)
    assert any(line.startswith("未导入的列：备注、绩效标准、序号") for line in preview)


def test_imported_rows_join_their_level1_group() -> None:
    """Rows go after the last row of their 一级指标 (new ones, and rows without one, at the
    end), in their order; the indices hold as the insertions are made one after another."""
    existing = ["产出指标", "产出指标", "效益指标", "满意度指标"]
    imported = [
        {"level1": "满意度指标", "level3": "甲"},
        {"level1": "产出指标", "level3": "乙"},
        {"level1": "", "level3": "丙"},
        {"level1": "产出指标", "level3": "丁"},
    ]
    placed = excel.place_by_level1(existing, imported)
    rows: list[str] = list(existing)
    for at, group in placed:
        rows[at:at] = [row["level3"] for row in group]
    assert rows == ["产出指标", "产出指标", "乙", "丁", "效益指标", "满意度指标", "甲", "丙"]


def test_preview_reminds_of_rows_without_level1(tmp_path: Path) -> None:
    """A row whose 一级指标 is empty is imported, but the preview says so first."""
    book = openpyxl.Workbook()
    book.active.append(["一级指标", "三级指标", "指标值"])
    book.active.append(["产出指标", "车辆数量", "40辆"])
    book.active.append(["", "车辆完好率", "95%"])
    book.save(tmp_path / "l.xlsx")
    found = read_workbook(tmp_path / "l.xlsx")
    assert isinstance(found, IndicatorList)
    assert "提醒：第 3 行没有一级指标" in "\n".join(excel.describe(found, with_rows=False))


def test_indicator_list_joins_sign_value_and_unit_columns(tmp_path: Path) -> None:
    """Tables that keep 指标性质 (≥), 指标值 and 计量单位 in three columns (井研县马踏镇 2023),
    or 指标值类型 before 指标值 (岳阳楼区 2023), import one 指标值 as the review reads it;
    a unit that contradicts the value stays visible (28.8万元%) for the review to report."""
    from desktop.models.values import parse_target_value

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["一级指标", "二级指标", "三级指标", "指标值类型", "指标性质", "指标值", "计量单位",
         "指标方向性"]
    )  # fmt: skip
    rows = [
        ["产出指标", "数量指标", "村组干部人数", "定量", "≥", 230, "个", "正向指标"],
        ["产出指标", "数量指标", "业务工作支出安排金额", "定量", None, "28.8万元", "%", None],
        ["产出指标", "质量指标", "业务工作支出到位率", "定量", "=", 100, "%", "正向指标"],
        ["效益指标", "社会效益指标", "保证单位正常运转", "定性", "定性", "应保尽保", None, None],
        ["满意度指标", "服务对象满意度指标", "人民群众满意度", "定量", ">=", "95", "%", None],
        ["产出指标", "时效指标", "完成时间", "定量", "≤", "2023年12月底", None, None],
    ]
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "三列.xlsx")
    found = read_workbook(tmp_path / "三列.xlsx")
    assert [i["target_value"] for i in found.indicators] == [
        "≥230个", "28.8万元%", "=100%", "应保尽保", "≥95%", "≤2023年12月底",
    ]  # fmt: skip
    assert parse_target_value(found.indicators[1]["target_value"]).extra_unit == "%"
    assert "指标值类型" in found.ignored and "指标方向性" in found.ignored


def test_indicator_list_with_the_unit_in_a_column_of_its_own(
    tmp_path: Path, sample_path: Path
) -> None:
    """An indicator list that splits the 指标值 into 指标值 and 计量单位 columns (the
    structured field's term as header): each row's value joined with its unit, told in
    the preview, and once added to a project its 计量单位 read as the structured field."""
    from decimal import Decimal

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "计量单位"])
    sheet.append(["产出指标", "数量指标", "接待批次", 90, "批"])
    sheet.append(["产出指标", "质量指标", "验收合格率", "≥95", "%"])
    sheet.append(["效益指标", "社会效益指标", "保障正常运转", "有效保障", None])
    book.save(tmp_path / "两列.xlsx")
    found = read_workbook(tmp_path / "两列.xlsx")
    assert isinstance(found, IndicatorList)
    assert [i["target_value"] for i in found.indicators] == ["90批", "≥95%", "有效保障"]
    assert found.columns["unit_of_measure"] == "计量单位" and "计量单位" not in found.ignored
    preview = "\n".join(excel.describe(found))
    assert "指标值“90”、计量单位“批” → 90批" in preview
    document = open_document(sample_path)
    try:
        uuid = excel.budget_project_choices(document)[0][0]
        excel.append_indicators(document, budget_project_uuid=uuid, indicators=found)
    finally:
        document.close()
    (project,) = [p for p in first_declaration(sample_path).budget_projects if p.uuid == uuid]
    added = {i.level3: i for i in project.indicators}
    assert (added["接待批次"].target_number, added["接待批次"].unit_of_measure) == (
        Decimal(90),
        "批",
    )
    assert (added["验收合格率"].comparison, added["验收合格率"].unit_of_measure) == ("≥", "%")
    assert added["保障正常运转"].unit_of_measure == ""


def _whole_sheet_merged(path: Path) -> Path:
    """An indicator list of 5 KB whose data row is merged over the whole sheet
    (A3:XFD1048576): expanded, it was 17 billion cells (4.9 GB before it was stopped)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["三级指标", "指标值"])
    sheet.append(["接待批次", "90批"])
    sheet["A3"] = "合并"
    book.save(path)
    merge = b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
    return _rewrite_sheet(
        path,
        path.with_name("merged.xlsx"),
        lambda data: data.replace(b"</sheetData>", b"</sheetData>" + merge),
    )


def _many_merged_ranges(path: Path) -> Path:
    """A sheet with 20,000 merged ranges (each cell was looked up among all of them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["三级指标", "指标值"])
    book.save(path)
    ranges = b"".join(b'<mergeCell ref="C%d:D%d"/>' % (n, n) for n in range(1, 20_001))
    merge = b'<mergeCells count="20000">' + ranges + b"</mergeCells>"
    return _rewrite_sheet(
        path,
        path.with_name("ranges.xlsx"),
        lambda data: data.replace(b"</sheetData>", b"</sheetData>" + merge),
    )


def _many_sheets(path: Path, sheets: int, cells: int) -> Path:
    """A workbook of ``sheets`` sheets of ``cells`` filled cells each (10 a row)."""
    book = openpyxl.Workbook(write_only=True)
    for number in range(sheets):
        sheet = book.create_sheet(f"表{number}")
        for row in range(cells // 10):
            sheet.append([row] * 10)
    book.save(path)
    return path


# --- what the clerk sees is what is imported (issue 16) ------------------------------------

STYLES = "xl/styles.xml"


def _with_builtin_formats(path: Path, builtin: dict[str, int]) -> Path:
    """The workbook ``path`` with the custom number formats named in ``builtin`` (format
    code -> numFmtId) replaced by those built-in ids, as Excel and WPS store a built-in
    format: the id on the cell style and no <numFmt> entry (openpyxl always writes one)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    styles = parts[STYLES].decode()
    for code, number in builtin.items():
        escaped = code.replace("&", "&amp;").replace('"', "&quot;")
        match = re.search(
            rf'<numFmt numFmtId="(\d+)" formatCode="{re.escape(escaped)}"\s*/>', styles
        )
        assert match is not None, code
        styles = styles.replace(match.group(0), "")
        styles = styles.replace(f'numFmtId="{match.group(1)}"', f'numFmtId="{number}"')
    parts[STYLES] = styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


#: Placeholder formats turned into the built-in ids zh-CN Excel and WPS use for dates.
_AS_BUILTIN = {"0.0001": 31, "0.00001": 57, "0.000001": 58, "0.0000001": 14, "0.00000001": 27}


def _dated_list(path: Path) -> Path:
    """An indicator list whose 指标值 and 指标值确定依据 hold dates as zh-CN Excel and WPS
    store them: serial numbers under the built-in ids 31, 57, 58, 14, 27 and under custom
    formats (yyyy"年"m"月"d"日", [$-804]…;@ as WPS writes it, [DBNum1]); an amount in a
    #,##0.00 cell; 6923.3552 under 0.00."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"])
    serial = 44926  # 2022-12-31
    rows = [
        ("时效指标", "完成时间", serial, "0.0001"),
        ("时效指标", "完成月份", serial, "0.00001"),
        ("时效指标", "完成日", serial, "0.000001"),
        ("时效指标", "短日期", serial, "0.0000001"),
        ("时效指标", "年月", serial, "0.00000001"),
        ("时效指标", "自定义", serial, 'yyyy"年"m"月"d"日"'),
        ("时效指标", "WPS", serial, '[$-804]yyyy"年"m"月"d"日";@'),
        ("时效指标", "大写", serial, '[DBNum1][$-804]yyyy"年"m"月"d"日"'),
        ("成本指标", "经费", Decimal("6923.3552"), "#,##0.00"),
        ("成本指标", "单价", Decimal("6923.3552"), "0.00"),
    ]
    for level2, level3, value, code in rows:
        sheet.append(["产出指标", level2, level3, value, "年初工作计划"])
        sheet.cell(sheet.max_row, 4).number_format = code
    book.save(path)
    return _with_builtin_formats(path, _AS_BUILTIN)


def test_dates_and_amounts_import_as_the_clerk_wrote_them(tmp_path: Path) -> None:
    """Built-in (31, 57, 58, 14, 27) and custom date formats are dates, written as on the
    form; a number imports as stored, not as rounded by its format; the preview names each
    value whose form changed."""
    found = read_workbook(_dated_list(tmp_path / "dates.xlsx"))
    assert isinstance(found, IndicatorList)
    assert [i["target_value"] for i in found.indicators] == [
        "2022年12月31日",
        "2022年12月",
        "12月31日",
        "2022年12月31日",
        "2022年12月",
        "2022年12月31日",
        "2022年12月31日",
        "2022年12月31日",
        "6923.3552",
        "6923.3552",
    ]
    changes = {(change.row, change.shown, change.imported) for change in found.changes}
    assert (5, "2022/12/31", "2022年12月31日") in changes
    assert (10, "6,923.36", "6923.3552") in changes and (11, "6923.36", "6923.3552") in changes
    assert not any(change.row in (2, 3, 4, 6, 7, 8) for change in found.changes)  # as shown
    preview = "\n".join(excel.describe(found))
    assert "第 10 行“指标值”：6,923.36 → 6923.3552" in preview


@needs_libreoffice
def test_dates_saved_by_libreoffice_import_the_same(tmp_path: Path) -> None:
    """LibreOffice writes the formats as codes of its own (yyyy\\年m\\月d\\日; outside a
    Chinese locale it reads the East Asian ids 27, 57, 58 as a full date): every date
    still comes in as a date, every amount as stored."""
    source = _dated_list(tmp_path / "dates.xlsx")
    outdir = tmp_path / "lo"
    outdir.mkdir()
    first, again = read_workbook(source), read_workbook(_libreoffice(source, "xlsx", outdir))
    assert isinstance(first, IndicatorList) and isinstance(again, IndicatorList)
    values = [i["target_value"] for i in again.indicators]
    assert all(re.fullmatch(r"(2022年)?12月(31日)?", value) for value in values[:8])
    assert [values[i] for i in (0, 3, 5, 6, 7)] == ["2022年12月31日"] * 5
    assert values[8:] == ["6923.3552", "6923.3552"]


def _stored_text(path: Path, sheet: str, cell: str, text: str) -> Path:
    """Set the stored text (<v>) of a number cell, as Excel writes some: 17 digits."""

    def change(data: bytes) -> bytes:
        data, count = re.subn(
            rf'(<c r="{cell}"[^>]*><v>)[^<]*(</v>)'.encode(),
            rb"\g<1>" + text.encode() + rb"\2",
            data,
        )
        assert count == 1
        return data

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[sheet] = change(parts[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_amounts_of_an_export_edited_in_excel_import_exactly(
    sample_path: Path, sample_xlsx: Path
) -> None:
    """预算数 6923.3552 typed into a 0.00 cell of our export comes back as 6923.3552, not
    6923.36: 预算数 = 财政资金 + 其他资金 still holds and review reports no sum error.
    A value Excel stores with 17 digits (2.2999999999999998) is the 2.3 typed."""
    from desktop.review import RuleId, review

    book = openpyxl.load_workbook(sample_xlsx)
    sheet = book["2.接待管理经费"]
    sheet["D4"], sheet["H4"], sheet["L4"] = 6923.3552, 6923.3502, 0.005
    assert sheet["D4"].number_format == "0.00"
    book.save(sample_xlsx)
    sheet_xml = "xl/worksheets/sheet3.xml"
    _stored_text(sample_xlsx, sheet_xml, "L4", "5.0000000000000001E-3")
    back = read_workbook(sample_xlsx)
    assert isinstance(back, ExportedWorkbook)
    project = back.declaration.budget_projects[1]
    assert (project.budget_amount, project.fiscal_funds, project.other_funds) == (
        Decimal("6923.3552"),
        Decimal("6923.3502"),
        Decimal("0.005"),
    )
    assert str(project.other_funds) == "0.005"
    assert not [f for f in review(back.declaration) if f.rule == RuleId.FUNDS_SUM]
    preview = "\n".join(excel.describe(back))
    assert "工作表“2.接待管理经费”D4：6923.36 → 6923.3552" in preview


def _published_list(path: Path) -> Path:
    """A published-style table as Excel keeps it: a title, a two-row header (绩效指标 merged
    over 一级/二级/三级指标; 序号, 指标性质, 指标值, 度量单位 and 指标值确定依据 merged down
    both rows), 一级指标 merged down its rows, separate sign/value/unit columns, and a 序号
    column of =ROW()-3 formulas without stored results (as openpyxl writes them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "绩效目标"
    sheet.append(["2022年度项目绩效目标表"])
    sheet.merge_cells("A1:I1")
    sheet.append(["序号", "绩效指标", None, None, "指标性质", "指标值", "度量单位",
                  "指标值确定依据", "备注"])  # fmt: skip
    sheet.append([None, "一级指标", "二级指标", "三级指标"])
    for cells in ("B2:D2", "A2:A3", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "I2:I3"):
        sheet.merge_cells(cells)
    rows = [
        ["产出指标", "数量指标", "维护监控公车数量", "＝", 325, "辆", "年初工作计划"],
        [None, "质量指标", "项目完成率", "≥", 90, "%", "年初工作计划"],
        [None, "时效指标", "完成时限", "≤", 3, "天", "计划标准"],
        ["效益指标", "社会效益指标", "项目实施达到的效果", None, "推动经济社会快速发展", None,
         "年初工作计划"],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", 0.95, "%", "历史标准"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(["=ROW()-3", *row])
    sheet["F8"].number_format = "0%"
    sheet.merge_cells("B4:B6")
    book.save(path)
    return path


def test_merged_range_over_the_whole_sheet_is_filled_only_where_values_are(
    tmp_path: Path,
) -> None:
    """A merged range is filled within the columns that hold values, and refused (Chinese,
    naming the range) when even that would pass the cells a sheet may have."""
    found = read_workbook(_whole_sheet_merged(tmp_path / "base.xlsx"))
    assert isinstance(found, IndicatorList)
    assert [i["level3"] for i in found.indicators][:2] == ["接待批次", "合并"]
    wide = _rewrite_sheet(
        tmp_path / "merged.xlsx",
        tmp_path / "wide.xlsx",
        # a value in column ZZ: filled, the range would be 702 columns × 5,000 rows
        lambda data: data.replace(
            b'<c r="B2"', b'<c r="ZZ2" t="inlineStr"><is><t>x</t></is></c><c r="B2"'
        ),
    )
    with pytest.raises(WorkbookError, match=r"合并单元格 A3:XFD1048576 太大"):
        read_workbook(wide)


def test_too_many_merged_ranges_are_refused(tmp_path: Path) -> None:
    """More merged ranges than a real sheet has are refused before any cell is looked up."""
    with pytest.raises(WorkbookError, match="有超过 10000 个合并单元格"):
        read_workbook(_many_merged_ranges(tmp_path / "base.xlsx"))


def test_workbook_cells_are_bounded_over_all_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells are counted over the whole workbook and reading stops at the bound (40 sheets
    × 200,000 cells ran for minutes); sheets and their XML are counted before reading."""
    monkeypatch.setattr(workbook_import, "MAX_BOOK_CELLS", 3_000)
    with pytest.raises(WorkbookError, match="这个工作簿（读到工作表“表1”时）有超过 3000 个"):
        read_workbook(_many_sheets(tmp_path / "cells.xlsx", 3, 2_000))
    monkeypatch.setattr(workbook_import, "MAX_SHEETS", 10)
    with pytest.raises(WorkbookError, match="有 12 张工作表"):
        read_workbook(_many_sheets(tmp_path / "sheets.xlsx", 12, 10))
    monkeypatch.setattr(workbook_import, "MAX_SHEETS_BYTES", 50_000)
    with pytest.raises(WorkbookError, match="超过了可导入的上限"):
        read_workbook(_many_sheets(tmp_path / "xml.xlsx", 2, 2_000))


def _sheets_on_one_part(path: Path, out: Path, sheets: int, empty_rows: int) -> Path:
    """The tester's workbook: ``sheets`` more ``<sheet>`` entries in workbook.xml, all
    pointing to the first sheet's part (r:id="rId1"), whose XML gets ``empty_rows`` rows of
    one empty cell (``<c r="A…"/>``, no value)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    listed = "".join(f'<sheet name="S{i}" sheetId="{i + 100}" r:id="rId1"/>' for i in range(sheets))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", listed.encode() + b"</sheets>"
    )
    rows = "".join(f'<row r="{r}"><c r="A{r}"/></row>' for r in range(1_000, 1_000 + empty_rows))
    parts[SHEET1] = parts[SHEET1].replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    return out


def test_sheets_listed_on_one_part_are_refused_before_reading(tmp_path: Path) -> None:
    """990 ``<sheet>`` entries on one part with 400,000 empty cells (a 4 MB file) took two
    minutes of import: two sheets on one part are refused from the workbook's sheet list."""
    base = _many_sheets(tmp_path / "base.xlsx", 1, 10)
    hostile = _sheets_on_one_part(base, tmp_path / "amp.xlsx", 990, 399_000)
    with pytest.raises(WorkbookError, match="有几张工作表指向同一份内容"):
        read_workbook(hostile)


def test_sheets_on_one_part_under_different_ids_are_refused(tmp_path: Path) -> None:
    """The same amplification with one relationship per listed sheet, every one naming
    the same part (relative or package-absolute): the parts, not the ids, are compared."""
    base = _many_sheets(tmp_path / "base.xlsx", 1, 10)
    with zipfile.ZipFile(base) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    rels = "xl/_rels/workbook.xml.rels"
    target = re.search(
        rb'Id="rId1"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="rId1"', parts[rels]
    )
    assert target is not None
    sheet = (target.group(1) or target.group(2)).decode().removeprefix("/xl/")  # worksheets/…
    links = "".join(
        f'<Relationship Id="rAmp{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="{"/xl/" + sheet if i % 2 else sheet}"/>'
        for i in range(50)
    )
    parts[rels] = parts[rels].replace(b"</Relationships>", links.encode() + b"</Relationships>")
    listed = "".join(f'<sheet name="S{i}" sheetId="{i + 100}" r:id="rAmp{i}"/>' for i in range(50))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", listed.encode() + b"</sheets>"
    )
    with zipfile.ZipFile(tmp_path / "ids.xlsx", "w", zipfile.ZIP_DEFLATED) as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    with pytest.raises(WorkbookError, match="有几张工作表指向同一份内容"):
        read_workbook(tmp_path / "ids.xlsx")


def test_the_workbook_sheet_list_counts_against_the_sheet_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheets counted are those workbook.xml lists, not only the zip's members."""
    monkeypatch.setattr(workbook_import, "MAX_SHEETS", 10)
    base = _many_sheets(tmp_path / "base.xlsx", 1, 10)
    with zipfile.ZipFile(base) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    listed = "".join(f'<sheet name="S{i}" sheetId="{i + 9}" r:id="rX{i}"/>' for i in range(11))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", listed.encode() + b"</sheets>"
    )
    with zipfile.ZipFile(tmp_path / "listed.xlsx", "w") as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    with pytest.raises(WorkbookError, match="有 12 张工作表"):
        read_workbook(tmp_path / "listed.xlsx")


def test_empty_cells_count_against_the_cell_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``<c>`` without a value costs reading time like one with: it counts."""
    monkeypatch.setattr(workbook_import, "MAX_CELLS", 1_000)
    base = _many_sheets(tmp_path / "base.xlsx", 1, 10)
    empties = _sheets_on_one_part(base, tmp_path / "empties.xlsx", 0, 1_500)
    with pytest.raises(WorkbookError, match="工作表“表0”有超过 1000 个单元格（含空的）"):
        read_workbook(empties)


def test_two_row_header_and_sign_value_unit_columns(tmp_path: Path) -> None:
    """The real columns under a merged 绩效指标 are read (not 绩效指标 taken for 三级指标),
    ≥ | 90 | % becomes ≥90% as on paper, the 序号 formulas do not block the import, and the
    preview names the columns not imported and each value combined."""
    found = read_workbook(_published_list(tmp_path / "published.xlsx"))
    assert isinstance(found, IndicatorList)
    assert found.rows == [4, 5, 6, 7, 8]
    assert [i["level1"] for i in found.indicators] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]
    assert [i["level3"] for i in found.indicators] == [
        "维护监控公车数量", "项目完成率", "完成时限", "项目实施达到的效果", "服务对象满意度"
    ]  # fmt: skip
    assert [i["target_value"] for i in found.indicators] == [
        "=325辆", "≥90%", "≤3天", "推动经济社会快速发展", "≥95%"
    ]  # fmt: skip
    assert found.indicators[0]["basis"] == "年初工作计划"
    assert found.ignored == ["序号", "备注"]
    assert found.doubts == []
    preview = "\n".join(excel.describe(found))
    assert "未导入的列：序号、备注" in preview
    assert "第 5 行“指标值”：指标性质“≥”、指标值“90”、度量单位“%” → ≥90%" in preview


def _three_row_header(path: Path) -> Path:
    """A header of three rows as provincial forms lay it out: 绩效指标 merged over every
    indicator column; under it 一级/二级/三级指标 merged down two rows and 指标值 merged
    across three columns; under 指标值 its parts 指标性质, 指标值 and 度量单位. 序号 and
    指标值确定依据 are merged down all three rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目绩效目标表"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序号", "绩效指标", None, None, None, None, None, "指标值确定依据"])
    sheet.append([None, "一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append([None, None, None, None, "指标性质", "指标值", "度量单位"])
    for cells in ("B2:G2", "A2:A4", "H2:H4", "B3:B4", "C3:C4", "D3:D4", "E3:G3"):
        sheet.merge_cells(cells)
    rows = [
        [1, "产出指标", "数量指标", "培训人次", "≥", 120, "人次", "年度培训计划"],
        [2, None, "时效指标", "培训完成时间", "≤", 11, "月", "年度培训计划"],
        [3, "满意度指标", "服务对象满意度指标", "参训人员满意度", "≥", 90, "%", "往年调查"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("B5:B6")
    book.save(path)
    return path


def test_three_row_header(tmp_path: Path) -> None:
    """A three-row header is read as one: the columns under 指标值 give sign, value and
    unit, the group titles (绩效指标, 指标值 over its parts) are no rows of data."""
    found = read_workbook(_three_row_header(tmp_path / "three.xlsx"))
    assert isinstance(found, IndicatorList)
    assert found.rows == [5, 6, 7]
    assert [(i["level1"], i["level3"], i["target_value"]) for i in found.indicators] == [
        ("产出指标", "培训人次", "≥120人次"),
        ("产出指标", "培训完成时间", "≤11月"),
        ("满意度指标", "参训人员满意度", "≥90%"),
    ]
    assert found.indicators[0]["basis"] == "年度培训计划"
    assert found.ignored == ["序号"] and found.doubts == []


def test_two_row_header_replaces_through_the_cli(tmp_path: Path, sample_path: Path) -> None:
    """--replace with the published table puts exactly its rows in; the preview printed
    first shows every field of every row as it will be written."""
    listing = _published_list(tmp_path / "published.xlsx")
    result = jixiao("import-xlsx", str(listing), "--into", str(sample_path), "--project", "1",
                    "--replace", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        "第 5 行：产出指标 | 质量指标 | 项目完成率 | （空） | ≥90% | 年初工作计划" in result.stdout
    )
    indicators = first_declaration(sample_path).budget_projects[0].indicators
    assert [(i.level1, i.level3, i.target_value) for i in indicators][:2] == [
        ("产出指标", "维护监控公车数量", "=325辆"),
        ("产出指标", "项目完成率", "≥90%"),
    ]
    assert len(indicators) == 5


def test_replace_by_a_doubtful_list_is_refused(tmp_path: Path, sample_path: Path) -> None:
    """A list whose 三级指标 column holds 一级/二级指标 names (a header misread) does not
    replace a project's indicators: the preview says what to check; the file is unchanged."""
    book = openpyxl.Workbook()
    book.active.append(["指标名称", "指标值"])
    book.active.append(["产出指标", "325辆"])
    book.active.append(["数量指标", "100%"])
    book.save(tmp_path / "odd.xlsx")
    found = read_workbook(tmp_path / "odd.xlsx")
    assert isinstance(found, IndicatorList)
    assert len(found.doubts) == 2
    before = file_digest(sample_path)
    result = jixiao("import-xlsx", "odd.xlsx", "--into", str(sample_path), "--project", "1",
                    "--replace", cwd=tmp_path)  # fmt: skip
    assert result.returncode != 0
    assert "请核对" in result.stdout and "未替换" in result.stderr
    assert file_digest(sample_path) == before


def test_formula_in_a_column_not_imported_does_not_block(tmp_path: Path) -> None:
    """A 序号 column of =ROW()-1 without stored results (as openpyxl and report generators
    write it) is not imported, so it no longer refuses the list; the preview names it."""
    book = openpyxl.Workbook()
    book.active.append(["序号", "三级指标", "指标值"])
    book.active.append(["=ROW()-1", "完成率", "100%"])
    book.active.append(["=ROW()-1", "满意度", "≥95%"])
    book.save(tmp_path / "序号.xlsx")
    found = read_workbook(tmp_path / "序号.xlsx")
    assert isinstance(found, IndicatorList)
    assert [i["target_value"] for i in found.indicators] == ["100%", "≥95%"]
    assert found.ignored == ["序号"]


def test_repeated_two_row_header_is_skipped(tmp_path: Path) -> None:
    """A two-row header repeated down the sheet (as a table printed over pages is kept) is
    skipped, both of its rows, not read as indicators."""
    book = openpyxl.Workbook()
    sheet = book.active
    for first in (1, 4):
        sheet.cell(first, 1, "绩效指标")
        sheet.cell(first, 4, "指标值")
        for column, name in enumerate(("一级指标", "二级指标", "三级指标"), start=1):
            sheet.cell(first + 1, column, name)
        sheet.merge_cells(start_row=first, start_column=1, end_row=first, end_column=3)
        sheet.merge_cells(start_row=first, start_column=4, end_row=first + 1, end_column=4)
        sheet.append(["产出指标", "数量指标", f"第{first}行下的指标", "5个"])
    book.save(tmp_path / "pages.xlsx")
    found = read_workbook(tmp_path / "pages.xlsx")
    assert isinstance(found, IndicatorList)
    assert found.rows == [3, 6]
    assert [s.row for s in found.skipped] == [4, 5]


def test_indicators_beyond_the_bound_of_a_project_are_not_imported(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list that would give a project more indicators than the file check accepts
    (``domains.MAX_LIST_ROWS``) is refused whole: the file keeps its bytes and still opens."""
    monkeypatch.setattr(excel, "MAX_LIST_ROWS", 10)
    found = read_workbook(_indicator_list_book(tmp_path / "list.xlsx"))
    assert isinstance(found, IndicatorList)
    before = file_digest(sample_path)
    document = open_document(sample_path)
    try:
        (choice, _), *_ = excel.budget_project_choices(document, None)
        with pytest.raises(WorkbookError, match="超过了每个项目 10 行的上限，未导入"):
            excel.append_indicators(document, budget_project_uuid=choice, indicators=found)
    finally:
        document.close()
    assert file_digest(sample_path) == before


def test_control_characters_read_from_a_workbook_are_refused_word_breaks_kept_as_lines(
    sample_xlsx: Path, tmp_path: Path
) -> None:
    """Texts read from a workbook holding U+0001 are refused, naming the place, and nothing
    is written (such a file could not be exported); Word's manual line break U+000B
    becomes a line break. (XML cannot carry U+0001 itself; this guards what a reader
    might decode, e.g. Excel's ``_x0001_`` escape.)"""
    content = read_workbook(sample_xlsx)
    assert isinstance(content, ExportedWorkbook)
    content.declaration.unit_name = "乐亭\x01县"
    with pytest.raises(
        WorkbookError, match="部门整体的“单位名称”含有无法打印和导出的控制字符 U\\+0001"
    ):
        excel.create_from_workbook(content, tmp_path / "ctl.jxdb")
    assert not (tmp_path / "ctl.jxdb").exists()
    content = read_workbook(sample_xlsx)
    assert isinstance(content, ExportedWorkbook)
    content.declaration.budget_projects[0].indicators[0].description = "按期\x0b完成"
    excel.create_from_workbook(content, tmp_path / "vt.jxdb").close()
    declaration = first_declaration(tmp_path / "vt.jxdb")
    assert declaration.budget_projects[0].indicators[0].description == "按期\n完成"
