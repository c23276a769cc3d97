"""Merging another office's file: classification, choices, report, backup, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.file_words import Advice, error_words, skipped_report, skipped_words
from desktop.models import BudgetProject, Declaration, Indicator
from desktop.services.backups import list_backups
from desktop.services.documents import load_declarations
from desktop.services.editing import set_field
from desktop.services.merging import (
    MergeResult,
    NothingMergedError,
    decision_key,
    merge_files,
    preview_merge,
)
from desktop.services.structure import remove_row
from desktop.storage.document import Document, create_document, open_document
from desktop.storage.errors import DocumentFileError, DocumentWriteError
from desktop.storage.interchange import dump_row
from desktop.storage.merge import Choice, Kind, Policy, Status
from desktop.storage.reasons import ReadOnlyCause
from tests.conftest import (
    BAD_FILE_LINES,
    BAD_FILE_REASONS,
    file_digest,
    received_folder,
    table_rows,
)


def _snapshot(document: Document) -> list[dict]:
    with document.session() as session:
        return [dump_row(d) for d in load_declarations(session)]


def _uuids(document: Document) -> tuple[str, list[str]]:
    with document.session() as session:
        (declaration,) = load_declarations(session)
        return declaration.uuid, [p.uuid for p in declaration.budget_projects]


@pytest.fixture
def copies(sample_path: Path, tmp_path: Path):
    """Two byte copies of the sample, A and B, edited differently as in the issue:
    A edits project 1, B edits project 2 and the header, both edit project 3."""
    b_path = tmp_path / "b.jxdb"
    shutil.copyfile(sample_path, b_path)
    a, b = open_document(sample_path), open_document(b_path)
    declaration, projects = _uuids(a)
    edit = dict(row_type=BudgetProject, field="use_of_funds")
    set_field(a, row_uuid=projects[0], value="甲科室改的资金用途", **edit)
    set_field(b, row_uuid=projects[1], value="乙科室改的资金用途", **edit)
    set_field(b, row_type=Declaration, row_uuid=declaration, field="total_budget", value="500")
    set_field(a, row_uuid=projects[2], value="甲的说法", **edit)
    set_field(b, row_uuid=projects[2], value="乙的说法", **edit)
    b.close()
    yield a, b_path, declaration, projects
    a.close()


def _by_unit(items):
    return {item.unit_uuid: item for item in items}


def test_merge_two_copies_gives_the_choices_a_clerk_expects(copies) -> None:
    """Copy A edits project 1, copy B project 2 and the header, both project 3: changed
    here / changed there / changed on both sides, with the differing fields side by side."""
    a, b_path, declaration, projects = copies
    before = _snapshot(a)
    items = _by_unit(preview_merge(a, [b_path]).items)
    assert _snapshot(a) == before  # a preview writes nothing
    assert items[declaration].status is Status.CHANGED_THERE
    assert items[projects[0]].status is Status.CHANGED_HERE
    assert items[projects[1]].status is Status.CHANGED_THERE
    assert items[projects[2]].status is Status.CHANGED_BOTH
    assert len(items) == 4
    (header_difference,) = items[declaration].differences
    assert (header_difference.label, header_difference.mine, header_difference.theirs) == (
        "申请预算资金",
        "492.87",
        "500",
    )
    (both,) = items[projects[2]].differences
    assert (both.place, both.label, both.mine, both.theirs) == (
        "项目“综合服务管理经费”",
        "资金用途",
        "甲的说法",
        "乙的说法",
    )
    assert items[projects[0]].choice is Choice.MINE
    assert items[projects[1]].choice is Choice.THEIRS
    assert items[projects[2]].choices == (Choice.THEIRS, Choice.MINE, Choice.BOTH)


def test_merge_applies_choices_keeping_uuids_and_times(copies) -> None:
    """Taken rows keep the other file's UUIDs and modification times (never the merge
    time); kept rows are untouched; the report lists every decision; a backup is made."""
    a, b_path, _declaration, projects = copies
    b = open_document(b_path)
    theirs = {p["uuid"]: p for p in _snapshot(b)[0]["budget_projects"]}
    their_header = _snapshot(b)[0]
    b.close()
    mine_before = {p["uuid"]: p for p in _snapshot(a)[0]["budget_projects"]}
    items = preview_merge(a, [b_path]).items
    decisions = {decision_key(i): Choice.THEIRS for i in items if i.unit_uuid == projects[2]}
    result = merge_files(a, [b_path], decisions=decisions)
    after = _snapshot(a)[0]
    merged = {p["uuid"]: p for p in after["budget_projects"]}
    assert merged[projects[0]] == mine_before[projects[0]]
    assert merged[projects[1]] == theirs[projects[1]]  # uuids and modified_at included
    assert merged[projects[2]] == theirs[projects[2]]
    assert after["total_budget"] == "500"
    assert after["modified_at"] == their_header["modified_at"]
    assert [p["uuid"] for p in after["budget_projects"]] == projects
    report = "\n".join(result.report())
    assert "项目“接待管理经费”：对方修改（1 处不同） → 采用对方" in report
    assert "本方修改（1 处不同） → 保留本方" in report
    assert "双方都改（1 处不同） → 采用对方" in report
    assert [backup.reason for backup in list_backups(a.path)] == ["merge"]


@pytest.mark.parametrize("choice", [Choice.THEIRS, Choice.BOTH])
def test_a_merge_returns_its_changes_which_undo_and_redo_it(copies, tmp_path, choice) -> None:
    """The merge's Changes, row by row: their inverse puts the file back as it was before
    the merge (same UUIDs, times, links) and the Changes again make it as merged. B also
    removed a project (linked to an item target), added a key task and a whole unit."""
    from benchmarks.generate import write_synthetic
    from desktop.models import KeyTask
    from desktop.services.structure import apply_changes, insert_row

    a, b_path, declaration, projects = copies
    b = open_document(b_path)
    remove_row(b, row_type=BudgetProject, row_uuid=projects[0])
    insert_row(b, row_type=KeyTask, parent_uuid=declaration, index=0, values={"title": "新任务"})
    b.close()
    unit = write_synthetic(tmp_path / "unit.jxdb", 2, 3, unit=7)
    before = _snapshot(a)
    items = preview_merge(a, [b_path, unit]).items
    decisions = {decision_key(i): choice for i in items if choice in i.choices}
    result = merge_files(a, [b_path, unit], decisions=decisions)
    merged = _snapshot(a)
    assert merged != before and len(merged) == len(before) + 1 + (choice is Choice.BOTH)
    changes = result.changes
    assert {c.row_type for c in changes.inserted} >= {Declaration, BudgetProject}
    assert all(c.row_type is Declaration for c in changes.fields)
    apply_changes(a, changes.inverse())
    assert _snapshot(a) == before
    apply_changes(a, changes)
    assert _snapshot(a) == merged


def test_undoing_a_merge_takes_its_content_history_out_again(copies) -> None:
    """The history rows a merge added (B's history, the merged contents) leave the file
    with its undo and come back with its redo: after the undo, B's project 2 edit is again
    a change of theirs (their content is not in A's past), so merging B again takes it."""
    from desktop.services.structure import apply_changes
    from desktop.storage.history import content_hash, history, unit_data

    def past(document: Document) -> set[tuple[str, str]]:
        with document.session() as session:
            return {(u, h) for u, found in history(session).items() for h in found}

    def present(document: Document) -> set[tuple[str, str]]:
        """The units' contents now (the undo's commit records them, as any commit does)."""
        with document.session() as session:
            units = [u for d in load_declarations(session) for u in (d, *d.budget_projects)]
            return {(u.uuid, content_hash(unit_data(u))) for u in units}

    a, b_path, _, _ = copies
    before = past(a)
    result = merge_files(a, [b_path])
    merged = past(a)
    assert merged != before and result.changes.history
    apply_changes(a, result.changes.inverse())
    assert past(a) - before <= present(a)  # nothing of B's past stays
    assert not (past(a) - present(a)) & set(result.changes.history)
    again = preview_merge(a, [b_path]).items
    assert [i.status for i in again] == [i.status for i in result.items]
    apply_changes(a, result.changes)
    assert past(a) >= merged


def test_a_merge_reads_back_only_the_units_it_must(sample_path, tmp_path, monkeypatch) -> None:
    """Units a merge adds are told as written, not read again (a 汇总 of hundreds of new
    units); one added by a file and changed by a later file of the same merge is read at
    the end, and the Changes still undo and redo the merge exactly."""
    from benchmarks.generate import write_synthetic
    from desktop.services import merging as service
    from desktop.services.structure import apply_changes

    first = write_synthetic(tmp_path / "u1.jxdb", 2, 3, unit=1)
    later = tmp_path / "u1-later.jxdb"
    shutil.copyfile(first, later)
    edited = open_document(later)
    with edited.session() as session:
        (unit,) = load_declarations(session)
    set_field(edited, row_type=Declaration, row_uuid=unit.uuid, field="unit_name", value="改名")
    edited.close()
    other = write_synthetic(tmp_path / "u2.jxdb", 2, 3, unit=2)
    reads: list[str] = []
    real = service.load_declaration
    monkeypatch.setattr(
        service, "load_declaration", lambda s, uuid="", **k: reads.append(uuid) or real(s, uuid)
    )
    target = open_document(sample_path)
    try:
        before = _snapshot(target)
        result = merge_files(target, [other])
        assert reads == []  # the new unit is told as written
        after_other = _snapshot(target)
        apply_changes(target, result.changes.inverse())
        assert _snapshot(target) == before
        apply_changes(target, result.changes)
        assert _snapshot(target) == after_other
        result = merge_files(target, [first, later])
        assert reads == [unit.uuid]  # added by the first file, changed by the later one
        merged = _snapshot(target)
        assert [d["unit_name"] for d in merged if d["uuid"] == unit.uuid] == ["改名"]
        apply_changes(target, result.changes.inverse())
        assert _snapshot(target) == after_other
        apply_changes(target, result.changes)
        assert _snapshot(target) == merged
    finally:
        target.close()


def test_merge_again_finds_what_was_already_seen(copies) -> None:
    """After a merge, merging the same file again shows only what mine still changed."""
    a, b_path, declaration, projects = copies
    merge_files(a, [b_path])  # newer: B's project 3 (edited later) is taken
    statuses = {i.unit_uuid: i.status for i in preview_merge(a, [b_path]).items}
    assert statuses == {
        declaration: Status.IDENTICAL,
        projects[0]: Status.CHANGED_HERE,
        projects[1]: Status.IDENTICAL,
        projects[2]: Status.IDENTICAL,
    }


def test_merge_the_other_way_round(copies, tmp_path: Path) -> None:
    """Merging A into B classifies from B's side: A's edit is "changed there"."""
    a, b_path, declaration, projects = copies
    a.close()
    b = open_document(b_path)
    try:
        statuses = {i.unit_uuid: i.status for i in preview_merge(b, [a.path]).items}
    finally:
        b.close()
    assert statuses[projects[0]] is Status.CHANGED_THERE
    assert statuses[projects[1]] is Status.CHANGED_HERE
    assert statuses[declaration] is Status.CHANGED_HERE
    assert statuses[projects[2]] is Status.CHANGED_BOTH


def test_keep_both_adds_their_copy_with_new_uuids(copies) -> None:
    """两份都保留 keeps mine and puts theirs, with new UUIDs and the name of its file in its
    name, right after it."""
    a, b_path, _declaration, projects = copies
    items = preview_merge(a, [b_path]).items
    decisions = {decision_key(i): Choice.BOTH for i in items if i.unit_uuid == projects[2]}
    merge_files(a, [b_path], decisions=decisions)
    after = _snapshot(a)[0]["budget_projects"]
    assert [p["use_of_funds"] for p in after[2:]] == ["甲的说法", "乙的说法"]
    assert after[2]["uuid"] == projects[2]
    assert after[3]["uuid"] not in projects
    assert after[3]["name"] == f"{after[2]['name']}（来自“{b_path.stem}”）"
    assert len({i["uuid"] for p in after for i in p["indicators"]}) == sum(
        len(p["indicators"]) for p in after
    )


def test_rows_on_one_side_only_are_reported_and_never_dropped(copies) -> None:
    """A project only in the other file is offered as new; one only here is kept unless
    the clerk chooses to remove it; one removed here and unchanged there stays removed."""
    a, b_path, _declaration, projects = copies
    remove_row(a, row_type=BudgetProject, row_uuid=projects[1])
    b = open_document(b_path)
    remove_row(b, row_type=BudgetProject, row_uuid=projects[0])
    b.close()
    items = _by_unit(preview_merge(a, [b_path]).items)
    only_mine = items[projects[0]]
    assert only_mine.status is Status.ONLY_MINE
    assert only_mine.choice is Choice.MINE
    assert only_mine.note == "对方文件中没有此项目"
    removed_here = items[projects[1]]
    assert removed_here.status is Status.NEW
    assert removed_here.note == "本方已删除此项目，对方此后又作了修改"
    assert removed_here.choice is Choice.THEIRS  # they changed it since: bring it back
    merge_files(a, [b_path])
    assert [p["uuid"] for p in _snapshot(a)[0]["budget_projects"]] == projects
    items = preview_merge(a, [b_path]).items
    decisions = {decision_key(i): Choice.THEIRS for i in items if i.unit_uuid == projects[0]}
    result = merge_files(a, [b_path], decisions=decisions)
    assert projects[0] not in [p["uuid"] for p in _snapshot(a)[0]["budget_projects"]]
    assert any("对方没有" in line and "→ 已删除" in line for line in result.report())


def test_policies_mine_and_theirs(copies) -> None:
    """--policy mine keeps every unit of the target; theirs takes every differing unit."""
    a, b_path, _declaration, _projects = copies
    before = _snapshot(a)
    merge_files(a, [b_path], policy=Policy.MINE)
    after = _snapshot(a)
    assert [p["use_of_funds"] for p in after[0]["budget_projects"]] == [
        p["use_of_funds"] for p in before[0]["budget_projects"]
    ]
    merge_files(a, [b_path], policy=Policy.THEIRS)
    b = open_document(b_path)
    theirs = _snapshot(b)
    b.close()
    assert _snapshot(a)[0]["budget_projects"] == theirs[0]["budget_projects"]


def test_units_sharing_template_uuids_are_not_merged_into_one(sample_path, tmp_path) -> None:
    """Two units whose files come from one blank template share UUIDs: the other unit's
    declaration is added as a new one (with new UUIDs), not merged into ours."""
    other = tmp_path / "other.jxdb"
    shutil.copyfile(sample_path, other)
    document = open_document(other)
    declaration, _ = _uuids(document)
    set_field(document, row_type=Declaration, row_uuid=declaration, field="unit_code", value="9")
    set_field(document, row_type=Declaration, row_uuid=declaration, field="unit_name", value="乙")
    document.close()
    target = open_document(sample_path)
    try:
        (item,) = preview_merge(target, [other]).items
        assert (item.kind, item.status, item.choice) == (
            Kind.DECLARATION,
            Status.NEW,
            Choice.THEIRS,
        )
        merge_files(target, [other])
        after = _snapshot(target)
    finally:
        target.close()
    assert [d["unit_name"] for d in after] == ["乐亭县机关事务中心", "乙"]
    assert after[0]["uuid"] != after[1]["uuid"]


def test_bad_files_are_skipped_and_the_good_one_merged(sample_path: Path, tmp_path: Path) -> None:
    """A folder holding a good file, a text file renamed .jxdb, a truncated file and an empty
    file: the good one is merged, exactly as if merged alone; the three are skipped, each
    named with its reason, in the preview and the report; no received file is changed."""
    from benchmarks.generate import write_synthetic

    good = write_synthetic(tmp_path / "unit.jxdb", 2, 3, unit=7)
    sources = received_folder(tmp_path / "收到", good)
    digests = [file_digest(source) for source in sources]
    alone = tmp_path / "alone.jxdb"
    shutil.copyfile(sample_path, alone)
    target = open_document(sample_path)
    try:
        preview = preview_merge(target, sources)
        assert preview is not None
        assert {item.source for item in preview.items} == {"b.jxdb"}
        reasons = [(s.name, skipped_words(s)) for s in preview.skipped]
        assert reasons == list(BAD_FILE_REASONS.items())
        result = merge_files(target, sources)
    finally:
        target.close()
    assert result is not None and result.backup is not None  # backed up before writing
    assert [(s.name, skipped_words(s)) for s in result.skipped] == list(BAD_FILE_REASONS.items())
    assert [s.path for s in result.skipped] == sources[1:]
    report = [*skipped_report(result.skipped), "", *result.report()]
    assert report[:5] == [
        "以下 3 个文件无法读取，已跳过，其中的内容没有合并。"
        "请按说明处理（通常是请该单位重新发送文件），收到后再合并一次：",
        *BAD_FILE_LINES,
        "",
    ]
    assert "整份绩效目标（2 个预算项目）：对方新增 → 已加入" in report[5]
    assert result.report() == report[5:]
    only_good = open_document(alone)
    try:
        merge_files(only_good, [sources[0]])
    finally:
        only_good.close()
    assert table_rows(sample_path) == table_rows(alone)
    assert [d["unit_name"] for d in _snapshot_of(sample_path)] == [
        "乐亭县机关事务中心",
        "乐亭县第7单位",
    ]
    assert [file_digest(source) for source in sources] == digests


def _words(error: DocumentFileError) -> str:
    """What the window and the command line both say for ``error`` (their advice apart)."""
    return error_words(error, Advice(copy="", wait=""))


def _snapshot_of(path: Path) -> list[dict]:
    document = open_document(path, read_only=True)
    try:
        return _snapshot(document)
    finally:
        document.close()


def test_only_bad_files_write_nothing_and_name_each(sample_path: Path, tmp_path: Path) -> None:
    """Only unreadable sources: ``NothingMergedError`` naming every file with its reason; the
    target is byte for byte as it was and no backup is made (preview and merge alike)."""
    sources = received_folder(tmp_path / "收到", sample_path)[1:]
    before = file_digest(sample_path)
    target = open_document(sample_path)
    try:
        for run in (preview_merge, merge_files):
            with pytest.raises(NothingMergedError) as refused:
                run(target, sources)
            assert _words(refused.value) == "\n".join(
                ["选择的 3 个文件都无法合并，未合并任何内容：", *BAD_FILE_LINES]
            )
            assert [s.name for s in refused.value.skipped] == list(BAD_FILE_REASONS)
    finally:
        target.close()
    assert file_digest(sample_path) == before
    assert list_backups(sample_path) == []


def test_the_target_among_its_sources_is_skipped(sample_path: Path, tmp_path: Path) -> None:
    """The target picked with the other files (all files of its folder selected) is skipped
    with a reason and the others merged; the target alone is refused, nothing written."""
    from benchmarks.generate import write_synthetic

    other = write_synthetic(tmp_path / "other.jxdb", 1, 2, unit=3)
    before = file_digest(sample_path)
    target = open_document(sample_path)
    try:
        with pytest.raises(NothingMergedError) as refused:
            merge_files(target, [sample_path])
        assert _words(refused.value) == (
            "“sample.jxdb”就是合并的目标文件，不能合并到它自己。请选择其他单位的文件。"
        )
        assert file_digest(sample_path) == before
        result = merge_files(target, [sample_path, other])
        assert result is not None
        assert [s.name for s in result.skipped] == ["sample.jxdb"]
        assert len(_snapshot(target)) == 2
    finally:
        target.close()


def test_stopping_a_merge_writes_nothing(sample_path: Path, tmp_path: Path) -> None:
    """A progress callback that returns False stops the merge with nothing written."""
    from benchmarks.generate import write_synthetic

    sources = [write_synthetic(tmp_path / f"u{n}.jxdb", 1, 3, unit=n) for n in range(3)]
    target = open_document(sample_path)
    try:
        assert merge_files(target, sources, progress=lambda done, total: done < 2) is None
        assert len(_snapshot(target)) == 1
        result = merge_files(target, sources, progress=lambda done, total: True)
        assert result is not None
        assert len(_snapshot(target)) == 4
    finally:
        target.close()


def _first_project_as_opened(document: Document) -> tuple[str, str, str]:
    """The first budget project's UUID (a merge unit), its content hash as the file holds
    it now, and the UUID of its first indicator."""
    from desktop.storage import history

    _, projects = _uuids(document)
    with document.session() as session:
        project = session.scalars(
            select(BudgetProject).where(BudgetProject.uuid == projects[0])
        ).one()
        return (
            project.uuid,
            history.content_hash(history.unit_data(project)),
            project.indicators[0].uuid,
        )


def test_edits_record_the_content_history(sample_path: Path) -> None:
    """A new file records every unit; the first edit of a row after opening records its
    unit's content as it was at opening (once), so that copies share it."""
    import sqlite3

    from desktop.storage import history

    raw = sqlite3.connect(sample_path)  # as a file of schema 1 or 2: no history yet
    assert raw.execute("SELECT count(*) FROM content_history").fetchone() == (4,)
    raw.execute("DELETE FROM content_history")
    raw.commit()
    raw.close()
    document = open_document(sample_path)
    try:
        unit, at_opening, indicator = _first_project_as_opened(document)
        for value in ("9", "10"):
            set_field(
                document, row_type=Indicator, row_uuid=indicator, field="target_value", value=value
            )
        with document.session() as session:
            assert history.history(session) == {unit: {at_opening}}
    finally:
        document.close()


def test_an_edit_of_several_fields_records_its_unit_as_it_was_before(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that writes several fields in one transaction (a 指标值 and the fields read
    from it) records its unit's content as it was before the edit, never a state half-way
    through it. Here the session's objects are reloaded before every record, as when Python
    has collected them between two writes: the CI run of 70da4d2 saw such a half-way state
    recorded once, in test_edits_record_the_content_history."""
    from desktop.storage import history

    real = history.record_unit_of

    def reloaded(session: Session, row_type: type, row_uuid: str) -> None:
        session.expire_all()
        real(session, row_type, row_uuid)

    monkeypatch.setattr(history, "record_unit_of", reloaded)
    document = open_document(sample_path)
    try:
        unit, at_opening, indicator = _first_project_as_opened(document)
        with document.session() as session:
            before = history.history(session)[unit]
        made = set_field(
            document, row_type=Indicator, row_uuid=indicator, field="target_value", value="≥9个"
        )
        assert len(made.fields) > 1  # the text and the fields read from it
        with document.session() as session:
            assert history.history(session)[unit] == before | {at_opening}
    finally:
        document.close()


def test_read_declarations_matches_the_orm_dump(sample_path: Path) -> None:
    """The fast reader of incoming files gives exactly the JSON form of the ORM dump."""
    from desktop.storage.interchange import read_declarations

    document = open_document(sample_path)
    try:
        with document.session() as session:
            assert read_declarations(session.connection()) == [
                dump_row(d) for d in load_declarations(session)
            ]
    finally:
        document.close()


def test_older_schema_files_are_merged_from_without_being_changed(tmp_path: Path) -> None:
    """A file of every released schema (tests/data) is merged from whole, read through a
    migration in memory: the file itself stays byte for byte as it was (migrating them to
    head with every row is tests/test_migrations.py)."""
    from desktop.services.merging import read_incoming
    from desktop.storage.document import create_document
    from tests.conftest import DATA

    for path in sorted(DATA.glob("schema-*.jxdb")):
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        digest = file_digest(copy)
        incoming = read_incoming(copy)
        target = create_document(tmp_path / f"target-{path.stem}.jxdb")
        try:
            merge_files(target, [copy])
            (declaration,) = _snapshot(target)
        finally:
            target.close()
        assert file_digest(copy) == digest
        assert declaration == incoming.declarations[0]
        assert sum(len(p["indicators"]) for p in declaration["budget_projects"]) == 21


def _unit_from_template(sample_path: Path, path: Path, code: str, name: str) -> Path:
    """A byte copy of the sample at ``path`` made another unit's: the UUIDs of one blank
    template, another 单位编码 and 单位名称."""
    shutil.copyfile(sample_path, path)
    document = open_document(path)
    declaration, _ = _uuids(document)
    for field, value in (("unit_code", code), ("unit_name", name)):
        set_field(document, row_type=Declaration, row_uuid=declaration, field=field, value=value)
    document.close()
    return path


def test_units_from_one_template_merged_again_are_not_added_twice(sample_path, tmp_path) -> None:
    """A bureau merges the files of units that all began as one blank template, then merges
    the same folder again with one unit's corrected file: nothing is added twice, and the
    correction reaches that unit only (the newcomer's 200 units became 399)."""
    received = tmp_path / "收到"
    received.mkdir()
    units = [("600001", "甲单位"), ("600002", "乙单位"), ("600003", "丙单位")]
    sources = [_unit_from_template(sample_path, received / f"{c}.jxdb", c, n) for c, n in units]
    collected = tmp_path / "汇总.jxdb"
    _merge_into_new(collected, sources)
    corrected = open_document(sources[1])
    _, projects = _uuids(corrected)
    edit = dict(row_type=BudgetProject, row_uuid=projects[0], field="use_of_funds")
    set_field(corrected, value="乙单位更正的资金用途", **edit)
    corrected.close()
    target = open_document(collected)
    try:
        items = preview_merge(target, sources).items
        changed = [(i.declaration, i.status) for i in items if i.status is not Status.IDENTICAL]
        assert changed == [("600002 乙单位 2022年", Status.CHANGED_THERE)]
        merge_files(target, sources)
        again = preview_merge(target, sources).items
        after = _snapshot(target)
    finally:
        target.close()
    assert {i.status for i in again} == {Status.IDENTICAL}
    assert [d["unit_code"] for d in after] == ["600001", "600002", "600003"]
    uses = {d["unit_code"]: d["budget_projects"][0]["use_of_funds"] for d in after}
    assert uses["600002"] == "乙单位更正的资金用途"
    assert uses["600001"] == uses["600003"] != "乙单位更正的资金用途"


def _merge_into_new(path: Path, sources: list[Path]) -> MergeResult | None:
    """Merge ``sources`` into a new empty file ``path``; the result."""
    target = create_document(path)
    try:
        return merge_files(target, sources)
    finally:
        target.close()


@pytest.mark.parametrize(
    ("sql", "detail"),
    [
        ("UPDATE declaration SET unit_name = X'FF'", "含有本程序不认识的内容"),
        ("UPDATE budget_project SET budget_amount = '一百'", "含有本程序不认识的内容"),
    ],
)
@pytest.mark.parametrize("bad_first", [True, False])
def test_malformed_incoming_data_is_skipped_whole(
    tmp_path: Path, sql: str, detail: str, bad_first: bool
) -> None:
    """A file whose tables hold values of the wrong kind (written by another program) is
    skipped with a Chinese message naming it, before or after a good file; nothing of it
    reaches the target, which holds exactly what merging the good file alone gives."""
    import sqlite3

    from benchmarks.generate import write_synthetic

    good = write_synthetic(tmp_path / "good.jxdb", 1, 2, unit=1)
    bad = write_synthetic(tmp_path / "bad.jxdb", 1, 2, unit=2)
    raw = sqlite3.connect(bad)
    raw.execute(sql)
    raw.commit()
    raw.close()
    result = _merge_into_new(tmp_path / "target.jxdb", [bad, good] if bad_first else [good, bad])
    _merge_into_new(tmp_path / "alone.jxdb", [good])
    assert result is not None
    (skipped,) = result.skipped
    assert skipped.name == "bad.jxdb" and skipped_words(skipped).startswith("“bad.jxdb”" + detail)
    assert {item.source for item in result.items} == {"good.jxdb"}
    assert table_rows(tmp_path / "target.jxdb") == table_rows(tmp_path / "alone.jxdb")
    assert [d["unit_name"] for d in _snapshot_of(tmp_path / "target.jxdb")] == ["乐亭县第1单位"]


def test_a_file_refused_halfway_leaves_nothing_of_itself(two_units_path, tmp_path) -> None:
    """A file of two units whose second unit is malformed is refused whole, its first unit
    too (found by the check of its contents before anything of it is read), naming the
    unit, row and field; the good file is kept."""
    import sqlite3

    from benchmarks.generate import write_synthetic

    good = write_synthetic(tmp_path / "good.jxdb", 1, 2, unit=1)
    raw = sqlite3.connect(two_units_path)
    raw.execute("UPDATE declaration SET unit_name = X'FF' WHERE unit_code = '507003'")
    raw.commit()
    raw.close()
    result = _merge_into_new(tmp_path / "target.jxdb", [good, two_units_path])
    _merge_into_new(tmp_path / "alone.jxdb", [good])
    assert result is not None
    assert [(s.name, skipped_words(s)) for s in result.skipped] == [
        (
            "two.jxdb",
            "“two.jxdb”含有本程序不认识的内容（第2个单位的“单位名称”存成了二进制数据，不是文字"
            "（declaration.unit_name，id 2）），可能已被其他程序改动，为安全起见不予打开，"
            "文件未作任何改动。请向发送文件的单位重新索取。",
        )
    ]
    assert table_rows(tmp_path / "target.jxdb") == table_rows(tmp_path / "alone.jxdb")


def test_collected_files_carry_their_history(sample_path: Path, tmp_path: Path) -> None:
    """After collecting a unit's file, merging an older copy of that unit's file shows its
    edited project as changed here (the bureau has the newer one), not on both sides."""
    from desktop.storage.document import create_document

    older = tmp_path / "older.jxdb"
    shutil.copyfile(sample_path, older)
    unit = open_document(sample_path)
    _, projects = _uuids(unit)
    set_field(unit, row_type=BudgetProject, row_uuid=projects[0], field="name", value="新名称")
    unit.close()
    bureau = create_document(tmp_path / "汇总.jxdb")
    try:
        merge_files(bureau, [sample_path])
        statuses = {i.unit_uuid: i.status for i in preview_merge(bureau, [older]).items}
    finally:
        bureau.close()
    assert statuses[projects[0]] is Status.CHANGED_HERE
    assert statuses[projects[1]] is Status.IDENTICAL


def test_a_file_with_a_trigger_is_never_merged(sample_path: Path, tmp_path: Path) -> None:
    """An incoming file with a schema object we never create is refused before reading."""
    import sqlite3

    hostile = tmp_path / "hostile.jxdb"
    shutil.copyfile(sample_path, hostile)
    raw = sqlite3.connect(hostile)
    raw.execute("CREATE TRIGGER t AFTER INSERT ON indicator BEGIN DELETE FROM indicator; END")
    raw.commit()
    raw.close()
    target = open_document(sample_path)
    try:
        with pytest.raises(NothingMergedError) as refused:
            merge_files(target, [hostile])
        assert "不认识的内容" in _words(refused.value)
    finally:
        target.close()


def test_nothing_is_merged_into_a_file_open_read_only(sample_path: Path, tmp_path: Path) -> None:
    """A target opened read-only (another program holds it, read-only medium) is refused
    before anything is read or backed up, saying why."""
    from desktop.storage.errors import ReadOnlyDocumentError

    other = tmp_path / "other.jxdb"
    shutil.copyfile(sample_path, other)
    target = open_document(sample_path, read_only=True)
    try:
        with pytest.raises(ReadOnlyDocumentError) as refused:
            preview_merge(target, [other])
        assert refused.value.refused == "不能合并到只读打开的文件"
        assert refused.value.reason.cause is ReadOnlyCause.ASKED
        with pytest.raises(ReadOnlyDocumentError):
            merge_files(target, [other])
    finally:
        target.close()
    assert list_backups(sample_path) == []


def test_a_merge_of_no_file_is_refused(sample_path: Path) -> None:
    """No source chosen: refused, saying so, before anything is read or backed up."""
    from desktop.services.merging import NoSourcesError

    target = open_document(sample_path)
    try:
        for run in (preview_merge, merge_files):
            with pytest.raises(NoSourcesError) as refused:
                run(target, [])
            assert _words(refused.value) == "没有选择要合并的文件。"
    finally:
        target.close()
    assert list_backups(sample_path) == []


def test_merge_into_a_new_file_makes_no_backup(sample_path, tmp_path: Path) -> None:
    """汇总 into a new, empty file: nothing to keep, so no backup copy of it is made."""
    target = create_document(tmp_path / "汇总.jxdb")
    try:
        result = merge_files(target, [sample_path])
        assert [d["unit_name"] for d in _snapshot(target)] == ["乐亭县机关事务中心"]
    finally:
        target.close()
    assert result is not None and result.backup is None
    assert not any("备份" in line for line in result.report())
    assert list_backups(tmp_path / "汇总.jxdb") == []


def test_a_constraint_met_midway_is_told_in_chinese_and_nothing_is_merged(
    sample_path: Path, tmp_path: Path
) -> None:
    """The last guard: a merge that meets a constraint another program put into the target
    after it was opened (a UNIQUE index on the tasks' titles) ends in ``DocumentFileError``
    in Chinese with the target unchanged (it was an IntegrityError traceback)."""
    import sqlite3

    source = tmp_path / "乙.jxdb"
    shutil.copyfile(sample_path, source)
    raw = sqlite3.connect(source)
    raw.execute("UPDATE key_task SET title = '同一个任务', modified_at = '2030-01-01 00:00:00'")
    raw.commit()
    raw.close()
    target = open_document(sample_path)
    raw = sqlite3.connect(sample_path)
    raw.execute("CREATE UNIQUE INDEX zz ON key_task (declaration_id, title)")
    raw.commit()
    raw.close()
    before = _snapshot(target)
    with pytest.raises(DocumentWriteError) as raised:
        merge_files(target, [source], policy=Policy.THEIRS)
    assert "UNIQUE" in raised.value.conflict  # SQLite's words, the situation in ours:
    words = error_words(raised.value, Advice(copy="", wait=""))
    assert "相互冲突" in words and "Integrity" not in words.split("（")[0]
    assert _snapshot(target) == before
    target.close()


def test_merge_compiles_its_statements_once_for_all_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """汇总 of many unit files: SQLAlchemy compiles the statements that read a source and
    write its rows once, not again for each file (six files compile no more than two)."""
    import sqlalchemy.sql.compiler as compiler
    from sqlalchemy.sql.elements import ReleaseSavepointClause, SavepointClause

    from benchmarks.generate import write_synthetic
    from desktop.services.merging import merge_files

    sources = [write_synthetic(tmp_path / f"u{n}.jxdb", 2, 3, unit=n) for n in range(6)]
    compiled: list[str] = []
    real_init = compiler.SQLCompiler.__init__

    def counting(self, dialect, statement, *args, **kwargs) -> None:
        if not isinstance(statement, SavepointClause | ReleaseSavepointClause):  # named each
            compiled.append(type(statement).__name__)
        real_init(self, dialect, statement, *args, **kwargs)

    monkeypatch.setattr(compiler.SQLCompiler, "__init__", counting)
    counts = []
    for number in (2, 6):
        compiled.clear()
        target = create_document(tmp_path / f"merged{number}.jxdb")
        merge_files(target, sources[:number])
        target.close()
        counts.append(len(compiled))
    assert counts[1] == counts[0], counts
    merged = open_document(tmp_path / "merged6.jxdb")
    with merged.session() as session:
        assert len(session.scalars(select(Declaration.uuid)).all()) == 6
    merged.close()
