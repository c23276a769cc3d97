"""The clerk's words (Chinese) for what the file layer and the services report as data: a
file refused on opening, a write that failed, a read-only document, who holds an edit
lock, the sources a merge skipped.

Storage raises typed errors (desktop/storage/errors.py, desktop/storage/reasons.py) and
never words them. The situations are stated here once; the window (desktop/ui/wording.py)
and the command line (``cli._error_words``) each add their own advice through an
``Advice``: the window names its buttons (另存为, 强制编辑), the command line what a
command-line user can do. No Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from desktop.content_words import part_words
from desktop.files import WriteFault
from desktop.services.errors import NoSourcesError, NothingMergedError, SkipCause, SkippedSource
from desktop.storage.errors import (
    CollectionError,
    ContentRefusedError,
    DamagedFileError,
    DocumentFileError,
    DocumentWriteError,
    FileMissingError,
    FileWriteError,
    ForeignFileError,
    MigrationError,
    NewerSchemaError,
    ReadOnlyDocumentError,
    SidecarError,
    WriteOverDamagedError,
)
from desktop.storage.lock import EditHolder, LockHolder
from desktop.storage.reasons import (
    CollectionMoment,
    CollectionProblem,
    CollectionReason,
    FileProblem,
    ReadOnlyCause,
    ReadOnlyReason,
    Version,
)

__all__ = [
    "COLLECTION_NEXT",
    "VERSION_WORDS",
    "Advice",
    "collection_words",
    "error_words",
    "holder_words",
    "password_prompt",
    "refusal_words",
    "situation",
    "skipped_report",
    "skipped_words",
]

#: the two versions of a file with sidecars, as the clerk chooses between them
VERSION_WORDS = {
    Version.AS_IS: "文件现在的内容（不采用旁边的文件）",
    Version.RECOVERED: "按旁边的文件恢复后的内容",
}


#: what to do after a collection database failed, by when it failed: (after a write that
#: conflicts with its content, once the lost connection is back); the window adds a unit
#: shown's (its bar's 刷新)
COLLECTION_NEXT: Mapping[CollectionMoment, tuple[str, str]] = {
    CollectionMoment.CONNECTING: ("请稍后重试", ""),
    CollectionMoment.OPENING_UNIT: ("请稍后重试", "恢复后重新打开汇总库"),
}


@dataclass(frozen=True)
class Advice:
    """An edge's words for what the clerk can do: ``copy`` (edit a copy instead), ``wait``
    (what to do once the other program has closed the file), ``take_over`` (how to break
    a lock held on another computer; empty where the edge cannot), ``not_found`` (after
    a file not found: where to look) and ``collection`` (after a collection database
    failed, by when: ``COLLECTION_NEXT``)."""

    copy: str
    wait: str
    take_over: str = ""
    not_found: str = ""
    collection: Mapping[CollectionMoment, tuple[str, str]] = field(
        default_factory=lambda: COLLECTION_NEXT
    )


def holder_words(holder: LockHolder | EditHolder) -> str:
    """Who holds an edit lock, in the clerk's words: computer, user (for a collection's
    reviewer also the database user) and since when, in local time."""
    if isinstance(holder, EditHolder):
        since = holder.since.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            f"计算机“{holder.computer}”上的用户“{holder.user}”"
            f"（数据库用户 {holder.database_user}，{since} 起）"
        )
    since = holder.since.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"计算机“{holder.computer}”上的用户“{holder.user}”（{since} 起）"


def situation(path: Path, reason: ReadOnlyReason, advice: Advice) -> str:
    """``reason`` for the file ``path`` in one paragraph: the situation, then the edge's
    ``advice``."""
    name = path.name
    if reason.cause is ReadOnlyCause.LOCKED:
        assert reason.holder is not None
        words = (
            f"“{name}”正由{holder_words(reason.holder)}编辑，现以只读方式打开。"
            f"{advice.copy}，或等对方关闭文件后{advice.wait}。"
        )
        return words + (advice.take_over if reason.may_take_over else "")
    if reason.cause is ReadOnlyCause.LOCATION:
        return (
            f"“{name}”所在的位置是只读的（文件或U盘设为只读，或没有写入权限），"
            f"现以只读方式打开。{advice.copy}。"
        )
    if reason.cause is ReadOnlyCause.RECOVERED:
        assert reason.version is not None
        return (
            f"“{name}”所在的位置是只读的，旁边的文件无法移开，现以只读方式显示您选择的"
            f"“{VERSION_WORDS[reason.version]}”，文件本身未作改动。{advice.copy}。"
        )
    return "以只读方式打开。"


def refusal_words(error: DocumentFileError, path: Path | None = None) -> str:
    """Why the file ``path`` (default ``error.path``) was refused on opening, and what to
    do: a ``FileMissingError`` (without where to look for a file not found: each edge
    adds that), ``ForeignFileError``, ``NewerSchemaError``, ``DamagedFileError``,
    ``SidecarError`` or ``MigrationError``; any other error's own ``message``."""
    path = error.path if path is None else path
    if isinstance(error, CollectionError) and error.reason is not None:
        return collection_words(error.reason, Advice(copy="", wait=""), error)
    if isinstance(error, FileMissingError):
        return _missing(path, error)
    if isinstance(error, ForeignFileError):
        if error.problem is FileProblem.OTHER_DATABASE:
            return (
                f"“{path.name}”是其他程序的数据库文件，不是绩效目标文件，无法打开。"
                "请确认选择的是本程序保存的 .jxdb 文件。"
            )
        return (
            f"“{path.name}”不是绩效目标文件（.jxdb），无法打开。"
            "请确认选择的是本程序保存的文件（Excel 表格不能直接打开）。"
        )
    if isinstance(error, NewerSchemaError):
        return _newer(path, error)
    if isinstance(error, DamagedFileError):
        return _damaged(path, error)
    if isinstance(error, SidecarError):
        return _sidecars(path, error.sidecars)
    if isinstance(error, MigrationError):
        return (
            f"“{path.name}”的文件格式较旧，升级失败（{error.detail}），文件未作任何改动。"
            "请把文件和这段说明发给程序维护人员。"
        )
    return error.message


def _missing(path: Path, error: FileMissingError) -> str:
    if error.problem is FileProblem.FOLDER:
        return f"“{path}”是文件夹，不是 .jxdb 文件。请选择其中的某个文件。"
    if error.problem is FileProblem.NOT_FOUND:
        return f"找不到文件“{path}”。"
    if error.detail:  # its sidecars could not be copied for a recovery
        return f"无法读取“{path.name}”或旁边的文件（{error.detail}），文件未作任何改动。"
    return f"无法读取文件“{path.name}”，请确认文件存在、U盘已插好且有读取权限。"


def _newer(path: Path, error: NewerSchemaError) -> str:
    if error.collection:
        return (
            f"汇总库“{error.collection}”由较新版本的绩效目标填报程序建立（版本 {error.version}）。"
            "请升级本程序后再使用；库中内容未作改动。"
        )
    return (
        f"“{path.name}”由较新版本的绩效目标填报程序保存（文件格式 {error.version}，"
        f"本程序支持到 {error.supported}）。请升级程序后再打开；文件未作任何改动。"
    )


def _damaged(path: Path, error: DamagedFileError) -> str:
    name = path.name
    if error.problem is FileProblem.EMPTY:
        return (
            f"“{name}”是空文件（0 字节），没有任何内容，可能在复制或发送时没有完成。"
            "请向发送文件的单位重新索取，或从原处重新复制一份。"
        )
    if error.problem is FileProblem.UNKNOWN_VERSION:
        return (
            f"“{name}”的文件格式版本（{error.version}）无法识别，可能被其他程序改动过，"
            "无法打开，文件未作任何改动。请向发送文件的单位重新索取。"
        )
    if error.problem is FileProblem.UNTRUSTED and error.part is not None:
        return (
            f"“{name}”含有本程序不认识的内容（{part_words(error.part)}），可能已被其他程序改动，"
            "为安全起见不予打开，文件未作任何改动。请向发送文件的单位重新索取。"
        )
    if error.problem is FileProblem.INTEGRITY_FAILED:
        return f"“{name}”已损坏（完整性检查未通过）"
    if error.problem is FileProblem.RECOVERY_FAILED:
        return "恢复时出错，旁边的文件与它不相符或已损坏"
    return (
        f"“{name}”已损坏，无法打开（可能是复制时U盘被拔出或文件不完整）。"
        "请从原单位或备份中重新复制一份。"
    )


def _sidecars(path: Path, sidecars: list[Path]) -> str:
    names = "、".join(f"“{sidecar.name}”" for sidecar in sidecars)
    return (
        f"“{path.name}”旁边有{names}：可能是上次保存时被中断（程序被强行关闭或U盘被拔出）"
        "留下的，也可能属于另一份同名文件（例如文件被别的单位的副本替换过）。"
        "为免把不属于它的内容写进文件，没有读取也没有改动它们。"
        f"请在绩效目标填报程序中打开“{path.name}”，按提示选择保留哪一份内容；"
        "不要删除这些文件，也不要把它们和文件一起复制。"
    )


#: why an edit of the open file could not be written, by the fault SQLite reported
_EDIT_FAULTS = {
    WriteFault.DISK_FULL: "磁盘或U盘空间已满",
    WriteFault.MOVED: "文件已不在原来的位置（U盘可能已被拔出，或文件被移走、删除）",
    WriteFault.READ_ONLY: "文件或所在的磁盘、U盘已变为只读",
    WriteFault.NO_PERMISSION: "文件或所在的磁盘、U盘已变为只读",
    WriteFault.CANNOT_OPEN: "文件所在的文件夹已不存在或不可写入（U盘可能已被拔出，或被设为只读）",
    WriteFault.BUSY: "文件正被其他程序使用",
}


def _edit_failed(error: DocumentWriteError) -> str:
    """An edit of the open file that SQLite refused: the cause, and that the file still
    holds the last saved state (SQLite's rollback journal guarantees it)."""
    name = error.path.name
    if error.conflict:
        return (
            f"没有写入“{name}”：要写入的内容与文件中已有的内容相互冲突"
            f"（{error.conflict}），文件未作改动。文件可能被其他程序改动过，"
            "请向发送文件的单位重新索取，或从备份中恢复。"
        )
    assert error.fault is not None
    reason = _EDIT_FAULTS.get(error.fault, "读写出错，U盘可能已被拔出或文件已损坏")
    return f"无法读写“{name}”：{reason}。文件中仍是上一次保存的内容，没有损坏。"


def error_words(error: DocumentFileError, advice: Advice) -> str:
    """What an edge says for ``error``: a read-only document with ``advice`` (what was
    refused first, e.g. 不能合并到只读打开的文件), a refusal on opening (a file not
    found followed by ``advice.not_found``), a failed edit, a file that could not be
    written, new content this program would refuse; any other error's own ``message``."""
    from desktop.files import write_failure_message

    if isinstance(error, CollectionError) and error.reason is not None:
        return collection_words(error.reason, advice, error)
    if isinstance(error, ReadOnlyDocumentError):
        words = situation(error.path, error.reason, advice)
        return f"{error.refused}：{words}" if error.refused else words
    if isinstance(error, DocumentWriteError) and not error.message:
        return _edit_failed(error)
    if isinstance(error, FileWriteError):
        return write_failure_message(error.failure)
    if isinstance(error, ContentRefusedError):
        return _content_refused(error)
    if isinstance(error, NothingMergedError):
        return _nothing_merged(error.skipped)
    if isinstance(error, NoSourcesError):
        return "没有选择要合并的文件。"
    if isinstance(error, WriteOverDamagedError):
        return f"不能保存到“{error.path.name}”本身：它已损坏。请另选一个文件名。"
    words = refusal_words(error)
    if isinstance(error, FileMissingError) and error.problem is FileProblem.NOT_FOUND:
        return words + advice.not_found
    return words


def _content_refused(error: ContentRefusedError) -> str:
    path, cause = error.path, error.cause
    part = cause.part if isinstance(cause, DamagedFileError) else None
    reason = refusal_words(cause, path) if part is None else part_words(part)
    outcome = "原有文件未被改动" if error.existed else "没有写出任何文件"
    return (
        f"没有写出“{path.name}”：要写入的内容不符合本程序的要求（{reason}），{outcome}。"
        "请改正要导入的数据后重试。"
    )


def skipped_words(source: SkippedSource) -> str:
    """Why ``source`` was left out of a merge: the file named, what is wrong and what to do
    (e.g. “b.jxdb”已损坏，无法打开…请从原单位或备份中重新复制一份。)."""
    path = source.path
    if source.cause is SkipCause.UNREADABLE:
        assert source.error is not None
        return refusal_words(source.error)
    if source.cause is SkipCause.TARGET:
        return f"“{path.name}”就是合并的目标文件，不能合并到它自己。请选择其他单位的文件。"
    detail = source.detail
    if source.cause is SkipCause.UNSTORABLE:
        detail = "含有数据库不能保存的值，例如 NUL 控制字符"
    return (
        f"“{path.name}”中的数据不符合本程序的格式（{detail.rstrip('。')}），可能被其他程序改动过，"
        "其中的内容没有合并。请向发送文件的单位重新索取。"
    )


def skipped_report(skipped: Sequence[SkippedSource]) -> list[str]:
    """The lines telling the clerk which files a merge skipped and why; [] for none."""
    if not skipped:
        return []
    return [
        f"以下 {len(skipped)} 个文件无法读取，已跳过，其中的内容没有合并。"
        "请按说明处理（通常是请该单位重新发送文件），收到后再合并一次：",
        *_numbered(skipped),
    ]


def _numbered(skipped: Sequence[SkippedSource]) -> list[str]:
    """One line per skipped file, numbered (wrapped lines in a message box stay apart)."""
    return [f"  {n}. {skipped_words(source)}" for n, source in enumerate(skipped, start=1)]


def _nothing_merged(skipped: Sequence[SkippedSource]) -> str:
    """Every source skipped: each named (a single one: just its reason)."""
    if len(skipped) == 1:
        return skipped_words(skipped[0])
    return "\n".join(
        [f"选择的 {len(skipped)} 个文件都无法合并，未合并任何内容：", *_numbered(skipped)]
    )


#: PostgreSQL's password file: where a collection's password belongs
PGPASS_ADVICE = "请把密码写进 .pgpass 文件（见说明书“汇总库”一节）"
_URL_FORM = "请按 postgresql://用户名@服务器/数据库名 的格式填写"


def password_prompt(address: str) -> str:
    """The question for the password of the collection database at ``address``."""
    return f"汇总库 {address} 的密码（输入时不显示）："


def collection_words(
    reason: CollectionReason, advice: Advice, error: CollectionError | None = None
) -> str:
    """Why a collection database failed (``reason``), naming it, and what to do: its
    address, the driver, the server, its content; after a conflict or a lost connection
    ``advice.collection`` for ``reason.moment``. A password asked for while connecting
    (``error`` a ``PasswordRequiredError``) is told as not connected."""
    from desktop.storage.collection import PasswordRequiredError

    problem = reason.problem
    if problem is CollectionProblem.BAD_URL:
        return (
            f"数据库地址“{reason.shown}”无法识别。{_URL_FORM}，"
            "例如 postgresql://huizong@192.168.1.10/jixiao。"
        )
    if problem is CollectionProblem.PASSWORD_IN_URL:
        return (
            "数据库地址中含有密码，未连接。密码不要写在命令行或设置里（别人能看到，也会留在"
            f"命令记录中）：{PGPASS_ADVICE}，地址中去掉密码；没有 .pgpass 时程序会询问密码。"
        )
    if problem is CollectionProblem.NO_DATABASE_NAME:
        return f"数据库地址“{reason.shown}”中缺少数据库名。{_URL_FORM}。"
    if problem is CollectionProblem.NO_LIBPQ:
        return (
            "没有找到 PostgreSQL 的客户端库 libpq，不能使用汇总库。请由信息技术人员安装它："
            "Debian、Ubuntu、统信 UOS、麒麟上运行 sudo apt install libpq5，然后重新打开本程序。"
        )
    if problem is CollectionProblem.NO_DRIVER:
        return (
            "本程序的这个版本没有附带 PostgreSQL 驱动（psycopg），不能使用汇总库。"
            "请按说明书“汇总库”一节从源码安装本程序（make setup）后再使用。"
        )
    if problem is CollectionProblem.PASSWORD_REQUIRED and isinstance(error, PasswordRequiredError):
        return f"数据库服务器要求输入密码（{reason.shown}），未连接。{PGPASS_ADVICE}。"
    return _collection_content(reason) or _collection_server(reason, advice)


def _collection_content(reason: CollectionReason) -> str:
    """What the collection holds that refused it; "" for a failure of the server."""
    name = reason.database
    if reason.problem is CollectionProblem.FOREIGN_TABLES:
        shown = "、".join(f"“{table}”" for table in reason.tables)
        return (
            f"数据库“{name}”中已有其他程序的表（{shown}），不是绩效目标汇总库，未作任何改动。"
            "请为汇总库另建一个空数据库（见说明书“汇总库”一节）。"
        )
    if reason.problem is CollectionProblem.EMPTY:
        return (
            f"数据库“{name}”是空的，还没有合并任何单位。"
            f"请先用 jixiao merge {reason.shown} 收到/*.jxdb 把各单位的文件合并进来。"
        )
    if reason.problem is CollectionProblem.UPGRADE_FAILED:
        return (
            f"汇总库“{name}”的格式较旧，升级失败（{reason.detail}），库中内容未作改动。"
            "请把这段说明发给程序维护人员。"
        )
    if reason.problem is CollectionProblem.UNIT_GONE:
        return (
            f"汇总库“{name}”中已没有这个单位（可能刚被删除）。请重新打开汇总库，在单位列表中选择。"
        )
    if reason.problem is CollectionProblem.LOCK_LOST:
        return f"与汇总库“{name}”的连接中断过，编辑锁已失去，刚才的修改没有写入汇总库。"
    return ""


def _collection_server(reason: CollectionReason, advice: Advice) -> str:
    """A failure of the server or the connection: what happened and what to do."""
    problem, name = reason.problem, reason.database or "数据库"
    retry, after = advice.collection.get(
        reason.moment, advice.collection.get(CollectionMoment.CONNECTING, ("请稍后重试", ""))
    )
    if problem is CollectionProblem.CONFLICT:
        return (
            f"没有写入汇总库“{name}”：要写入的内容与库中已有的内容相互冲突"
            f"（{reason.detail}），库中内容未作改动。{retry}。"
        )
    if problem is CollectionProblem.CONNECTION_LOST:
        return (
            f"与汇总库“{name}”的服务器“{reason.server}”的连接中断了"
            "（网络断开，或服务器关机、数据库服务停止）。请检查网络或联系管理员，"
            f"{after}。库中内容未作改动。"
        )
    user = reason.user or "（当前登录名）"
    because = {
        CollectionProblem.WRONG_PASSWORD: (
            f"用户“{user}”的密码不对（或没有这个用户）。请核对 .pgpass 中的密码，或向管理员确认"
        ),
        CollectionProblem.PASSWORD_REQUIRED: f"服务器要求输入密码。{PGPASS_ADVICE}",
        CollectionProblem.NO_SUCH_DATABASE: (
            f"服务器上没有名为“{reason.database}”的数据库。请核对数据库名，或请管理员先建立它"
        ),
        CollectionProblem.NO_SUCH_USER: (
            f"服务器上没有用户“{user}”。请核对用户名，或请管理员先建立它"
        ),
        CollectionProblem.NO_PRIVILEGE: f"用户“{user}”没有使用该数据库的权限。请管理员授予权限",
        CollectionProblem.TIMEOUT: (
            f"连接数据库服务器“{reason.server}”超时（{reason.seconds} 秒内没有回应）。请检查："
            "服务器地址和端口是否填对；本机网络是否连通，服务器是否开机、数据库服务是否启动、"
            "是否被防火墙挡住；.pgpass 中或输入的密码是否正确。仍连接不上时请联系管理员"
        ),
        CollectionProblem.UNREACHABLE: (
            f"连接不到数据库服务器“{reason.server}”（服务器未开机、数据库服务未启动、地址或端口"
            "不对，或被防火墙挡住）。请核对地址，或联系管理员"
        ),
    }.get(problem, f"数据库服务器报告：{reason.detail}")
    return f"无法使用汇总库 {reason.shown}：{because}。库中内容未作改动。"
