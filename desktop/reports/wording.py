"""Sentences the print makes from fields (Part 1's 申请预算资金 sentence, an item target's
heading), shared by the PDF, the workbook and the window's preview lines. No Qt, no ReportLab.

Decision: a generated sentence is left out when the clerk's own text already says it
(the text holds the sentence, or 申请预算资金 / 预算资金 followed by the same amount), so
that nothing prints twice; the window shows which of the two happens where it prints.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from desktop.models import Declaration, ItemTarget
from desktop.models.values import numbers_in

#: what an empty 申请预算资金 prints as: a line to write the amount on by hand
BLANK_AMOUNT = "________"


def format_amount(value: Decimal | None) -> str:
    """An amount in 万元 as printed: the decimals as typed, empty when there is none."""
    return "" if value is None else str(value)


def budget_sentence(declaration: Declaration) -> str:
    """The generated first sentence of Part 1 § 一.

    E.g. 本部门2022年度申请预算资金492.87万元，无专项项目。 An amount not filled in prints
    as a line to write on (本部门2023年度申请预算资金________万元), never as nothing.
    """
    note = declaration.special_projects_note.strip().rstrip("。")
    total = format_amount(declaration.total_budget) or BLANK_AMOUNT
    sentence = f"本部门{declaration.fiscal_year}年度申请预算资金{total}{declaration.amount_unit}"
    return f"{sentence}，{note}。" if note else f"{sentence}。"


def _compact(text: str) -> str:
    """Text compared for meaning: full-width forms folded, spaces and end stops dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).replace(",", "，").rstrip("。.")


def states_amount(text: str, label: str, amount: Decimal | None) -> bool:
    """Whether ``text`` says ``label`` (申请预算资金, 预算资金) is ``amount`` (万元): the first
    number after the label, up to the end of its sentence, equals it (184 = 184.00)."""
    if amount is None:
        return False
    folded = unicodedata.normalize("NFKC", text)
    for match in re.finditer(re.escape(label), folded):
        rest = re.split(r"[。；;\n]", folded[match.end() :], maxsplit=1)[0]
        numbers = numbers_in(rest)
        if numbers and numbers[0] == amount:
            return True
    return False


def printed_budget_sentence(declaration: Declaration) -> str:
    """The budget sentence as printed before 总体绩效目标, or "" when the clerk's 总体绩效目标
    already says it (contains the sentence, or 申请预算资金 with the same amount, as the
    seed document's text does) — so that it is not printed twice."""
    sentence = budget_sentence(declaration)
    typed = declaration.overall_target
    if _compact(sentence) in _compact(typed):
        return ""
    if states_amount(typed, "申请预算资金", declaration.total_budget):
        return ""
    return sentence


def one_line(text: str) -> str:
    """``text`` with its line breaks (and the blanks around them) taken out: a § 二
    statement is one sentence, however its cell was typed or pasted (Alt+Enter, a cell
    of a sheet with wrapped lines). Chinese runs on without a space; between two Latin
    letters or digits a space stays, so words do not run together."""
    return re.sub(
        r"\s*[\r\n\u2028\u2029]+\s*",
        lambda m: " " if _latin_around(m) else "",
        text.strip(),
    )


def _latin_around(match: re.Match[str]) -> bool:
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    return before.isascii() and before.isalnum() and after.isascii() and after.isalnum()


def states_label(text: str, label: str) -> bool:
    """Whether a § 二 statement's ``text`` begins with its level-2 ``label`` (after an
    optional number such as （1） or 1.), as the clerk copied it from the document:
    "（1）数量指标。完成接待批次…" begins with 数量指标."""
    folded = unicodedata.normalize("NFKC", text).lstrip()
    folded = re.sub(r"^(\([0-9]+\)|[0-9]+[.、])\s*", "", folded)
    return folded.startswith(unicodedata.normalize("NFKC", label))


def item_target_heading(item_target: ItemTarget, amount_unit: str) -> str:
    """The printed heading of an item target (接待活动管理经费项目，预算资金184万元): its name,
    and its 预算资金 unless the name already says it."""
    if item_target.budget is None or states_amount(
        item_target.title, "预算资金", item_target.budget
    ):
        return item_target.title
    return f"{item_target.title}，预算资金{format_amount(item_target.budget)}{amount_unit}"
