"""The window's status line: passing messages (a refused edit, what a paste filled in), and
beside them the 审核 counts, when the file was last written and the content fingerprint."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QStatusBar

from desktop.ui.review_dock import ReviewDock

#: how long a passing message stays (ms)
MESSAGE_MS = 15000


class StatusLine(QStatusBar):
    """The status bar of the window over ``review`` (the 审核 panel whose counts and
    fingerprint it shows)."""

    def __init__(self, review: ReviewDock) -> None:
        super().__init__()
        self._review = review
        #: edits are held until the check of the file's rest ends (ui/controllers/checking.py)
        self.held = False
        self.saved_label = QLabel()
        self.review_label = QLabel()
        self.review_label.setToolTip("审核结果；菜单“视图 → 审核面板”显示或隐藏各条问题。")
        #: the shown unit's 阶段 (申报, 监控, 自评: ui/controllers/stages.py)
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stage_label")
        self.stage_label.setToolTip("本单位绩效目标所处的阶段；菜单“阶段”进入下一阶段。")
        self.addPermanentWidget(self.stage_label)
        self.addPermanentWidget(self.review_label)
        self.addPermanentWidget(self.saved_label)
        review.counts_changed.connect(self.review_label.setText)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setToolTip(
            "内容指纹：打印件每页页脚印有同样的指纹，可据此核对纸质件与文件是否为同一版本。"
        )
        self.addPermanentWidget(self.fingerprint_label)
        review.checked.connect(self._show_fingerprint)

    def _show_fingerprint(self) -> None:
        short = self._review.fingerprint
        self.fingerprint_label.setText(f"指纹 {short}" if short else "")

    def mark_saved(self) -> None:
        """After a write: 已自动保存 with the time (已记下 while ``held``), no refusal left."""
        self.clearMessage()  # an earlier refusal is no longer current
        done = "已记下（检查完成后写入）" if self.held else "已自动保存"
        self.saved_label.setText(f"{done} {dt.datetime.now():%H:%M:%S}")

    def show_saved(self, text: str) -> None:
        """The saved-when part (已保存 12:03:04, 已打开, 只读, 未能保存)."""
        self.saved_label.setText(text)

    def say(self, message: str) -> None:
        """A passing message (Chinese), e.g. why an edit was refused."""
        self.showMessage(message, MESSAGE_MS)
