"""The 自评 scores of an open document (or collection), one declaration at a time. No Qt.

The rules are ``desktop/models/scoring.py``; this only reads the declarations for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from desktop.models.scoring import ProjectScore, declaration_scores
from desktop.services.documents import declaration_label, each_declaration
from desktop.storage.collection import Collection
from desktop.storage.document import Document


@dataclass(frozen=True)
class DeclarationScores:
    """The scores of one declaration: its ``label`` (单位编码 单位名称 年度), its ``stage``
    (申报/监控/自评) and each budget project's ``ProjectScore`` in form order."""

    label: str
    stage: str
    projects: list[ProjectScore]


def score_each(
    document: Document | Collection, declaration_uuid: str | None = None
) -> Iterator[DeclarationScores]:
    """Per declaration in file order (only the one ``declaration_uuid`` names, when
    given), its scores; one declaration is loaded at a time (``each_declaration``)."""
    for declaration in each_declaration(document, declaration_uuid):
        yield DeclarationScores(
            declaration_label(declaration), declaration.stage, declaration_scores(declaration)
        )
