"""The later stages' printed forms (issue 20, item 5): the 绩效运行监控表 (A4 landscape), the
绩效自评表 and the 目标调整 record, printed from the sample filled with stage data
(``tests/stage_sample.py``); the page furniture on continuation pages; the refusal of a
stage not reached; ``jixiao print --form``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.models.stages import DECLARE, EVALUATE, MONITOR
from desktop.reports.pdf import PrintError, PrintOptions
from desktop.services import backups
from desktop.services.documents import load_declarations, write_sample
from desktop.services.printing import print_document, print_job_title
from tests.stage_sample import ADJUSTMENT, staged_file
from tests.test_cli import jixiao

PRINTED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _print(path: Path, out: Path, **options: object) -> int:
    document = backups.open_file(path)
    try:
        return print_document(
            document, out, options=PrintOptions(**options), printed_at=PRINTED_AT, record=False
        )
    finally:
        document.close()


def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def monitoring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return staged_file(tmp_path_factory.mktemp("monitor"), MONITOR)


def test_monitoring_form_prints_each_project_landscape(monitoring: Path, tmp_path: Path) -> None:
    """One 监控表 per project on A4 landscape, with the month, the money executed and its
    执行率, each indicator's monitoring values, the footer, then the 目标调整 record."""
    out = tmp_path / "m.pdf"
    pages = _print(monitoring, out, form=MONITOR)
    reader = PdfReader(out)
    assert len(reader.pages) == pages
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, points
    text = _flat("".join(_pages(out)))
    for expected in (
        "1.公务用车北斗定位服务费及平台软件运维费用绩效运行监控表",
        "2.接待管理经费绩效运行监控表",
        "3.综合服务管理经费绩效运行监控表",
        "（2022年度，截至6月底）",
        "截至6月底预算执行数",
        "47.35%",  # 4.2 ÷ 8.87
        "38.04%",  # 70 ÷ 184
        "当前完成值（截至6月底）",
        "全年预计完成值",
        "完全不可能",
        "争取追加预算",
        "填报人",
        "目标调整记录",
        "项目“接待管理经费”第1行指标的“指标值”",
        ADJUSTMENT["old_text"] + ADJUSTMENT["new_text"],
        ADJUSTMENT["reason"],
        ADJUSTMENT["adjusted_on"],
    ):
        assert expected in text, expected
    assert text.index("3.综合服务") < text.index("目标调整记录")  # after the forms
    for number, page in enumerate(_pages(out), start=1):
        assert f"第{number}页共{pages}页" in _flat(page)
        assert "指纹" in page
    assert "实际完成值" not in text  # a 自评 column


def test_monitoring_form_of_chosen_projects_only(monitoring: Path, tmp_path: Path) -> None:
    """A chosen project prints alone; the 目标调整 of another project's row is not printed."""
    document = backups.open_file(monitoring)
    with document.session() as session:
        projects = [p.uuid for p in load_declarations(session)[0].budget_projects]
    document.close()
    out = tmp_path / "one.pdf"
    _print(monitoring, out, form=MONITOR, projects=(projects[0],))
    text = _flat("".join(_pages(out)))
    assert "公务用车北斗定位服务费及平台软件运维费用绩效运行监控表" in text
    assert "接待管理经费绩效运行监控表" not in text
    assert "目标调整记录" not in text
    _print(monitoring, out, form=MONITOR, projects=(projects[1],))
    assert "目标调整记录" in _flat("".join(_pages(out)))


def test_long_monitoring_table_repeats_its_labels(tmp_path: Path) -> None:
    """A project with many long indicators runs over pages: every page of its grid starts
    with the header row, a row split over pages repeats its labels (（续）), the footer
    is on every page."""
    path = staged_file(tmp_path, MONITOR, extra=12)
    out = tmp_path / "long.pdf"
    pages = _print(path, out, form=MONITOR)
    texts = _pages(out)
    assert pages >= 5
    first_project = [t for t in texts if "补充指标" in t]
    assert len(first_project) >= 3
    for text in first_project:
        flat = _flat(text)
        assert flat.index("一级指标") < flat.index("补充指标")  # the header row first
        assert "改进措施" in flat and "年度指标值" in flat
    assert "（续）" in "".join(texts)
    assert all("指纹" in t for t in texts)


def test_form_of_a_stage_not_reached_is_refused(monitoring: Path, tmp_path: Path) -> None:
    """A 申报 file has no 监控表, a 监控 file no 自评表: refused in Chinese, nothing
    written; a later stage still prints the earlier forms."""
    sample = write_sample(tmp_path / "s.jxdb")
    sample.close()
    out = tmp_path / "x.pdf"
    with pytest.raises(PrintError, match="还没有进入“监控”阶段，不能打印绩效运行监控表"):
        _print(tmp_path / "s.jxdb", out, form=MONITOR)
    with pytest.raises(PrintError, match="（监控阶段）还没有进入“自评”阶段"):
        _print(monitoring, out, form=EVALUATE)
    assert not out.exists()
    assert _print(monitoring, out, form=DECLARE) == 5  # the 申报 form, as the sample's


def test_job_title_and_record_name_the_form(monitoring: Path, tmp_path: Path) -> None:
    """The print job is titled by the form; the print record says which form."""
    document = backups.open_file(monitoring)
    try:
        title = print_job_title(document, PrintOptions(form=MONITOR))
        assert title == "绩效运行监控表-乐亭县机关事务中心-2022年"
        print_document(document, tmp_path / "r.pdf", options=PrintOptions(form=MONITOR))
        with document.session() as session:
            records = load_declarations(session)[0].print_records
            assert records[-1].parts == "绩效运行监控表"
    finally:
        document.close()


def test_cli_print_form(monitoring: Path, tmp_path: Path) -> None:
    """--form 监控 prints the 监控表; a stage not reached exits 1 with the reason; an
    unknown form is a usage error (2) listing the forms."""
    printed = jixiao("print", str(monitoring), "-o", "m.pdf", "--form", "监控", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert "已打印" in printed.stdout
    assert "绩效运行监控表" in _flat("".join(_pages(tmp_path / "m.pdf")))
    refused = jixiao("print", str(monitoring), "-o", "e.pdf", "--form", "自评", cwd=tmp_path)
    assert refused.returncode == 1
    assert "错误：乐亭县机关事务中心2022年（监控阶段）还没有进入“自评”阶段" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "e.pdf").exists()
    wrong = jixiao("print", str(monitoring), "-o", "w.pdf", "--form", "月报", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "--form 的值“月报”无效，可选：申报、监控、自评" in wrong.stderr
    assert not (tmp_path / "w.pdf").exists()
    default = jixiao("print", str(monitoring), "-o", "d.pdf", cwd=tmp_path)
    assert default.returncode == 0
    declared = _flat("".join(_pages(tmp_path / "d.pdf")))
    assert "2.接待管理经费绩效目标表" in declared  # the 申报 form by default
    assert "绩效运行监控表" not in declared


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return staged_file(tmp_path_factory.mktemp("evaluate"), EVALUATE)


def test_evaluation_form_prints_each_project(evaluation: Path, tmp_path: Path) -> None:
    """One 自评表 per project on A4 portrait: the money rows (年初预算数, 全年预算数 — the
    declared 预算数 when none is set —, 全年执行数, 分值 10, 执行率, its 得分), 预期目标
    beside 实际完成情况, per indicator 年度指标值, 实际完成值 (with its 达成度), 分值, 得分
    and 偏差原因分析及改进措施, the 总分 row; then the 目标调整 record."""
    out = tmp_path / "e.pdf"
    pages = _print(evaluation, out, form=EVALUATE)
    reader = PdfReader(out)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595,
            842,
        )
    texts = _pages(out)
    text = _flat("".join(texts))
    for expected in (
        "1.公务用车北斗定位服务费及平台软件运维费用绩效自评表",
        "（2022年度）",
        "年初预算数全年预算数全年执行数分值执行率得分",
        "年度资金总额8.878.878.51095.83%9.58",  # 8.5 ÷ 8.87, × 10
        "年度资金总额184.001801501083.33%8.33",  # 全年预算数 180 typed
        "预期目标：",
        "实际完成情况：完成接待活动85批，较年初目标少5批。",
        "实际完成值分值得分偏差原因分析及改进措施",
        "达到预期（达成）",
        "部分达到（部分达成）",
        "受疫情影响，上级检查和招商接待活动减少",
        "总分10095.58自评等级：优",  # as jixiao score computes them (scoring.project_scores)
        "总分10097.4自评等级：优",
        "总分10096自评等级：优",
        "85批16.6715.74",  # 85 ÷ 90 × 16.67
        "目标调整记录",
    ):
        assert expected in text, expected
    assert text.index("3.综合服务管理经费绩效自评表") < text.index("目标调整记录")
    for number, page in enumerate(texts, start=1):
        assert f"第{number}页共{pages}页" in _flat(page)
    assert "当前完成值" not in text  # a 监控 column


def test_long_evaluation_table_repeats_its_labels(tmp_path: Path) -> None:
    """A 自评表 over several pages: the header row on each, labels repeated (（续）), the
    总分 row after the last indicator."""
    path = staged_file(tmp_path, EVALUATE, extra=12)
    out = tmp_path / "long.pdf"
    _print(path, out, form=EVALUATE)
    pages = _pages(out)
    texts = [t for t in pages if "补充指标" in t]
    assert len(texts) >= 3
    for text in texts:
        flat = _flat(text)
        assert flat.index("一级指标") < flat.index("补充指标")
        assert "偏差原因分析及改进措施" in flat
    assert "（续）" in "".join(texts)
    last_extra = max(n for n, t in enumerate(pages) if "补充指标" in t)
    first_total = min(n for n, t in enumerate(pages) if "总分" in _flat(t))
    assert first_total >= last_extra  # under the first project's last indicator


def test_evaluation_form_with_not_applicable_and_missing_data(tmp_path: Path) -> None:
    """A 不适用 indicator prints — for 分值 and 得分 (its 分值 re-spread); a missing 实际完成值
    leaves its 得分 empty, the 总分 — and the grade 未评, saying how many data are missing."""
    import json

    from desktop.services.documents import create_from_json
    from tests.stage_sample import staged_document

    document = staged_document(EVALUATE)
    indicators = document["declarations"][0]["budget_projects"][0]["indicators"]
    indicators[5]["achievement_grade"] = "不适用"  # 节能减排
    indicators[0]["actual_value"] = ""  # 维护监控公车数量
    source = tmp_path / "d.json"
    source.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    create_from_json(source, tmp_path / "d.jxdb").close()
    out = tmp_path / "d.pdf"
    _print(tmp_path / "d.jxdb", out, form=EVALUATE)
    first = _flat(_pages(out)[0])
    assert "节能减排推动生态文明建设部分达到（不适用）——" in first
    assert "维护监控公车数量325辆16.67" in first and "维护监控公车数量325辆16.6716.67" not in first
    assert "自评等级：未评（缺1项数据）" in first
    assert re.search(r"总分100—自评等级：未评", first), "no partial 总分 beside 未评"


def test_adjusted_place_names_row_and_field(monitoring: Path) -> None:
    """The 调整栏目 of a record: the row and the field's term; a row since removed is said
    to be so, its field still named by its term."""
    from desktop.models import TargetAdjustment
    from desktop.reports.stage_forms import adjusted_place

    document = backups.open_file(monitoring)
    with document.session() as session:
        declaration = load_declarations(session)[0]
    document.close()
    project = declaration.budget_projects[2]
    on_project = TargetAdjustment(row_uuid=project.uuid, field="budget_amount")
    assert adjusted_place(declaration, on_project) == "项目“综合服务管理经费”的“预算数”"
    gone = TargetAdjustment(row_uuid="00000000-0000-4000-8000-ffffffffffff", field="target_value")
    assert adjusted_place(declaration, gone) == "（已删除的行）的“指标值”"
