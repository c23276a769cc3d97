"""The fixed vocabulary of the form: checkpoints and the indicator rows of a blank table.

Source: the 项目绩效目标表 of the reference document (乐亭县 2022), which follows the
provincial template: 产出指标 (数量/质量/时效), 效益指标 (经济/社会/生态), 满意度指标.
Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

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

#: The indicator profile: level-2 names allowed under each level-1 (GLOSSARY.md; 成本指标
#: under 产出指标 as in the 2021+ central template, and also as a level-1 of its own there).
LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}

#: The level-1 indicators every project table must have at least one row of.
REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
