"""``jixiao score`` on a file without the 自评 data: exit 1, each missing datum named by its
row on standard error, in text and --json; refused input in Chinese without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import file_digest
from tests.test_cli import jixiao

#: The sample at 申报: per project its 全年执行数 and each of its 7 indicators (实际完成值,
#: or the 达成度 of a 定性 or 时效 indicator) are missing: 8 × 3 projects.
MISSING_IN_SAMPLE = 24


def test_score_names_missing_data_and_exits_1(tmp_path: Path) -> None:
    """The unfilled sample: scores there are none, exit 1, every gap named with its row."""
    assert jixiao("sample", "-o", "s.jxdb", cwd=tmp_path).returncode == 0
    before = file_digest(tmp_path / "s.jxdb")
    result = jixiao("score", "s.jxdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "（本单位处于“申报”阶段" in result.stdout
    assert "  预算执行率：— / 10　缺少数据，无法计算执行率" in result.stdout
    assert "等级" not in result.stdout.replace("不评等级", "")
    lines = result.stderr.splitlines()
    assert lines[0] == f"错误：有 {MISSING_IN_SAMPLE} 项数据缺失，得分不完整："
    assert "  项目“接待管理经费”：未填全年执行数（请填写全年执行数）" in lines
    assert "  项目“接待管理经费”第1行指标：未填实际完成值（请填写实际完成值）" in lines
    assert (
        "  项目“接待管理经费”第5行指标：未选达成度（定性指标：请选择达成、部分达成或未达成）"
        in lines
    )
    assert "Traceback" not in result.stderr
    assert file_digest(tmp_path / "s.jxdb") == before  # read only


def test_score_json_lists_missing(tmp_path: Path) -> None:
    """--json: complete false and each gap with its kind, field, row and place; exit 1."""
    assert jixiao("sample", "-o", "s.jxdb", cwd=tmp_path).returncode == 0
    result = jixiao("score", "s.jxdb", "--json", cwd=tmp_path)
    assert result.returncode == 1
    shape = json.loads(result.stdout)
    assert shape["complete"] is False
    assert len(shape["missing"]) == MISSING_IN_SAMPLE
    first = shape["missing"][0]
    assert (first["kind"], first["field"]) == ("annual_executed", "annual_executed")
    assert first["place"] == "项目“公务用车北斗定位服务费及平台软件运维费用”"
    assert first["row_uuid"]
    [declaration] = shape["declarations"]
    assert [p["grade"] for p in declaration["projects"]] == ["", "", ""]
    assert {i["missing"][0]["field"] for p in declaration["projects"] for i in p["indicators"]} == {
        "actual_value",
        "achievement_grade",
    }


def test_score_refused_file_and_declaration(tmp_path: Path) -> None:
    """A file that is not ours, or a unit not in the file: exit 1, Chinese, no traceback."""
    (tmp_path / "x.jxdb").write_text("这不是数据库", encoding="utf-8")
    refused = jixiao("score", "x.jxdb", cwd=tmp_path)
    assert refused.returncode == 1
    assert "不是绩效目标文件" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert jixiao("sample", "-o", "s.jxdb", cwd=tmp_path).returncode == 0
    unknown = jixiao("score", "s.jxdb", "--declaration", "999999", cwd=tmp_path)
    assert unknown.returncode == 1
    assert "没有序号或单位编码为“999999”的单位" in unknown.stderr
    assert "Traceback" not in unknown.stderr
