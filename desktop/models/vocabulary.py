"""The fixed vocabulary of the form: checkpoints and the indicator rows of a blank table.

Source: the 项目绩效目标表 of the reference document (乐亭县 2022), which follows the
provincial template: 产出指标 (数量/质量/时效), 效益指标 (经济/社会/生态), 满意度指标.
Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from collections.abc import Sequence

#: 资金支出计划（%）checkpoints, in order.
DISBURSEMENT_CHECKPOINTS = ("3月底", "6月底", "10月底", "12月底")

#: (level-1, level-2) of the rows a new, blank indicator grid starts with.
TEMPLATE_INDICATOR_ROWS = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "生态效益指标"),
    ("满意度指标", "服务对象满意度指标"),
)

#: Indicator profiles (指标体系), chosen per declaration: level-2 names under each level-1.
#: ``county`` follows the reference document (成本指标 a level-2 of 产出指标);
#: ``central2021`` the 2021 central template, where 成本指标 is a level-1 of its own.
PROFILES: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "county": (
        "县级通用（参照乐亭县2022年文本）",
        {
            "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
            "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
            "满意度指标": ("服务对象满意度指标",),
        },
    ),
    "central2021": (
        "中央部门2021年模板（成本指标为一级指标）",
        {
            "产出指标": ("数量指标", "质量指标", "时效指标"),
            "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
            "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
            "满意度指标": ("服务对象满意度指标",),
        },
    ),
}
DEFAULT_PROFILE = "county"

#: Names seen in real tables, read as the standard name they mean.
SYNONYMS = {
    "环境效益指标": "生态效益指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "效果指标": "效益指标",
}


def profile_levels(profile: str) -> dict[str, tuple[str, ...]]:
    """Level-1 -> allowed level-2 names of a profile (the default for an unknown one)."""
    return PROFILES.get(profile, PROFILES[DEFAULT_PROFILE])[1]


def standard_name(name: str) -> str:
    """The standard indicator name a synonym stands for (the name itself otherwise)."""
    return SYNONYMS.get(name.strip(), name.strip())


#: Every level-1/level-2 pair any profile allows (a union, for display helpers).
LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    level1: tuple(
        dict.fromkeys(n for _, levels in PROFILES.values() for n in levels.get(level1, ()))
    )
    for level1 in dict.fromkeys(l1 for _, levels in PROFILES.values() for l1 in levels)
}

#: The level-1 indicators every project table must have at least one row of.
REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")


def merged_label_runs(labels: Sequence[tuple[str, str]]) -> list[tuple[int, int, int]]:
    """Where a grid merges its label cells, as on paper: (column, first row, last row).

    ``labels`` holds (level-1, level-2) per row. Column 0 merges equal consecutive
    non-empty level-1 cells, column 1 equal level-2 cells within the same level-1. Rows
    are 0-based; only runs of two or more rows are listed.
    """
    runs = []
    for column, keys in ((0, [(l1,) for l1, _ in labels]), (1, list(labels))):
        start = 0
        for row in range(1, len(keys) + 1):
            if row == len(keys) or keys[row] != keys[start]:
                if row - start > 1 and keys[start][-1]:
                    runs.append((column, start, row - 1))
                start = row
    return runs
