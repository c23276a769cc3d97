"""合并其他单位文件, 比较 and 汇总: the use cases over storage/merge.py and storage/compare.py.

Every incoming file is checked like a file being opened (ours, integrity, schema, no
foreign schema objects) before anything is read from it; a file of an older schema is
migrated on a temporary copy, never in place, and incoming files are never written. A
merge is one transaction on the target, after a backup; into a collection database
(PostgreSQL, storage/collection.py), one transaction per source, each recorded. Must not
import Qt.

Decision: a source that cannot be read (damaged, empty, not ours, newer program, malformed
data) is skipped with its reason and the others are merged. Why: the 财政局 collects a
folder of files from many units; one bad file must not stop the rest, and every bad one
must be named so that its unit can be asked for it again. Each source is applied inside a
savepoint, so a file refused halfway (malformed data found while writing) leaves nothing
of itself behind. Alternatives: refusing the whole merge (the old behaviour; the clerk
learnt of one bad file per attempt); retrying without the bad file (reads every file again).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from desktop.models import Declaration
from desktop.models.execution import unit_execution_rate, unit_score
from desktop.reports.summary import SummaryRow
from desktop.review import FindingStatus, Severity, review
from desktop.services.backups import make_backup
from desktop.services.documents import (
    declaration_choices,
    declaration_names,
    each_declaration,
    load_declaration,
)
from desktop.services.editing import Changes
from desktop.services.errors import NoSourcesError, NothingMergedError, SkipCause, SkippedSource
from desktop.services.structure import declaration_changes
from desktop.storage import history
from desktop.storage.collection import Collection, lock_for_merge, record_merge
from desktop.storage.compare import Difference, differences, pair_rows, project_links
from desktop.storage.document import Document, FileReader, savepoint
from desktop.storage.errors import (
    CollectionError,
    DocumentFileError,
    InterchangeError,
    ReadOnlyDocumentError,
)
from desktop.storage.interchange import (
    dump_row,
    fingerprint,
    read_declarations,
    short_fingerprint,
)
from desktop.storage.merge import (
    Choice,
    MergeItem,
    apply_merge,
    latest_modified,
    plan_merge,
)
from desktop.storage.merge_policy import Policy

#: ``progress(done, total)`` after each file; returns False to stop (before anything is written).
Progress = Callable[[int, int], bool]
#: Choices made in the preview: (source name, declaration UUID, unit UUID) -> choice.
Decisions = dict[tuple[str, str, str], Choice]


@dataclass(frozen=True)
class Incoming:
    """A checked incoming file, read: its declarations in the JSON form and its history."""

    path: Path
    declarations: list[dict[str, Any]]
    history: dict[str, set[str]]


@dataclass(frozen=True)
class MergePreview:
    """What a merge would do: the items with proposed choices, and the sources skipped."""

    items: list[MergeItem]
    skipped: list[SkippedSource]


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: every item with its decision, the backup made before it, and the
    sources skipped (nothing of them was merged)."""

    items: list[MergeItem]
    backup: Path | None
    skipped: list[SkippedSource]
    #: what the merge changed in a .jxdb file, unit by unit and row by row, for the views
    #: and one undo step (``structure.apply_changes(changes.inverse())`` undoes it);
    #: empty for a collection database
    changes: Changes = field(default_factory=Changes)

    def report(self) -> list[str]:
        """The merge report (Chinese): one line per decision, a count and the backup. The
        skipped files are told by the edges (desktop/file_words.py: ``merge_report``,
        ``skipped_report``)."""
        taken = sum(1 for item in self.items if item.choice is not Choice.MINE)
        lines = [item.report_line() for item in self.items]
        lines.append(f"共 {len(self.items)} 项，其中 {taken} 项采用或加入了对方的内容。")
        if self.backup is not None:
            lines.append(f"合并前的备份：{self.backup}")
        return lines


def decision_key(item: MergeItem) -> tuple[str, str, str]:
    """The key of an item in ``Decisions``."""
    return (item.source, item.declaration_uuid, item.unit_uuid)


def read_incoming(path: Path | str, reader: FileReader | None = None) -> Incoming:
    """Check and read another office's file, never writing it.

    The file is opened read-only: checked by ``check_file``, and a file of an older
    schema migrated in memory, never in place. ``reader``: the one engine through which
    a merge reads all its sources (statements compiled once). Raises the
    ``DocumentFileError`` subclasses of ``open_document`` (the message names the file).
    """
    path = Path(path).resolve()
    document = (reader or FileReader()).open(path)
    try:
        with document.session() as session:
            declarations = read_declarations(session.connection())
            found = history.history(session)
    finally:
        document.close()
    return Incoming(path, declarations, found)


def _check_sources(document: Document | Collection, sources: Sequence[Path | str]) -> list[Path]:
    if document.read_only is not None:
        raise ReadOnlyDocumentError(
            document.path, document.read_only, refused="不能合并到只读打开的文件"
        )
    if not sources:
        raise NoSourcesError(document.path)
    return [Path(source) for source in sources]


def _is_target(document: Document | Collection, path: Path) -> bool:
    """Whether ``path`` is the .jxdb file ``document`` merges into."""
    return (
        isinstance(document, Document)
        and path.exists()
        and path.resolve() == document.path.resolve()
    )


def preview_merge(
    document: Document,
    sources: Sequence[Path | str],
    *,
    policy: Policy = Policy.NEWER,
    progress: Progress | None = None,
) -> MergePreview | None:
    """The merge items of ``sources`` against ``document`` with proposed choices, and the
    sources that would be skipped; nothing is written. Files are planned one after another
    as if the earlier ones had been merged (in a transaction rolled back at the end).
    ``None`` when ``progress`` stopped it.

    A source that cannot be read (missing, empty, damaged, not a 绩效目标文件, written by
    a newer program, malformed data, the target itself) is skipped: it is in ``skipped``
    with its reason (a ``SkipCause``) and contributes no item. Raises ``NothingMergedError``
    when every source is skipped, ``ReadOnlyDocumentError`` when ``document`` is open
    read-only and ``NoSourcesError`` when ``sources`` is empty.
    """
    paths = _check_sources(document, sources)
    run = _run(document, paths, policy=policy, decisions={}, progress=progress, write=False)
    return None if run is None else MergePreview(run[0], run[1])


def merge_files(
    document: Document,
    sources: Sequence[Path | str],
    *,
    policy: Policy = Policy.NEWER,
    decisions: Decisions | None = None,
    progress: Progress | None = None,
) -> MergeResult | None:
    """Merge the declarations of ``sources`` into ``document`` in one transaction, after a
    backup (reason ``merge``) unless ``document`` holds no declaration yet (a new 汇总
    file: nothing to keep). The backup is made once a first source has been read, so a
    merge of only unreadable files leaves none. Choices are ``policy``'s proposals unless
    ``decisions`` (from the preview) says otherwise. ``None`` when ``progress`` stopped it
    (nothing written; a backup already made stays).

    A source that cannot be read is skipped (``MergeResult.skipped``, with its reason;
    see ``preview_merge``); nothing of it is merged, the others are. Raises
    ``NothingMergedError`` when every source is skipped, ``NoSourcesError`` when
    ``sources`` is empty, ``DocumentFileError`` when the backup cannot be made,
    ``DocumentWriteError`` when the target cannot be written, and ``ReadOnlyDocumentError``
    when ``document`` is open read-only (locked by another program, read-only medium); the
    target is unchanged then.
    """
    paths = _check_sources(document, sources)
    with document.session() as session:
        empty = session.scalar(select(Declaration.id).limit(1)) is None
    backups: list[Path] = []

    def back_up() -> None:
        if not empty:
            backups.append(make_backup(document, reason="merge"))

    run = _run(
        document,
        paths,
        policy=policy,
        decisions=decisions or {},
        progress=progress,
        write=True,
        before_write=back_up,
    )
    if run is None:
        return None
    items, skipped, changes = run
    return MergeResult(items, backups[0] if backups else None, skipped, changes)


class _Stopped(Exception):
    """Raised inside the transaction to roll it back (stopped, or only a preview)."""


def _source_names(paths: list[Path]) -> list[str]:
    """The file names, with the folder where two files have the same name."""
    names = [path.name for path in paths]
    return [
        f"{path.parent.name}/{path.name}" if names.count(path.name) > 1 else path.name
        for path in paths
    ]


def _run(
    document: Document | Collection,
    paths: list[Path],
    *,
    policy: Policy,
    decisions: Decisions,
    progress: Progress | None,
    write: bool,
    before_write: Callable[[], None] | None = None,
) -> tuple[list[MergeItem], list[SkippedSource], Changes] | None:
    """Plan and apply each readable file in turn, each in a savepoint of one transaction;
    commit only when ``write``. ``before_write`` runs once a first file has been read,
    before the transaction begins. Skipped sources are collected; ``NothingMergedError``
    when every one is. None when ``progress`` stopped it. The Changes made to a .jxdb
    file (``_Snapshots``) when written; else empty."""
    run = _MergeRun(document, paths, progress)
    try:
        current = run.read_next()
        if current is None:
            raise NothingMergedError(document.path, run.skipped)
        if before_write is not None:
            before_write()
        with contextlib.nullcontext() if run.per_source else document.session() as whole:
            snapshots = _Snapshots(whole) if whole is not None and write else None
            while current is not None:
                run.merge_source(current, whole, snapshots, policy=policy, decisions=decisions)
                run.step()
                current = run.read_next()
            if not run.merged:
                raise NothingMergedError(document.path, run.skipped)
            if not write:
                raise _Stopped
            if snapshots is not None and whole is not None:
                run.changes = snapshots.changes(whole)
    except _Stopped:
        pass
    return None if run.stopped else (run.items, run.skipped, run.changes)


class _MergeRun:
    """One ``_run`` over ``paths`` into ``document``: the sources still to read (one
    ``FileReader`` for all: statements compiled once), the items merged, the sources
    skipped with their reasons, the count merged and done, and whether ``progress``
    stopped it. A collection (``per_source``) takes each source in a transaction of its
    own and records it (``record_merge``); a .jxdb file takes them all in one."""

    def __init__(
        self, document: Document | Collection, paths: list[Path], progress: Progress | None
    ) -> None:
        self.document = document
        self.paths = paths
        self.progress = progress
        self.items: list[MergeItem] = []
        self.skipped: list[SkippedSource] = []
        self.changes = Changes()
        self.merged = self.done = 0
        self.stopped = False
        self.per_source = isinstance(document, Collection)
        self.sources = zip(paths, _source_names(paths), strict=True)
        self.reader = FileReader()

    def step(self) -> None:
        """Count one source done and tell ``progress``; raises ``_Stopped`` (and notes it)
        when ``progress`` returns False."""
        self.done += 1
        if self.progress is not None and self.progress(self.done, len(self.paths)) is False:
            self.stopped = True
            raise _Stopped

    def read_next(self) -> tuple[Incoming, Path, str] | None:
        """The next readable source: its content, path and shown name; None when none is
        left. The target itself, and a source that cannot be read (``DocumentFileError``),
        is skipped with its reason and counted done (``step``, which may raise
        ``_Stopped``)."""
        for path, name in self.sources:
            if _is_target(self.document, path):
                self.skipped.append(SkippedSource(path, name, SkipCause.TARGET))
                self.step()
                continue
            try:
                return read_incoming(path, self.reader), path, name
            except DocumentFileError as exc:  # only this source: it is read on its own
                self.skipped.append(SkippedSource(path, name, SkipCause.UNREADABLE, error=exc))
            self.step()
        return None

    def merge_source(
        self,
        current: tuple[Incoming, Path, str],
        whole: Session | None,
        snapshots: _Snapshots | None,
        *,
        policy: Policy,
        decisions: Decisions,
    ) -> None:
        """Plan and apply the source ``current`` (``read_next``) in a savepoint of ``whole``
        (a .jxdb file's one session) or a transaction of its own (a collection): the
        clerk's ``decisions`` where they fit, else ``policy``'s choices. A source whose
        data is refused (``InterchangeError``, or a value the collection's server refuses)
        is skipped with the reason, nothing of it kept.

        Raises ``CollectionError`` when the server or the connection fails."""
        incoming, path, name = current
        try:
            with _source_transaction(self.document, whole) as session:
                planned = plan_merge(
                    session,
                    incoming.declarations,
                    incoming.history,
                    source=name,
                    policy=policy,
                )
                for item in planned:
                    chosen = decisions.get(decision_key(item))
                    if chosen in item.choices:
                        item.choice = chosen
                if snapshots is not None:
                    snapshots.keep(session, planned)
                added = apply_merge(session, planned)
                if snapshots is not None:
                    snapshots.added += added
                session.flush()
                if self.per_source:
                    record_merge(session, path, incoming.declarations)
        except InterchangeError as exc:
            self.skipped.append(SkippedSource(path, name, SkipCause.BAD_DATA, detail=exc.message))
        except CollectionError as exc:  # the server refused this source's values
            if not isinstance(exc.__cause__, DataError):
                raise  # the server or connection failed: the merge stops here
            self.skipped.append(SkippedSource(path, name, SkipCause.UNSTORABLE))
        else:
            self.items += planned
            self.merged += 1


class _Snapshots:
    """The units of the target file as they were before a merge changed them, to tell
    what it changed (``structure.declaration_changes``): a unit is read (in the JSON
    form) just before the first source that touches it is applied, and again at the
    end. A unit the merge added is taken as written (``added``), unless a later source
    changed it (then read at the end): a collection of hundreds of new units is not
    read again."""

    def __init__(self, session: Session) -> None:
        self.units = set(uuid for uuid, _ in declaration_names(session))
        #: the file's content history before the merge (what it adds is undone with it)
        self.history = _history_rows(session)
        self.before: dict[str, dict[str, Any]] = {}
        #: the declarations added whole, as written
        self.added: list[dict[str, Any]] = []
        #: added units a later source touched
        self.touched: set[str] = set()

    def keep(self, session: Session, items: list[MergeItem]) -> None:
        """Read the units of ``items`` not read yet (before they are applied)."""
        added = {data["uuid"] for data in self.added}
        for uuid in dict.fromkeys(item.declaration_uuid for item in items):
            if uuid in added:  # added by an earlier source: read at the end
                self.touched.add(uuid)
            elif uuid in self.units and uuid not in self.before:
                declaration = load_declaration(session, uuid)
                assert declaration is not None and declaration.uuid == uuid
                self.before[uuid] = dump_row(declaration)

    def changes(self, session: Session) -> Changes:
        """What the merge changed, read in the merge's transaction."""
        session.flush()
        session.expire_all()  # new units were written past the ORM
        order = {uuid: index for index, (uuid, _) in enumerate(declaration_names(session))}

        def now(uuid: str) -> dict[str, Any] | None:
            declaration = load_declaration(session, uuid) if uuid in order else None
            return dump_row(declaration) if declaration is not None else None

        made = Changes()
        for uuid, before in self.before.items():
            made += declaration_changes(before, now(uuid), order.get(uuid, 0))
        for data in self.added:
            uuid = data["uuid"]
            if uuid in order:
                after = now(uuid) if uuid in self.touched else data
                made += declaration_changes(None, after, order[uuid])
        history.record_touched(session)  # the merged contents, as at commit
        added = tuple(sorted(_history_rows(session) - self.history))
        return made + Changes(history=added)


def _history_rows(session: Session) -> set[tuple[str, str]]:
    """The file's content history as ``(unit UUID, content hash)`` rows."""
    return {(unit, digest) for unit, found in history.history(session).items() for digest in found}


@contextlib.contextmanager
def _source_transaction(
    document: Document | Collection, whole: Session | None
) -> Iterator[Session]:
    """Where one source is merged: a savepoint of the one transaction ``whole`` of a .jxdb
    file, or a transaction of its own in a collection, taken when no other program merges
    there (committed at the end of the block, rolled back by an exception)."""
    if whole is not None:
        with savepoint(whole):
            yield whole
        return
    with document.session() as session:
        lock_for_merge(session)
        yield session


def merge_into_collection(
    collection: Collection, sources: Sequence[Path | str], *, policy: Policy = Policy.NEWER
) -> MergeResult:
    """Merge the declarations of ``sources`` into a collection database as ``merge_files``
    does into a .jxdb file (the same checks, plans, choices and skipped sources), with one
    transaction per source instead of a backup: a source is either merged whole, with its
    line in ``merge_record`` (who, when, which file, its fingerprints), or not at all.
    Raises ``NothingMergedError`` when every source is skipped, ``NoSourcesError`` when
    ``sources`` is empty and ``CollectionError`` when the server fails (the sources merged
    before stay merged, each recorded)."""
    paths = _check_sources(collection, sources)
    run = _run(collection, paths, policy=policy, decisions={}, progress=None, write=True)
    assert run is not None  # no progress callback: never stopped
    return MergeResult(run[0], None, run[1])


def compare_files(first: Path | str, second: Path | str) -> list[Difference]:
    """The differences between the declarations of two files, field by field.

    Declarations are paired by UUID, then by unit code and year; ``mine`` is the first
    file's value. Raises ``DocumentFileError`` for a file that cannot be read.
    """
    a, b = read_incoming(first), read_incoming(second)
    return compare_declarations(a.declarations, b.declarations)


def comparable_declarations(
    document: Document | Collection, declaration_uuid: str | None = None
) -> list[dict[str, Any]]:
    """The JSON-form declarations of an open file or collection for
    ``compare_declarations``: the one ``declaration_uuid`` names, or all in file order."""
    return [dump_row(declaration) for declaration in each_declaration(document, declaration_uuid)]


def counterparts(
    collection: Document | Collection, declarations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """For each JSON-form declaration of ``declarations`` (another file's), the one of
    ``collection`` it is compared with: the same UUID (and unit), else the first of the
    same unit code and fiscal year; in the JSON form, read one at a time. Declarations
    without a counterpart contribute none (the comparison shows them as missing)."""
    found = []
    with collection.session() as session:
        for data in declarations:
            same = select(Declaration.uuid).where(
                Declaration.uuid == data["uuid"], Declaration.unit_code == data["unit_code"]
            )
            unit = select(Declaration.uuid).where(
                Declaration.unit_code == data["unit_code"],
                Declaration.fiscal_year == data["fiscal_year"],
            )
            uuid = session.scalar(same) or session.scalar(unit.order_by(Declaration.id).limit(1))
            declaration = load_declaration(session, uuid) if uuid else None
            if declaration is not None:
                found.append(dump_row(declaration))
            session.expunge_all()
    return found


def compare_declarations(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> list[Difference]:
    """The differences between two lists of JSON-form declarations (see ``compare_files``).

    Two files of one declaration each are compared with each other whatever their units
    and years (e.g. this year's file against last year's); otherwise declarations are
    paired by UUID, then by unit code and year, and each place starts with the unit.
    """
    single = len(first) == len(second) == 1
    pairs = [(first[0], second[0])] if single else pair_rows(Declaration, first, second)
    found: list[Difference] = []
    for a, b in pairs:
        shown = a or b or {}
        title = f"{shown.get('unit_name', '')} {shown.get('fiscal_year', '')}年"
        if a is None or b is None:
            found.append(
                Difference(title, "整份绩效目标", "有" if a else "（无）", "有" if b else "（无）")
            )
            continue
        links = (_links(a), _links(b))
        for difference in differences(Declaration, a, b, "部门整体", links):
            found.append(
                difference if single else replace(difference, place=f"{title} · {difference.place}")
            )
    return found


def _links(declaration: dict[str, Any]) -> dict[str, str]:
    return project_links((p["uuid"], p["name"]) for p in declaration["budget_projects"])


def summarize(
    document: Document | Collection,
    declaration_uuid: str | None = None,
    *,
    progress: Progress | None = None,
) -> list[SummaryRow] | None:
    """The summary table of every declaration in ``document`` (汇总表), in file order, or
    of the one ``declaration_uuid`` names; read one declaration at a time
    (``each_declaration``). ``progress(done, total)`` after each declaration; None when
    it returned False (the clerk cancelled: nothing was written anywhere)."""
    if progress is None:
        return list(summary_rows(document, declaration_uuid))
    total = 1 if declaration_uuid is not None else len(declaration_choices(document))
    rows = []
    for row in summary_rows(document, declaration_uuid):
        rows.append(row)
        if progress(len(rows), total) is False:
            return None
    return rows


def summary_rows(
    document: Document | Collection, declaration_uuid: str | None = None
) -> Iterator[SummaryRow]:
    """The rows of ``summarize`` as each declaration is read (a long collection prints
    its first rows at once)."""
    for declaration in each_declaration(document, declaration_uuid):
        findings = review(declaration)
        yield SummaryRow(
            unit_code=declaration.unit_code,
            unit_name=declaration.unit_name,
            fiscal_year=declaration.fiscal_year,
            total_budget=declaration.total_budget,
            projects=len(declaration.budget_projects),
            errors=sum(1 for f in findings if f.severity is Severity.ERROR),
            warnings=sum(1 for f in findings if f.status is FindingStatus.WARNING),
            fingerprint=short_fingerprint(fingerprint(declaration)),
            last_modified=_last_modified(declaration),
            stage=declaration.stage,
            execution_rate=unit_execution_rate(declaration),
            score=unit_score(declaration),
        )


def _last_modified(declaration: Declaration) -> datetime:
    """The latest modification among the declaration's rows, in local time."""
    return latest_modified(dump_row(declaration)).astimezone().replace(tzinfo=None)
