"""The collection case of ``make bench`` (issue 23): 1,000 units' files merged into a
PostgreSQL collection (a private server, tests/postgres.py), the 汇总表 of all of them and
one unit opened, each beside the same work on a .jxdb (SQLite) file. Left out, with a
line saying why, where PostgreSQL is not installed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from benchmarks.cases import Case, Result, Row
from benchmarks.generate import synthetic_declaration, unit_copies


def collection_merge(folder: Path, units: int = 1000) -> list[Result]:
    """Merge ``units`` unit files (8 projects × 15 indicators each) into a new collection
    and into a new .jxdb; the first tenth and the last tenth timed per file (flat: the
    collection's size does not slow a merge); then the summary of all units and one unit
    opened in each."""
    from sqlalchemy import select

    from desktop.models import Declaration
    from desktop.services.documents import load_declaration
    from desktop.services.merging import merge_files, merge_into_collection, summarize
    from desktop.storage.collection import open_collection
    from desktop.storage.document import create_document
    from tests.postgres import private_server

    template = folder / "collection-template.jxdb"
    if not template.exists():
        create_document(template, populate=lambda s: s.add(synthetic_declaration(8, 15, 1))).close()
    files = unit_copies(template, folder / f"collection-{units}", units)
    tenth = max(units // 10, 1)
    with private_server() as server:
        previous = os.environ.get("PGPASSFILE")
        os.environ["PGPASSFILE"] = str(server.pgpass)
        try:
            collection = open_collection(server.new_database(), create=True)
            jxdb = create_document(folder / f"collection-{units}.jxdb")
            times: dict[str, float] = {}
            for name, target, merge in (
                ("collection", collection, merge_into_collection),
                ("jxdb", jxdb, merge_files),
            ):
                started = time.perf_counter()
                merge(target, files[:tenth])
                first = time.perf_counter()
                merge(target, files[tenth:-tenth])
                middle = time.perf_counter()
                merge(target, files[-tenth:])
                times[name] = time.perf_counter() - started
                times[f"{name}-first"] = (first - started) / tenth
                times[f"{name}-last"] = (time.perf_counter() - middle) / tenth
                started = time.perf_counter()
                summarize(target)
                times[f"{name}-summary"] = time.perf_counter() - started
                with target.session() as session:
                    code = str(600000 + units // 2 + 1)
                    uuid = session.scalar(
                        select(Declaration.uuid).where(Declaration.unit_code == code)
                    )
                started = time.perf_counter()
                with target.session() as session:
                    load_declaration(session, uuid)
                times[f"{name}-open"] = time.perf_counter() - started
                target.close()
        finally:
            if previous is None:
                os.environ.pop("PGPASSFILE", None)
            else:
                os.environ["PGPASSFILE"] = previous
    return [
        (times["collection"], times["jxdb"]),
        (times["collection-last"], times["collection-first"]),
        (times["collection-summary"], times["jxdb-summary"]),
        (times["collection-open"], times["jxdb-open"]),
    ]


def collection_cases() -> list[Case]:
    """The collection case where a private PostgreSQL server can be started, else none."""
    from tests.postgres import missing_reason

    reason = missing_reason()
    if reason:
        print(f"汇总库（PostgreSQL）一项未测：{reason}", flush=True)
        return []
    return [
        Case(
            collection_merge,
            (
                Row(
                    "汇总库：合并 1,000 个单位文件（8 项目 × 15 指标）",
                    "同样合并到 .jxdb（SQLite）",
                    "报告",
                ),
                Row(
                    "汇总库：每个文件的合并时间，最后 100 个",
                    "最初 100 个",
                    "≈ 1×（不随库变大而变慢）",
                ),
                Row("汇总库：汇总表（1,000 个单位）", "同样的 .jxdb", "报告"),
                Row("汇总库：打开一个单位", "同样的 .jxdb", "报告"),
            ),
            rounds=1,
        )
    ]
