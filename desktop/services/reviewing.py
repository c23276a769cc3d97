"""Review (审核) of an open document, and the clerk's explanations of warnings. No Qt."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sqlalchemy import select

from desktop.models import Declaration, FindingExplanation
from desktop.models.base import utc_now
from desktop.review import Finding, Severity, review
from desktop.services.documents import (
    declaration_label,
    each_declaration,
    load_declaration,
)
from desktop.services.editing import RowNotFoundError
from desktop.storage.collection import Collection
from desktop.storage.document import Document
from desktop.storage.interchange import fingerprint, short_fingerprint

#: An explanation must say something: at least this many characters besides spaces.
MIN_EXPLANATION_LENGTH = 4


def review_document(document: Document) -> list[Finding]:
    """The findings of every declaration in ``document`` (each declaration's errors first)."""
    return [finding for _, findings in review_each(document) for finding in findings]


def review_each(
    document: Document | Collection, declaration_uuid: str | None = None
) -> Iterator[tuple[str, list[Finding]]]:
    """Per declaration, in file order: its label (单位编码 单位名称 年度) and its findings
    (only the declaration ``declaration_uuid`` names, when given).

    One declaration is loaded at a time and let go before the next (``each_declaration``:
    a county's 汇总 file or a bureau's collection of thousands of units is read in the
    memory of one unit)."""
    for declaration in each_declaration(document, declaration_uuid):
        yield declaration_label(declaration), review(declaration)


#: The findings of a declaration kept with the content they were made from:
#: {declaration UUID: (review key, findings)} (see ``check_document``).
ReviewMemory = dict[str, tuple[str, list[Finding]]]


def check_document(
    document: Document, declaration_uuid: str | None = None, memory: ReviewMemory | None = None
) -> tuple[list[Finding], str]:
    """The findings and the short fingerprint of the declaration shown (``declaration_uuid``;
    the first one when None or not in the file), loading that declaration only (the window
    refreshes both after every edit). ``([], "")`` for a file without declarations.
    The findings are those of the editing moment: what is not filled in yet is 待填写.

    ``memory`` keeps each declaration's findings with its content hash (``review_key``):
    a declaration whose content is as when it was last reviewed (the clerk went back to
    a unit, or undid an edit) is not reviewed again; the others' findings stay kept."""
    with document.session() as session:  # rules name rows by their parents: keep it open
        shown = load_declaration(session, declaration_uuid or "")
        if shown is None:
            return [], ""
        content = fingerprint(shown)
        key = review_key(shown, content)
        kept = None if memory is None else memory.get(shown.uuid)
        if kept is not None and kept[0] == key:
            findings = kept[1]
        else:
            findings = review(shown, final=False)
            if memory is not None:
                memory[shown.uuid] = (key, findings)
        return findings, short_fingerprint(content)


def review_key(declaration: Declaration, content_fingerprint: str) -> str:
    """A hash of everything the review of ``declaration`` depends on: its content
    (``content_fingerprint``, from ``interchange.fingerprint``), the identities of its rows
    in form order (findings point at rows by UUID), the clerk's explanations and the
    refused inputs kept in the file."""
    digest = hashlib.sha256(content_fingerprint.encode())
    for row in declaration.form_rows():
        digest.update(row.uuid.encode())
    for explanation in sorted(
        (e.rule, e.row_uuid, e.field, e.text) for e in declaration.finding_explanations
    ):
        digest.update(repr(explanation).encode())
    for kept in sorted(
        (p.row_table, p.row_uuid, p.field, p.text, p.reason) for p in declaration.pending_inputs
    ):
        digest.update(repr(kept).encode())
    return digest.hexdigest()


def count_errors(findings: list[Finding]) -> int:
    """How many findings are 错误 (they make a printout say 审核未通过): give it the findings
    of the final moment (``review(…, final=True)``), where 待填写 is an 错误 again."""
    return sum(1 for finding in findings if finding.severity is Severity.ERROR)


def printed_error_count(document: Document) -> int:
    """The 错误 the printout's footers count in ``document`` (all its declarations): the
    final review, where 待填写 is an 错误 again (issue 17); 0 when the file went away."""
    from desktop.storage.errors import DocumentFileError

    try:
        return count_errors(review_document(document))
    except DocumentFileError:
        return 0


def printed_errors_sentence(errors: int) -> str:
    """What to tell the clerk before printing, previewing or exporting a PDF with
    ``errors`` (> 0) 错误: the screen's 审核 counts 待填写 apart, the footers do not."""
    return (
        f"审核未通过：有 {errors} 个错误（“待填写”的必填内容打印时也算错误），"
        f"打印件每页页脚注明“审核未通过（{errors} 个错误）”。"
    )


def explain_finding(
    document: Document | Collection, *, declaration_uuid: str, finding: Finding, text: str
) -> None:
    """Store (or replace) the clerk's written explanation of a 警告; empty text removes it.

    Raises ``ValueError`` (Chinese) when the finding is not a 警告 or the text is shorter
    than a short sentence, and ``RowNotFoundError`` when the declaration is gone.
    """
    text = text.strip()
    if finding.severity is not Severity.WARNING:
        raise ValueError("只有“警告”可以填写说明；“错误”必须改正，“提示”无需说明。")
    if text and len(text.replace(" ", "")) < MIN_EXPLANATION_LENGTH:
        raise ValueError(f"说明太短，请用一句话（至少 {MIN_EXPLANATION_LENGTH} 个字）写明理由。")
    rule, row_uuid, field = finding.key
    with document.session() as session:
        # the unit's row is locked until commit: two reviewers of a collection explaining
        # at once write one after the other, never two explanations of one finding
        # (SQLite, one writer at a time anyway, has no FOR UPDATE)
        declaration = session.scalars(
            select(Declaration).where(Declaration.uuid == declaration_uuid).with_for_update()
        ).one_or_none()
        if declaration is None:
            raise RowNotFoundError("要说明的绩效目标已不存在，请刷新后重试。")
        existing = next(
            (
                e
                for e in declaration.finding_explanations
                if finding.key == (e.rule, e.row_uuid, e.field)
            ),
            None,
        )
        if existing is not None and not text:
            declaration.finding_explanations.remove(existing)
        elif existing is not None:
            existing.text = text
            existing.modified_at = utc_now()
        elif text:
            declaration.finding_explanations.append(
                FindingExplanation(rule=rule, row_uuid=row_uuid, field=field, text=text)
            )
