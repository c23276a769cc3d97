"""The merge policies of ``jixiao merge --policy``, apart from storage/merge.py so that the
command line can list them without importing SQLAlchemy (``jixiao -h`` stays quick).
Must not import SQLAlchemy or Qt.
"""

from __future__ import annotations

import enum


class Policy(enum.Enum):
    """The CLI's ``--policy``: how choices are proposed (the GUI proposes ``NEWER``).

    ``NEWER``: the side that changed wins; changed on both sides → the later modification
    time, unless a time of either side cannot be right (``implausible_time``): then mine
    is kept and the item carries a ``clock_warning`` for the clerk to check.
    ``THEIRS`` / ``MINE``: that side wins every difference. No policy removes a unit
    present in the target only: that needs the clerk's explicit choice.
    """

    NEWER = "newer"
    THEIRS = "theirs"
    MINE = "mine"
