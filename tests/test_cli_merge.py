"""jixiao merge / diff / summary, run in a subprocess as a clerk's script would."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop import paths
from desktop.models import Indicator
from desktop.services.structure import insert_row
from desktop.storage.document import open_document
from tests.conftest import (
    BAD_FILE_LINES,
    BAD_FILE_REASONS,
    file_digest,
    first_declaration,
    folder_listing,
    received_folder,
    table_rows,
)
from tests.test_cli import jixiao


def test_merge_diff_summary_commands(tmp_path: Path) -> None:
    """merge prints the report; diff lists differences (exit 1) or none (exit 0); summary
    writes the table; a refused source leaves the target unchanged (exit 1)."""
    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    for unit in ("b", "c"):
        shutil.copyfile(tmp_path / "a.jxdb", tmp_path / f"{unit}.jxdb")
    same = jixiao("diff", "a.jxdb", "b.jxdb", cwd=tmp_path)
    assert (same.returncode, same.stdout.strip()) == (0, "两个文件的内容相同。")
    merged = jixiao("merge", "a.jxdb", "b.jxdb", "c.jxdb", "--policy", "theirs", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert "部门整体：相同，无需合并" in merged.stdout
    assert "共 8 项" in merged.stdout
    (tmp_path / "bad.jxdb").write_text("不是数据库", encoding="utf-8")
    before = file_digest(tmp_path / "a.jxdb")
    refused = jixiao("merge", "a.jxdb", "bad.jxdb", cwd=tmp_path)
    assert refused.returncode == 1
    assert "“bad.jxdb”不是绩效目标文件" in refused.stderr and "Traceback" not in refused.stderr
    assert file_digest(tmp_path / "a.jxdb") == before
    listed = jixiao("summary", "a.jxdb", cwd=tmp_path)
    assert "乐亭县机关事务中心\t2022\t492.87\t3" in listed.stdout
    summary = jixiao("summary", "a.jxdb", "-o", "汇总.xlsx", cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout == "已写出汇总表（1 个单位）：汇总.xlsx\n"
    assert (tmp_path / "汇总.xlsx").read_bytes().startswith(b"PK")
    wrong = jixiao("summary", "a.jxdb", "-o", "汇总.doc", cwd=tmp_path)
    assert wrong.returncode == 1 and "只能存为 .xlsx 或 .pdf" in wrong.stderr
    missing = jixiao("diff", "a.jxdb", "nowhere.jxdb", cwd=tmp_path)
    assert missing.returncode == 2 and "找不到文件" in missing.stderr


def test_merge_a_folder_into_a_new_file(tmp_path: Path) -> None:
    """汇总: jixiao merge 汇总.jxdb 收到/*.jxdb creates the target and takes every file the
    pattern (or the folder) names, expanded by the program itself as on Windows."""
    folder = tmp_path / "收到"
    folder.mkdir()
    assert jixiao("sample", "-o", str(folder / "a.jxdb"), cwd=tmp_path).returncode == 0
    result = jixiao("merge", "汇总.jxdb", "收到/*.jxdb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已新建目标文件：汇总.jxdb")
    assert "整份绩效目标（3 个预算项目）：对方新增 → 已加入" in result.stdout
    again = jixiao("merge", "汇总.jxdb", "收到", cwd=tmp_path)
    assert "部门整体：相同，无需合并" in again.stdout


def test_diff_after_an_excel_round_trip(tmp_path: Path) -> None:
    """A file rebuilt from its Excel export is the same (exit 0); an indicator inserted as
    row 2 is one line naming row 2, with its 三级指标 and 指标值 (exit 1)."""
    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    assert jixiao("export-xlsx", "a.jxdb", "-o", "a.xlsx", cwd=tmp_path).returncode == 0
    assert jixiao("import-xlsx", "a.xlsx", "-o", "b.jxdb", cwd=tmp_path).returncode == 0
    same = jixiao("diff", "a.jxdb", "b.jxdb", cwd=tmp_path)
    assert (same.returncode, same.stdout) == (0, "两个文件的内容相同。\n")
    project = first_declaration(tmp_path / "b.jxdb").budget_projects[1]
    document = open_document(tmp_path / "b.jxdb")
    try:
        values = {"level3": "接待满意度", "target_value": "≥95%"}
        insert_row(document, row_type=Indicator, parent_uuid=project.uuid, index=1, values=values)
    finally:
        document.close()
    different = jixiao("diff", "a.jxdb", "b.jxdb", cwd=tmp_path)
    assert (different.returncode, different.stdout) == (
        1,
        "项目“接待管理经费”第2行指标 · 整行：\n"
        "    a.jxdb：（无此行）\n"
        "    b.jxdb：三级指标：接待满意度；指标值：≥95%\n"
        "共 1 处不同。\n",
    )


def test_merge_skips_bad_files_names_them_and_exits_3(tmp_path: Path) -> None:
    """jixiao merge sum.jxdb recv, recv holding a good file, a text file renamed .jxdb, a
    truncated and an empty .jxdb: the good file is merged into the new target exactly as
    alone; each bad file is named with its reason on standard error; exit code 3."""
    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    received_folder(tmp_path / "recv", tmp_path / "a.jxdb")
    result = jixiao("merge", "sum.jxdb", "recv", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith("已新建目标文件：sum.jxdb\n")
    assert "整份绩效目标（3 个预算项目）：对方新增 → 已加入" in result.stdout
    assert result.stderr == "".join(
        [
            "以下 3 个文件无法读取，已跳过，其中的内容没有合并。"
            "请按说明处理（通常是请该单位重新发送文件），收到后再合并一次：\n",
            *(f"{line}\n" for line in BAD_FILE_LINES),
        ]
    )
    alone = jixiao("merge", "alone.jxdb", "recv/b.jxdb", cwd=tmp_path)
    assert (alone.returncode, alone.stderr) == (0, "")
    assert table_rows(tmp_path / "sum.jxdb") == table_rows(tmp_path / "alone.jxdb")
    into_existing = jixiao("merge", "a.jxdb", "recv/*.jxdb", cwd=tmp_path)
    assert into_existing.returncode == 3
    assert "部门整体：相同，无需合并" in into_existing.stdout
    assert all(reason in into_existing.stderr for reason in BAD_FILE_REASONS.values())


def test_refused_merge_leaves_no_new_target_and_says_why(tmp_path: Path) -> None:
    """Only unreadable sources, an empty folder or the target named as its own source:
    exit 1, a message naming every file with its reason, no new target (or backup of it)
    left behind, an existing target byte for byte unchanged and not backed up."""
    folder = tmp_path / "收到"  # only this test's files (the user folders are beside it)
    folder.mkdir()
    assert jixiao("sample", "-o", "a.jxdb", cwd=folder).returncode == 0
    (folder / "空文件夹").mkdir()
    bad = folder / "bad"
    received_folder(bad, folder / "a.jxdb")
    (bad / "b.jxdb").unlink()  # only the three bad files
    listing, before = folder_listing(folder), file_digest(folder / "a.jxdb")
    all_bad = "\n".join(["错误：选择的 3 个文件都无法合并，未合并任何内容：", *BAD_FILE_LINES])
    refused = jixiao("merge", "新.jxdb", "bad", cwd=folder)
    assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", all_bad + "\n")
    existing = jixiao("merge", "a.jxdb", "bad/*.jxdb", cwd=folder)
    assert (existing.returncode, existing.stdout, existing.stderr) == (1, "", all_bad + "\n")
    empty = jixiao("merge", "新.jxdb", "空文件夹", cwd=folder)
    assert empty.returncode == 1
    assert "文件夹“空文件夹”中没有 .jxdb 文件" in empty.stderr
    itself = jixiao("merge", "a.jxdb", "a.jxdb", cwd=folder)
    assert (
        itself.returncode == 1 and "“a.jxdb”就是合并的目标文件，不能合并到它自己" in itself.stderr
    )
    assert folder_listing(folder) == listing
    assert file_digest(folder / "a.jxdb") == before
    backups = paths.data_dir() / "backups"
    assert not list(backups.glob("新-*"))  # no backup of the new target
    assert not list(backups.glob("*/*-merge.jxdb"))  # nor a merge backup of a.jxdb
