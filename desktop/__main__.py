"""Entry point ``jixiao``: a command (sample, print, …) runs the CLI; anything else the GUI."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    """Dispatch on the first argument without importing Qt for command-line use."""
    args = sys.argv[1:]
    try:  # importing the command line takes a moment in which Ctrl+C must end quietly too
        command = args and (args[0] in ("-h", "--help", "--version") or args[0] in _commands())
        if command:
            from desktop.cli import main as cli_main
    except KeyboardInterrupt:
        print("已中断，未作任何改动。", file=sys.stderr)
        return 130
    if command:
        return cli_main(args)
    misuse = gui_misuse(args)
    if misuse:
        print(f"命令参数有误：{misuse}用 jixiao -h 查看用法。", file=sys.stderr)
        return 2
    from desktop.app import main as gui_main

    return gui_main(args)


def gui_misuse(args: list[str]) -> str | None:
    """Why ``args`` are neither a command nor the window's ``[FILE] [--sample]`` (Chinese,
    ending in 。), or None. A mistyped command (``jixiao chek s.jxdb``) is told so here,
    before Qt starts, instead of opening a window or failing for want of a display."""
    options = [arg for arg in args if arg.startswith("-")]
    files = [arg for arg in args if not arg.startswith("-")]
    unknown = [option for option in options if option != "--sample"]
    if files and not files[0].lower().endswith(".jxdb") and not Path(files[0]).is_file():
        commands = "、".join(_commands())
        return f"“{files[0]}”既不是命令，也不是 .jxdb 文件。可用的命令：{commands}。"
    if unknown:
        return f"无法识别的选项：{' '.join(unknown)}。"
    if len(files) > 1 or (files and options):
        return f"图形界面一次只打开一个文件，收到：{' '.join(args)}。"
    return None


def _commands() -> tuple[str, ...]:
    from desktop.cli import COMMANDS

    return COMMANDS


if __name__ == "__main__":
    sys.exit(main())
