"""The 审核 panel: findings of the unit shown, re-checked shortly after every edit.

Double-click (or Enter) on a finding asks the window to show its field; a 警告 can be
explained in writing (填写说明…), which stores the explanation in the file. What is simply
not filled in yet is listed last as 待填写, a checklist with an empty box per item (an
错误 only at print and in ``jixiao check``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.review import Finding, FindingStatus, Severity, status_counts
from desktop.services import reviewing
from desktop.storage.errors import DocumentFileError
from desktop.ui.binding import WRITE_FAILED, DocumentSession
from desktop.ui.prompter import prompter_for
from desktop.ui.wording import error_words

RECHECK_DELAY_MS = 500
_ICONS = {
    FindingStatus.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    FindingStatus.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    FindingStatus.HINT: QStyle.StandardPixmap.SP_MessageBoxInformation,
    FindingStatus.EXPLAINED: QStyle.StandardPixmap.SP_DialogApplyButton,
}


class ReviewDock(QDockWidget):
    """Lists findings (status, place, message); emits ``location_activated`` to jump there.

    ``counts_changed(str)`` carries a one-line summary for the status bar.
    """

    location_activated = Signal(object)
    counts_changed = Signal(str)
    #: after each re-check (the document may have changed: e.g. refresh its fingerprint)
    checked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("审核", parent)
        self.setObjectName("review_dock")
        self.session: DocumentSession | None = None
        self.findings: list[Finding] = []
        #: short content fingerprint of the declaration, from the same check
        self.fingerprint = ""
        #: each unit's findings kept with its content hash (reviewing.check_document)
        self._memory: reviewing.ReviewMemory = {}
        #: explanations typed that could not be written (finding key -> text): offered
        #: again in the box the next time, so nothing typed is lost
        self._drafts: dict[tuple[str, str, str], str] = {}
        self.tree = QTreeWidget()
        self.tree.setObjectName("review_findings")
        self.tree.setHeaderLabels(["状态", "位置", "问题及处理办法"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(1, 320)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        # a line of findings at least (not Qt's three), so the window fits a low screen
        line = self.tree.fontMetrics().lineSpacing()
        self.tree.setMinimumHeight(header.sizeHint().height() + line + 2 * self.tree.frameWidth())
        self.explain_button = QPushButton("填写说明(&T)…")  # Alt+E is the 编辑 menu
        self.explain_button.setToolTip("对选中的“警告”写明理由；说明随文件保存，审核人可以看到。")
        self.explain_button.clicked.connect(self._on_explain_clicked)
        page = QWidget()
        layout = QHBoxLayout(page)  # the button beside the list: no line of height lost
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.explain_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setWidget(page)
        self._timer = QTimer(self, singleShot=True, interval=RECHECK_DELAY_MS)
        self._timer.timeout.connect(self.recheck)

    def watch(self, session: DocumentSession | None) -> None:
        """Review ``session``'s document shortly after each of its edits. The first review
        is the window's to start (``recheck``), once it has painted the data; None clears
        the panel."""
        self.session = session
        self._memory = {}
        if session is not None:
            session.changed.connect(lambda _: self._timer.start(RECHECK_DELAY_MS))
            session.input_kept.connect(lambda: self._timer.start(RECHECK_DELAY_MS))
        else:
            self.recheck()

    def recheck(self) -> None:
        """Run every rule on the declaration shown and show the findings (the last ones
        stay when the file cannot be read, e.g. its stick was pulled: the banner says so).
        Only that declaration is read; a unit whose content is as when it was last
        reviewed keeps its findings without a new review."""
        session = self.session
        try:
            self.findings, self.fingerprint = (
                ([], "")
                if session is None
                else reviewing.check_document(
                    session.document, session.declaration_uuid, self._memory
                )
            )
        except DocumentFileError as exc:
            self.counts_changed.emit(error_words(exc))
            return
        self.tree.clear()
        style = self.style()
        for finding in self.findings:
            item = QTreeWidgetItem(
                [finding.status.value, finding.location.place, _message(finding)]
            )
            if finding.status is FindingStatus.TODO:  # a checklist: an empty box, not a red sign
                item.setCheckState(0, Qt.CheckState.Unchecked)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setForeground(2, self.palette().placeholderText())
            else:
                item.setIcon(0, style.standardIcon(_ICONS[finding.status]))
            item.setToolTip(0, finding.rule.caption)
            item.setToolTip(1, finding.location.place)  # the column is often too narrow
            item.setToolTip(2, _message(finding))
            self.tree.addTopLevelItem(item)
        counts = status_counts(self.findings)
        shown = [FindingStatus.ERROR, FindingStatus.WARNING, FindingStatus.HINT]
        shown += [s for s in (FindingStatus.EXPLAINED, FindingStatus.TODO) if counts[s]]
        summary = "　".join(f"{status.value} {counts[status]}" for status in shown)
        self.setWindowTitle(f"审核（{summary}）")
        self.counts_changed.emit(f"审核：{summary}")
        self.checked.emit()

    def _selected(self) -> Finding | None:
        item = self.tree.currentItem()
        return None if item is None else self.findings[self.tree.indexOfTopLevelItem(item)]

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        finding = self.findings[self.tree.indexOfTopLevelItem(item)]
        self.location_activated.emit(finding.location)

    def _on_explain_clicked(self) -> None:
        finding = self._selected()
        if finding is None or self.session is None:
            return
        if finding.severity is not Severity.WARNING:
            self.counts_changed.emit(
                "只有“警告”可以填写说明；“错误”须改正，“待填写”须填写，“提示”无需说明。"
            )
            return
        text = prompter_for(self).multiline_text(
            "填写审核说明", f"{finding.location.place}：{finding.message}\n\n说明理由：",
            self._drafts.get(finding.key, finding.explanation),
        )  # fmt: skip
        if text is None:
            return
        session = self.session
        try:
            written = session.write(
                lambda: reviewing.explain_finding(
                    session.document,
                    declaration_uuid=session.declaration_uuid,
                    finding=finding,
                    text=text,
                )
            )
        except ValueError as exc:
            self.counts_changed.emit(str(exc))
            return
        if written is WRITE_FAILED:
            self._drafts[finding.key] = text
            prompter_for(self).error(
                "未能写入审核说明",
                f"{session.fault}\n\n您填写的说明没有丢失：之后再点“填写说明…”时，"
                "刚才的文字已经填好。",
            )
            return
        self._drafts.pop(finding.key, None)
        self.recheck()


def _message(finding: Finding) -> str:
    if finding.explanation:
        return f"{finding.message}\n说明：{finding.explanation}"
    return finding.message
