"""Clocks and names (issue 15, item 5): a modification time a day or more in the future, or
before the declaration could have been drawn up, is flagged in the merge and never decides
``newer``; a lock's computer name is compared without regard to case."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop import cli
from desktop.models import BudgetProject, Declaration
from desktop.services.documents import load_declarations
from desktop.services.editing import set_field
from desktop.services.merging import merge_files, preview_merge
from desktop.storage import lock
from desktop.storage.document import open_document
from desktop.storage.merge import Choice, Policy, Status


def _both_edit(sample_path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """Two copies of the sample whose third project each side edited differently (mine
    first, theirs a little later): a unit changed on both sides."""
    theirs = tmp_path / "theirs.jxdb"
    shutil.copyfile(sample_path, theirs)
    mine = open_document(sample_path)
    with mine.session() as session:
        (declaration,) = load_declarations(session)
        project = declaration.budget_projects[2].uuid
    set_field(mine, row_type=BudgetProject, row_uuid=project, field="use_of_funds", value="甲")
    mine.close()
    other = open_document(theirs)
    set_field(other, row_type=BudgetProject, row_uuid=project, field="use_of_funds", value="乙")
    other.close()
    return sample_path, theirs, project


def _stamp(path: Path, project: str, when: datetime) -> None:
    """Give the project row of ``path`` the modification time ``when`` (as its PC would)."""
    raw = sqlite3.connect(path)
    text = when.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    raw.execute("UPDATE budget_project SET modified_at = ? WHERE uuid = ?", (text, project))
    raw.commit()
    raw.close()


def _item(document, theirs: Path, project: str):
    preview = preview_merge(document, [theirs], policy=Policy.NEWER)
    assert preview is not None
    return next(item for item in preview.items if item.unit_uuid == project)


def test_clocks_a_2099_time_does_not_win_newer(sample_path: Path, tmp_path: Path) -> None:
    """Their edit stamped 2099: flagged (in the item and the report), and ``newer`` keeps
    mine instead of letting the future time win."""
    mine_path, theirs, project = _both_edit(sample_path, tmp_path)
    _stamp(theirs, project, datetime(2099, 1, 1, 8, tzinfo=UTC))
    document = open_document(mine_path)
    try:
        item = _item(document, theirs, project)
        assert item.status is Status.CHANGED_BOTH
        assert item.choice is Choice.MINE
        assert "对方" in item.clock_warning and "2099" in item.clock_warning
        assert "未来" in item.clock_warning
        assert item.clock_warning in item.report_line()
        assert "未按修改时间" in item.report_line()
    finally:
        document.close()


def test_clocks_an_edit_on_a_clock_set_back_is_flagged(sample_path: Path, tmp_path: Path) -> None:
    """Mine edited on a PC whose clock was set back to 2019 (for fiscal year 2022): it would
    lose to their later edit by time; it is flagged and ``newer`` does not decide."""
    mine_path, theirs, project = _both_edit(sample_path, tmp_path)
    _stamp(mine_path, project, datetime(2019, 3, 1, 9, tzinfo=UTC))
    document = open_document(mine_path)
    try:
        item = _item(document, theirs, project)
        assert item.choice is Choice.MINE
        assert "本方" in item.clock_warning and "2019" in item.clock_warning
    finally:
        document.close()


def test_clocks_plausible_times_still_decide_newer(sample_path: Path, tmp_path: Path) -> None:
    """Times within bounds (theirs an hour later than mine, today) still decide ``newer``."""
    mine_path, theirs, project = _both_edit(sample_path, tmp_path)
    now = datetime.now(UTC)
    _stamp(mine_path, project, now - timedelta(hours=2))
    _stamp(theirs, project, now - timedelta(hours=1))
    document = open_document(mine_path)
    try:
        item = _item(document, theirs, project)
        assert item.choice is Choice.THEIRS and item.clock_warning == ""
    finally:
        document.close()


def test_clocks_future_within_a_day_is_tolerated(sample_path: Path, tmp_path: Path) -> None:
    """A time 20 hours ahead (a PC in another time zone setting, a clock a little fast) is
    not flagged."""
    mine_path, theirs, project = _both_edit(sample_path, tmp_path)
    _stamp(theirs, project, datetime.now(UTC) + timedelta(hours=20))
    document = open_document(mine_path)
    try:
        item = _item(document, theirs, project)
        assert item.clock_warning == "" and item.choice is Choice.THEIRS
    finally:
        document.close()


def test_clocks_cli_merge_keeps_mine_and_says_why(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """``jixiao merge --policy newer`` with a 2099 file: mine kept, the report says the time
    was not trusted."""
    mine_path, theirs, project = _both_edit(sample_path, tmp_path)
    _stamp(theirs, project, datetime(2099, 1, 1, tzinfo=UTC))
    assert cli.main(["merge", str(mine_path), str(theirs), "--policy", "newer"]) == 0
    out = capsys.readouterr().out
    assert "2099" in out and "未按修改时间" in out
    document = open_document(mine_path, read_only=True)
    try:
        with document.session() as session:
            kept = session.scalars(
                select(BudgetProject.use_of_funds).where(BudgetProject.uuid == project)
            ).one()
            assert session.scalars(select(Declaration.fiscal_year)).one() == 2022
    finally:
        document.close()
    assert kept == "甲"


def test_clocks_merge_applies_mine_for_flagged_items(sample_path: Path, tmp_path: Path) -> None:
    """The service applies the fallback too (not only the preview)."""
    mine_path, theirs, project = _both_edit(sample_path, tmp_path)
    _stamp(theirs, project, datetime(2099, 1, 1, tzinfo=UTC))
    document = open_document(mine_path)
    try:
        result = merge_files(document, [theirs], policy=Policy.NEWER)
        assert result is not None
        item = next(i for i in result.items if i.unit_uuid == project)
        assert item.choice is Choice.MINE and item.clock_warning
    finally:
        document.close()


def test_clocks_lock_host_name_compared_without_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock naming “VM” when this computer is “vm” is this computer: a dead pid there is
    a stale lock, not another PC's."""
    monkeypatch.setattr(lock.socket, "gethostname", lambda: "vm")
    dead = subprocess.Popen(["true"])
    dead.wait()
    holder = lock.LockHolder("t", "VM", "clerk", dead.pid, datetime.now(UTC))
    assert holder.on_this_computer()
    assert lock.is_stale(holder)
    assert not lock.blocks(holder, "mine")


def test_clocks_rolled_over_rows_are_new_rows(sample_path: Path, tmp_path: Path) -> None:
    """从上年复制 makes new rows (new UUIDs) stamped now, not last year's times: a file
    rolled over twice has no time before its fiscal year could be drawn up."""
    from desktop.services.documents import declaration_choices, roll_over
    from desktop.storage.interchange import dump_row
    from desktop.storage.merge import clock_warning

    start = datetime.now(UTC) - timedelta(seconds=1)
    source = open_document(sample_path)
    path = sample_path
    for year in (2023, 2024):
        ((uuid, _),) = declaration_choices(source)
        rolled = roll_over(
            source, tmp_path / f"{year}.jxdb", declaration_uuid=uuid, keep_amounts=True
        )
        source.close()
        source, path = rolled, tmp_path / f"{year}.jxdb"
    try:
        with source.session() as session:
            (declaration,) = load_declarations(session)
            data = dump_row(declaration)
    finally:
        source.close()
    assert data["fiscal_year"] == 2024
    assert clock_warning([("本方", data, 2024)]) == ""
    from desktop.storage.merge import latest_modified

    assert latest_modified(data) >= start
    assert path.exists()
