"""Entry point ``jixiao``: a command (sample, print, …) runs the CLI; anything else the GUI."""

from __future__ import annotations

import sys


def main() -> int:
    """Dispatch on the first argument without importing Qt for command-line use."""
    args = sys.argv[1:]
    if args and (args[0] in ("-h", "--help", "--version") or args[0] in _commands()):
        from desktop.cli import main as cli_main

        return cli_main(args)
    from desktop.app import main as gui_main

    return gui_main(args)


def _commands() -> tuple[str, ...]:
    from desktop.cli import COMMANDS

    return COMMANDS


if __name__ == "__main__":
    sys.exit(main())
