"""The indicator library (指标库): built-in entries, the unit's own library, search.

Below services, above models: review and services use it; it must not import Qt,
sessions or anything from storage/services/review (import-linter: "Layers point down").
"""

from desktop.library.model import (
    PROJECT_TYPES,
    Library,
    LibraryEntry,
    LibraryFileError,
    LibraryProblem,
    builtin_library,
    entry_levels,
    parse_library,
    read_library,
)
from desktop.library.search import initials, matches, search

__all__ = [
    "PROJECT_TYPES",
    "Library",
    "LibraryEntry",
    "LibraryFileError",
    "LibraryProblem",
    "builtin_library",
    "entry_levels",
    "initials",
    "matches",
    "parse_library",
    "read_library",
    "search",
]
