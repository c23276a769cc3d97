"""The banner above the editors when the document cannot be edited, and the read-only switch.

Shown for a file opened read-only (read-only medium, or another program holds the edit
lock) and after a failed write (full disk, stick pulled, file turned read-only). It says
why in Chinese and offers what the clerk can do: 另存为… (unless the file is still being
checked after its first paint: it lifts by itself), 强制编辑… (a lock held
by another computer) and 重试 (a write that failed, once the cause is removed).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

_EDIT_TRIGGERS = "jixiao_edit_triggers"


class ReadOnlyBanner(QFrame):
    """A yellow strip with the reason and up to three buttons; hidden while editable.

    Signals: ``save_copy_clicked``, ``take_over_clicked``, ``retry_clicked``.
    """

    save_copy_clicked = Signal()
    take_over_clicked = Signal()
    retry_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("read_only_banner")
        self.setStyleSheet(
            "#read_only_banner { background: #fff4ce; border-bottom: 1px solid #e0c060; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.save_copy_button = QPushButton("另存为…")
        self.save_copy_button.setToolTip("保存一份副本到其他位置，在副本上继续编辑")
        self.take_over_button = QPushButton("强制编辑…")
        self.retry_button = QPushButton("重试保存")
        self.save_copy_button.clicked.connect(self.save_copy_clicked)
        self.take_over_button.clicked.connect(self.take_over_clicked)
        self.retry_button.clicked.connect(self.retry_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        for button in (self.save_copy_button, self.take_over_button, self.retry_button):
            layout.addWidget(button)
        self.hide()

    def show_state(
        self,
        reason: str | None,
        *,
        can_take_over: bool,
        can_retry: bool,
        can_save_copy: bool = True,
    ) -> None:
        """Show ``reason`` with the buttons that apply, or hide the banner (None)."""
        self.setVisible(reason is not None)
        self.label.setText(reason or "")
        self.save_copy_button.setVisible(can_save_copy)
        self.take_over_button.setVisible(can_take_over)
        self.retry_button.setVisible(can_retry)


#: a form field's property: a declared target frozen at 监控/自评 (ui/stage_fields.py),
#: read-only whatever the document's state
FROZEN = "frozen_target"


def set_editors_read_only(root: QWidget, read_only: bool) -> None:
    """Make every editing widget under ``root`` read-only (or editable again).

    Text fields stay selectable and copyable; tables keep scrolling and selecting but open
    no editor; pickers and buttons (新增, 删除 …) are disabled.
    """
    for widget in root.findChildren(QWidget):
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):  # a frozen target stays so
            widget.setReadOnly(read_only or bool(widget.property(FROZEN)))
        elif isinstance(widget, QAbstractItemView):
            if read_only:
                if widget.property(_EDIT_TRIGGERS) is None:
                    widget.setProperty(_EDIT_TRIGGERS, int(widget.editTriggers().value))
                widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            elif widget.property(_EDIT_TRIGGERS) is not None:
                triggers = QAbstractItemView.EditTrigger(widget.property(_EDIT_TRIGGERS))
                widget.setEditTriggers(triggers)
        elif isinstance(widget, (QComboBox, QAbstractButton)):
            widget.setEnabled(not read_only)
