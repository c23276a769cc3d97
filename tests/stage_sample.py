"""The sample filled with the later stages' data (issue 20), for the tests of the printed
监控 and 自评 forms, their Excel export and the command line: built in the JSON form from
the bundled sample, so every field goes through the importer as a clerk's file would."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from desktop.models.stages import EVALUATE, MONITOR
from desktop.services.documents import create_from_json

SAMPLE_JSON = Path(__file__).parent.parent / "resources" / "sample" / "leting_507002_2022.json"

#: Per project (sample order): 预算执行数 to June, 全年预算数 (None: the 预算数), 全年执行数,
#: 实际完成情况.
PROJECT_DATA = (
    ("4.2", None, "8.5", "保留公务用车全部纳入平台管理，实时监督公务用车使用。"),
    ("70", "180", "150", "完成接待活动85批，较年初目标少5批。"),
    ("160.5", None, "300", "完成综合服务活动210批。"),
)
#: Per indicator of each project: 当前完成值, 全年预计完成值, 完成可能性, 偏差原因, 改进措施,
#: 实际完成值, 达成度, 偏差原因分析及改进措施.
INDICATOR_DATA = (
    (
        ("160辆", "330辆", "确定能", "", "", "330辆", "", ""),
        ("50%", "100%", "确定能", "", "", "100%", "", ""),
        ("进行中", "2022年12月底", "确定能", "", "", "2022年11月底", "", ""),
        ("4%", "8%", "有可能", "经费保障", "压减非必要开支", "9%", "", ""),
        ("初见成效", "推动经济社会快速发展", "确定能", "", "", "达到预期", "达成", ""),
        ("初见成效", "推动生态文明建设", "有可能", "其他", "加强宣传", "部分达到", "部分达成", ""),
        ("94%", "96%", "确定能", "", "", "96%", "", ""),
    ),
    (
        (
            "40批",
            "85批",
            "有可能",
            "其他",
            "疫情期间按规定压减接待活动",
            "85批",
            "",
            (
                "受疫情影响，上级检查和招商接待活动减少，全年完成85批，较目标少5批。"
                "改进措施：合理预计接待规模，按实际需要调整年度指标值。"
            ),
        ),
        ("100%", "100%", "确定能", "", "", "100%", "", ""),
        ("进行中", "2022年12月底", "确定能", "", "", "2022年12月底", "", ""),
        ("5%", "10%", "有可能", "制度保障", "完善签约项目跟踪", "12%", "", ""),
        ("初见成效", "推动经济社会快速发展", "确定能", "", "", "达到预期", "达成", ""),
        ("初见成效", "促进生态文明建设", "确定能", "", "", "达到预期", "达成", ""),
        ("93%", "95%", "确定能", "", "", "97%", "", ""),
    ),
    (
        ("100批", "210批", "确定能", "", "", "210批", "", ""),
        ("96%", "96%", "确定能", "", "", "96%", "", ""),
        ("进行中", "2022年12月底", "确定能", "", "", "2022年12月底", "", ""),
        (
            "3%",
            "8%",
            "完全不可能",
            "经费保障",
            "争取追加预算",
            "6%",
            "",
            "签约项目减少，增长率未达目标。",
        ),
        ("初见成效", "推动经济社会发展", "确定能", "", "", "达到预期", "达成", ""),
        ("初见成效", "促进生态文明建设", "确定能", "", "", "达到预期", "达成", ""),
        ("95%", "95%", "确定能", "", "", "95%", "", ""),
    ),
)
_INDICATOR_FIELDS = (
    "current_value",
    "expected_value",
    "completion_likelihood",
    "deviation_cause",
    "improvement_measures",
    "actual_value",
    "achievement_grade",
    "deviation_analysis",
)
#: The one 目标调整 of the staged sample: 接待管理经费's first indicator, 100批 → 90批.
ADJUSTMENT = {
    "old_text": "100批",
    "new_text": "90批",
    "reason": "疫情防控要求压减接待活动",
    "adjusted_on": "2022-07-15",
}
LONG_TEXT = "因上半年疫情防控，部分服务活动推迟至下半年集中开展，" * 6


def staged_document(stage: str = EVALUATE, *, month: int = 6, extra: int = 0) -> dict[str, Any]:
    """The sample's JSON form at ``stage`` (监控 or 自评) with the data above (a 自评 file
    keeps its 监控 data), ``month`` its 截至 month; ``extra`` more indicators with long
    texts added to the first project (a table over several pages)."""
    document: dict[str, Any] = json.loads(SAMPLE_JSON.read_text("utf-8"))
    declaration = document["declarations"][0]
    declaration["stage"] = stage
    declaration["monitoring_month"] = month
    for project, data, indicators in zip(
        declaration["budget_projects"], PROJECT_DATA, INDICATOR_DATA, strict=True
    ):
        project["executed_to_date"] = data[0]
        if stage == EVALUATE:
            project["annual_budget"], project["annual_executed"] = data[1], data[2]
            project["overall_outcome"] = data[3]
        for indicator, values in zip(project["indicators"], indicators, strict=True):
            for field, value in zip(_INDICATOR_FIELDS, values, strict=True):
                if stage == MONITOR and field in _INDICATOR_FIELDS[5:]:
                    continue
                indicator[field] = value
    first = declaration["budget_projects"][0]
    template = first["indicators"][0]
    for number in range(extra):
        added = copy.deepcopy(template)
        added["uuid"] = f"00000000-0000-4000-8000-{number:012d}"
        added["level3"] = f"补充指标{number + 1}"
        added["description"] = LONG_TEXT
        added["improvement_measures"] = LONG_TEXT
        added["deviation_analysis"] = LONG_TEXT if stage == EVALUATE else ""
        first["indicators"].insert(1, added)
    second = declaration["budget_projects"][1]
    declaration["target_adjustments"] = [
        {
            "uuid": "00000000-0000-4000-9000-000000000001",
            "modified_at": "2022-07-15T08:00:00.000000Z",
            "row_uuid": second["indicators"][0]["uuid"],
            "field": "target_value",
            **ADJUSTMENT,
        }
    ]
    return document


def staged_file(folder: Path, stage: str = EVALUATE, **options: Any) -> Path:
    """A .jxdb file in ``folder`` holding ``staged_document(stage, **options)``."""
    source = folder / f"staged-{stage}.json"
    source.write_text(json.dumps(staged_document(stage, **options), ensure_ascii=False), "utf-8")
    path = folder / f"staged-{stage}.jxdb"
    create_from_json(source, path).close()
    return path
