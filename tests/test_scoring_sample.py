"""Issue 20's "Done when" for scoring: a copy of the sample (乐亭县机关事务中心 2022) moved to
自评, with 全年执行数, 实际完成值, 达成度 and one 得分 filled for its three projects, scores
as a reviewer computes by hand — in the program (``project_scores``, what the grid's
tooltip shows) and on the command line (``jixiao score``, text and --json).

The expected figures are worked by hand below (never computed by the code under test).
The default 分值 of each project: 产出指标 50 over 3 rows = 16.67, 16.67, 16.66; 效益指标
30 over 3 = 10 each; 满意度指标 10; 执行率 10.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.models.scoring import project_scores
from desktop.services import documents
from desktop.services.documents import load_declaration
from tests.test_cli import jixiao

D = Decimal

#: What the clerk fills in, per project (by name): the project's fields, then per
#: indicator row (0-based, the sample's order) its fields.
FILLED: dict[str, tuple[dict[str, Any], dict[int, dict[str, Any]]]] = {
    "公务用车北斗定位服务费及平台软件运维费用": (
        {"annual_executed": D("8.5")},  # 全年预算数 left empty: the 预算数 8.87
        {
            0: {"actual_value": "330辆"},  # 维护监控公车数量 325辆
            1: {"actual_value": "98%"},  # 项目完成率 100%
            2: {"actual_value": "2022年11月底"},  # 项目完成时限 2022年12月底
            3: {"actual_value": "6%"},  # 公务用车运行维护费用节约率 ≥8%
            4: {"achievement_grade": "达成"},  # 推动经济社会快速发展
            5: {"achievement_grade": "部分达成"},  # 推动生态文明建设
            6: {"actual_value": "96%"},  # 服务对象满意度 ≥95%
        },
    ),
    "接待管理经费": (
        {"annual_budget": D("190"), "annual_executed": D("195")},
        {
            0: {"actual_value": "72批"},  # 完成接待活动批次 90批
            1: {"actual_value": "100%"},  # 项目完成率 100%
            2: {"actual_value": "2023年1月15日"},  # 项目完成时限 2022年12月底: late
            3: {"achievement_grade": "不适用"},  # 接待活动签约项目资金增长率 ≥10%
            4: {"achievement_grade": "达成"},  # 推动经济社会快速发展
            5: {"achievement_grade": "未达成"},  # 促进生态文明建设
            6: {"actual_value": "90%"},  # 接待对象满意度 ≥95%
        },
    ),
    "综合服务管理经费": (
        {"annual_executed": D("240")},  # of the 预算数 300
        {
            0: {"actual_value": "208批"},  # 做好综合服务活动批次 208批
            1: {"actual_value": "95%"},  # 综合服务完成率 ≥95%
            2: {"actual_value": "2022年12月31日", "score": D("18")},  # the clerk's 得分
            3: {"actual_value": "12%"},  # 签约项目资金增长率 ≥10%
            4: {"achievement_grade": "达成"},
            5: {"achievement_grade": "达成"},
            6: {"actual_value": "98.5%"},  # 服务对象满意度 ≥95%
        },
    ),
}

#: The hand-worked table: per project (执行率 %, 执行率得分, the 7 indicators' 分值,
#: the 7 得分 (None: 不适用), total, grade).
HAND: dict[str, tuple[Decimal, Decimal, list[Decimal], list[Decimal | None], Decimal, str]] = {
    "公务用车北斗定位服务费及平台软件运维费用": (
        D("95.83"),  # 8.5 ÷ 8.87 = 0.958286… → 95.83%
        D("9.58"),  # 0.958286 × 10 = 9.58286 → 9.58
        [D("16.67"), D("16.67"), D("16.66"), D(10), D(10), D(10), D(10)],
        [
            D("16.67"),  # 330 ÷ 325 × 16.67 = 16.9265 → 封顶 16.67
            D("16.34"),  # 98 ÷ 100 × 16.67 = 16.3366 → 16.34
            D("16.66"),  # 2022-11-30 ≤ 2022-12-31: on time, full 16.66
            D("7.50"),  # 6 ÷ 8 × 10 = 7.5
            D(10),  # 达成: full 10
            D(6),  # 部分达成: 60% × 10 = 6
            D(10),  # 96 ÷ 95 × 10 = 10.105 → 封顶 10
        ],
        D("92.75"),  # 9.58 + 16.67 + 16.34 + 16.66 + 7.50 + 10 + 6 + 10 = 92.75
        "优",  # ≥ 90
    ),
    "接待管理经费": (
        D("102.63"),  # 195 ÷ 190 = 1.026315… → 102.63%
        D(10),  # over 100%: the full 10
        # 效益指标 30: row 4 不适用, its 10 to rows 5 and 6 (10 each) in proportion: 15, 15
        [D("16.67"), D("16.67"), D("16.66"), D(10), D(15), D(15), D(10)],
        [
            D("13.34"),  # 72 ÷ 90 × 16.67 = 13.336 → 13.34
            D("16.67"),  # 100 ÷ 100 × 16.67
            D(0),  # 2023-01-15 > 2022-12-31: late, 0
            None,  # 不适用
            D(15),  # 达成: full 15
            D(0),  # 未达成: 0% × 15
            D("9.47"),  # 90 ÷ 95 × 10 = 9.4737 → 9.47
        ],
        D("64.48"),  # 10 + 13.34 + 16.67 + 0 + 15 + 0 + 9.47 = 64.48
        "中",  # 60 ≤ 64.48 < 80
    ),
    "综合服务管理经费": (
        D(80),  # 240 ÷ 300 = 0.8
        D(8),  # 0.8 × 10
        [D("16.67"), D("16.67"), D("16.66"), D(10), D(10), D(10), D(10)],
        [
            D("16.67"),  # 208 ÷ 208 × 16.67
            D("16.67"),  # 95 ÷ 95 × 16.67
            D(18),  # the clerk's 得分 18, above its 分值 16.66: used, flagged
            D(10),  # 12 ÷ 10 × 10 = 12 → 封顶 10
            D(10),  # 达成
            D(10),  # 达成
            D(10),  # 98.5 ÷ 95 × 10 = 10.37 → 封顶 10
        ],
        D("99.34"),  # 8 + 16.67 + 16.67 + 18 + 10 + 10 + 10 + 10 = 99.34
        "优",
    ),
}


def _self_evaluated_sample(path: Path) -> None:
    """A copy of the sample at ``path``, moved to 自评 with ``FILLED`` entered."""
    document = documents.write_sample(path)
    try:
        with document.session() as session:
            declaration = load_declaration(session)
            assert declaration is not None
            declaration.stage = "自评"
            assert [p.name for p in declaration.budget_projects] == list(FILLED)
            for project in declaration.budget_projects:
                fields, rows = FILLED[project.name]
                for name, value in fields.items():
                    setattr(project, name, value)
                for row, values in rows.items():
                    for name, value in values.items():
                        setattr(project.indicators[row], name, value)
    finally:
        document.close()


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "自评.jxdb"
    _self_evaluated_sample(path)
    return path


def test_sample_scores_match_the_hand_worked_table(sample_file: Path) -> None:
    """Every score of the sample's three projects is the hand-worked one."""
    from desktop.storage.document import open_document

    document = open_document(sample_file, read_only=True)
    try:
        with document.session() as session:
            declaration = load_declaration(session)
            assert declaration is not None
            found = {p.name: project_scores(p) for p in declaration.budget_projects}
    finally:
        document.close()
    for name, (rate, execution, weights, scores, total, grade) in HAND.items():
        score = found[name]
        assert (score.execution.rate, score.execution.score) == (rate, execution), name
        assert [i.weight for i in score.indicators if i is not None] == weights, name
        got = [None if i.excluded else i.score for i in score.indicators if i is not None]
        assert got == scores, name
        assert (score.total, score.grade, score.missing) == (total, grade, ()), name
    flagged = [i for i in found["综合服务管理经费"].indicators if i is not None and i.above_weight]
    assert [i.name for i in flagged] == ["项目完成时限"]


def test_sample_scores_on_the_command_line(sample_file: Path) -> None:
    """``jixiao score --json`` gives the hand-worked table too, exit 0 (nothing missing)."""
    result = jixiao("score", str(sample_file), "--json", cwd=sample_file.parent)
    assert result.returncode == 0, result.stderr
    shape = json.loads(result.stdout)
    assert shape["complete"] is True and shape["missing"] == []
    [declaration] = shape["declarations"]
    assert declaration["stage"] == "自评"
    projects = {p["name"]: p for p in declaration["projects"]}
    for name, (rate, execution, weights, scores, total, grade) in HAND.items():
        project = projects[name]
        assert D(project["execution"]["rate_percent"]) == rate
        assert D(project["execution"]["score"]) == execution
        assert [D(i["weight"]) for i in project["indicators"]] == weights
        shown = [None if i["excluded"] else D(i["score"]) for i in project["indicators"]]
        assert shown == scores
        assert (D(project["total"]), project["grade"]) == (total, grade)


def test_sample_scores_as_text(sample_file: Path) -> None:
    """The text names each indicator with its score, 分值 and how it was computed."""
    result = jixiao("score", str(sample_file), cwd=sample_file.parent)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "项目“公务用车北斗定位服务费及平台软件运维费用”" in out
    assert "  预算执行率 95.83%：9.58 / 10　全年执行数 8.5 ÷ 全年预算数 8.87 = 95.83%" in out
    assert (
        "  第1行 维护监控公车数量：16.67 / 16.67　"
        "实际完成值 330辆 ÷ 指标值 325辆 × 分值 16.67 = 16.93，封顶 16.67"
    ) in out
    assert "  第4行 接待活动签约项目资金增长率：不适用 / 10" in out
    assert "原为 10）" in out  # 项目实施达到的效果: its 分值 15 with the 不适用 row's share
    assert "超过分值 16.66，请核对" in out
    assert "  总分 92.75，等级 优" in out
    assert "  总分 64.48，等级 中" in out
    assert "Traceback" not in result.stderr


def test_sample_scores_on_the_printed_form(sample_file: Path) -> None:
    """The printed 绩效自评表 carries the same 得分, totals and grades (``evaluation_figures``
    reads the one scoring)."""
    from pypdf import PdfReader

    result = jixiao(
        "print", str(sample_file), "-o", "自评.pdf", "--form", "自评", cwd=sample_file.parent
    )
    assert result.returncode == 0, result.stderr
    text = "".join(
        "".join(page.extract_text().split())
        for page in PdfReader(sample_file.parent / "自评.pdf").pages
    )
    for _rate, _execution, _weights, _scores, total, grade in HAND.values():
        assert f"{total}" in text and f"自评等级：{grade}" in text
    assert "13.34" in text and "9.47" in text and "16.34" in text  # computed, not typed
