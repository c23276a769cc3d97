"""The later stages' printed forms: the 绩效运行监控表 (监控) and the 绩效自评表 (自评), one
table per budget project, and the 目标调整 record after them, with the furniture of the
申报 form (``reports/pdf.py``): A4, the embedded font, the footer with the fingerprint and
审核未通过, the indicator grid's header row repeated on each page and a row split over
pages repeating its 一级/二级/三级指标 and 年度指标值, the signature block.

Layouts, as the published forms have them (sources: the 项目支出绩效目标执行监控表 of
财预〔2019〕136号 and a province's 项目支出绩效监控表 as published, e.g. 黄石市 2019; the
项目支出绩效自评表 of 财预〔2020〕10号 as published, e.g. 池州市贵池区棠溪镇 2022):

- 绩效运行监控表, A4 landscape (nine indicator columns do not fit a portrait page at a
  readable size; the published form is landscape): per project the title and
  （2022年度，截至6月底）, 项目名称 and 项目编码, 实施单位, 项目资金 (年初预算数, 截至X月底
  预算执行数, 执行率), 年度总体目标, then per indicator 一级/二级/三级指标, 年度指标值,
  当前完成值（截至X月底）, 全年预计完成值, 完成可能性, 偏差原因, 改进措施. The published
  form ticks one of five 偏差原因 columns; ours is one column holding the cause chosen.
- 目标调整记录, after the project tables of a declaration that has any (only those of the
  projects printed when some are chosen): 序号, the row and field adjusted in the clerk's
  words (``labels.row_place``), 调整前, 调整后, 调整原因, 调整日期.

Decision: a form of a stage the declaration has not reached is refused
(``check_stage_reached``), not printed empty: an empty 监控表 carrying the unit's
fingerprint would look like a report of nothing done. A later stage prints an earlier
stage's form (a 自评 file still prints its 监控表 and 申报表).
Must not import Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from desktop.models import BudgetProject, Declaration, Indicator, SyncedRow, TargetAdjustment
from desktop.models.execution import execution_amounts, project_execution_rate
from desktop.models.indicator_fields import weight_text
from desktop.models.labels import FIELD_LABELS, ROW_KINDS, STAGE_FORM_LABELS, row_place
from desktop.models.scoring import project_scores
from desktop.models.stages import DECLARE, EVALUATE, MONITOR, STAGE_FORMS, STAGES
from desktop.reports.fonts import register_face
from desktop.reports.pdf import (
    LABEL_WIDTH,
    SIGNATURE_DATE,
    SUB_COLUMNS,
    PrintError,
    PrintOptions,
    SignaturePlacement,
    Stamp,
    _Bookmark,
    _cells,
    _grid_style,
    _GridRow,
    _IndicatorTable,
    _KeepTogetherIfFits,
    _p,
    _signature_block,
    _StampMark,
    _Styles,
    _styles,
    _unit_line,
    write_pdf,
)
from desktop.reports.wording import format_amount

_INDICATOR = ROW_KINDS[Indicator]
_PROJECT = ROW_KINDS[BudgetProject]
_ADJUSTMENT = ROW_KINDS[TargetAdjustment]
#: Columns of a stage's indicator grid a row split over pages prints on every part:
#: 一级, 二级, 三级指标 and 年度指标值.
_REPEATED = (0, 1, 2, 3)


def form_pagesize(form: str) -> tuple[float, float]:
    """The page of ``form`` (a stage) in points: A4 landscape for the 监控表, else portrait."""
    return landscape(A4) if form == MONITOR else A4


def month_words(declaration: Declaration) -> str:
    """截至X月底 of a 监控 (the declaration's ``monitoring_month``); 截至　月底 with a space
    to write in when no month is set."""
    month = declaration.monitoring_month
    return f"截至{month if month else '　'}月底"


def check_stage_reached(declarations: Sequence[Declaration], form: str) -> None:
    """Raise ``PrintError`` (Chinese) when a declaration has not reached ``form``'s stage
    (a 申报 file asked for its 监控表), naming the units; ``form`` not a stage is refused
    too. See the module docstring for why it is refused, not printed empty."""
    if form not in STAGES:
        raise PrintError(f"没有“{form}”表，可打印：{'、'.join(STAGES)}。")
    behind = [d for d in declarations if STAGES.index(d.stage or DECLARE) < STAGES.index(form)]
    if not behind:
        return
    names = "、".join(
        f"{d.unit_name or '未命名单位'}{d.fiscal_year}年（{d.stage or DECLARE}阶段）"
        for d in behind[:5]
    )
    more = f"等 {len(behind)} 个单位" if len(behind) > 5 else ""
    raise PrintError(
        f"{names}{more}还没有进入“{form}”阶段，不能打印{STAGE_FORMS[form]}（未生成 PDF）。"
        f"请先把阶段改为“{form}”并填写{form}数据；申报表任何阶段都可打印。"
    )


def write_form_pdf(
    declarations: Sequence[Declaration],
    out_path: Path | str,
    *,
    options: PrintOptions | None = None,
    stamps: Sequence[Stamp] = (),
    invariant: bool = False,
) -> int:
    """Print the form ``options.form`` of ``declarations`` to the PDF ``out_path``; returns
    the page count. The 申报 form is ``pdf.write_pdf``'s; the later stages' forms are laid
    out here (module docstring). Raises ``PrintError`` before writing anything when a
    declaration has not reached the stage (``check_stage_reached``), when no project table
    is chosen, or as ``pdf.write_pdf`` does; ``OSError`` when the folder cannot be written.
    """
    options = options or PrintOptions()
    if options.form == DECLARE:
        return write_pdf(
            declarations, out_path, options=options, stamps=stamps, invariant=invariant
        )
    check_stage_reached(declarations, options.form)
    if not any(_chosen(declaration, options) for declaration in declarations):
        raise PrintError(
            "没有可打印的内容：文件中没有预算项目，或没有选择要打印的项目表"
            f"（{STAGE_FORMS[options.form]}每个预算项目一张表）。"
        )
    return write_pdf(
        declarations,
        out_path,
        options=options,
        stamps=stamps,
        invariant=invariant,
        story=build_stage_story,
        pagesize=form_pagesize(options.form),
        extra_rows=[a for d in declarations for a in d.target_adjustments],
    )


def _chosen(declaration: Declaration, options: PrintOptions) -> list[tuple[int, BudgetProject]]:
    """The projects printed, with their 1-based place in the declaration."""
    return [
        (position, project)
        for position, project in enumerate(declaration.budget_projects, start=1)
        if options.projects is None or project.uuid in options.projects
    ]


def build_stage_story(
    declarations: Sequence[Declaration],
    frame_width: float,
    options: PrintOptions,
    stamps: Sequence[Stamp] = (),
) -> list[Flowable]:
    """The flowables of a later stage's printout (``options.form``: 监控 or 自评): per
    declaration a table per chosen project, each followed by the signature block
    (``options.signature``), then its 目标调整 record when there is one."""
    s = _styles(*register_face(options.face))
    form = options.form
    story: list[Flowable] = []
    several = len(declarations) > 1
    for index, declaration in enumerate(declarations):
        if story:
            story.append(PageBreak())
        story.append(_StampMark(stamps[index] if index < len(stamps) else Stamp()))
        prefix = f"{declaration.unit_name}{declaration.fiscal_year}年 " if several else ""
        story.append(_Bookmark(prefix + STAGE_FORMS[form], 0))
        projects = _chosen(declaration, options)
        for number, (position, project) in enumerate(projects):
            if number:
                story.append(PageBreak() if options.new_page_per_project else Spacer(1, 8 * mm))
            story += _stage_table(form, position, project, declaration, s, frame_width)
            if options.signature is SignaturePlacement.EACH:
                story.append(KeepTogether([Spacer(1, 4 * mm), _signature(form, s, frame_width)]))
        adjustments = printed_adjustments(declaration, options.projects)
        if adjustments:
            story += [
                Spacer(1, 8 * mm),
                *_adjustment_record(declaration, adjustments, s, frame_width),
            ]
        if options.signature is SignaturePlacement.END:
            story.append(KeepTogether([Spacer(1, 8 * mm), _signature(form, s, frame_width)]))
    return story


def _signature(form: str, s: _Styles, width: float) -> Table:
    """The signature block under a table: the 申报 form's (``pdf._signature_block``) on a
    portrait page; on the landscape 监控表 the same five entries on two lines, so that a
    project's table and its signature share a page as on the portrait forms."""
    if form_pagesize(form)[0] <= A4[0]:
        return _signature_block(s, width)
    label = s.above_left
    rows = [
        [_p("填报人：", label), "", _p("单位负责人：", label), "", _p("联系电话：", label), ""],
        [_p("填报日期：", label), _p(SIGNATURE_DATE, label), "", "", _p("单位（盖章）", label), ""],
    ]
    shares = (0.1, 0.22, 0.12, 0.22, 0.1, 0.24)
    table = Table(rows, colWidths=[width * share for share in shares])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.font),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
                ("LINEBELOW", (5, 0), (5, 0), 0.6, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 22),  # room for the seal
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def stage_table_title(form: str, position: int, project: BudgetProject) -> str:
    """The title above a project's table of a stage's form: 1.接待管理经费绩效运行监控表."""
    return f"{position}.{project.name}{STAGE_FORMS[form]}"


def _subtitle(form: str, declaration: Declaration) -> str:
    """（2022年度，截至6月底） under a 监控表's title, （2022年度） under a 自评表's."""
    month = f"，{month_words(declaration)}" if form == MONITOR else ""
    return f"（{declaration.fiscal_year}年度{month}）"


def _stage_table(
    form: str,
    position: int,
    project: BudgetProject,
    declaration: Declaration,
    s: _Styles,
    width: float,
) -> list[Flowable]:
    """A project's table of ``form``: title, unit line, header block, indicator grid."""
    title = stage_table_title(form, position, project)
    subtitle = ParagraphStyle("subtitle", parent=s.cell_center, spaceAfter=4)
    parts: list[Flowable]
    if form == MONITOR:
        parts = [
            _monitoring_header(project, declaration, s, width),
            _monitoring_grid(project, declaration, s, width),
        ]
    else:
        figures = evaluation_figures(project, declaration)
        parts = [
            _evaluation_header(project, declaration, figures, s, width),
            _evaluation_grid(project, figures, s, width),
            _evaluation_totals(figures, s, width),
        ]
    return [
        _KeepTogetherIfFits(
            [
                _Bookmark(title, 1),
                _p(title, s.table_title),
                _p(_subtitle(form, declaration), subtitle),
                _unit_line(declaration, s, width),
                *parts,
            ]
        )
    ]


def execution_rate(project: BudgetProject, stage: str) -> str:
    """``project``'s 执行率 at ``stage`` as printed (``47.35%``; ``execution.
    project_execution_rate``), empty when it cannot be computed."""
    rate = project_execution_rate(project, stage)
    return "" if rate is None else f"{weight_text(rate)}%"


def _two_columns(
    rows: list[list[Flowable | str]], spans: list[tuple[int, int]], s: _Styles, width: float
) -> Table:
    """A header block: label column and content column, the nested multi-cell rows without
    padding (as the 申报 form's), label cells spanning the rows ``spans`` (first, last)."""
    table = Table(rows, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], splitInRow=1)
    nested = [(1, n) for n, row in enumerate(rows) if isinstance(row[1], Table)]
    table.setStyle(
        TableStyle(
            _grid_style(s.font)
            + [("SPAN", (0, a), (0, b)) for a, b in spans]
            + [
                (side, at, at, 0)
                for at in nested
                for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
            ]
        )
    )
    return table


def _name_and_code(project: BudgetProject, s: _Styles, sub: float) -> list[Flowable | str]:
    labels = _PROJECT.labels()
    return [
        _p(labels["name"], s.cell_label),
        _cells(
            [
                (_p(project.name, s.cell_center), 6),
                (_p(labels["code"], s.cell_label), 2),
                (_p(project.code, s.cell_center), 4),
            ],
            sub,
            s.font,
        ),
    ]


def _monitoring_header(
    project: BudgetProject, declaration: Declaration, s: _Styles, width: float
) -> Table:
    """项目名称 | 项目编码; 实施单位; 项目资金: 年初预算数, 截至X月底预算执行数, 执行率;
    年度总体目标 (the project's 绩效目标)."""
    sub = (width - LABEL_WIDTH) / SUB_COLUMNS
    label, center = s.cell_label, s.cell_center
    executed_label = month_words(declaration) + _PROJECT.labels()["executed_to_date"]
    rows: list[list[Flowable | str]] = [
        _name_and_code(project, s, sub),
        [_p("实施单位", label), _p(f"{declaration.unit_code}{declaration.unit_name}", s.cell)],
        [
            _p(f"{STAGE_FORM_LABELS['funds']}（{declaration.amount_unit}）", label),
            _cells(
                [
                    (_p(STAGE_FORM_LABELS["initial_budget"], label), 4),
                    (_p(executed_label, label), 4),
                    (_p(STAGE_FORM_LABELS["rate"], label), 4),
                ],
                sub,
                s.font,
            ),
        ],
        [
            "",
            _cells(
                [
                    (_p(format_amount(project.budget_amount), center), 4),
                    (_p(format_amount(project.executed_to_date), center), 4),
                    (
                        _p(execution_rate(project, MONITOR), center),
                        4,
                    ),
                ],
                sub,
                s.font,
            ),
        ],
        [_p(STAGE_FORM_LABELS["overall_target"], label), _p(project.performance_target, s.cell)],
    ]
    return _two_columns(rows, [(2, 3)], s, width)


@dataclass(frozen=True)
class _Column:
    """A column of a stage's indicator grid: header text, share of the width right of the
    一级指标 column, centred or not."""

    header: str
    share: float
    centred: bool = False


def _grid(
    columns: Sequence[_Column], texts: Sequence[tuple[str, ...]], s: _Styles, width: float
) -> _IndicatorTable:
    """An indicator grid of ``columns`` (the first the 一级指标, at the label width) with a
    row per ``texts``; its header row repeats on each page, equal 一级/二级 merge."""
    rest = width - LABEL_WIDTH
    total = sum(c.share for c in columns[1:])
    widths = [LABEL_WIDTH] + [rest * c.share / total for c in columns[1:]]
    styles = [s.cell_center if c.centred else s.cell for c in columns]
    rows = [
        _GridRow(row, tuple(_p(text, style) for text, style in zip(row, styles, strict=True)))
        for row in texts
    ]
    return _IndicatorTable.build(
        rows, styles, s.cell_label, s.font, widths, [c.header for c in columns], _REPEATED
    )


def _level_columns() -> list[_Column]:
    """一级, 二级, 三级指标 and 年度指标值, as the stage forms head them."""
    printed = _INDICATOR.printed_labels()
    return [
        _Column(printed["level1"], 0, centred=True),
        _Column(printed["level2"], 2, centred=True),
        _Column(printed["level3"], 3.5),
        _Column(STAGE_FORM_LABELS["annual_target_value"], 2.7, centred=True),
    ]


def _level_texts(indicator: Indicator) -> tuple[str, str, str, str]:
    return (indicator.level1, indicator.level2, indicator.level3, indicator.target_value)


def _monitoring_grid(
    project: BudgetProject, declaration: Declaration, s: _Styles, width: float
) -> _IndicatorTable:
    """一级 … 年度指标值, 当前完成值（截至X月底）, 全年预计完成值, 完成可能性, 偏差原因,
    改进措施."""
    labels = _INDICATOR.labels()
    columns = [
        *_level_columns(),
        _Column(f"{labels['current_value']}\n（{month_words(declaration)}）", 2.7, centred=True),
        _Column(labels["expected_value"], 2.7, centred=True),
        _Column(labels["completion_likelihood"], 2.2, centred=True),
        _Column(labels["deviation_cause"], 2.2, centred=True),
        _Column(labels["improvement_measures"], 5.1),
    ]
    texts = [
        (
            *_level_texts(i),
            i.current_value,
            i.expected_value,
            i.completion_likelihood,
            i.deviation_cause,
            i.improvement_measures,
        )
        for i in project.indicators
    ]
    return _grid(columns, texts, s, width)


# -- 自评 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationFigures:
    """The numbers of a project's 自评表 as printed: ``budget`` (全年预算数: ``annual_budget``,
    else the declared 预算数), ``rate`` (执行率), ``execution_score`` and its
    ``execution_weight`` (10), per indicator ``weights`` (分值) and ``scores`` (得分) as
    texts ("—" for a 不适用 indicator, "" where there is none), ``total`` (the 得分 added
    up), ``total_weight`` (the 分值 of what is scored, 执行率's included), ``grade``
    (优/良/中/差, "" while any score is missing) and ``missing`` (how many data are)."""

    budget: Decimal | None
    rate: str
    execution_score: Decimal | None
    execution_weight: Decimal
    weights: tuple[str, ...]
    scores: tuple[str, ...]
    total: Decimal
    total_weight: Decimal
    grade: str
    missing: int


def evaluation_figures(project: BudgetProject, declaration: Declaration) -> EvaluationFigures:
    """The figures of ``project``'s 自评表 (its rows loaded), from the scoring of the 自评
    (``scoring.project_scores``: the 执行率's score, each indicator's 分值 after 不适用
    re-spreading and 得分 — the clerk's where typed —, the total and grade); the 执行率's
    amounts are ``execution.execution_amounts``'."""
    budget, _ = execution_amounts(project, EVALUATE)
    scored = project_scores(project, declaration.fiscal_year)
    weights, scores = [], []
    for score in scored.indicators:
        if score is None:  # a blank row of the template
            weights.append("")
            scores.append("")
        elif score.excluded:  # 不适用: not scored, its 分值 gone to the others
            weights.append("—")
            scores.append("—")
        else:
            weights.append(weight_text(score.weight))
            scores.append(weight_text(score.score))
    execution = scored.execution
    counted = [s.weight for s in scored.indicators if s is not None and not s.excluded and s.weight]
    return EvaluationFigures(
        budget=budget,
        rate=execution_rate(project, EVALUATE),
        execution_score=execution.score,
        execution_weight=execution.weight,
        weights=tuple(weights),
        scores=tuple(scores),
        total=scored.total,
        total_weight=execution.weight + sum(counted, Decimal(0)),
        grade=scored.grade,
        missing=len(scored.missing),
    )


def _evaluation_header(
    project: BudgetProject,
    declaration: Declaration,
    figures: EvaluationFigures,
    s: _Styles,
    width: float,
) -> Table:
    """项目名称 | 项目编码; 主管部门 (to write by hand: the file does not hold it) | 实施单位;
    项目资金: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 for the 年度资金总额,
    其中 财政资金 and 其他资金 (年初 only: the later amounts are not kept per source);
    年度总体目标: 预期目标 (the project's 绩效目标) and 实际完成情况."""
    sub = (width - LABEL_WIDTH) / SUB_COLUMNS
    label, center = s.cell_label, s.cell_center
    project_labels = _PROJECT.labels()
    indicator_labels = _INDICATOR.labels()
    spread = (2, 2, 2, 2, 1, 2, 1)

    def money_row(texts: Sequence[str], style: ParagraphStyle) -> Table:
        return _cells(
            [(_p(text, style), w) for text, w in zip(texts, spread, strict=True)], sub, s.font
        )

    dash = "—"
    rows: list[list[Flowable | str]] = [
        _name_and_code(project, s, sub),
        [
            _p("主管部门", label),
            _cells(
                [
                    (_p("", s.cell), 5),
                    (_p("实施单位", label), 2),
                    (_p(f"{declaration.unit_code}{declaration.unit_name}", s.cell), 5),
                ],
                sub,
                s.font,
            ),
        ],
        [
            _p(f"{STAGE_FORM_LABELS['funds']}（{declaration.amount_unit}）", label),
            money_row(
                [
                    "",
                    STAGE_FORM_LABELS["initial_budget"],
                    project_labels["annual_budget"],
                    project_labels["annual_executed"],
                    indicator_labels["weight"],
                    STAGE_FORM_LABELS["rate"],
                    indicator_labels["score"],
                ],
                label,
            ),
        ],
        [
            "",
            money_row(
                [
                    STAGE_FORM_LABELS["fund_total"],
                    format_amount(project.budget_amount),
                    format_amount(figures.budget),
                    format_amount(project.annual_executed),
                    weight_text(figures.execution_weight),
                    figures.rate,
                    weight_text(figures.execution_score),
                ],
                center,
            ),
        ],
        [
            "",
            money_row(
                [
                    f"其中：{project_labels['fiscal_funds']}",
                    format_amount(project.fiscal_funds),
                    "",
                    "",
                    dash,
                    dash,
                    dash,
                ],
                center,
            ),
        ],
        [
            "",
            money_row(
                [
                    project_labels["other_funds"],
                    format_amount(project.other_funds),
                    "",
                    "",
                    dash,
                    dash,
                    dash,
                ],
                center,
            ),
        ],
        [
            _p(STAGE_FORM_LABELS["overall_target"], label),
            _p(
                project.performance_target,
                s.cell,
                f"<b>{STAGE_FORM_LABELS['expected_target']}：</b>",
            ),
        ],
        [
            "",
            _p(project.overall_outcome, s.cell, f"<b>{project_labels['overall_outcome']}：</b>"),
        ],
    ]
    return _two_columns(rows, [(2, 5), (6, 7)], s, width)


#: The 自评 grid's columns right of the 年度指标值 (shares of the width): 实际完成值, 分值,
#: 得分, 偏差原因分析及改进措施.
_EVALUATION_SHARES = (2.4, 1.3, 1.3, 3.7)


def _evaluation_columns() -> list[_Column]:
    labels = _INDICATOR.labels()
    levels = _level_columns()
    levels[1:] = [
        _Column(c.header, share, c.centred)
        for c, share in zip(levels[1:], (1.9, 3.2, 2.4), strict=True)
    ]
    actual, weight, score, analysis = _EVALUATION_SHARES
    return [
        *levels,
        _Column(labels["actual_value"], actual, centred=True),
        _Column(labels["weight"], weight, centred=True),
        _Column(labels["score"], score, centred=True),
        _Column(labels["deviation_analysis"], analysis),
    ]


def actual_text(indicator: Indicator) -> str:
    """The 实际完成值 as the 自评表 prints it: the text typed, with the 达成度 chosen after it
    in brackets (96%（达成）), or the 达成度 alone."""
    actual, grade = indicator.actual_value.strip(), indicator.achievement_grade
    if actual and grade:
        return f"{actual}（{grade}）"
    return actual or grade


def _evaluation_grid(
    project: BudgetProject, figures: EvaluationFigures, s: _Styles, width: float
) -> _IndicatorTable:
    """一级 … 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施."""
    texts = [
        (
            *_level_texts(i),
            actual_text(i),
            weight,
            score,
            i.deviation_analysis,
        )
        for i, weight, score in zip(
            project.indicators, figures.weights, figures.scores, strict=True
        )
    ]
    return _grid(_evaluation_columns(), texts, s, width)


def _evaluation_totals(figures: EvaluationFigures, s: _Styles, width: float) -> Table:
    """总分 under the grid: the 分值 and 得分 added up in their columns, and the 自评等级;
    while a score lacks data, — for the 总分 and why there is no grade."""
    columns = _evaluation_columns()
    rest = width - LABEL_WIDTH
    total = sum(c.share for c in columns[1:])
    widths = [LABEL_WIDTH] + [rest * c.share / total for c in columns[1:]]
    grade = (
        f"{STAGE_FORM_LABELS['grade']}：{figures.grade}"
        if figures.grade
        else f"{STAGE_FORM_LABELS['grade']}：未评（缺 {figures.missing} 项数据）"
    )
    row = [
        _p(STAGE_FORM_LABELS["total"], s.cell_label),
        "",
        "",
        "",
        "",
        _p(weight_text(figures.total_weight), s.cell_center),
        # no 总分 while data are missing: a partial sum on a signed form reads as the score
        _p(weight_text(figures.total) if figures.grade else "—", s.cell_center),
        _p(grade, s.cell),
    ]
    table = Table([row], colWidths=widths)
    table.setStyle(TableStyle([*_grid_style(s.font), ("SPAN", (0, 0), (4, 0))]))
    return table


# -- 目标调整 --------------------------------------------------------------------------------


def adjusted_place(declaration: Declaration, adjustment: TargetAdjustment) -> str:
    """Which row and field an adjustment changed, in the clerk's words: 项目“接待管理经费”
    第3行指标的“指标值” (``labels.row_place``); a row no longer in the declaration is
    （已删除的行）, its field named by the indicator's or project's term when it has one."""
    row = _rows_by_uuid(declaration).get(adjustment.row_uuid)
    if row is None:
        terms = {**FIELD_LABELS[BudgetProject], **FIELD_LABELS[Indicator]}
        field = terms.get(adjustment.field, adjustment.field)
        return f"（已删除的行）的“{field}”" if field else "（已删除的行）"
    label = FIELD_LABELS[type(row)].get(adjustment.field, adjustment.field)
    return f"{row_place(row)}的“{label}”"


def _rows_by_uuid(declaration: Declaration) -> dict[str, SyncedRow]:
    rows: dict[str, SyncedRow] = {}
    for project in declaration.budget_projects:
        rows[project.uuid] = project
        rows.update((indicator.uuid, indicator) for indicator in project.indicators)
    return rows


def printed_adjustments(
    declaration: Declaration, projects: tuple[str, ...] | None
) -> list[TargetAdjustment]:
    """The 目标调整 printed after ``declaration``'s tables: all of them, or with
    ``projects`` (UUIDs of the chosen projects) those of a chosen project or its indicators."""
    adjustments = list(declaration.target_adjustments)
    if projects is None:
        return adjustments
    owner = {
        row_uuid: project.uuid
        for project in declaration.budget_projects
        for row_uuid in (project.uuid, *(i.uuid for i in project.indicators))
    }
    return [a for a in adjustments if owner.get(a.row_uuid) in projects]


#: 目标调整记录 columns, as shares of the width: 序号, 调整栏目, 调整前, 调整后, 调整原因, 调整日期.
_ADJUSTMENT_SHARES = (0.06, 0.26, 0.18, 0.18, 0.2, 0.12)


def _adjustment_record(
    declaration: Declaration, adjustments: Sequence[TargetAdjustment], s: _Styles, width: float
) -> list[Flowable]:
    """The 目标调整记录 of ``declaration``: title, unit line and a table whose header row
    repeats on each page (long texts split within their row)."""
    printed = _ADJUSTMENT.printed_labels()
    headers = [STAGE_FORM_LABELS["number"], *printed.values()]
    data: list[list[Flowable]] = [[_p(text, s.cell_label) for text in headers]]
    for number, adjustment in enumerate(adjustments, start=1):
        data.append(
            [
                _p(str(number), s.cell_center),
                _p(adjusted_place(declaration, adjustment), s.cell),
                _p(adjustment.old_text, s.cell),
                _p(adjustment.new_text, s.cell),
                _p(adjustment.reason, s.cell),
                _p(adjustment.adjusted_on, s.cell_center),
            ]
        )
    table = Table(
        data, colWidths=[width * share for share in _ADJUSTMENT_SHARES], repeatRows=1, splitInRow=1
    )
    table.setStyle(TableStyle(_grid_style(s.font)))
    title = STAGE_FORM_LABELS["adjustments"]
    return [
        _KeepTogetherIfFits(
            [
                _Bookmark(title, 1),
                _p(title, s.table_title),
                _p(f"{declaration.unit_code}{declaration.unit_name}", s.above_left),
                table,
            ]
        )
    ]
