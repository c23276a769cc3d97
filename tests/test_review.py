"""Review rules: for each, a declaration that passes and one that fails it."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from desktop import paths
from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    FindingExplanation,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    PendingInput,
)
from desktop.review import RULES, FindingStatus, RuleId, Severity, review, status_counts
from desktop.storage.interchange import load_declarations


def good() -> Declaration:
    """A small declaration that every rule accepts."""
    project = BudgetProject(
        code="13022523P001",
        name="公务用车运维",
        budget_amount=Decimal("10.00"),
        fiscal_funds=Decimal("8.00"),
        other_funds=Decimal("2.00"),
        use_of_funds="用于车辆定位服务",
        performance_target="车辆全部纳入平台管理",
        disbursement_plan=[
            DisbursementCheckpoint(label=label, cumulative_percent=Decimal(p))
            for label, p in (("3月底", "30"), ("6月底", "60"), ("10月底", "80"), ("12月底", "100"))
        ],
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", level3="监控车辆数", description="纳入平台的车辆", target_value="325辆", basis="年初工作计划"),
            Indicator(level1="产出指标", level2="质量指标", level3="完成率", description="按时按质完成的比例", target_value="100%", basis="年初工作计划"),
            Indicator(level1="产出指标", level2="时效指标", level3="完成时限", description="全年完成", target_value="2023年12月底", basis="年初工作计划"),
            Indicator(level1="产出指标", level2="成本指标", level3="运维成本", description="全年运维费用", target_value="≤10万元", basis="预算"),
            Indicator(level1="效益指标", level2="社会效益指标", level3="监管效果", description="违规用车减少", target_value="明显减少", basis="历史标准"),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="服务对象满意度", description="问卷调查", target_value="≥95%", basis="行业标准"),
        ],
    )  # fmt: skip
    return Declaration(
        unit_code="507002",
        unit_name="乐亭县机关事务中心",
        fiscal_year=2023,
        total_budget=Decimal("10.00"),
        overall_target="保障公务用车规范运行。",
        safeguard_measures="加强制度建设，落实责任。",
        key_tasks=[KeyTask(title="公务用车管理", body="车辆全部纳入平台管理。")],
        budget_projects=[project],
        item_targets=[
            ItemTarget(
                title="公务用车运维",
                budget=Decimal("10"),
                budget_project=project,
                statements=[
                    ItemTargetStatement(level1="产出指标", level2="数量指标", text="监控车辆：年度指标值325辆"),
                    ItemTargetStatement(level1="满意度指标", level2="", text="满意程度：年度指标值不低于95%。"),
                ],
            )
        ],
    )  # fmt: skip


def _project(d: Declaration) -> BudgetProject:
    return d.budget_projects[0]


def _indicator(d: Declaration, level2: str) -> Indicator:
    return next(i for i in _project(d).indicators if i.level2 == level2)


def test_the_good_declaration_passes_every_rule() -> None:
    """The baseline the failing cases below start from has no finding at all."""
    assert review(good()) == []


Breaker = Callable[[Declaration], None]


def _refuse(d: Declaration, text: str) -> None:
    """``text`` typed into 10月底 and refused, kept in the file (services/pending.py)."""
    checkpoint = _project(d).disbursement_plan[2]
    checkpoint.uuid = "c0000000-0000-4000-8000-000000000010"
    d.pending_inputs.append(
        PendingInput(row_table="disbursement_checkpoint", row_uuid=checkpoint.uuid,
                     field="cumulative_percent", text=text, reason="应在 0～100% 之间。")
    )  # fmt: skip


def _set(getter: Callable[[Declaration], object], field: str, value: object) -> Breaker:
    return lambda d: setattr(getter(d), field, value)


CASES: list[tuple[str, Severity, str, Breaker]] = [
    (RuleId.FUNDS_SUM, Severity.ERROR, "不符", _set(_project, "other_funds", Decimal("1"))),
    (RuleId.SIGN, Severity.ERROR, "负数", _set(_project, "other_funds", Decimal("-2"))),
    (RuleId.SIGN, Severity.ERROR, "预算数为 0", lambda d: (
        setattr(_project(d), "budget_amount", Decimal(0)),
        setattr(_project(d), "fiscal_funds", Decimal(0)),
        setattr(_project(d), "other_funds", None),
    )),
    (RuleId.TOTAL_VS_PROJECTS, Severity.WARNING, "合计 10.00", lambda d: setattr(d, "total_budget", Decimal("12"))),
    (RuleId.TOTAL_VS_PROJECTS, Severity.WARNING, "没有任何预算项目", lambda d: (d.budget_projects.clear(), d.item_targets.clear())),
    (RuleId.AMOUNT_UNIT, Severity.WARNING, "按“元”填写", lambda d: setattr(d, "total_budget", Decimal("100000"))),
    (RuleId.PLAN, Severity.ERROR, "不在 0～100%", lambda d: setattr(_project(d).disbursement_plan[0], "cumulative_percent", Decimal("150"))),
    (RuleId.PLAN, Severity.ERROR, "不能减少", lambda d: setattr(_project(d).disbursement_plan[2], "cumulative_percent", Decimal("50"))),
    (RuleId.PLAN, Severity.ERROR, "应为 100%", lambda d: setattr(_project(d).disbursement_plan[3], "cumulative_percent", Decimal("90"))),
    (RuleId.PLAN, Severity.ERROR, "未填", lambda d: setattr(_project(d).disbursement_plan[1], "cumulative_percent", None)),
    (RuleId.FIELDS, Severity.ERROR, "必填项", lambda d: setattr(d, "unit_code", " ")),
    (RuleId.FIELDS, Severity.ERROR, "必填项", _set(_project, "performance_target", "")),
    (RuleId.FIELDS, Severity.ERROR, "申请预算资金", lambda d: setattr(d, "total_budget", None)),
    (RuleId.FIELDS, Severity.WARNING, "资金用途", _set(_project, "use_of_funds", "")),
    (RuleId.LEVEL1, Severity.ERROR, "缺少“效益指标”", lambda d: _project(d).indicators.pop(4)),
    (RuleId.INDICATOR_ROWS, Severity.WARNING, "空行", lambda d: _project(d).indicators.append(Indicator(level1="产出指标", level2="数量指标"))),
    (RuleId.INDICATOR_TWICE, Severity.WARNING, "第1行与第7行的三级指标相同（“监控车辆数”，产出指标／数量指标），请删去重复的一行或改写其中一行", lambda d: _project(d).indicators.append(Indicator(level1="产出指标", level2="数量指标", level3="监控车辆数", description="纳入平台的车辆", target_value="325辆", basis="年初工作计划"))),
    (RuleId.INDICATOR_ROWS, Severity.ERROR, "缺少指标值", lambda d: setattr(_indicator(d, "数量指标"), "target_value", "")),
    (RuleId.LEVELS, Severity.ERROR, "不属于“产出指标”", lambda d: setattr(_indicator(d, "数量指标"), "level2", "经济效益指标")),
    (RuleId.LEVELS, Severity.ERROR, "所选指标体系中", lambda d: setattr(_indicator(d, "社会效益指标"), "level1", "其他指标")),
    (RuleId.LEVELS, Severity.ERROR, "缺少一级指标，应为：产出指标", lambda d: setattr(_indicator(d, "社会效益指标"), "level1", "")),
    (RuleId.LEVELS, Severity.WARNING, "写成了指标体系的名称", lambda d: setattr(_indicator(d, "数量指标"), "level3", "数量指标")),
    (RuleId.LEVELS, Severity.HINT, "即“生态效益指标”", lambda d: setattr(_indicator(d, "社会效益指标"), "level2", "环境效益指标")),
    (RuleId.LEVELS, Severity.ERROR, "不属于“产出指标”", lambda d: (setattr(d, "profile", "central2021"), setattr(_indicator(d, "成本指标"), "level2", "成本指标"))),
    (RuleId.SATISFACTION, Severity.WARNING, "是满意度指标", lambda d: setattr(_indicator(d, "社会效益指标"), "level3", "群众满意度")),
    (RuleId.LIBRARY_PLACE, Severity.HINT, "在指标库中属于“产出指标／数量指标”", lambda d: setattr(_indicator(d, "社会效益指标"), "level3", "参训人数")),
    (RuleId.KIND, Severity.WARNING, "带计量单位", lambda d: setattr(_indicator(d, "数量指标"), "target_value", "较多")),
    (RuleId.KIND, Severity.WARNING, "缺少计量单位", lambda d: setattr(_indicator(d, "数量指标"), "target_value", "325")),
    (RuleId.KIND, Severity.WARNING, "满意度应为百分比", lambda d: setattr(_indicator(d, "服务对象满意度指标"), "target_value", "满意")),
    (RuleId.KIND, Severity.WARNING, "是比率", lambda d: setattr(_indicator(d, "质量指标"), "target_value", "≥90")),
    (RuleId.KIND, Severity.WARNING, "没有金额单位", lambda d: setattr(_indicator(d, "成本指标"), "target_value", "250")),
    (RuleId.TIME, Severity.WARNING, "不在预算年度 2023 年", lambda d: setattr(_indicator(d, "时效指标"), "target_value", "2022年12月底")),
    (RuleId.UNIT, Severity.WARNING, "矛盾", lambda d: setattr(_indicator(d, "质量指标"), "target_value", "28.8万元%")),
    (RuleId.INPUT, Severity.WARNING, "资金投入", lambda d: setattr(_indicator(d, "数量指标"), "target_value", "28.8万元")),
    (RuleId.PART1, Severity.ERROR, "工作保障措施", lambda d: setattr(d, "safeguard_measures", "")),
    (RuleId.KIND, Severity.WARNING, "时效指标应为时间", lambda d: setattr(_indicator(d, "时效指标"), "target_value", "及时")),
    (RuleId.KIND, Severity.WARNING, "可衡量的数值", lambda d: setattr(_indicator(d, "质量指标"), "target_value", "质量较好")),
    (RuleId.RATE, Severity.ERROR, "超过了 100%", lambda d: setattr(_indicator(d, "质量指标"), "target_value", "120%")),
    (RuleId.COST, Severity.ERROR, "超过了项目预算数", lambda d: setattr(_indicator(d, "成本指标"), "target_value", "≤120000元")),
    (RuleId.PASTED, Severity.HINT, "4 个不同的指标", lambda d: [
        setattr(_indicator(d, level2), "target_value", "≥95%")
        for level2 in ("数量指标", "质量指标", "时效指标")
    ]),
    (RuleId.DESCRIPTION, Severity.HINT, "1 个指标", lambda d: setattr(_indicator(d, "数量指标"), "description", "监控车辆数")),
    (RuleId.ACTUAL, Severity.WARNING, "完成值", lambda d: setattr(d.item_targets[0].statements[1], "text", "满意程度：年度指标值不低于95%，完成值95%。")),
    (RuleId.ITEM_NAME, Severity.HINT, "名称", lambda d: setattr(d.item_targets[0], "title", "车辆经费")),
    (RuleId.ITEM_BUDGET, Severity.ERROR, "不一致", lambda d: setattr(d.item_targets[0], "budget", Decimal("12"))),
    (RuleId.ITEM_UNLINKED, Severity.WARNING, "未关联预算项目", lambda d: setattr(d.item_targets[0], "budget_project", None)),
    (RuleId.ITEM_MISSING, Severity.WARNING, "没有对应的分项目标", _set(lambda d: d.item_targets[0], "budget_project", None)),
    (RuleId.ITEM_VALUES, Severity.WARNING, "325辆", lambda d: setattr(d.item_targets[0].statements[0], "text", "监控车辆：年度指标值300辆")),
    (RuleId.CODES_UNIQUE, Severity.ERROR, "重复", lambda d: d.budget_projects.append(BudgetProject(code="13022523P001", name="另一项目", budget_amount=Decimal(0)))),
    (RuleId.CODES_YEAR, Severity.WARNING, "年份“22”", _set(_project, "code", "13022522P001")),
    (RuleId.REFUSED_INPUT, Severity.ERROR, "输入“120”未被接受，文件中和打印的是 80%", lambda d: _refuse(d, "120")),
    (RuleId.STRUCTURED, Severity.WARNING, "含有数字，却读不出一个目标数值", lambda d: setattr(_indicator(d, "质量指标"), "target_value", "90%-95%")),
    (RuleId.STRUCTURED, Severity.WARNING, "与指标值“325辆”不一致", lambda d: setattr(_indicator(d, "数量指标"), "comparison", "≤")),
    (RuleId.WEIGHTS, Severity.WARNING, "各指标分值合计 95 分，应为 90 分", lambda d: setattr(_indicator(d, "服务对象满意度指标"), "weight", Decimal("15"))),
    (RuleId.CONTROL, Severity.ERROR, "含有无法打印和导出的控制字符 U+0001，请删除", lambda d: setattr(d, "unit_name", "乐亭\u0001县")),
    (RuleId.CONTROL, Severity.ERROR, "控制字符 U+0008、U+FFFF", lambda d: setattr(_indicator(d, "数量指标"), "description", "按\b期\uffff完成")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule_id", "severity", "words", "breaker"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_reports_the_broken_declaration(rule_id: str, severity: Severity, words: str, breaker: Breaker) -> None:  # fmt: skip
    """Breaking one thing makes its rule report it, with the severity and a Chinese message."""
    declaration = good()
    breaker(declaration)
    found = [f for f in RULES[rule_id](declaration)]
    assert found, f"{rule_id} found nothing"
    assert any(f.severity is severity and words in f.message for f in found), found


def test_every_rule_has_a_failing_case_and_a_source() -> None:
    """Each registered rule is covered above (the later stages' in test_stage_review.py)
    and its docstring names its source."""
    from tests.test_stage_review import STAGE_CASES  # it builds on good(): imported here

    assert {case[0] for case in CASES} | {case[0] for case in STAGE_CASES} == set(RULES)
    for rule_id, function in RULES.items():
        assert "Source:" in (function.__doc__ or ""), rule_id


def test_locations_name_the_field() -> None:
    """A finding points at the row and field, in words a clerk recognises."""
    declaration = good()
    _indicator(declaration, "数量指标").target_value = "325"
    (finding,) = RULES[RuleId.KIND](declaration)
    assert finding.location.table == "indicator"
    assert finding.location.field == "target_value"
    assert finding.location.place == "项目“公务用车运维”第1行指标的“指标值”"


def test_explanation_turns_a_warning_into_explained() -> None:
    """A written explanation marks a 警告 已说明; an 错误 cannot be explained away."""
    declaration = good()
    declaration.total_budget = Decimal("12")  # warning
    project = _project(declaration)
    project.other_funds = Decimal("1")  # error
    declaration.finding_explanations = [
        FindingExplanation(rule=RuleId.TOTAL_VS_PROJECTS, row_uuid=declaration.uuid, field="total_budget", text="含基本支出2万元。"),
        FindingExplanation(rule=RuleId.FUNDS_SUM, row_uuid=project.uuid, field="budget_amount", text="不改"),
    ]  # fmt: skip
    findings = {f.rule: f for f in review(declaration)}
    assert findings[RuleId.TOTAL_VS_PROJECTS].status is FindingStatus.EXPLAINED
    assert findings[RuleId.FUNDS_SUM].status is FindingStatus.ERROR
    counts = status_counts(findings.values())
    assert (counts[FindingStatus.EXPLAINED], counts[FindingStatus.ERROR]) == (1, 1)
    assert findings[RuleId.TOTAL_VS_PROJECTS].as_dict()["status"] == "已说明"  # check --json


def test_a_blank_item_name_is_said_once_as_to_fill_in() -> None:
    """A blank 分项名称 was listed twice: as 待填写 and as a 提示 "分项名称“”与对应预算项目
    名称…不同". Only the 待填写 is left — for the only item target and blank, and for one
    with statements (whose name the mismatch 提示 alone used to catch); a blank 项目名称
    is not compared either."""
    for statements in (False, True):
        declaration = good()
        declaration.item_targets[0].title = "  "
        if not statements:
            declaration.item_targets[0].statements = []
        about_title = [
            (f.rule, f.status)
            for f in review(declaration, final=False)
            if f.location.field == "title" and f.location.table == "item_target"
        ]
        assert about_title == [(RuleId.PART1, FindingStatus.TODO)], statements
    declaration = good()
    declaration.budget_projects[0].name = ""
    assert RuleId.ITEM_NAME not in {f.rule for f in review(declaration)}


def test_sample_has_no_errors_and_these_warnings_and_hints() -> None:
    """The reference document passes without 错误; its 警告 and 提示 are the ones a reviewer
    would raise: the stray 完成值, lazy descriptions, and § 二 names unlike the tables'."""
    (declaration,) = load_declarations(json.loads(paths.sample_json().read_text("utf-8")))
    findings = review(declaration)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert [(f.rule, f.location.place) for f in findings if f.severity is Severity.WARNING] == [
        (RuleId.ACTUAL, "分项目标“公务用车平台建设经费”第4条表述的“指标表述”"),
    ]
    hints = sorted(f.rule for f in findings if f.severity is Severity.HINT)
    assert hints == [RuleId.ITEM_NAME] * 3 + [RuleId.DESCRIPTION] * 3


def test_the_same_indicator_twice_is_found_however_typed() -> None:
    """The same 一级/二级/三级指标 twice in one project is a 警告 on the later row naming
    both rows, also when one is typed with spaces or full-width letters; the same 三级指标
    under another 二级指标, in another project, or a blank row twice is no finding."""
    declaration = good()
    indicators = _project(declaration).indicators
    indicators.insert(2, Indicator(level1=" 产出指标", level2="数量 指标", level3="监控车辆数 ", target_value="300辆"))  # fmt: skip
    indicators.append(Indicator(level1="产出指标", level2="质量指标", level3="完成率", target_value="100%"))  # fmt: skip
    indicators.append(Indicator(level1="效益指标", level2="社会效益指标", level3="ＡＢ 监管效果", target_value="明显减少"))  # fmt: skip
    indicators.append(Indicator(level1="效益指标", level2="社会效益指标", level3="AB监管效果", target_value="明显减少"))  # fmt: skip
    indicators.append(Indicator(level1="产出指标", level2="成本指标", level3="监控车辆数", target_value="≤1万元"))  # fmt: skip
    indicators += [Indicator(level1="产出指标", level2="数量指标") for _ in range(2)]
    other = BudgetProject(code="13022523P002", name="另一项目", indicators=[
        Indicator(level1="产出指标", level2="数量指标", level3="监控车辆数", target_value="1辆"),
    ])  # fmt: skip
    declaration.budget_projects.append(other)
    found = [
        (f.severity, f.location.row_uuid, f.location.field, f.message)
        for f in review(declaration)
        if f.rule == RuleId.INDICATOR_TWICE
    ]
    assert found == [
        (Severity.WARNING, indicators[2].uuid, "level3",
         "第1行与第3行的三级指标相同（“监控车辆数”，产出指标／数量 指标），请删去重复的一行或改写其中一行。"),
        (Severity.WARNING, indicators[7].uuid, "level3",
         "第2行与第8行的三级指标相同（“完成率”，产出指标／质量指标），请删去重复的一行或改写其中一行。"),
        (Severity.WARNING, indicators[9].uuid, "level3",
         "第9行与第10行的三级指标相同（“AB监管效果”，效益指标／社会效益指标），请删去重复的一行或改写其中一行。"),
    ]  # fmt: skip
