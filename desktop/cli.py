"""Command line: ``jixiao sample|print|check|score|export-json|import-json|export-xlsx|
import-xlsx|export-docx|import-docx|merge|diff|summary|library``
over the GUI's services.

Never imports PySide6 (a test checks). Exit codes: 0 done, 1 refused input (message in
Chinese on standard error), 2 wrong usage. ``check``: 0 no 错误, 1 有错误, 2 file unreadable.
``score``: 0 every score computed, 1 data needed for a score missing (each named on
standard error) or the file refused.
``diff`` (like diff(1)): 0 the same, 1 different, 2 a file unreadable. ``merge``: 0 every
file merged, 3 the readable files merged but some skipped (each named with its reason on
standard error), 1 nothing merged (every source unreadable, or the target refused: nothing
written, no new target left behind). The target of ``merge`` may be a collection database
(postgresql://user@host/db, storage/collection.py): the same checks, report and exit codes.
``library import``: 0 every entry imported, 3 some entries skipped (each named on standard
error), 1 nothing imported; ``library list``: 1 when nothing fits.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from desktop import __version__
from desktop.exchange.errors import WordError, WorkbookError
from desktop.library.errors import LibraryFileError
from desktop.paths import SAMPLE_COPY_NAME
from desktop.services.errors import FrozenTargetError
from desktop.storage.errors import DocumentFileError, InterchangeError
from desktop.storage.merge_policy import Policy

if TYPE_CHECKING:
    from decimal import Decimal

    from desktop.models.scoring import Missing
    from desktop.services.merging import MergeResult
    from desktop.services.scoring import DeclarationScores
    from desktop.storage.collection import Collection
    from desktop.storage.document import Document

#: Told when Ctrl+C (or SIGTERM) ends a command.
INTERRUPTED = "已中断：没有写完的文件已删除，原有文件保持原样。"

COMMANDS = (
    "sample",
    "print",
    "check",
    "score",
    "export-json",
    "import-json",
    "export-xlsx",
    "import-xlsx",
    "export-docx",
    "import-docx",
    "merge",
    "diff",
    "summary",
    "library",
)


#: argparse's usage errors (Python 3.11 wording) in Chinese; others are shown as they are.
_USAGE_ERRORS = (
    (r"the following arguments are required: (.+)", r"缺少参数：\1"),
    (r"one of the arguments (.+) is required", r"需要以下参数之一：\1"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): invalid \w+ value: (.+)", r"参数 \1 的值 \2 无效"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面缺少它的值"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"\2 无效，可选：\3"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
)


class _Parser(argparse.ArgumentParser):
    """argparse with the usage error explained in Chinese (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        import re

        for pattern, chinese in _USAGE_ERRORS:
            message = re.sub(f"^{pattern}$", chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"命令参数有误：{message}。用 jixiao -h 查看各命令的用法。\n")


class _ChineseHelp(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="用法：")


def _in_chinese(parser: argparse.ArgumentParser) -> None:
    """argparse's own headings and help texts of ``parser`` and its commands in Chinese."""
    parsers = [parser]
    for each in parsers:  # grows while it is walked: commands, and their own (library list)
        for action in each._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += list(action.choices.values())
    for each in parsers:
        each.formatter_class = _ChineseHelp
        each._positionals.title = "参数"
        each._optionals.title = "选项"
        for action in each._actions:
            if "-h" in action.option_strings:
                action.help = "显示本说明后退出"
            elif action.dest in _PLACEHOLDERS and action.nargs != 0 and not action.choices:
                action.metavar = _PLACEHOLDERS[action.dest]


#: the placeholders ``-h`` shows for arguments and option values (argparse: the English
#: name in capitals, -o OUTPUT)
_PLACEHOLDERS = {
    "file": "文件",
    "output": "输出文件",
    "json": "JSON文件",
    "xlsx": "Excel文件",
    "docx": "Word文件",
    "into": "文件",
    "project": "序号",
    "declaration": "单位",
    "target": "目标文件",
    "sources": "来源文件",
    "first": "文件1",
    "second": "文件2",
    "library_file": "文件",
    "type": "项目类型",
    "search": "文字",
}


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jixiao",
        description=(
            "绩效目标填报\n\n图形界面：\n"
            "  jixiao              打开上次的文件（第一次打开示例）\n"
            "  jixiao 文件.jxdb    打开该文件\n"
            "  jixiao --sample     打开示例的副本（可随意修改；删除用户数据目录中的这个副本\n"
            f"                      “{SAMPLE_COPY_NAME}”即恢复原样）\n\n"
            "命令行：jixiao 命令 …（各命令的用法见 jixiao 命令 -h）"
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"jixiao {__version__}", help="显示版本号后退出"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    sample = commands.add_parser("sample", help="写出内置示例（乐亭县机关事务中心2022年）")
    sample.add_argument("-o", "--output", required=True, type=Path, help="要创建的 .jxdb 文件")
    sample.add_argument("--force", action="store_true", help="文件已存在时替换它")
    printing = commands.add_parser("print", help="把绩效目标文件打印为 PDF")
    printing.add_argument("file", type=Path, help=".jxdb 文件")
    printing.add_argument("-o", "--output", required=True, type=Path, help="PDF 文件")
    printing.add_argument(  # the forms are checked in _print: models/stages.py loads SQLAlchemy
        "--form",
        default="申报",
        metavar="表",
        help="打印哪张表：申报（绩效目标申报表，默认）、监控（绩效运行监控表）、"
        "自评（绩效自评表）；监控、自评表须文件已进入该阶段",
    )
    check = commands.add_parser("check", help="审核：列出财政局审核会指出的问题")
    check.add_argument("file", help=_FILE_HELP)
    check.add_argument("--declaration", help=_DECLARATION_HELP)
    check.add_argument("--json", action="store_true", help="以 JSON 输出（供其他程序读取）")
    score = commands.add_parser(
        "score", help="自评得分：每个预算项目的执行率、各指标得分及算法、总分和等级"
    )
    score.add_argument("file", help=_FILE_HELP)
    score.add_argument("--declaration", help=_DECLARATION_HELP)
    score.add_argument("--json", action="store_true", help="以 JSON 输出（供其他程序读取）")
    export = commands.add_parser("export-json", help="把文件内容以 JSON 写到标准输出")
    export.add_argument("file", help=_FILE_HELP)
    export.add_argument("--declaration", help=_DECLARATION_HELP)
    import_ = commands.add_parser("import-json", help="由 JSON 数据创建 .jxdb 文件")
    import_.add_argument("json", type=Path, help="JSON 文件（export-json 的格式）")
    import_.add_argument("-o", "--output", required=True, type=Path, help="要创建的 .jxdb 文件")
    import_.add_argument("--force", action="store_true", help="文件已存在时替换它")
    xlsx_out = commands.add_parser("export-xlsx", help="导出为 Excel 工作簿（与打印版式相同）")
    xlsx_out.add_argument("file", help=_FILE_HELP)
    xlsx_out.add_argument("-o", "--output", required=True, type=Path, help=".xlsx 文件")
    xlsx_out.add_argument("--declaration", help=_DECLARATION_HELP)
    xlsx_in = commands.add_parser(
        "import-xlsx",
        help="导入 Excel：本程序导出的工作簿建成新文件；指标清单追加到已有文件的预算项目",
    )
    xlsx_in.add_argument("xlsx", type=Path, help=".xlsx 文件")
    target = xlsx_in.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="要创建的 .jxdb 文件（导出的工作簿）")
    target.add_argument("--into", type=Path, help="要追加指标的 .jxdb 文件（指标清单）")
    xlsx_in.add_argument("--project", type=int, default=1, help="追加到第几个预算项目（默认 1）")
    xlsx_in.add_argument("--declaration", type=int, help="--into 的文件中有多个单位时，选第几个")
    xlsx_in.add_argument(
        "--replace", action="store_true", help="替换该预算项目现有的指标（默认追加在后面）"
    )
    xlsx_in.add_argument("--force", action="store_true", help="-o 的文件已存在时替换它")
    docx_out = commands.add_parser(
        "export-docx", help="导出为 Word 文档（.docx，版式同绩效文本，便于财政局汇编）"
    )
    docx_out.add_argument("file", type=Path, help=".jxdb 文件")
    docx_out.add_argument("-o", "--output", required=True, type=Path, help=".docx 文件")
    docx_out.add_argument(
        "--declaration", type=int, help="文件中有多个单位时，导出第几个（见 jixiao check）"
    )
    docx_in = commands.add_parser(
        "import-docx", help="从 Word 绩效文本（.docx）建立新的绩效目标文件（先列出识别结果）"
    )
    docx_in.add_argument("docx", type=Path, help=".docx 文件（上年的绩效文本）")
    docx_in.add_argument(
        "-o", "--output", type=Path, help="要创建的 .jxdb 文件（加 --dry-run 时不需要）"
    )
    docx_in.add_argument("--force", action="store_true", help="-o 的文件已存在时替换它")
    docx_in.add_argument("--dry-run", action="store_true", help="只列出识别结果，不建立文件")
    merge = commands.add_parser(
        "merge", help="把其他单位的文件合并到目标文件（可一次合并一个文件夹：目录/*.jxdb）"
    )
    merge.add_argument(
        "target",
        help="目标 .jxdb 文件（合并前自动备份；不存在时新建），"
        "或汇总库 postgresql://用户名@服务器/数据库名（每个文件一个事务，并记录合并）",
    )
    merge.add_argument(
        "sources",
        type=Path,
        nargs="+",
        help="要合并进来的 .jxdb 文件（也可以是文件夹或 目录/*.jxdb）",
    )
    merge.add_argument(
        "--policy",
        choices=[policy.value for policy in Policy],
        default="newer",
        help="有差异时：newer 采用改动的一方（双方都改时取较晚修改的；修改时间不可信时——"
        "在未来一天以上，或早于该年度可能开始填报的时间——保留本方并在报告中注明），"
        "theirs 一律采用对方，"
        "mine 一律保留本方。对方没有的内容一律保留。",
    )
    diff = commands.add_parser("diff", help="逐项比较两个文件的内容")
    diff.add_argument("first", help="第一个 .jxdb 文件或汇总库地址")
    diff.add_argument("second", help="第二个 .jxdb 文件或汇总库地址")
    diff.add_argument(
        "--declaration", help="只比较这个单位（序号、单位编码或 单位编码/年度，在汇总库一方找）"
    )
    summary = commands.add_parser("summary", help="汇总表：每个单位的预算、项目数、审核结果")
    summary.add_argument("file", help=_FILE_HELP)
    summary.add_argument("--declaration", help=_DECLARATION_HELP)
    summary.add_argument("-o", "--output", type=Path, help="另存为 .xlsx 或 .pdf")
    library = commands.add_parser(
        "library", help="指标库：列出、导入、导出（个人指标库在用户数据目录中）"
    )
    library_commands = library.add_subparsers(dest="library_command", required=True, metavar="操作")
    listing = library_commands.add_parser("list", help="列出指标（个人指标库在前）")
    listing.add_argument("--type", help="只列出适用于该项目类型的（如 培训、设备购置）")
    listing.add_argument("--search", help="按文字或拼音首字母查找（如 参训 或 cxrs）")
    library_in = library_commands.add_parser("import", help="把指标库文件导入个人指标库")
    library_in.add_argument("library_file", type=Path, help="指标库文件（.json）")
    library_out = library_commands.add_parser("export", help="把个人指标库导出为文件")
    library_out.add_argument("-o", "--output", required=True, type=Path, help="指标库文件（.json）")
    library_out.add_argument("--builtin", action="store_true", help="连同内置指标库一起导出")
    library_out.add_argument("--force", action="store_true", help="-o 的文件已存在时替换它")
    _in_chinese(parser)
    return parser


_FILE_HELP = ".jxdb 文件，或汇总库地址 postgresql://用户名@服务器/数据库名"
_DECLARATION_HELP = (
    "只处理其中一个单位：序号（见 jixiao check）、单位编码，或 单位编码/年度（如 507002/2023）"
)
#: the arguments that name a .jxdb file or a collection database: read as text (a path
#: would fold a URL's //), made paths in ``_run`` unless they are a database's URL
_FILE_OR_DATABASE = ("target", "file", "first", "second")


def _file_or_database(text: str) -> Path | str:
    """A command's file argument: a collection database's URL stays text, anything else
    is a path."""
    from desktop.storage.collection import is_collection_url

    return text.strip() if is_collection_url(text) else Path(text)


def _ask_password(address: str) -> str | None:
    """The password of the collection database at ``address``, asked on the terminal once
    (not shown as it is typed); None without a terminal (a script: the password belongs
    in .pgpass)."""
    import getpass

    from desktop.file_words import password_prompt

    if not sys.stdin.isatty():
        return None
    return getpass.getpass(password_prompt(address))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (see the module docstring)."""
    stopped_by_signal = _interrupt_on_termination()
    args = argparse.Namespace(command=None)
    try:
        # Ctrl+C while the command line is parsed ends as quietly as later
        parser = _parser()
        args = parser.parse_args(argv)
        if args.command == "import-docx" and not args.dry_run and args.output is None:
            parser.error("缺少参数：-o/--output（要创建的 .jxdb 文件；只看识别结果请加 --dry-run）")
        code = _run(args)
        if sys.stdout is not None:  # None in the windowed jixiao.exe on Windows
            sys.stdout.flush()  # a reader gone is told here, not by the interpreter at exit
        return code
    except KeyboardInterrupt:  # Ctrl+C, or ended (SIGTERM): every temporary file is removed
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except BrokenPipeError:  # `jixiao diff … | head`: the reader has all it wanted
        # Python's documented way: later writes (the flush at exit) go nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except LibraryFileError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except FrozenTargetError as exc:  # import-xlsx --into a file at 监控/自评
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except (DocumentFileError, InterchangeError, WorkbookError, WordError) as exc:
        message = _error_words(exc) if isinstance(exc, DocumentFileError) else exc.message
        print(f"错误：{message}", file=sys.stderr)
        return 2 if args.command in ("check", "diff") else 1
    finally:
        stopped_by_signal()


def _error_words(error: DocumentFileError) -> str:
    """What the command line says for ``error``, the one place it words the file layer's
    errors: as desktop/file_words.py states them, with the command line's advice (what a
    command-line user can do with a read-only file; the path to check for a file not
    found; the window's buttons are not here)."""
    from desktop.file_words import Advice, error_words

    advice = Advice(
        copy="要修改，请先复制一份可写的文件，再对副本执行此命令",
        wait="再执行",
        not_found="请检查文件路径。",
    )
    return error_words(error, advice)


def _interrupt_on_termination() -> Callable[[], None]:
    """Turn SIGTERM (``kill``, a closed terminal, a time limit) into ``KeyboardInterrupt``
    while a command runs, so that it unwinds like Ctrl+C: transactions roll back and the
    temporary file of an output is removed (Python's default would end at once, leaving
    it). Returns the function that restores the previous handler."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(_number: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command ``args.command`` through its handler in ``_HANDLERS``; returns
    its exit code (the module docstring). Raises ``DocumentFileError`` (and the other errors
    ``main`` puts into words) for refused input: nothing is written then."""
    for name in _FILE_OR_DATABASE:
        if isinstance(getattr(args, name, None), str):
            setattr(args, name, _file_or_database(getattr(args, name)))
    _refuse_existing_output(args)
    code = _HANDLERS[args.command](args)
    return 0 if code is None else code


def _refuse_existing_output(args: argparse.Namespace) -> None:
    """Refuse to replace the existing output (-o) of a command that creates a document
    (sample, import-json, import-xlsx, import-docx; not under --dry-run, which writes
    nothing) unless --force is given, and even then while another program edits it.

    Raises ``DocumentFileError`` naming --force, or ``_refuse_if_being_edited``'s error."""
    creates = args.command in ("sample", "import-json", "import-xlsx", "import-docx")
    creates = creates and not getattr(args, "dry_run", False)  # --dry-run writes nothing
    if not (creates and args.output and args.output.exists()):
        return
    if not args.force:
        raise DocumentFileError(
            args.output, f"“{args.output}”已存在，未作改动。如确需替换它，请在命令后加 --force。"
        )
    _refuse_if_being_edited(args.output)


def _sample(args: argparse.Namespace) -> None:
    """``jixiao sample -o FILE``: write the built-in sample document to ``args.output``."""
    from desktop.services import documents

    documents.write_sample(args.output).close()
    print(f"已写出示例：{args.output}")


def _import_json(args: argparse.Namespace) -> None:
    """``jixiao import-json JSON -o FILE``: create ``args.output`` from the JSON form."""
    from desktop.services import documents

    documents.create_from_json(args.json, args.output).close()
    print(f"已创建：{args.output}")


def _export_xlsx(args: argparse.Namespace) -> None:
    """``jixiao export-xlsx FILE -o 目标.xlsx``: the declaration as an Excel workbook."""
    _check_target(args.file, args.output, b"PK", "Excel 工作簿", "目标.xlsx")
    from desktop.services.excel import export_workbook

    sheets = _export(args, export_workbook)
    print(f"已导出 {sheets} 张工作表：{args.output}")


def _export_docx(args: argparse.Namespace) -> None:
    """``jixiao export-docx FILE -o 目标.docx``: the declaration as a Word document."""
    _check_target(args.file, args.output, b"PK", "Word 文档", "目标.docx")
    from desktop.services.word import export_docx

    tables = _export(args, export_docx)
    print(f"已导出 Word 文档（{tables} 个项目表）：{args.output}")


def _import_docx(args: argparse.Namespace) -> int:
    """``jixiao import-docx DOCX (-o FILE | --dry-run)``: print what was recognised, then
    create ``args.output`` from it (not under --dry-run); returns 0."""
    from desktop.services import word

    content = word.read_docx(args.docx)
    for line in word.describe(content):
        print(line)
    if args.dry_run:
        print("（--dry-run：没有建立文件）")
        return 0
    word.create_from_docx(content, args.output).close()
    print(f"已创建：{args.output}")
    return 0


def _print(args: argparse.Namespace) -> int:
    """``jixiao print FILE -o 目标.pdf [--form 申报|监控|自评]``: print the document's form
    of that stage (申报 by default) to a PDF; returns 0, or 1 when printing is refused
    (``PrintError``, its message on standard error: also a declaration that has not
    reached the stage, ``stage_forms.check_stage_reached``)."""
    from desktop.models.stages import STAGES
    from desktop.reports.pdf import PrintError, PrintOptions
    from desktop.services import backups
    from desktop.services.printing import print_document

    if args.form not in STAGES:
        print(
            f"命令参数有误：--form 的值“{args.form}”无效，可选：{'、'.join(STAGES)}。"
            "用 jixiao print -h 查看用法。",
            file=sys.stderr,
        )
        return 2
    _check_target(args.file, args.output, b"%PDF-", "PDF 文件", "目标.pdf")
    document = backups.open_file(args.file)
    try:
        _tell_pending_input(document, "打印")
        pages = print_document(document, args.output, options=PrintOptions(form=args.form))
    except PrintError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        document.close()
    print(f"已打印 {pages} 页：{args.output}")
    return 0


def _library(args: argparse.Namespace) -> int:
    """``jixiao library list|import|export``: the 指标库 (docs/indicator-library.md)."""
    from desktop.library import personal
    from desktop.library.search import search

    if args.library_command == "import":
        result = personal.import_library(args.library_file)
        if result.set_aside:
            print(f"注意：{result.set_aside}", file=sys.stderr)
        for problem in result.skipped:
            print(f"未导入：{problem}", file=sys.stderr)
        print(
            f"已导入个人指标库：新增 {result.added} 条，替换 {result.replaced} 条"
            + (f"，跳过 {len(result.skipped)} 条有问题的指标。" if result.skipped else "。")
        )
        return 3 if result.skipped else 0
    if args.library_command == "export":
        count = personal.export_library(args.output, with_builtin=args.builtin, replace=args.force)
        print(f"已导出 {count} 条指标：{args.output}")
        return 0
    try:
        personal.load_personal()
    except LibraryFileError as exc:
        print(f"注意：{exc.message}下面只列出内置指标。", file=sys.stderr)
    entries = personal.all_entries()
    types = list(dict.fromkeys(t for entry in entries for t in entry.project_types))
    if args.type and args.type not in types:
        print(f"错误：没有项目类型“{args.type}”，可选：{'、'.join(types)}。", file=sys.stderr)
        return 1
    found = search(
        entries,
        query=args.search or "",
        project_type=args.type or "",
        used=set(personal.used_names()),
    )
    if not found:
        print("没有符合条件的指标。可换个词查找，或去掉 --type。", file=sys.stderr)
        return 1
    for entry in found:
        types_text = "、".join(entry.project_types) or "个人"
        print(
            f"{entry.code}\t{entry.level1}／{entry.level2}／{entry.level3}\t"
            f"{entry.pattern}\t{entry.basis}\t[{types_text}]"
        )
    print(f"共 {len(found)} 条。", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace, export: Callable[..., int]) -> int:
    """Open ``args.file`` (a file or a collection database) for reading, name its refused
    input, and run ``export(document, args.output, declaration_uuid=…)`` on the declaration
    ``args.declaration`` chose; returns what ``export`` returns (the count of sheets or
    tables written)."""
    document = _open_for_reading(args.file)
    try:
        uuid = _choose_declaration(document, args.declaration)
        _tell_pending_input(document, "导出")
        return export(document, args.output, declaration_uuid=uuid)
    finally:
        document.close()


def _open_for_reading(source: Path | str) -> Document | Collection:
    """A .jxdb file opened read-only, or the collection database a URL names (its
    password from .pgpass, else asked once on the terminal)."""
    from desktop.storage.document import open_document

    if isinstance(source, str):
        from desktop.storage.collection import open_collection

        return open_collection(source, ask_password=_ask_password)
    return open_document(source, read_only=True)


def _export_json(source: Path | str, chosen: str | None) -> None:
    """Write the JSON form of the declarations of ``source`` (or the one ``chosen``) to
    standard output, one declaration at a time: the text is that of ``to_json_text`` of
    them all (a test checks), however many units a collection holds."""
    import json
    import textwrap

    from desktop.services.documents import each_declaration
    from desktop.storage.interchange import dump_declarations, dump_row

    document = _open_for_reading(source)
    try:
        uuid = None if chosen is None else _choose_declaration(document, chosen)
        envelope = dump_declarations([])
        head, tail = json.dumps(envelope, ensure_ascii=False, indent=2).split('"declarations": []')
        sys.stdout.write(head + '"declarations": [')
        separator = "\n"
        for declaration in each_declaration(document, uuid):
            text = json.dumps(dump_row(declaration), ensure_ascii=False, indent=2)
            sys.stdout.write(separator + textwrap.indent(text, "    "))
            separator = ",\n"
        sys.stdout.write(("]" if separator == "\n" else "\n  ]") + tail + "\n")
    finally:
        document.close()


def _tell_pending_input(document: Document | Collection, output: str) -> None:
    """Name each refused input kept in the file on stderr before producing output: what
    is printed or exported is the stored value (services/pending.py)."""
    from desktop.services.pending import document_notes

    for line in document_notes(document, output):
        print(f"注意：{line}。", file=sys.stderr)


def _check_target(source: Path | str, target: Path, magic: bytes, kind: str, example: str) -> None:
    """Refuse an output that is a folder, the document itself, or an existing file that is
    not of ``kind`` (its first bytes are not ``magic``): only our own kind is replaced."""
    if target.is_dir():
        raise DocumentFileError(
            target, f"“{target}”是一个文件夹，请给出 {kind}的文件名，例如 {example}。"
        )
    if target.exists():
        if isinstance(source, Path) and target.resolve() == source.resolve():
            raise DocumentFileError(target, f"{kind}不能写到绩效目标文件本身，请换一个文件名。")
        with target.open("rb") as stream:
            same_kind = stream.read(len(magic)) == magic
        if not same_kind:
            raise DocumentFileError(
                target,
                f"“{target}”已存在且不是 {kind}，为免覆盖其中的数据，未写入。请换一个文件名。",
            )


def _import_xlsx(args: argparse.Namespace) -> int:
    """Print the import preview, then create the file (-o) or append the indicators (--into)."""
    from desktop.services import backups, excel

    content = excel.read_workbook(args.xlsx)
    if args.output is not None and not isinstance(content, excel.ExportedWorkbook):
        print(
            "错误：这是指标清单，不是本程序导出的完整工作簿。"
            "请用 --into 文件.jxdb --project 序号 把指标追加到已有文件的预算项目。",
            file=sys.stderr,
        )
        return 1
    if args.output is None and not isinstance(content, excel.IndicatorList):
        print(
            "错误：这是本程序导出的完整工作簿，请用 -o 新文件.jxdb 把它建成新的绩效目标文件。",
            file=sys.stderr,
        )
        return 1
    if isinstance(content, excel.ExportedWorkbook):
        for line in excel.describe(content):
            print(line)
        excel.create_from_workbook(content, args.output).close()
        print(f"已创建：{args.output}")
        return 0
    document = backups.open_file(args.into)
    try:
        choices = excel.budget_project_choices(
            document, _choose_declaration(document, args.declaration)
        )
        if not 1 <= args.project <= len(choices):  # before the preview, not after it
            print(
                f"错误：“{args.into.name}”只有 {len(choices)} 个预算项目，"
                f"没有第 {args.project} 个。请用 --project 指定 1 到该数之间的序号。",
                file=sys.stderr,
            )
            return 1
        for line in excel.describe(content):
            print(line)
        uuid, name = choices[args.project - 1]
        added = len(
            excel.append_indicators(
                document, budget_project_uuid=uuid, indicators=content, replace=args.replace
            ).inserted
        )
    finally:
        document.close()
    if args.replace:
        print(f"预算项目 {name} 的指标已替换为导入的 {added} 条。")
    else:
        print(f"已把 {added} 条指标追加到预算项目 {name}。")
    return 0


def _refuse_if_being_edited(path: Path) -> None:
    """Even with --force, never replace a file another program is editing (its lock)."""
    from desktop.file_words import holder_words
    from desktop.storage.document import editing_program

    try:
        holder = editing_program(path)
    except DocumentFileError:
        return  # not a readable 绩效目标文件: nobody edits it with this program
    if holder is not None:
        raise DocumentFileError(
            path,
            f"“{path.name}”正由{holder_words(holder)}编辑，未替换它。"
            "请先在那里关闭该文件，或换一个文件名。",
        )


def _choose_declaration(document: Document | Collection, chosen: str | int | None) -> str | None:
    """The uuid of the declaration ``chosen`` names — a unit code (单位编码), a unit code
    and year (507002/2023: a collection keeps every year), or a number (1-based, file
    order, as ``check`` lists them) — in an open document or collection; None for a file
    with a single declaration and no choice. Raises ``DocumentFileError`` listing the
    declarations (the first ten of a long collection) when the choice is missing (several)
    or names none, or a code names several years."""
    from desktop.services.documents import declaration_choices

    choices = declaration_choices(document)
    if chosen is None and len(choices) <= 1:
        return None
    name = document.path.name
    advice = "请用 --declaration 序号、单位编码或 单位编码/年度 指定其中一个。"
    numbered = list(enumerate(choices, start=1))
    if chosen is not None:
        text = str(chosen).strip()
        code, _, year = text.partition("/")
        found = [
            (number, (uuid, label))
            for number, (uuid, label) in numbered
            if label.split(" ", 1)[0] == code and (not year or label.endswith(f" {year}年度"))
        ]
        if len(found) == 1:
            return found[0][1][0]
        if not found and text.isdigit() and 1 <= int(text) <= len(choices):
            return choices[int(text) - 1][0]
        if found:
            years = {label.rsplit(" ", 1)[-1] for _, (_, label) in found}
            which = (  # copies of one year (e.g. merged twice): only the number tells them apart
                "请用 --declaration 序号（上面各份前的数字）指定其中一个，并核对为何有重复的"
                if len(years) < len(found)
                else f"请用 --declaration {code}/年度 指定其中一个"
            )
            raise DocumentFileError(
                document.path,
                f"“{name}”中单位编码 {code} 有 {len(found)} 份绩效目标（{_listing(found)}）。"
                f"{which}。",
            )
        raise DocumentFileError(
            document.path,
            f"“{name}”中没有序号或单位编码为“{text}”的单位（共 {len(choices)} 个："
            f"{_listing(numbered)}）。{advice}",
        )
    raise DocumentFileError(
        document.path,
        f"“{name}”中有 {len(choices)} 个单位的绩效目标（{_listing(numbered)}）。{advice}",
    )


def _listing(numbered: list[tuple[int, tuple[str, str]]]) -> str:
    """The labels of ``numbered`` (序号, (uuid, label)) with their 序号, the first ten of
    a long list."""
    shown = "；".join(f"{n}. {label}" for n, (_, label) in numbered[:10])
    return shown + (
        f"；……（其余 {len(numbered) - 10} 个见 jixiao summary）" if len(numbered) > 10 else ""
    )


def _check(source: Path | str, *, as_json: bool, chosen: str | None = None) -> int:
    """Print the findings of every declaration (or the one ``chosen``), each unit's as it
    is reviewed — a collection one unit at a time; 0 without 错误, 1 with, 2 when the file
    or database cannot be read (raised)."""
    import json

    from desktop.review import FindingStatus, status_counts
    from desktop.services.documents import declaration_choices
    from desktop.services.reviewing import count_errors, review_each

    document = _open_for_reading(source)
    counts: Counter[FindingStatus] = Counter()
    found_json: list[dict[str, Any]] = []
    try:  # refused input is among the findings (an 错误 each): not said again on stderr
        uuid = None if chosen is None else _choose_declaration(document, chosen)
        several = uuid is None and len(declaration_choices(document)) > 1
        errors = 0
        for number, (label, found) in enumerate(review_each(document, uuid), start=1):
            errors += count_errors(found)
            counts.update(status_counts(found))
            if as_json:
                found_json += [{**finding.as_dict(), "declaration": label} for finding in found]
                continue
            if several:
                print(f"== {number}. {label} ==")
            for finding in found:
                print(f"【{finding.status.value}】{finding.location.place}：{finding.message}")
                if finding.explanation:
                    print(f"    说明：{finding.explanation}")
    finally:
        document.close()
    if as_json:
        print(json.dumps({"errors": errors, "findings": found_json}, ensure_ascii=False, indent=2))
    else:
        order = [FindingStatus.ERROR, FindingStatus.WARNING, FindingStatus.EXPLAINED]
        order.append(FindingStatus.HINT)  # 待填写 is only while editing: an 错误 or 警告 here
        summary = "，".join(f"{status.value} {counts[status]} 个" for status in order)
        print(("审核未通过：" if errors else "审核通过：") + summary)
    return 1 if errors else 0


def _score(source: Path | str, *, as_json: bool, chosen: str | None = None) -> int:
    """Print each budget project's 自评 score (执行率, every indicator's score and how it
    was computed, total and grade) of every declaration (or the one ``chosen``); 0 when
    every score could be computed, 1 when data is missing (each named on standard error)."""
    import json

    from desktop.services.documents import declaration_choices
    from desktop.services.scoring import score_each

    document = _open_for_reading(source)
    missing: list[Missing] = []
    found_json: list[dict[str, Any]] = []
    try:
        uuid = None if chosen is None else _choose_declaration(document, chosen)
        several = uuid is None and len(declaration_choices(document)) > 1
        for number, scored in enumerate(score_each(document, uuid), start=1):
            missing += [m for project in scored.projects for m in project.missing]
            if as_json:
                found_json.append(_scores_json(scored))
                continue
            if several:
                print(f"== {number}. {scored.label} ==")
            _print_scores(scored)
    finally:
        document.close()
    if as_json:
        shape = {"complete": not missing, "declarations": found_json}
        shape["missing"] = [m.as_dict() for m in missing]
        print(json.dumps(shape, ensure_ascii=False, indent=2))
    if missing:
        print(f"错误：有 {len(missing)} 项数据缺失，得分不完整：", file=sys.stderr)
        for gap in missing:
            print(f"  {gap.words()}", file=sys.stderr)
        return 1
    return 0


def _print_scores(scored: DeclarationScores) -> None:
    """The text of ``jixiao score`` for one declaration (``services.scoring.DeclarationScores``)."""
    from desktop.models.stages import STAGES

    if scored.stage != STAGES[-1]:
        print(f"（本单位处于“{scored.stage}”阶段：实际完成值等在“{STAGES[-1]}”阶段填写。）")
    if not scored.projects:
        print("没有预算项目，无可计分。")
    for project in scored.projects:
        execution = project.execution
        rate = f" {_number(execution.rate)}%" if execution.rate is not None else ""
        print(project.place)
        print(
            f"  预算执行率{rate}：{_number(execution.score) or '—'} / {_number(execution.weight)}"
            f"　{execution.explanation}"
        )
        for row, indicator in enumerate(project.indicators, start=1):
            if indicator is None:
                continue
            shown = "不适用" if indicator.excluded else _number(indicator.score) or "—"
            weight = _number(indicator.weight) or "—"
            name = indicator.name or "（未命名）"
            print(f"  第{row}行 {name}：{shown} / {weight}　{indicator.explanation}")
        grade = f"，等级 {project.grade}" if project.grade else ""
        print(f"  总分 {_number(project.total)}{grade}（{project.explanation()}）")


def _scores_json(scored: DeclarationScores) -> dict[str, Any]:
    """One declaration's scores as ``jixiao score --json`` gives them."""
    return {
        "declaration": scored.label,
        "stage": scored.stage,
        "projects": [
            {
                "uuid": project.project_uuid,
                "name": project.name,
                "total": _number(project.total),
                "grade": project.grade,
                "complete": project.complete,
                "explanation": project.explanation(),
                "execution": project.execution.as_dict(),
                "indicators": [i.as_dict() for i in project.indicators if i is not None],
            }
            for project in scored.projects
        ],
    }


def _number(value: Decimal | None) -> str:
    """A score or 分值 as shown (16.67, 10); "" for None."""
    from desktop.models.indicator_fields import weight_text

    return weight_text(value)


def _merge(target: Path | str, sources: list[Path], *, policy: str) -> int:
    """Merge with the policy's choices and print the report (one line per decision).

    A missing target (汇总 into a new file) is built under a temporary name beside it and
    appears only when the merge is complete (an existing target is left unchanged by
    ``merge_files`` when the merge is refused). A source
    may be a folder (its .jxdb files) or a pattern such as 收到/*.jxdb, expanded here
    because the Windows command prompt does not; the target itself is left out of what a
    folder or pattern finds, and skipped when named itself. Sources that cannot be read
    are skipped and listed with their reasons on standard error: returns 3 then, else 0.
    Raises ``DocumentFileError`` for a folder without .jxdb files, a target that cannot be
    written, and (``NothingMergedError``) when no source could be read.
    A collection database (``target`` a postgresql:// URL) gets its schema on the first
    merge and one transaction per source (``merge_into_collection``), no backup.
    """
    import glob

    from desktop.file_words import skipped_report
    from desktop.services import backups
    from desktop.services.merging import merge_files

    expanded: list[Path] = []
    for source in sources:
        if source.is_dir():
            matches = sorted(source.glob("*.jxdb"))
            if not matches:
                raise DocumentFileError(
                    source,
                    f"文件夹“{source}”中没有 .jxdb 文件，未合并任何内容。"
                    "请检查文件夹，或直接给出要合并的文件。",
                )
        elif source.exists() or not glob.has_magic(str(source)):
            expanded.append(source)  # a file named: merge_files skips the target itself
            continue
        else:
            matches = [Path(name) for name in sorted(glob.glob(str(source)))]
        if not matches:
            expanded.append(source)  # refused below with "找不到文件"
        expanded += [m for m in matches if not (isinstance(target, Path) and _same_file(m, target))]
    if isinstance(target, str):  # a collection database
        from desktop.services.merging import merge_into_collection
        from desktop.storage.collection import open_collection

        collection = open_collection(target, create=True, ask_password=_ask_password)
        result: MergeResult | None
        try:
            result = merge_into_collection(collection, expanded, policy=Policy(policy))
        finally:
            collection.close()
        created = False
    elif target.exists():
        document = backups.open_file(target)
        try:
            result = merge_files(document, expanded, policy=Policy(policy))
        finally:
            document.close()
        created = False
    else:  # 汇总 into a new file: built beside it, in place only once merged
        result = _merge_into_new(target, expanded, Policy(policy))
        created = True
    assert result is not None  # no progress callback: never stopped
    if created:
        print(f"已新建目标文件：{target}")
    print("\n".join(result.report()))
    for line in skipped_report(result.skipped):
        print(line, file=sys.stderr)
    return 3 if result.skipped else 0


def _same_file(path: Path, target: Path) -> bool:
    return target.exists() and path.samefile(target)


def _merge_into_new(target: Path, sources: list[Path], policy: Any) -> Any:
    """Merge ``sources`` into a new file built under a temporary name beside ``target`` and
    renamed to it only when the merge is complete; on any failure (also Ctrl+C) no file is
    left. Returns the ``MergeResult``; raises ``DocumentFileError`` naming ``target``."""
    from desktop.files import replaced_atomically
    from desktop.services.merging import merge_files
    from desktop.storage.document import create_document
    from desktop.storage.errors import FileWriteError

    try:
        with replaced_atomically(target.resolve(), create=False) as building:
            try:
                document = create_document(building)
                try:
                    result = merge_files(document, sources, policy=policy)
                finally:
                    document.close()
            except DocumentFileError as exc:
                raise _about(exc, target) from exc
    except OSError as exc:
        raise FileWriteError.of(target, exc) from exc
    return result


def _about(error: DocumentFileError, target: Path) -> DocumentFileError:
    """``error``, raised about the file built under a temporary name, as about ``target``
    (its path, and for a failed write whether a file was at ``target``)."""
    import dataclasses

    from desktop.storage.errors import FileWriteError

    # not copy.copy: an exception is copied by calling its class with its args (its text)
    moved = BaseException.__new__(type(error))
    moved.__dict__.update(vars(error))
    moved.args = error.args
    moved.path = target
    if isinstance(moved, FileWriteError):
        failure = dataclasses.replace(moved.failure, path=target, existed=target.exists())
        moved.failure = failure
    return moved


def _diff(first: Path | str, second: Path | str, chosen: str | None = None) -> int:
    """Print the differences, one field a line; 0 when there are none, 1 otherwise.

    Between two files: every declaration (``compare_files``). With a collection database
    on either side: the declaration ``chosen`` there (a unit code, code/year or number)
    against the other side's counterpart, or, without ``chosen``, each declaration of the
    file side against the collection's one of the same UUID (else unit code and year),
    read one at a time (``compare_with_collection``).
    """
    from desktop.services.merging import compare_files

    in_collection = [isinstance(source, str) for source in (first, second)]
    if not any(in_collection) and chosen is None:
        found = compare_files(first, second)
    elif all(in_collection) and chosen is None:
        raise DocumentFileError(
            Path(str(second)), "比较两个汇总库时，请用 --declaration 指定要比较的单位。"
        )
    else:
        found = _compare_chosen(first, second, chosen)
    names = [_shown_name(first), _shown_name(second)]
    for difference in found:
        print(
            f"{difference.place} · {difference.label}：\n"
            f"    {names[0]}：{difference.mine}\n    {names[1]}：{difference.theirs}"
        )
    print(f"共 {len(found)} 处不同。" if found else "两个文件的内容相同。")
    return 1 if found else 0


def _compare_chosen(first: Path | str, second: Path | str, chosen: str | None) -> list[Any]:
    """The differences (``compare_declarations``) between two sources of which at least one
    is a collection database or a declaration is ``chosen``: on each side that is a
    collection, or on both files, the declaration ``chosen`` (``_choose_declaration``); on a
    file side without ``chosen`` each of its declarations; a collection side without
    ``chosen`` holds the other side's counterparts (``counterparts``). Both are opened for
    reading and closed again; raises ``DocumentFileError`` as ``_open_for_reading`` and
    ``_choose_declaration`` do."""
    from desktop.services.merging import (
        comparable_declarations,
        compare_declarations,
        counterparts,
    )

    sources = (first, second)
    in_collection = [isinstance(source, str) for source in sources]
    documents: list[Any] = []
    try:
        for source in sources:
            documents.append(_open_for_reading(source))
        sides: list[list[dict[str, Any]] | None] = [None, None]
        for n, document in enumerate(documents):
            if chosen is not None and (in_collection[n] or not any(in_collection)):
                uuid = _choose_declaration(document, chosen)
                sides[n] = comparable_declarations(document, uuid)
            elif not in_collection[n]:
                sides[n] = comparable_declarations(document)
        for n, document in enumerate(documents):
            if sides[n] is None:  # a collection: the other side's units in it
                sides[n] = counterparts(document, sides[1 - n] or [])
        return compare_declarations(sides[0] or [], sides[1] or [])
    finally:
        for document in documents:
            document.close()


def _shown_name(source: Path | str) -> str:
    """How a file (its name) or a collection database (its URL) is named in output."""
    return source.name if isinstance(source, Path) else source


def _summary(source: Path | str, output: Path | None, chosen: str | None = None) -> None:
    """Print the summary table (each unit's row as it is read: a collection one unit at a
    time), or write it as .xlsx or .pdf when asked (-o); ``chosen``: one unit only."""
    from desktop.reports.summary import HEADERS
    from desktop.services.merging import summary_rows

    _check_summary_target(source, output)
    document = _open_for_reading(source)
    rows = []
    try:
        uuid = None if chosen is None else _choose_declaration(document, chosen)
        if output is None:
            print("\t".join(HEADERS))
        for number, row in enumerate(summary_rows(document, uuid), start=1):
            if output is None:
                print("\t".join(str(cell) for cell in row.cells(number)))
            else:
                rows.append(row)
    finally:
        document.close()
    if output is not None:
        _write_summary(rows, output, document.path)


def _check_summary_target(source: Path | str, output: Path | None) -> None:
    """Refuse a summary's output (-o) that is neither .xlsx nor .pdf, or that
    ``_check_target`` refuses for its kind; nothing to check without one.

    Raises ``DocumentFileError``."""
    if output is not None and output.suffix.lower() not in (".xlsx", ".pdf"):
        raise DocumentFileError(output, f"“{output.name}”：汇总表只能存为 .xlsx 或 .pdf 文件。")
    if output is not None and output.suffix.lower() == ".xlsx":
        _check_target(source, output, b"PK", "Excel 工作簿", "汇总.xlsx")
    elif output is not None:
        _check_target(source, output, b"%PDF-", "PDF 文件", "汇总.pdf")


def _write_summary(rows: list[Any], output: Path, path: Path) -> None:
    """Write the summary ``rows`` (``summary_rows``) of the document at ``path`` to
    ``output``: .xlsx, else .pdf, titled by the document's name, and say so.

    Raises ``DocumentFileError``: a control character in a unit's code or name (with where
    to correct it), or the output not writable."""
    from desktop.exchange.summary_workbook import write_summary_xlsx
    from desktop.reports.summary import UnitTextError, write_summary_pdf
    from desktop.storage.errors import FileWriteError

    title = f"绩效目标汇总表（{path.stem}）"
    try:
        if output.suffix.lower() == ".xlsx":
            write_summary_xlsx(rows, output, title)
        else:
            write_summary_pdf(rows, output, title)
    except UnitTextError as exc:  # a control character in a unit's code or name
        raise DocumentFileError(
            output,
            f"无法写出汇总表：{exc.situation}"
            f"请在本程序中打开“{path.name}”改正后再汇总。没有写出文件。",
        ) from exc
    except OSError as exc:
        raise FileWriteError.of(output, exc) from exc
    print(f"已写出汇总表（{len(rows)} 个单位）：{output}")


#: Each command's handler: it takes the parsed arguments and returns the exit code, or
#: None for 0 (done).
_HANDLERS: dict[str, Callable[[argparse.Namespace], int | None]] = {
    "sample": _sample,
    "print": _print,
    "check": lambda args: _check(args.file, as_json=args.json, chosen=args.declaration),
    "score": lambda args: _score(args.file, as_json=args.json, chosen=args.declaration),
    "export-json": lambda args: _export_json(args.file, args.declaration),
    "import-json": _import_json,
    "export-xlsx": _export_xlsx,
    "import-xlsx": _import_xlsx,
    "export-docx": _export_docx,
    "import-docx": _import_docx,
    "merge": lambda args: _merge(args.target, args.sources, policy=args.policy),
    "diff": lambda args: _diff(args.first, args.second, args.declaration),
    "summary": lambda args: _summary(args.file, args.output, args.declaration),
    "library": _library,
}
