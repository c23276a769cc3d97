"""The value reader on values published in real 绩效目标表, with the reading a reviewer gives.

Each group names the published table it was taken from (the value as printed there; where
a table keeps 指标性质/指标值/计量单位 in columns of their own, as joined by ``with_unit``).
A reading is written compactly: ``money ≤80 万元``, ``percent ≥95``, ``date ≤2023-12-``,
``period 2023-7..2024-1``, ``qualitative`` (``+%`` marks a contradicting second unit).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.values import TargetValue, parse_target_value, with_unit


def reading(value: TargetValue) -> str:
    """The compact reading used in the table below."""
    extra = f" +{value.extra_unit}" if value.extra_unit else ""
    if value.kind in ("quantity", "money", "percent"):
        unit = f" {value.unit}" if value.unit else ""
        return f"{value.kind} {value.comparator}{value.number}{unit}{extra}"
    if value.kind == "date":
        if value.quarter:
            return f"date {value.comparator}{value.year or ''}Q{value.quarter}"
        return f"date {value.comparator}{value.year or ''}-{value.month or ''}-{value.day or ''}"
    if value.kind == "period":
        return f"period {value.year}-{value.month}..{value.end_year}-{value.end_month}"
    return value.kind + extra


REAL_VALUES = [
    # 湘潭市环境卫生管理处2023年雾炮车降尘抑尘服务项目支出绩效目标申报表
    # (xtcg.xiangtan.gov.cn/15068/15075/26693/content_1250928.html)
    ("250万", "money 250 万"),
    ("0", "quantity 0"),
    ("2023.07-2024.01", "period 2023-7..2024-1"),
    ("10辆", "quantity 10 辆"),
    ("≥80M", "quantity ≥80 M"),
    ("优良", "qualitative"),
    ("≥85%", "percent ≥85"),
    ("≥90%", "percent ≥90"),
    # 湘潭 2024年项目绩效目标表(雾炮车降尘抑尘服务) (…/content_1349210.html)
    ("250", "quantity 250"),
    ("10", "quantity 10"),
    ("80M", "quantity 80 M"),
    ("180", "quantity 180"),
    ("控制在预算内", "qualitative"),
    ("85%", "percent 85"),
    ("90%", "percent 90"),
    ("20246-202516", "qualitative"),
    # 鄂州市2022年市直部门预算项目支出绩效目标表 (desk33.com/d-245426.html)
    ("2280次", "quantity 2280 次"),
    ("200次", "quantity 200 次"),
    (">92%", "percent >92"),
    ("292%", "percent 292"),
    ("95%", "percent 95"),
    ("不超预算", "qualitative"),
    ("814", "quantity 814"),
    ("662.98", "quantity 662.98"),
    ("794.55", "quantity 794.55"),
    ("372.88", "quantity 372.88"),
    # dyrmt.com/article-132779-22.html (绩效自评表)
    ("=100%", "percent =100"),
    ("≤10次", "quantity ≤10 次"),
    ("≤5%", "percent ≤5"),
    # 岳阳楼区价格认证鉴定中心2023年度整体绩效目标表 (指标值 | 计量单位 columns)
    (with_unit("28.8万元", "%"), "money 28.8 万元 +%"),
    (with_unit("100", "%"), "percent 100"),
    ("按月安排", "qualitative"),
    (with_unit("应保尽保", "%"), "qualitative +%"),
    # 井研县马踏镇部门预算项目绩效目标申报表(2023年度), 金额单位:元 (符号 | 指标值 | 度量单位)
    (with_unit("≥95", "%"), "percent ≥95"),
    (with_unit("≥1", "年"), "quantity ≥1 年"),
    (with_unit("≥1", "人/年"), "quantity ≥1 人/年"),
    (with_unit("≥230", "个"), "quantity ≥230 个"),
    (with_unit("=11", "个"), "quantity =11 个"),
    (with_unit("≥ 95", "%"), "percent ≥95"),
    (with_unit("3,309,840.00", "元"), "money 3309840.00 元"),
    (with_unit("660,000.00", "元"), "money 660000.00 元"),
    (with_unit("8,827,620.53", "元"), "money 8827620.53 元"),
    # 池州市贵池区棠溪镇 项目支出绩效自评表(2022年度) (anthempetcare.com, upload_cz)
    ("≥50个", "quantity ≥50 个"),
    ("≥100百分比", "percent ≥100"),
    ("严格执行相关制度规定", "qualitative"),
    ("在项目计划完成时间内完成", "qualitative"),
    ("≤90万元", "money ≤90 万元"),
    ("符合相关规定", "qualitative"),
    ("效果明显", "qualitative"),
    ("达成预期指标", "qualitative"),
    ("89.974", "quantity 89.974"),
    ("89.97万元", "money 89.97 万元"),
    ("30万元", "money 30 万元"),
    ("29.99万元", "money 29.99 万元"),
    # 宁德 人才驿站补助资金 绩效自评 (0477ly.com/newsdetail/news661681.html)
    (">=2个", "quantity ≥2 个"),
    (">=28次", "quantity ≥28 次"),
    (">=500人", "quantity ≥500 人"),
    (">=95%", "percent ≥95"),
    (">=100%", "percent ≥100"),
    ("2023年12月前", "date ≤2023-12-"),
    ("10万元", "money 10 万元"),
    ("0个", "quantity 0 个"),
    ("40次", "quantity 40 次"),
    ("1700人", "quantity 1700 人"),
    ("98%", "percent 98"),
    ("143%", "percent 143"),
    ("340%", "percent 340"),
    ("0万元", "money 0 万元"),
    # 南县政协 部门整体支出绩效评价报告 (hnnxzx.com …/2022/0415/1230.html)
    ("792.22万元", "money 792.22 万元"),
    ("189.25万元", "money 189.25 万元"),
    ("31.39%", "percent 31.39"),
    ("209.28万元", "money 209.28 万元"),
    ("35.9%", "percent 35.9"),
    ("799.12万元", "money 799.12 万元"),
    ("434.89万元", "money 434.89 万元"),
    ("77.4万元", "money 77.4 万元"),
    ("286.83万元", "money 286.83 万元"),
    ("36.3万元", "money 36.3 万元"),
    ("1万元", "money 1 万元"),
    ("5万元", "money 5 万元"),
    ("10.5万元", "money 10.5 万元"),
    # 红河州数据发展中心2024年度项目支出绩效单位自评报告 (hh.gov.cn/info/11481/1179592.htm)
    ("985万元", "money 985 万元"),
    ("50万元", "money 50 万元"),
    ("861.46万元", "money 861.46 万元"),
    ("334.67万元", "money 334.67 万元"),
    ("约1000㎡", "quantity =1000 平方米"),
    ("约4.3m", "quantity =4.3 m"),
    ("28个", "quantity 28 个"),
    ("174台", "quantity 174 台"),
    ("30台", "quantity 30 台"),
    ("4台", "quantity 4 台"),
    ("18台", "quantity 18 台"),
    ("25.29㎡", "quantity 25.29 平方米"),
    ("15个", "quantity 15 个"),
    ("2025年", "date 2025--"),
    # 宁乡市坝塘镇 项目绩效目标表(2021年度) (renrendoc.com/paper/307484460.html)
    ("10606.7522万元", "money 10606.7522 万元"),
    ("6923.3552万元", "money 6923.3552 万元"),
    ("3683.3970万元", "money 3683.3970 万元"),
    ("2021年度", "date 2021--"),
    ("88", "quantity 88"),
    # 武汉市青山区教育局 项目支出绩效目标表(2020年度) (qingshan.gov.cn …t20200120_1016313.shtml)
    ("10000万元", "money 10000 万元"),
    ("202001-202012", "period 2020-1..2020-12"),
    ("2", "quantity 2"),
    ("100%", "percent 100"),
    ("参照政府采购成本控制", "qualitative"),
    ("巩固提高", "qualitative"),
    ("持续改善", "qualitative"),
    # 广水市人民政府办公室 部门整体支出绩效目标申报表 (pdf.chddh.cn …m536dx2vr743xlkg7098.html)
    ("243.96", "quantity 243.96"),
    ("74.8%", "percent 74.8"),
    ("25.2%", "percent 25.2"),
    ("2021年1月28日", "date 2021-1-28"),
    # 阳泉市 项目支出绩效目标申报表 2021 (jtysj.yq.gov.cn/yjsgk/202104/t20210422_1152890.html)
    ("3年", "quantity 3 年"),
    ("25", "quantity 25"),
    ("20万元", "money 20 万元"),
    ("81个", "quantity 81 个"),
    # 寺下镇 高其坑通组道路工程绩效评价报告 (hyht-hotel.com …64af8e5bd6ae4bdc92eef82d3e3f7a98)
    ("≥0.565km", "quantity ≥0.565 km"),
    ("≥100%", "percent ≥100"),
    ("≥96%", "percent ≥96"),
    ("≥23人", "quantity ≥23 人"),
    ("19万元", "money 19 万元"),
    # 东莞市财政项目支出绩效目标批复表(镇际联网路升级改造工程一期) 2019 (gdyinping.com)
    ("284500.00", "quantity 284500.00"),
    ("919.00", "quantity 919.00"),
    ("169公里", "quantity 169 公里"),
    ("29个", "quantity 29 个"),
    ("532万元", "money 532 万元"),
    ("387万元", "money 387 万元"),
    ("3", "quantity 3"),
    ("±3%以内", "percent ≤3"),
    ("及时", "qualitative"),
    ("0%", "percent 0"),
    ("2019年--2021年", "period 2019-1..2021-12"),
    # 中江县水利局 绩效目标自评表(2022年度) (chacewang.com/newsdetail/news242266.html)
    ("≥266米", "quantity ≥266 米"),
    ("≥50厘米", "quantity ≥50 厘米"),
    ("≥1000人", "quantity ≥1000 人"),
    ("显著提升", "qualitative"),
    ("20万元", "money 20 万元"),
    ("2022年12月30日", "date 2022-12-30"),
    # 秦都区年度绩效考核标准 (seridoat.com)
    ("≥98%", "percent ≥98"),
    ("≥10%", "percent ≥10"),
    ("95%以上", "percent ≥95"),
    # 乐亭县机关事务中心2022年绩效目标 (the reference document, shared/seed)
    ("325辆", "quantity 325 辆"),
    ("90批", "quantity 90 批"),
    ("208批", "quantity 208 批"),
    ("≥8%", "percent ≥8"),
    ("2022年12月底", "date 2022-12-"),
    ("30%", "percent 30"),
    ("40%", "percent 40"),
    ("60%", "percent 60"),
    ("70%", "percent 70"),
    ("80%", "percent 80"),
    ("184.00", "quantity 184.00"),
    ("300.00", "quantity 300.00"),
    ("8.87", "quantity 8.87"),
    ("有效提供后勤保障", "qualitative"),
    ("有效提高后勤保障", "qualitative"),
    ("推动经济社会快速发展", "qualitative"),
    ("推动经济社会发展", "qualitative"),
    ("保障社会发展", "qualitative"),
    ("促进生态文明建设", "qualitative"),
    ("推动生态文明建设", "qualitative"),
    ("不低于95%", "percent ≥95"),
    ("完成值95%", "qualitative"),
    # Wordings issue 17 reports from replayed tables (the reviewers' own examples)
    ("300万", "money 300 万"),
    ("300万元", "money 300 万元"),
    ("≤80万元", "money ≤80 万元"),
    ("1亿", "money 1 亿"),
    ("1亿元", "money 1 亿元"),
    ("百分之九十五", "percent 95"),
    ("三个", "quantity 3 个"),
    ("两批", "quantity 2 批"),
    ("一百二十", "quantity 120"),
    ("2022年第四季度", "date 2022Q4"),
    ("2022-12-31", "date 2022-12-31"),
    ("2022.12", "date 2022-12-"),
    ("2022年12月31日", "date 2022-12-31"),
    # comparison signs as the tables above write them, one of each form
    ("≧90%", "percent ≥90"),
    ("⩾90%", "percent ≥90"),
    ("＞95%", "percent >95"),
    ("＞＝95％", "percent ≥95"),
    ("≤３天", "quantity ≤3 天"),
    ("≦3天", "quantity ≤3 天"),
    ("<1%", "percent <1"),
    ("不少于12次", "quantity ≥12 次"),
    ("不高于8.87万元", "money ≤8.87 万元"),
    ("不超过300万元", "money ≤300 万元"),
    ("达到100%", "percent =100"),
    ("90%以上", "percent ≥90"),
    ("5%以下", "percent ≤5"),
    ("3天以内", "quantity ≤3 天"),
    ("10人及以下", "quantity ≤10 人"),
    ("95%左右", "percent =95"),
    ("大于等于3个", "quantity ≥3 个"),
    ("小于等于15天", "quantity ≤15 天"),
    ("至少2人", "quantity ≥2 人"),
    ("不低于百分之九十", "percent ≥90"),
    ("三天内", "quantity ≤3 天"),
    ("2023年11月底前", "date ≤2023-11-"),
    ("12月31日前", "date ≤-12-31"),
    ("6月底前", "date ≤-6-"),
    ("年底前", "date ≤-12-"),
    ("第三季度", "date Q3"),
    ("2023年1-12月", "period 2023-1..2023-12"),
    ("2022年1月1日-2022年12月31日", "period 2022-1..2022-12"),
    ("2023年7月至2024年1月", "period 2023-7..2024-1"),
    ("二〇二二年", "date 2022--"),
    ("1,200人次", "quantity 1200 人次"),
    ("一次", "quantity 1 次"),
    ("一流", "qualitative"),
    ("十分满意", "qualitative"),
    ("良好", "qualitative"),
    ("有效提升", "qualitative"),
    ("明显改善", "qualitative"),
    ("无", "qualitative"),
    ("", "empty"),
]


@pytest.mark.parametrize(("text", "expected"), REAL_VALUES, ids=[v[0] or "空" for v in REAL_VALUES])
def test_published_values_read_as_a_reviewer_reads_them(text: str, expected: str) -> None:
    """Money, percentages, numerals, dates, periods, comparisons and words, as published."""
    assert reading(parse_target_value(text)) == expected


def test_at_least_two_hundred_published_values() -> None:
    """The table is the reader's documented behaviour: at least 200 distinct values."""
    assert len({text for text, _ in REAL_VALUES}) >= 200


def test_money_in_wan_yuan() -> None:
    """Every money wording gives its amount in 万元 (1亿 = 10000 万元, 元 ÷ 10000)."""
    amounts = {t: parse_target_value(t).wan_yuan for t in ("250万", "1亿元", "5000元", "≤80万元")}
    assert amounts == {"250万": 250, "1亿元": 10000, "5000元": Decimal("0.5"), "≤80万元": 80}
    assert parse_target_value("5000元/人").wan_yuan is None  # a unit cost, not an amount


def test_with_unit_does_not_repeat_a_unit() -> None:
    """A unit column joins the value once; a contradicting one stays visible."""
    assert with_unit("325辆", "辆") == "325辆"
    assert with_unit("95", "%") == "95%"
    assert with_unit("", "%") == ""
    assert with_unit("28.8万元", "%") == "28.8万元%"


def test_tooltip_words() -> None:
    """The grid's tooltip says how the program understood the value."""
    assert parse_target_value("250万").describe() == "金额：250万元"
    assert parse_target_value("1亿元").describe() == "金额：1亿元（即 10000 万元）"
    assert parse_target_value("2022年第四季度").describe() == "时间：2022年第四季度"
    assert parse_target_value("2022年12月31日前").describe() == "时间：2022年12月31日之前"
    assert "矛盾" in parse_target_value("28.8万元%").describe()
    assert parse_target_value("应保尽保%").describe() == "定性（文字描述），却带单位“%”"
