"""Five published 绩效目标表 replayed through the review (docs/review.md tells the story).

Each table is entered as published: its indicator grid (level names, 三级指标, 指标值 with
its 计量单位 column joined by ``with_unit``) and its amount. Fields the published form
does not have (项目编码, 资金支出计划, Part 1) are filled with neutral values so that only
the grid and the money are judged. The expected findings are a reviewer's reading.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    KeyTask,
)
from desktop.models.values import with_unit
from desktop.review import review
from desktop.review.findings import RuleId

R = RuleId


def _declaration(year: int, amount: str, rows: list[tuple[str, str, str, str]]) -> Declaration:
    budget = Decimal(amount)
    project = BudgetProject(
        code=f"000000{year % 100}P001", name="公开的项目", budget_amount=budget,
        fiscal_funds=budget, other_funds=Decimal(0), use_of_funds="按公开表填写",
        performance_target="按公开表填写",
        disbursement_plan=[
            DisbursementCheckpoint(label=label, cumulative_percent=Decimal(p))
            for label, p in (("3月底", "25"), ("6月底", "50"), ("10月底", "80"), ("12月底", "100"))
        ],
        indicators=[
            Indicator(level1=l1, level2=l2, level3=l3, target_value=value, basis="公开表")
            for l1, l2, l3, value in rows
        ],
    )  # fmt: skip
    return Declaration(
        unit_code="000000", unit_name="公开的单位", fiscal_year=year, total_budget=budget,
        overall_target="按公开表填写", safeguard_measures="按公开表填写",
        key_tasks=[KeyTask(title="任务", body="按公开表填写")], budget_projects=[project],
        item_targets=[ItemTarget(title="公开的项目", budget=budget, budget_project=project)],
    )  # fmt: skip


TABLES = {
    # xtcg.xiangtan.gov.cn/15068/15075/26693/content_1250928.html (预算金额 250万)
    "湘潭2023雾炮车": (
        _declaration(2023, "250", [
            ("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆"),
            ("产出指标", "数量指标", "雾炮车风炮射程", "≥80M"),
            ("产出指标", "质量指标", "服务周期内空气质量", "优良"),
            ("产出指标", "时效指标", "服务周期", "2023.07-2024.01"),
            ("产出指标", "成本指标", "控制在预算成本内", "250万"),
            ("效益指标", "经济效益指标", "", ""),
            ("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%"),
            ("效益指标", "生态效益指标", "", ""),
            ("效益指标", "可持续影响指标", "", ""),
            ("满意度指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%"),
        ]),
        {(R.KIND, "质量指标应为可衡量"), (R.SATISFACTION, "满意程度"), (R.INDICATOR_ROWS, "空行"),
         (R.LEVELS, "即“服务对象满意度指标”")},
    ),
    # monopolymediamarketing.com/21487/21535/21748/21750/21907/content_2062100.html
    # (岳阳楼区价格认证鉴定中心2023年度整体绩效目标表, excerpt up to 社会效益指标)
    "岳阳楼区2023价格认证": (
        _declaration(2023, "28.8", [
            ("产出指标", "数量指标", "业务工作支出安排金额", with_unit("28.8万元", "%")),
            ("产出指标", "质量指标", "业务工作支出到位率", with_unit("100", "%")),
            ("产出指标", "时效指标", "工作安排时间", "按月安排"),
            ("产出指标", "成本指标", "社会成本指标", with_unit("100", "%")),
            ("效益指标", "经济效益指标", "", ""),
            ("效益指标", "社会效益指标", "保证单位正常运转", with_unit("应保尽保", "%")),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
        ]),
        {(R.UNIT, "矛盾"), (R.INPUT, "资金投入"), (R.KIND, "时效指标应为时间"),
         (R.LEVELS, "社会成本指标"), (R.UNIT, "定性"), (R.INDICATOR_ROWS, "空行")},
    ),
    # qingshan.gov.cn/qzfbm/zfgzbm/jyj/czxx/zjxx/202001/t20200120_1016313.shtml (10000万元)
    "青山区2020教育基建": (
        _declaration(2020, "10000", [
            ("产出指标", "数量指标", "重点建设工程安排数量", "2"),
            ("产出指标", "质量指标", "重点建设工程验收合格率", "100%"),
            ("产出指标", "成本指标", "建设项目成本", "参照政府采购成本控制"),
            ("产出指标", "时效指标", "重点建设工程按期完成率", "100%"),
            ("效益指标", "可持续影响指标", "基础教育巩固提高情况", "巩固提高"),
            ("效益指标", "社会效益指标", "基础教育学校办学条件", "持续改善"),
            ("满意度指标", "服务对象满意度指标", "学生、家长、社会满意度", "≥90%"),
        ]),
        {(R.KIND, "缺少计量单位"), (R.KIND, "成本指标应为可衡量的数值")},
    ),
    # m.qbidia.com/jyx/zjgk/202412/baa621fd1ec74c86bf45aa16dfd0603d.shtml
    # (井研县马踏镇 村组干部报酬, 3,309,840.00 元 = 330.984 万元; 符号|指标值|度量单位)
    "马踏镇2023村组干部报酬": (
        _declaration(2023, "330.984", [
            ("效益指标", "社会效益指标", "维护社会稳定", with_unit("≥95", "%")),
            ("产出指标", "时效指标", "维持时效", with_unit("≥1", "年")),
            ("产出指标", "质量指标", "按时发放", with_unit("≥1", "人/年")),
            ("效益指标", "经济效益指标", "促进村集体经济发展", with_unit("≥95", "%")),
            ("产出指标", "数量指标", "村组干部230人", with_unit("≥230", "个")),
            ("效益指标", "生态效益指标", "保护生态环境卫生", with_unit("≥95", "%")),
            ("效益指标", "可持续影响指标", "项目维持时效", with_unit("≥95", "%")),
            ("满意度指标", "服务对象满意度指标", "人民群众满意度", with_unit("≥95", "%")),
        ]),
        {(R.PASTED, "≥95%")},
    ),
    # anthempetcare.com/upload_cz/download?id=502364&siteId=2
    # (池州市贵池区棠溪镇 委托业务项目 2022, 90万元; 满意度 excerpt cut: ≥90% assumed)
    "棠溪镇2022委托业务": (
        _declaration(2022, "90", [
            ("产出指标", "数量指标", "基建工程委托业务项目数量", "≥50个"),
            ("产出指标", "质量指标", "委托业务报告合格率", "≥100百分比"),
            ("产出指标", "质量指标", "经费支出合规性", "严格执行相关制度规定"),
            ("产出指标", "时效指标", "提交报告及时性", "在项目计划完成时间内完成"),
            ("产出指标", "成本指标", "项目总成本", "≤90万元"),
            ("产出指标", "成本指标", "单项业务成本", "符合相关规定"),
            ("效益指标", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显"),
            ("效益指标", "生态效益指标", "对控制基建项目成本影响程度", "效果明显"),
            ("效益指标", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响",
             "效果明显"),
            ("满意度指标", "服务对象满意度指标", "公众满意度", "≥90%"),
        ]),
        {(R.KIND, "质量指标应为可衡量"), (R.KIND, "时效指标应为时间"),
         (R.KIND, "成本指标应为可衡量")},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", TABLES)
def test_review_matches_a_reviewers_reading(name: str) -> None:
    """The program flags what a reviewer flags on the published table, and nothing else."""
    declaration, expected = TABLES[name]
    found = review(declaration)
    for rule, words in expected:
        assert any(f.rule is rule and words in f.message for f in found), (rule, words, found)
    assert {f.rule for f in found} == {rule for rule, _ in expected}, found


def test_the_amount_as_published_in_yuan_is_flagged() -> None:
    """马踏镇 publishes 3,309,840.00 (元); typed as is into the 万元 form it is flagged."""
    declaration, _ = TABLES["马踏镇2023村组干部报酬"]
    project = declaration.budget_projects[0]
    project.budget_amount = project.fiscal_funds = Decimal("3309840.00")
    declaration.total_budget = Decimal("3309840.00")
    found = [f for f in review(declaration) if f.rule is RuleId.AMOUNT_UNIT]
    assert len(found) == 3 and "是否按“元”填写" in found[0].message
