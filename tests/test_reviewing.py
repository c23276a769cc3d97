"""Review of an open document: explanations stored in the file, the printout's verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desktop.models import BudgetProject, Declaration
from desktop.review import FindingStatus, RuleId, Severity
from desktop.services.documents import export_json_text
from desktop.services.editing import set_field
from desktop.services.printing import print_document
from desktop.services.reviewing import explain_finding, review_document
from desktop.storage.document import open_document


def _warning(document):
    return next(f for f in review_document(document) if f.severity is Severity.WARNING)


def _declaration_uuid(document) -> str:
    with document.session() as session:
        return session.scalars(select(Declaration.uuid)).one()


def test_explanation_is_stored_and_travels(sample_path: Path) -> None:
    """An explained 警告 is 已说明 after reopening, and the explanation is in the JSON form."""
    document = open_document(sample_path)
    warning = _warning(document)
    explain_finding(
        document,
        declaration_uuid=_declaration_uuid(document),
        finding=warning,
        text="完成值为上年实际，保留供对比。",
    )
    document.close()
    reopened = open_document(sample_path)
    explained = next(f for f in review_document(reopened) if f.key == warning.key)
    assert explained.status is FindingStatus.EXPLAINED
    exported = json.loads(export_json_text(reopened))
    (entry,) = exported["declarations"][0]["finding_explanations"]
    assert entry["rule"] == "values.actual" and entry["text"] == "完成值为上年实际，保留供对比。"
    explain_finding(
        reopened, declaration_uuid=_declaration_uuid(reopened), finding=warning, text=""
    )
    unexplained = next(f for f in review_document(reopened) if f.key == warning.key)
    assert unexplained.status is FindingStatus.WARNING
    reopened.close()


def test_explanation_must_say_something(sample_path: Path) -> None:
    """A too short explanation, or one for an 错误 or 提示, is refused in Chinese."""
    document = open_document(sample_path)
    uuid = _declaration_uuid(document)
    with pytest.raises(ValueError, match="说明太短"):
        explain_finding(document, declaration_uuid=uuid, finding=_warning(document), text="好")
    hint = next(f for f in review_document(document) if f.severity is Severity.HINT)
    with pytest.raises(ValueError, match="只有“警告”"):
        explain_finding(document, declaration_uuid=uuid, finding=hint, text="这是一个说明")
    document.close()


def test_printout_with_errors_says_review_failed(sample_path: Path, tmp_path: Path) -> None:
    """Printing with open 错误 works, and every page's footer says 审核未通过."""
    document = open_document(sample_path)
    clean = tmp_path / "clean.pdf"
    print_document(document, clean)
    assert all("审核未通过" not in p.extract_text() for p in PdfReader(clean).pages)
    with document.session() as session:
        project = session.scalars(select(BudgetProject).order_by(BudgetProject.id)).first()
    set_field(
        document, row_type=BudgetProject, row_uuid=project.uuid, field="fiscal_funds", value="1"
    )
    broken = tmp_path / "broken.pdf"
    pages = print_document(document, broken)
    document.close()
    texts = [page.extract_text() for page in PdfReader(broken).pages]
    assert len(texts) == pages
    assert all("审核未通过（1 个错误）" in text for text in texts)


def test_each_print_is_recorded(sample_path: Path, tmp_path: Path) -> None:
    """A print adds a record (time, fingerprint, parts) to the file; the content's
    fingerprint stays what the page footers say."""
    from desktop.reports.pdf import PrintOptions
    from desktop.services.documents import load_declarations
    from desktop.storage.interchange import fingerprint, short_fingerprint

    document = open_document(sample_path)
    with document.session() as session:
        before = fingerprint(load_declarations(session)[0])
    print_document(document, tmp_path / "a.pdf", options=PrintOptions(part1=False))
    print_document(document, tmp_path / "preview.pdf", record=False)
    document.close()
    reopened = open_document(sample_path)
    with reopened.session() as session:
        (declaration,) = load_declarations(session)
        (printed,) = declaration.print_records
        assert fingerprint(declaration) == before
    reopened.close()
    assert printed.fingerprint == before and printed.parts == "第二部分"
    footer = PdfReader(tmp_path / "a.pdf").pages[0].extract_text()
    assert f"指纹 {short_fingerprint(before)}" in footer


def test_review_flags_what_deleting_projects_and_clearing_the_total_leave(
    sample_path: Path,
) -> None:
    """The newcomer's trial: a deleted project leaves its 分项目标 unlinked with 8.87 万元
    (警告 on its 预算资金); with every project deleted the total no longer matches (警告);
    an empty 申请预算资金 is a 必填项 (错误). Each finding points at the field to fix."""
    from desktop.services.structure import remove_row

    document = open_document(sample_path)
    uuid = _declaration_uuid(document)
    with document.session() as session:
        projects = list(session.scalars(select(BudgetProject).order_by(BudgetProject.position)))
        project_uuids = [p.uuid for p in projects]
    remove_row(document, row_type=BudgetProject, row_uuid=project_uuids[0])  # 8.87 万元
    (unlinked,) = [f for f in review_document(document) if f.rule == RuleId.ITEM_UNLINKED]
    assert unlinked.severity is Severity.WARNING and "8.87 万元" in unlinked.message
    assert unlinked.location.place == "分项目标“公务用车平台建设经费”的“预算资金”"
    assert (unlinked.location.table, unlinked.location.field) == ("item_target", "budget")
    for project_uuid in project_uuids[1:]:
        remove_row(document, row_type=BudgetProject, row_uuid=project_uuid)
    findings = review_document(document)
    (total,) = [f for f in findings if f.rule == RuleId.TOTAL_VS_PROJECTS]
    assert total.severity is Severity.WARNING and "492.87 万元" in total.message
    assert (total.location.table, total.location.field) == ("declaration", "total_budget")
    assert len([f for f in findings if f.rule == RuleId.ITEM_UNLINKED]) == 3
    set_field(document, row_type=Declaration, row_uuid=uuid, field="total_budget", value="")
    findings = review_document(document)
    (required,) = [f for f in findings if f.location.field == "total_budget"]
    assert (required.rule, required.severity) == (RuleId.FIELDS, Severity.ERROR)
    assert "申请预算资金" in required.message and required.location.place.startswith("部门整体")
    document.close()


def _county(tmp_path: Path) -> Path:
    """A small 汇总 file: three units of two budget projects × three indicators."""
    from benchmarks.generate import write_county

    return write_county(tmp_path / "county.jxdb", units=3, projects=2, indicators=3)


class _Loaded:
    """Counts the rows of ``row_type`` the ORM loads, and how many of them are alive."""

    def __init__(self, row_type: type) -> None:
        import weakref

        from sqlalchemy import event

        self.count = 0
        self._alive: weakref.WeakSet = weakref.WeakSet()
        self._row_type = row_type

        def loaded(target, _context) -> None:
            self.count += 1
            self._alive.add(target)

        self._listener = loaded
        event.listen(row_type, "load", loaded)

    def alive(self) -> int:
        import gc

        gc.collect()
        return len(self._alive)

    def close(self) -> None:
        from sqlalchemy import event

        event.remove(self._row_type, "load", self._listener)


@pytest.fixture
def loaded_declarations():
    counter = _Loaded(Declaration)
    yield counter
    counter.close()


@pytest.fixture
def loaded_indicators():
    from desktop.models import Indicator

    counter = _Loaded(Indicator)
    yield counter
    counter.close()


def test_check_document_loads_the_shown_declaration_only(
    tmp_path: Path, loaded_declarations: _Loaded
) -> None:
    """The panel's re-check reads the unit shown, not the other units of a 汇总 file."""
    from desktop.services.documents import declaration_choices
    from desktop.services.reviewing import check_document

    document = open_document(_county(tmp_path))
    shown = declaration_choices(document)[1][0]
    findings, short = check_document(document, shown)
    assert loaded_declarations.count == 1
    assert short and all(f.location.row_uuid for f in findings if f.location.row_uuid)
    document.close()


def test_check_document_keeps_findings_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unit reviewed before is not reviewed again while its content is the same (the
    clerk went back to it, or undid the edit); an edit makes it reviewed once, and the
    other units' findings stay kept."""
    from desktop.services import reviewing
    from desktop.services.documents import declaration_choices

    calls: list[str] = []
    real_review = reviewing.review

    def counted(declaration, **kwargs):
        calls.append(declaration.uuid)
        return real_review(declaration, **kwargs)

    monkeypatch.setattr(reviewing, "review", counted)
    document = open_document(_county(tmp_path))
    first, second = (uuid for uuid, _ in declaration_choices(document)[:2])
    memory: reviewing.ReviewMemory = {}
    before, _ = reviewing.check_document(document, first, memory)
    reviewing.check_document(document, second, memory)
    again, _ = reviewing.check_document(document, first, memory)
    assert calls == [first, second] and again == before
    with document.session() as session:
        project = session.scalars(
            select(BudgetProject.uuid)
            .join(Declaration)
            .where(Declaration.uuid == first)
            .order_by(BudgetProject.position)
        ).first()
    set_field(document, row_type=BudgetProject, row_uuid=project, field="name", value="")
    after, _ = reviewing.check_document(document, first, memory)
    reviewing.check_document(document, second, memory)
    assert calls == [first, second, first]
    assert len(after) > len(before)  # the empty name is found
    document.close()


def test_review_each_holds_one_unit_at_a_time(
    tmp_path: Path, loaded_indicators: _Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``jixiao check`` (review_each) goes unit by unit: while a unit is reviewed, only that
    unit's indicators are in memory, whatever the number of units."""
    from desktop.services import reviewing

    alive = []
    real_review = reviewing.review

    def counted(declaration, **kwargs):
        alive.append(loaded_indicators.alive())
        return real_review(declaration, **kwargs)

    monkeypatch.setattr(reviewing, "review", counted)
    document = open_document(_county(tmp_path), read_only=True)
    labels = [label for label, _findings in reviewing.review_each(document)]
    document.close()
    assert len(labels) == len(alive) == 3
    assert loaded_indicators.count == 3 * 2 * 3
    assert max(alive) <= 2 * 3  # one unit's two projects × three indicators


def test_summary_holds_one_unit_at_a_time(
    tmp_path: Path, loaded_indicators: _Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``jixiao summary`` goes unit by unit too: at each unit's review, one unit's
    indicators are in memory."""
    from desktop.services import merging

    alive = []
    real_review = merging.review

    def counted(declaration, **kwargs):
        alive.append(loaded_indicators.alive())
        return real_review(declaration, **kwargs)

    monkeypatch.setattr(merging, "review", counted)
    document = open_document(_county(tmp_path), read_only=True)
    rows = merging.summarize(document)
    document.close()
    assert [row.unit_code for row in rows] == ["507001", "507002", "507003"]
    assert alive and max(alive) <= 2 * 3
