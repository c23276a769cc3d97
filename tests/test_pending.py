"""Refused input kept in the file: reopened, reviewed as 错误, named before print and export."""

from __future__ import annotations

from pathlib import Path

from desktop.models import DisbursementCheckpoint
from desktop.review import RuleId
from desktop.services import editing, pending
from desktop.services.documents import load_declarations
from desktop.services.reviewing import check_document, review_each
from desktop.storage.document import open_document
from tests.test_cli import jixiao
from tests.test_pdf import page_texts, squeeze

TEN = "项目“接待管理经费”资金支出计划 10月底"


def _ten_october(document) -> DisbursementCheckpoint:
    """10月底 of the second project (接待管理经费), which holds 80%."""
    with document.session() as session:
        project = load_declarations(session)[0].budget_projects[1]
    checkpoint = project.disbursement_plan[2]
    assert (project.name, checkpoint.label, str(checkpoint.cumulative_percent)) == (
        "接待管理经费",
        "10月底",
        "80",
    )
    return checkpoint


def _refuse_120(document) -> DisbursementCheckpoint:
    """Type 120 into 10月底 as the window does: the service refuses it, the input is kept."""
    checkpoint = _ten_october(document)
    try:
        editing.parse_field(DisbursementCheckpoint, "cumulative_percent", "120")
    except ValueError as exc:
        reason = str(exc)
    pending.keep_input(
        document,
        row_type=DisbursementCheckpoint,
        row_uuid=checkpoint.uuid,
        field="cumulative_percent",
        text="120",
        reason=reason,
    )
    return checkpoint


def test_refused_input_survives_reopening_and_is_an_error_at_its_cell(sample_path: Path) -> None:
    """120 typed in 10月底 is in the file after reopening, beside the stored 80; the 审核
    lists it as an 错误 located at that cell, saying what prints."""
    document = open_document(sample_path)
    checkpoint = _refuse_120(document)
    document.close()
    document = open_document(sample_path)
    kept = pending.pending_inputs(document, [checkpoint.uuid])
    assert kept[(checkpoint.uuid, "cumulative_percent")].text == "120"
    assert "0～100%" in kept[(checkpoint.uuid, "cumulative_percent")].reason
    findings, _ = check_document(document)
    first = findings[0]
    assert (first.rule, first.severity.value) == (RuleId.REFUSED_INPUT, "错误")
    assert (first.location.row_uuid, first.location.field) == (
        checkpoint.uuid,
        "cumulative_percent",
    )
    assert first.location.place == TEN
    assert "输入“120”未被接受，文件中和打印的是 80%" in first.message
    assert pending.document_notes(document) == [f"{TEN}：输入的“120”未被接受，打印的是 80%"]
    document.close()


def test_a_stored_value_replaces_the_refused_input(sample_path: Path) -> None:
    """A good value stored in the field — or the old one typed again — forgets the input."""
    document = open_document(sample_path)
    checkpoint = _refuse_120(document)
    editing.set_field(
        document,
        row_type=DisbursementCheckpoint,
        row_uuid=checkpoint.uuid,
        field="cumulative_percent",
        value="80",  # equal to the stored value: nothing changes but the input goes
    )
    assert pending.pending_inputs(document, [checkpoint.uuid]) == {}
    _refuse_120(document)
    editing.set_field(
        document,
        row_type=DisbursementCheckpoint,
        row_uuid=checkpoint.uuid,
        field="cumulative_percent",
        value="90",
    )
    assert pending.pending_inputs(document, [checkpoint.uuid]) == {}
    refused = [f for _, found in review_each(document) for f in found]
    assert not [f for f in refused if f.rule == RuleId.REFUSED_INPUT]
    document.close()


def test_cli_names_refused_input_before_print_and_check_fails(sample_path: Path) -> None:
    """jixiao print says on stderr what is printed instead of the typed input ("…10月底：
    输入的“120”未被接受" — no stray space, no doubled 的); the PDF has 80%; check exits 1
    with the 错误 listed once (not again on stderr); export-xlsx says it too."""
    document = open_document(sample_path)
    _refuse_120(document)
    document.close()
    folder = sample_path.parent
    printed = jixiao("print", str(sample_path), "-o", "out.pdf", cwd=folder)
    assert printed.returncode == 0
    assert f"{TEN}：输入的“120”未被接受，打印的是 80%" in printed.stderr
    assert "120%" not in squeeze("".join(page_texts(folder / "out.pdf")))
    checked = jixiao("check", str(sample_path), cwd=folder)
    assert checked.returncode == 1
    assert "120" not in checked.stderr  # said once, as the 错误 it is, not again as 注意
    assert f"【错误】{TEN}：输入“120”未被接受，文件中和打印的是 80%" in checked.stdout
    assert checked.stdout.count("输入“120”") == 1
    exported = jixiao("export-xlsx", str(sample_path), "-o", "out.xlsx", cwd=folder)
    assert exported.returncode == 0 and "导出的是 80%" in exported.stderr


def test_generated_item_targets_replace_refused_input(sample_path: Path) -> None:
    """从项目表生成 stores 名称 and 预算资金 of each item target: input refused there before
    is forgotten, as when the clerk stores a value."""
    from desktop.models import ItemTarget
    from desktop.services import structure

    document = open_document(sample_path)
    with document.session() as session:
        declaration = load_declarations(session)[0]
    item = declaration.item_targets[0]
    pending.keep_input(
        document, row_type=ItemTarget, row_uuid=item.uuid, field="budget", text="一百", reason="…"
    )
    structure.generate_item_targets(document, declaration_uuid=declaration.uuid)
    assert pending.pending_inputs(document, [item.uuid]) == {}
    document.close()
