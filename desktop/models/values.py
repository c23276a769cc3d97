"""Parsing what clerks type into amounts, percentages and years. No Qt, no sessions.

Every error is a ``ValueError`` whose message is Chinese and says what to type instead.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

#: Amounts on the forms are in 万元 to the fen: at most 6 decimals (DESIGN.md).
MAX_AMOUNT_DECIMALS = 6
#: 12 integer digits of 万元 is far beyond any county budget; more is a typing accident.
MAX_INTEGER_DIGITS = 12
_CANONICAL = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")


def canonical_decimal(text: str) -> Decimal | None:
    """The decimal written exactly as ``-123.45`` (no exponent, separators or spaces), else None.

    At most 12 integer digits and 6 decimals. This is the form amounts take in files;
    ``parse_amount`` brings typed input to it first.
    """
    match = _CANONICAL.fullmatch(text)
    if match is None or len(match.group(1)) > MAX_INTEGER_DIGITS:
        return None
    if match.group(2) is not None and len(match.group(2)) > MAX_AMOUNT_DECIMALS:
        return None
    return Decimal(text)


def _normalise_number(text: str) -> str:
    """Full-width digits and signs to ASCII, spaces and thousands separators removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace(",", "").replace(" ", "").replace("\u3000", "")


def parse_amount(text: str) -> Decimal | None:
    """An amount in 万元 from what the clerk typed; ``None`` for an empty field.

    Accepts ``184``, ``184.00``, ``1,234.5``, full-width ``１８４．００`` and a trailing 万元
    or 万; keeps the decimals typed (``184.00`` stays ``Decimal("184.00")``). Raises
    ``ValueError`` for anything else: letters, exponents, more than 6 decimals (the fen),
    more than 12 integer digits. Money in another unit (``1亿``, ``5000元``, ``300千元``,
    read as ``parse_target_value`` reads money) is refused too, its message giving the
    figure in 万元 to type (1亿 即 10000 万元，请输入 10000): the field shows and prints
    what was typed, so it is not converted behind the clerk's back.
    """
    cleaned = _normalise_number(text).removesuffix("万元").removesuffix("万")
    if not cleaned:
        return None
    value = canonical_decimal(cleaned)
    if value is not None:
        return value
    decimals = cleaned.partition(".")[2]
    if _CANONICAL.fullmatch(cleaned) and len(decimals) > MAX_AMOUNT_DECIMALS:
        raise ValueError(
            f"“{text}”的小数超过 {MAX_AMOUNT_DECIMALS} 位：金额以万元为单位，最多精确到分。"
        )
    if _CANONICAL.fullmatch(cleaned):
        raise ValueError(f"“{text}”太大了：金额以万元为单位，请检查是否多输了数字。")
    money = parse_target_value(text)
    wan = money.wan_yuan
    if wan is not None and not money.comparator and not money.extra_unit:
        figure = format(wan.normalize(), "f")
        if canonical_decimal(figure) is not None:
            raise ValueError(
                f"“{text.strip()}”即 {figure} 万元：本栏以万元为单位，请输入 {figure}。"
            )
    raise ValueError(f"“{text}”不是有效的金额，请输入以万元为单位的数字，例如 184.00。")


def parse_percent(text: str) -> Decimal | None:
    """A percentage from ``30``, ``30%`` or ``３０％``; ``None`` for an empty field.

    Returns the number of percent (``Decimal("30")``). Raises ``ValueError`` when it is not
    a plain number (letters, exponents, more than 6 decimals).
    """
    cleaned = _normalise_number(text).removesuffix("%")
    if not cleaned:
        return None
    value = canonical_decimal(cleaned)
    if value is None:
        raise ValueError(f"“{text}”不是有效的百分比，请输入数字，例如 30 或 30%。")
    return value


def parse_year(text: str) -> int:
    """A fiscal year (预算年度) such as 2022. Raises ``ValueError`` outside 2000–2100."""
    cleaned = _normalise_number(text).removesuffix("年")
    if not cleaned.isdigit() or not 2000 <= int(cleaned) <= 2100:
        raise ValueError(f"“{text}”不是有效的预算年度，请输入四位年份，例如 2022。")
    return int(cleaned)


def normal_code(text: str) -> str:
    """A 单位编码 or 项目编码 as stored: full-width digits and letters made half-width
    (``５０７００２`` is ``507002``: the same unit in merges and the 汇总表), outer spaces
    dropped. Any other characters stay; the review judges them."""
    return unicodedata.normalize("NFKC", text).strip()


# -- 指标值: the one reader of target values (review, grid tooltip, Excel import) ------------
#: Comparison words as clerks write them, longest first where one begins another. Source:
#: published 绩效目标表 (≥ ≧ ⩾ >= ＞＝ 不低于 不少于 …, see tests/test_target_values.py).
_COMPARATORS = (
    (">=", "≥"), ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"), ("=>", "≥"),
    ("<=", "≤"), ("≤", "≤"), ("≦", "≤"), ("⩽", "≤"), ("=<", "≤"),
    ("大于或等于", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"),
    ("不止", "≥"), ("至少", "≥"), ("最少", "≥"), ("最低", "≥"),
    ("小于或等于", "≤"), ("小于等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"),
    ("不大于", "≤"), ("最多", "≤"), ("最高", "≤"), ("控制在", "≤"), ("低于或等于", "≤"),
    (">", ">"), ("大于", ">"), ("高于", ">"), ("多于", ">"), ("超过", ">"),
    ("<", "<"), ("小于", "<"), ("低于", "<"), ("少于", "<"),
    ("±", "≤"), ("=", "="), ("达到", "="), ("等于", "="), ("约", "="), ("≈", "="), ("为", "="),
)  # fmt: skip
_SUFFIX_COMPARATORS = (
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"),
    ("之内", "≤"), ("内", "≤"), ("左右", "="),
)  # fmt: skip
_DEADLINE_SUFFIXES = ("之前完成", "以前完成", "前完成", "内完成", "完成", "之前", "以前", "前")
#: Money units and their factor to 万元 ("250万" in a 万元 table is money, 1亿 = 10000 万元).
MONEY_UNITS = {
    "元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "万": Decimal(1),
    "亿元": Decimal(10000), "亿": Decimal(10000),
}  # fmt: skip
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_YM = r"([0-9]{4})(?:[.年/-]|年度)([0-9]{1,2})月?"
_YMD = r"([0-9]{4})[.年/-]([0-9]{1,2})[.月/-]([0-9]{1,2})日?"
_PERIOD_YM = re.compile(_YM + r"(?:-|~|至|到)" + _YM + r"(?:底|末)?")
_PERIOD_YMD = re.compile(_YMD + r"(?:-|~|至|到)" + _YMD)
_PERIOD_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})-([0-9]{4})([0-9]{2})")  # 202001-202012
_PERIOD_YEARS = re.compile(r"([0-9]{4})年?(?:度)?(?:-|~|至|到)([0-9]{4})年(?:度)?")
_PERIOD_MONTHS = re.compile(
    r"([0-9]{4})年(?:度)?([0-9]{1,2})月?(?:-|~|至|到)([0-9]{1,2})月(?:底|末)?"
)
_DATE_YMD = re.compile(_YMD)
_DATE_YM = re.compile(
    r"([0-9]{4})(?:年|[.](?=[0-9]{1,2}$)|[/-])([0-9]{1,2})月?(?:底|末|初|中旬|上旬|下旬)?"
)
_DATE_Y = re.compile(r"([0-9]{4})年(?:度)?(?:底|末|初|内|全年)?")
_DATE_MD = re.compile(r"([0-9]{1,2})月(?:([0-9]{1,2})日)?(?:底|末|初|中旬|上旬|下旬)?")
_QUARTER = re.compile(r"(?:([0-9]{4})年(?:度)?)?第?([1-4一二三四])季度(?:末|底)?")
#: Time words with no number: the fiscal year itself (年底前 = by 31 December).
_YEAR_WORDS = {"年底": 12, "年末": 12, "年内": None, "全年": None, "当年": None, "本年度": None,
               "年度内": None, "本年": None}  # fmt: skip
_PERCENT = re.compile(_NUMBER + r"%(.*)")
_QUANTITY = re.compile(_NUMBER + r"([^0-9]{0,8})")
_ANY_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?:[^0-9]|$))")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10000, "亿": 100000000}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
#: Measure words after a Chinese numeral (三个, 两批): only these make 一流 or 十分 not a number.
_MEASURE_WORDS = (
    "个月", "人次", "批次", "户次", "课时", "学时", "万元", "亿元", "公里", "平方米", "立方米",
    "个", "批", "次", "项", "人", "家", "户", "所", "辆", "台", "套", "件", "场", "期", "篇",
    "份", "册", "本", "天", "日", "周", "月", "年", "名", "处", "座", "条", "张", "部", "间",
    "栋", "亩", "米", "元", "类", "支", "队", "村", "镇", "轮", "季", "宗", "单", "起", "只",
    "头", "吨", "株", "棵", "门", "节", "章", "组", "届", "班", "所", "册", "点", "片",
)  # fmt: skip


def _chinese_number(text: str) -> int | None:
    """二〇二二 → 2022, 一百二十 → 120, 十五 → 15, 两万 → 20000; None if not a numeral."""
    if not text or not _CN_NUMBER.fullmatch(text):
        return None
    if not any(char in _CN_SCALES for char in text):  # digit by digit: 二〇二二
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in ("万", "亿"):
            section = (section + (digit or 0)) * _CN_SCALES[char]
            total, section, digit = total + section, 0, None
        else:
            section += (1 if digit is None else digit) * _CN_SCALES[char]
            digit = None
    return total + section + (digit or 0)


def _arabic(text: str) -> str:
    """Chinese numerals as digits where they are a number: 百分之九十五 → 95%, 三个 → 3个,
    一百二十 → 120, 二〇二二年第四季度 → 2022年第四季度 (the quarter's 四 stays). Words
    such as 一流, 十分, 统一 are left alone."""
    if text.startswith("百分之"):
        rest = text[3:]
        number = _chinese_number(rest) if rest != "百" else 100
        if number is None:
            match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)", rest)
            return f"{match.group(1)}%" if match else text
        return f"{number}%"
    match = _CN_NUMBER.match(text)
    if match is None:
        return text
    numeral, rest = match.group(0), text[match.end() :]
    if rest.startswith("年") and len(numeral) == 4 and not any(c in _CN_SCALES for c in numeral):
        return f"{_chinese_number(numeral)}{rest}"  # 二〇二二年…
    if rest and not rest.startswith(_MEASURE_WORDS):
        return text
    if numeral.endswith(("万", "亿")) and not rest and len(numeral) > 1:
        number = _chinese_number(numeral[:-1])  # 三万 with no unit: money in a 万元 table
        return text if number is None else f"{number}{numeral[-1]}"
    number = _chinese_number(numeral)
    return text if number is None else f"{number}{rest}"


def _normalise_value(text: str) -> str:
    """NFKC (full-width to ASCII), no blanks or thousands separators, dashes as ``-``,
    a trailing full stop dropped, ``百分比``/``个百分点`` as ``%`` after a number."""
    for sign, unit in (("㎡", "平方米"), ("m²", "平方米"), ("㎥", "立方米"), ("m³", "立方米")):
        text = text.replace(sign, unit)
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = re.sub(r"\s+", "", cleaned).rstrip("。.;；,，、")
    cleaned = _THOUSANDS.sub("", cleaned)
    cleaned = re.sub(
        r"[-—–―－~〜]+", lambda m: "~" if set(m.group(0)) <= set("~〜") else "-", cleaned
    )
    return re.sub(r"(?<=[0-9])(?:百分比|\(%\)|（%）)", "%", cleaned)


@dataclass(frozen=True)
class TargetValue:
    """The reading of a 指标值 (target value), which is kept as typed beside it.

    ``kind`` is one of:
    - ``quantity``: ``325辆`` (number 325, unit 辆), ``三个`` (3, 个), ``180天``;
    - ``money``: ``250万``, ``≤80万元``, ``1亿元``, ``5000元`` (``wan_yuan`` gives 万元);
    - ``percent``: ``≥95%``, ``百分之九十五``, ``≥100百分比`` (number of percent);
    - ``date``: ``2022年12月31日`` (year, month, day), ``2022.12``, ``2022年``, ``12月底``
      (no year: the fiscal year), ``2022年第四季度`` (``quarter`` 4), ``年底前``;
    - ``period``: ``2023.07-2024.01`` (year/month to end_year/end_month);
    - ``qualitative`` (定性: words, ``良好``, ``有效提升``) or ``empty``.
    ``comparator`` is ``≥ ≤ > < =`` or empty (``不低于`` reads as ``≥``, ``以内`` and a
    deadline's ``前`` as ``≤``). ``extra_unit`` is a second unit written after the first
    (``28.8万元%``: 万元 and %), or the unit after words (``应保尽保%``): a contradiction.
    """

    kind: str
    comparator: str = ""
    number: Decimal | None = None
    unit: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    end_year: int | None = None
    end_month: int | None = None
    extra_unit: str = ""

    @property
    def wan_yuan(self) -> Decimal | None:
        """A money value in 万元 (``5000元`` → 0.5, ``1亿`` → 10000); None for other kinds."""
        if self.kind != "money" or self.number is None:
            return None
        return self.number * MONEY_UNITS[self.unit]

    @property
    def is_time(self) -> bool:
        """A date, month, quarter or period (时效指标's values)."""
        return self.kind in ("date", "period")

    def years(self) -> tuple[int | None, int | None]:
        """First and last year the value names (None: not said, i.e. the fiscal year)."""
        if self.kind == "period":
            return self.year, self.end_year
        return self.year, self.year

    def describe(self) -> str:
        """The reading in words, for the grid's tooltip (e.g. 百分比：不低于95%)."""
        words = {"≥": "不低于", "≤": "不高于", ">": "高于", "<": "低于", "=": "等于"}
        prefix = words.get(self.comparator, "")
        extra = f"；又写了单位“{self.extra_unit}”，两者矛盾" if self.extra_unit else ""
        if self.kind == "percent":
            return f"百分比：{prefix}{self.number}%{extra}"
        if self.kind == "money":
            unit = "万元" if self.unit == "万" else self.unit
            amount = f"{prefix}{self.number}{unit}"
            if self.unit not in ("万", "万元"):
                amount += f"（即 {_plain_decimal(self.wan_yuan)} 万元）"
            return f"金额：{amount}{extra}"
        if self.kind == "quantity":
            unit = f"，单位“{self.unit}”" if self.unit else "（无计量单位）"
            return f"数值：{prefix}{self.number}{unit}{extra}"
        if self.kind == "date":
            deadline = "之前" if self.comparator in ("≤", "<") else ""
            return f"时间：{self._when()}{deadline}"
        if self.kind == "period":
            return f"期间：{self.year}年{self.month}月至{self.end_year}年{self.end_month}月"
        if self.kind == "qualitative":
            return "定性（文字描述）" + (
                f"，却带单位“{self.extra_unit}”" if self.extra_unit else ""
            )
        return "未填"

    def _when(self) -> str:
        year = f"{self.year}年" if self.year else "预算年度"
        if self.quarter:
            return f"{year}第{'一二三四'[self.quarter - 1]}季度"
        return (
            year + (f"{self.month}月" if self.month else "") + (f"{self.day}日" if self.day else "")
        )


def _plain_decimal(number: Decimal | None) -> str:
    text = format(number, "f") if number is not None else ""
    return text.rstrip("0").rstrip(".") if "." in text else text


def _strip_comparator(cleaned: str) -> tuple[str, str]:
    for prefix, symbol in _COMPARATORS:
        if cleaned.startswith(prefix) and len(cleaned) > len(prefix):
            return symbol, cleaned[len(prefix) :]
    return "", cleaned


def _time_value(cleaned: str, comparator: str) -> TargetValue | None:
    """A date, quarter or period, or None. ``前``/``之前`` after a date make it a deadline."""
    found = _deadline_value(cleaned, comparator)
    if found is not None:
        return found
    if cleaned in _YEAR_WORDS:
        return TargetValue("date", comparator, month=_YEAR_WORDS[cleaned])
    if match := _PERIOD_YMD.fullmatch(cleaned):
        y1, m1, _, y2, m2, _ = map(int, match.groups())
        return _period(comparator, y1, m1, y2, m2)
    if match := _PERIOD_YM.fullmatch(cleaned):
        return _period(comparator, *map(int, match.groups()))
    if match := _PERIOD_COMPACT.fullmatch(cleaned):
        return _period(comparator, *map(int, match.groups()))
    if match := _PERIOD_YEARS.fullmatch(cleaned):
        return _period(comparator, int(match[1]), 1, int(match[2]), 12)
    if match := _PERIOD_MONTHS.fullmatch(cleaned):
        year, m1, m2 = map(int, match.groups())
        return _period(comparator, year, m1, year, m2)
    if match := _QUARTER.fullmatch(cleaned):
        quarter = match.group(2)
        number = int(quarter) if quarter.isdigit() else "一二三四".index(quarter) + 1
        of_year = int(match.group(1)) if match.group(1) else None  # 第三季度: no year
        return TargetValue("date", comparator, year=of_year, quarter=number)
    return _date_value(cleaned, comparator)


def _deadline_value(cleaned: str, comparator: str) -> TargetValue | None:
    """A time value followed by one of ``_DEADLINE_SUFFIXES`` (``2022年6月底前``,
    ``10月底完成``), or None: ``前``/``内`` make it a deadline (``≤``) unless a comparison
    word before it (``comparator``) says otherwise."""
    for suffix in _DEADLINE_SUFFIXES:
        if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
            stem = cleaned[: -len(suffix)]
            found = _time_value(stem, comparator)
            if found is not None:
                deadline = "≤" if "前" in suffix or "内" in suffix else found.comparator
                return replace(found, comparator=comparator or deadline)
    return None


def _date_value(cleaned: str, comparator: str) -> TargetValue | None:
    """One date (``2022年12月31日``, ``2022年6月底``, ``2022年底``, ``6月底``) of a
    possible month and day, or None."""
    if (match := _DATE_YMD.fullmatch(cleaned)) and _valid(int(match[2]), int(match[3])):
        return TargetValue(
            "date", comparator, year=int(match[1]), month=int(match[2]), day=int(match[3])
        )
    if (match := _DATE_YM.fullmatch(cleaned)) and _valid(int(match[2])):
        return TargetValue("date", comparator, year=int(match[1]), month=int(match[2]))
    if (match := _DATE_Y.fullmatch(cleaned)) and 1990 <= int(match[1]) <= 2100:
        month = 12 if cleaned.endswith(("底", "末")) else None
        return TargetValue("date", comparator, year=int(match[1]), month=month)
    if (match := _DATE_MD.fullmatch(cleaned)) and _valid(int(match[1]), int(match[2] or 1)):
        day = int(match[2]) if match[2] else None
        return TargetValue("date", comparator, month=int(match[1]), day=day)
    return None


def _valid(month: int, day: int = 1) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _period(comparator: str, y1: int, m1: int, y2: int, m2: int) -> TargetValue | None:
    if not (_valid(m1) and _valid(m2)) or (y2, m2) < (y1, m1):
        return None
    return TargetValue("period", comparator, year=y1, month=m1, end_year=y2, end_month=m2)


def _number_value(cleaned: str, comparator: str) -> TargetValue | None:
    """A percentage, an amount of money or a quantity with its unit, or None."""
    if match := _PERCENT.fullmatch(cleaned):
        return TargetValue("percent", comparator, Decimal(match[1]), extra_unit=match[2])
    if not (match := _QUANTITY.fullmatch(cleaned)):
        return None
    number, unit = Decimal(match[1]), match[2]
    extra = ""
    if unit.endswith("%") and unit != "%":
        unit, extra = unit[:-1], "%"
    if unit in MONEY_UNITS:
        return TargetValue("money", comparator, number, unit, extra_unit=extra)
    return TargetValue("quantity", comparator, number, unit, extra_unit=extra)


@functools.lru_cache(maxsize=8192)  # every rule reads the same values: read each once
def parse_target_value(text: str) -> TargetValue:
    """Read a 指标值 the way a finance-bureau reviewer does (see ``TargetValue``).

    Accepts full-width characters, blanks, thousands separators, every comparison word
    of ``_COMPARATORS`` before the value and 以上/以下/以内/左右 after it, Chinese
    numerals (``三个``, ``百分之九十五``), dates with ``前``/``底`` (a deadline). Anything
    else is ``qualitative``. Never raises.
    """
    cleaned = _normalise_value(text)
    if not cleaned:
        return TargetValue("empty")
    comparator, rest = _strip_comparator(cleaned)
    found = None
    for suffix, symbol in _SUFFIX_COMPARATORS:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            found = _read(rest[: -len(suffix)], comparator or symbol)
            break
    found = found or _read(rest, comparator)
    if found is not None:
        return found
    if cleaned.endswith("%") and not _ANY_NUMBER.search(cleaned):  # 应保尽保%: words, unit
        return TargetValue("qualitative", extra_unit="%")
    return TargetValue("qualitative")


def _read(text: str, comparator: str) -> TargetValue | None:
    text = _arabic(text)
    return _time_value(text, comparator) or _number_value(text, comparator)


def comparison_sign(text: str) -> str:
    """The sign ``≥ ≤ > < =`` a cell holding only a comparison word means (a 符号 or 指标性质
    column: ``≥``, ``>=``, ``不低于``), else ``""`` (e.g. 定量, 正向指标)."""
    cleaned = _normalise_value(text)
    return next((symbol for prefix, symbol in _COMPARATORS if cleaned == prefix), "")


def with_unit(value: str, unit: str) -> str:
    """A 指标值 and the 计量单位 a table keeps in a column of its own, as one 指标值:
    ``("95", "%")`` → ``95%``, ``("325辆", "辆")`` → ``325辆``. A unit already written
    is not repeated; a different one is kept after it (``28.8万元`` + ``%`` →
    ``28.8万元%``), so that the review reports the contradiction."""
    value, unit = value.strip(), unit.strip()
    if not unit or not value or value.endswith(unit):
        return value
    return value + unit


def numbers_in(text: str) -> list[Decimal]:
    """Every number written in ``text`` (full-width digits included), in order."""
    cleaned = unicodedata.normalize("NFKC", text)
    return [Decimal(number) for number in _ANY_NUMBER.findall(cleaned)]


#: Grid fields that the form merges down over the rows they group, outermost first: a
#: 一级指标 over its 二级指标, a 二级指标 over its rows (the seed's 项目绩效目标表).
MERGED_LABEL_FIELDS = ("level1", "level2")


def fill_merged_labels(
    block: list[list[str]], fields: list[str], above: dict[str, str] | None = None
) -> tuple[list[list[str]], int]:
    """A pasted block with its blank 一级指标/二级指标 cells given the label above them.

    Excel, WPS and Word put a merged cell's text in its first row only and leave the rows
    it covers blank, on the clipboard as in text; on the form those rows carry that label.
    ``block`` is rows of cell texts going into ``fields`` (left to right; ``fields`` may be
    longer than a row); ``above`` holds the labels of the grid row above the paste target
    (None when pasting at the top). A blank 一级指标 takes the one above it: of the block's
    previous row, or for the block's first rows of ``above`` (a block copied from the
    lower rows of a merged cell continues the grid's group it is pasted under). A blank
    二级指标 takes the one above only within the same 一级指标 (a merge never crosses a
    一级指标 on the form; a 二级指标 pasted without its 一级指标 column continues only the
    block's own rows). Rows blank in every pasted cell stay blank.

    Also used for an indicator table continued in a second Word table (``above``: the last
    row before the break). Returns the new block and the number of cells filled; ``block``
    is left unchanged.
    """
    columns = {field: at for at, field in enumerate(fields) if field in MERGED_LABEL_FIELDS}
    out = [list(row) for row in block]
    previous = dict(above) if above is not None else None
    from_block = False  # ``previous`` is a row of the block (not the grid's row above)
    filled = 0
    for row in out:
        if not any(text.strip() for text in row):
            continue
        for field in MERGED_LABEL_FIELDS:
            at = columns.get(field, len(row))
            if at >= len(row) or row[at].strip() or previous is None:
                continue
            if field == "level2":
                level1 = columns.get("level1", len(row))
                same_group = (
                    row[level1] == previous.get("level1") if level1 < len(row) else from_block
                )
                if not same_group:
                    continue
            if previous.get(field):
                row[at] = previous[field]
                filled += 1
        previous = {field: row[at] for field, at in columns.items() if at < len(row)}
        from_block = True
    return out, filled
