"""Printing a document to PDF: load everything, stamp each declaration, lay it out. No Qt."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.files import safe_file_name
from desktop.models import PrintRecord
from desktop.models.labels import PART1_TITLE, PART2_TITLE
from desktop.models.stages import DECLARE, STAGE_FORMS
from desktop.review import review
from desktop.services.documents import load_declarations
from desktop.services.reviewing import count_errors
from desktop.storage.document import Document
from desktop.storage.errors import FileWriteError
from desktop.storage.interchange import fingerprint, short_fingerprint

if TYPE_CHECKING:
    from desktop.reports.pdf import PrintOptions


def print_document(
    document: Document,
    out_path: Path | str,
    *,
    options: PrintOptions | None = None,
    printed_at: datetime | None = None,
    invariant: bool = False,
    record: bool = True,
) -> int:
    """Write the declarations of ``document`` to the PDF ``out_path``; returns the page count.
    ``options.form`` chooses the stage's form (申报 by default; 监控 and 自评 are refused
    for a declaration that has not reached that stage: ``stage_forms.check_stage_reached``).

    Every page's footer carries the declaration's content fingerprint (short form) and
    the print time (``printed_at``, default now); with open review 错误 it also says
    审核未通过 — printing is never blocked (DESIGN.md, Review). With ``record`` (not for a
    preview, and not in a read-only document) each declaration gets a ``PrintRecord``: time,
    full fingerprint, parts.
    Raises ``PrintError`` (Chinese message) when there is nothing to print or text has
    characters the embedded font lacks (``MissingGlyphError``, naming field and
    character), and
    ``DocumentFileError`` when the PDF cannot be written (an existing PDF there is left as
    it was).
    """
    from desktop.reports.pdf import PrintOptions, Stamp  # ReportLab: slow import
    from desktop.reports.stage_forms import write_form_pdf

    printed_at = printed_at or datetime.now().astimezone()
    # The session stays open: messages name rows by their parents (loaded on demand).
    with document.session() as session:
        declarations = load_declarations(session)
        options = options or PrintOptions()
        fingerprints = [fingerprint(declaration) for declaration in declarations]
        stamps = [
            Stamp(
                fingerprint=short_fingerprint(full),
                printed_at=printed_at,
                review_errors=count_errors(review(declaration)),
            )
            for declaration, full in zip(declarations, fingerprints, strict=True)
        ]
        try:
            pages = write_form_pdf(
                declarations, out_path, options=options, stamps=stamps, invariant=invariant
            )
        except OSError as exc:
            raise FileWriteError.of(out_path, exc) from exc
        if record and document.read_only is None:  # a read-only file is printed, not changed
            for declaration, full in zip(declarations, fingerprints, strict=True):
                declaration.print_records.append(
                    PrintRecord(
                        printed_at=printed_at, fingerprint=full, parts=options.parts_label()
                    )
                )
        return pages


def print_job_title(document: Document, options: PrintOptions | None = None) -> str:
    """The title of a print job of ``document`` with ``options``: what is printed, the
    unit and the year, e.g. ``绩效目标申报表-乐亭县机关事务中心-2022年`` (everything),
    ``部门整体绩效目标-…`` (第一部分), ``预算项目绩效目标-…`` (第二部分),
    ``接待管理经费-项目绩效目标表-…`` (one project) or ``预算项目绩效目标（2个项目）-…``;
    a later stage's form by its name (``绩效运行监控表-…``, ``接待管理经费-绩效自评表-…``).

    A print queue lists jobs by it, and a PDF printer names its file by it (Microsoft
    Print to PDF offers it as the name; cups-pdf uses it), so characters no file name may
    hold become ``_`` (``safe_file_name``). Decision: what is printed comes first, the
    unit after. cups-pdf, as Debian sets it up, gets the title through PostScript with
    each Chinese character as three octal escapes and keeps 64 bytes of that (about
    five characters): titles beginning with the unit named every job of a unit alike,
    and each output replaced the one before. A clerk's jobs differ in what is printed.
    """
    from desktop.reports.pdf import PrintOptions

    options = options or PrintOptions()
    with document.session() as session:
        declarations = load_declarations(session)
        units = list(dict.fromkeys(d.unit_name.strip() or "未命名单位" for d in declarations))
        years = list(dict.fromkeys(f"{d.fiscal_year}年" for d in declarations))
        chosen = [
            project.name.strip() or "未命名项目"
            for declaration in declarations
            for project in declaration.budget_projects
            if options.projects is not None and project.uuid in options.projects
        ]
    if options.form != DECLARE:
        form = STAGE_FORMS[options.form]
        if options.projects is None:
            what = form
        elif len(chosen) == 1:
            what = f"{chosen[0]}-{form}"
        else:
            what = f"{form}（{len(chosen)}个项目）"
        return safe_file_name("-".join([what, "、".join(units), "、".join(years)]))
    if options.projects is None:
        part2 = PART2_TITLE[1]
    elif len(chosen) == 1:
        part2 = f"{chosen[0]}-项目绩效目标表"
    else:
        part2 = f"{PART2_TITLE[1]}（{len(chosen)}个项目）"
    if options.part1 and options.part2:
        what = "绩效目标申报表" if options.projects is None else f"部门整体及{part2}"
    else:
        what = PART1_TITLE[1] if options.part1 else part2
    return safe_file_name("-".join([what, "、".join(units), "、".join(years)]))
