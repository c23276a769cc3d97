"""文件 → 打开汇总库…: one unit of a finance bureau's collection database (PostgreSQL,
desktop/storage/collection.py) in the window. The dialog asks for the address (remembered
without password), connects (the password asked once per run when the server wants one
and no .pgpass holds it) and lists the units with a search by code, name or 拼音 initials;
the chosen unit is shown read-only, with a bar above the editors naming the collection and
its server and offering 刷新 (another reviewer's changes), 编辑 (the unit's edit lock, held
in the database, its holder named to the others) and 结束编辑.

The window itself is untouched: the unit is a ``Document`` for it (``CollectionUnit``),
shown with ``MainWindow.show_document``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Declaration
from desktop.models.labels import FIELD_LABELS
from desktop.settings import save_settings
from desktop.storage.errors import DocumentFileError
from desktop.ui.printing import run_with_progress
from desktop.ui.prompter import prompter_for
from desktop.ui.window_protocol import DocumentWindow
from desktop.ui.wording import error_words, holder_words

if TYPE_CHECKING:
    from desktop.settings import Settings
    from desktop.storage.collection import Collection, CollectionUnit, UnitEntry
    from desktop.ui.prompter import Prompter
    from desktop.ui.review_dock import ReviewDock


class CollectionWindow(DocumentWindow, Protocol):
    """What showing a collection's unit needs of the window (``MainWindow``), beyond what
    every controller needs: its prompter, its 审核 panel and its central widget (the bar
    goes into its layout)."""

    prompter: Prompter
    review: ReviewDock

    def centralWidget(self) -> QWidget | None:
        """The document's view."""
        ...


URL_EXAMPLE = "postgresql://用户名@服务器/数据库名"
_UNIT = FIELD_LABELS[Declaration]  # models/labels.py
_COLUMNS = (_UNIT["unit_code"], _UNIT["unit_name"], _UNIT["fiscal_year"], "正在编辑")


#: the steps of connecting shown in the progress dialog: connect, read the unit list
CONNECT_STEPS = 2


def connect_and_list(
    address: str, password: str | None, report: Callable[[int, int], bool]
) -> tuple[Collection, list[UnitEntry]] | None:
    """Connect to the collection at ``address`` and read its units (on a worker thread:
    no widgets); ``password`` answers the server when it wants one (None: .pgpass or a
    password given earlier in this run). None when ``report`` says the reviewer
    cancelled (the connection closed). Raises ``DocumentFileError`` (Chinese),
    ``PasswordRequiredError`` when the server wants a password that was not given."""
    from desktop.storage.collection import list_units, open_collection

    collection = open_collection(address, ask_password=None if password is None else
                                 lambda _address: password)  # fmt: skip
    try:
        units = list_units(collection) if report(1, CONNECT_STEPS) else None
    except BaseException:
        collection.close()
        raise
    if units is None or not report(CONNECT_STEPS, CONNECT_STEPS):
        collection.close()
        return None
    return collection, units


class OpenCollectionDialog(QDialog):
    """The address of a collection database and the list of its units.

    ``connect_to_collection`` connects to the address typed (errors shown in Chinese in
    ``message``); the list filters as the reviewer types in ``search``; accepted, the
    chosen unit is ``chosen_uuid()`` and the connection ``take_collection()``'s (the
    dialog closes it otherwise). A password the server wants is asked through the
    window's ``Prompter`` (``prompter_for``: a masked input box; a fake in tests).
    """

    def __init__(self, remembered: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("打开汇总库")
        self.collection: Collection | None = None
        #: the address as typed, of the collection connected to (never with a password)
        self.address = ""
        self.units: list[UnitEntry] = []
        self._connecting = False
        self.url_box = QComboBox()
        self.url_box.setEditable(True)
        self.url_box.addItems(remembered)
        self.url_box.setCurrentText(remembered[0] if remembered else "")
        line = self.url_box.lineEdit()
        assert line is not None
        line.setPlaceholderText(URL_EXAMPLE)
        line.returnPressed.connect(self.connect_to_collection)
        self.url_box.setMinimumContentsLength(40)
        self.connect_button = QPushButton("连接(&C)")
        self.connect_button.clicked.connect(self.connect_to_collection)
        address = QHBoxLayout()
        label = QLabel("汇总库地址(&A)：")
        label.setBuddy(self.url_box)
        address.addWidget(label)
        address.addWidget(self.url_box, 1)
        address.addWidget(self.connect_button)
        hint = QLabel(
            f"格式：{URL_EXAMPLE}，例如 postgresql://huizong@192.168.1.10/jixiao_huizong。"
            "密码不写在地址里：写在 .pgpass 文件中，或连接时询问（只在本次运行中记住）。"
        )
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("collection_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "按单位编码、单位名称或拼音首字母查找（如 507002、机关事务、jgsw）"
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        search_label = QLabel("查找(&S)：")
        search_label.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        self.unit_list = QTreeWidget()
        self.unit_list.setObjectName("collection_units")
        self.unit_list.setHeaderLabels(list(_COLUMNS))
        self.unit_list.setRootIsDecorated(False)
        self.unit_list.setUniformRowHeights(True)
        self.unit_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.unit_list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.unit_list.itemActivated.connect(lambda *_: self.accept())
        self.unit_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setText("打开（只读）")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(address)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addLayout(search_row)
        layout.addWidget(self.unit_list, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self._update_buttons()

    def connect_to_collection(self) -> bool:
        """Connect to the address typed and list its units; False (the reason shown in
        Chinese, the list emptied) when the address, server, password, database or its
        schema does not allow it, or the reviewer cancelled.

        The connection and the list are made on a worker thread (``run_with_progress``):
        the window stays alive while a server is slow or unreachable (at most the
        connect timeout, 10 s), with 取消 in the progress dialog (the attempt under way
        ends first: a connection cannot be interrupted, only left unused). When the
        server wants a password, it is asked here, then the connection made again.
        """
        if self._connecting:
            return False
        self._close_collection()
        self.units = []
        self.unit_list.clear()
        text = self.url_box.currentText().strip()
        if not text:
            self._say(f"请填写汇总库的地址（{URL_EXAMPLE}）。", error=True)
            return False
        self._say("正在连接…", error=False)
        self._set_connecting(True)
        try:
            connected = self._connect(text)
        except DocumentFileError as exc:
            self._say(error_words(exc), error=True)
            return False
        finally:
            self._set_connecting(False)
        if connected is None:
            self._say("已取消连接。", error=False)
            return False
        (self.collection, self.units), self.address = connected, text
        for unit in self.units:
            item = QTreeWidgetItem(
                [
                    unit.unit_code,
                    unit.unit_name,
                    str(unit.fiscal_year),
                    "" if unit.editor is None else unit.editor.user,
                ]
            )
            if unit.editor is not None:
                item.setToolTip(3, f"正由{holder_words(unit.editor)}编辑")
            self.unit_list.addTopLevelItem(item)
        self._say(
            f"已连接 {text}：{len(self.units)} 个单位。选择一个单位后点“打开（只读）”。"
            if self.units
            else f"已连接 {text}，但库中还没有单位：请先用 jixiao merge 合并各单位的文件。",
            error=False,
        )
        self._filter(self.search.text())
        self.unit_list.setFocus()
        return True

    def _connect(self, address: str) -> tuple[Collection, list[UnitEntry]] | None:
        """The connection and its units, made off the GUI thread; None when cancelled.
        Raises ``DocumentFileError`` (Chinese) as ``open_collection`` and ``list_units``."""
        from desktop.file_words import password_prompt
        from desktop.storage.collection import PasswordRequiredError

        label = f"正在连接汇总库 {address} 并读取单位列表…"
        try:
            return run_with_progress(self, label, partial(connect_and_list, address, None),
                                     steps=CONNECT_STEPS)  # fmt: skip
        except PasswordRequiredError as exc:
            assert exc.reason is not None
            question = password_prompt(exc.reason.shown)
            password = prompter_for(self).password("汇总库密码", question)
            if not password:
                raise
        return run_with_progress(self, label, partial(connect_and_list, address, password),
                                 steps=CONNECT_STEPS)  # fmt: skip

    def _set_connecting(self, connecting: bool) -> None:
        """While connecting, the address, 连接 and the list are off (the window repaints
        meanwhile: a second connection or a choice would mix with the first)."""
        self._connecting = connecting
        for widget in (self.url_box, self.connect_button, self.search, self.unit_list):
            widget.setEnabled(not connecting)
        self._update_buttons()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        QApplication.processEvents()  # the message shows before a slow connection

    def _filter(self, query: str) -> None:
        """Show the units whose code or name contains every word typed, or whose name's
        拼音 initials contain it (``jgsw`` finds 机关事务); select the first shown."""
        from desktop.library.search import initials

        words = [word.casefold() for word in query.split()]
        first = None
        for index, unit in enumerate(self.units):
            text = f"{unit.unit_code} {unit.unit_name} {unit.fiscal_year}".casefold()
            shown = all(
                word in text
                or (word.isascii() and word.isalpha() and word in initials(unit.unit_name))
                for word in words
            )
            item = self.unit_list.topLevelItem(index)
            assert item is not None
            item.setHidden(not shown)
            if shown and first is None:
                first = item
        current = self.unit_list.currentItem()
        if (current is None or current.isHidden()) and first is not None:
            self.unit_list.setCurrentItem(first)
        elif current is not None and current.isHidden():
            self.unit_list.setCurrentIndex(QModelIndex())  # none shown
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.unit_list.currentItem()
        self.open_button.setEnabled(
            item is not None and not item.isHidden() and not self._connecting
        )

    def chosen_uuid(self) -> str | None:
        """The UUID of the unit chosen, or None."""
        item = self.unit_list.currentItem()
        if item is None or item.isHidden():
            return None
        return self.units[self.unit_list.indexOfTopLevelItem(item)].uuid

    def accept(self) -> None:
        if self.collection is None or self.chosen_uuid() is None:
            self._say("请先连接汇总库，再在列表中选择一个单位。", error=True)
            return
        super().accept()

    def take_collection(self) -> Collection:
        """The open connection, now the caller's to close."""
        collection, self.collection = self.collection, None
        assert collection is not None
        return collection

    def _close_collection(self) -> None:
        if self.collection is not None:
            self.collection.close()
            self.collection = None

    def done(self, result: int) -> None:
        if self._connecting:
            return  # closed when the connection attempt has ended (its 取消 ends the wait)
        if result != QDialog.DialogCode.Accepted:
            self._close_collection()
        super().done(result)


class CollectionBar(QFrame):
    """The strip above the editors while a collection's unit is shown: the collection,
    its server, the unit and whether this window edits it; 刷新 (F5), 编辑, 结束编辑."""

    def __init__(self, window: CollectionWindow, unit: CollectionUnit) -> None:
        super().__init__()
        self.window_, self.unit = window, unit
        self.setObjectName("collection_bar")
        self.setStyleSheet(
            "#collection_bar { background: #e8f0fb; border-bottom: 1px solid #9bb5d9; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.setToolTip("重新读取汇总库中这个单位的内容和审核说明（F5）")
        self.refresh_button.clicked.connect(self.refresh)
        self.edit_button = QPushButton("编辑")
        self.edit_button.setToolTip("取得这个单位的编辑锁：同一时间只有一位审核人可以修改它")
        self.edit_button.clicked.connect(self.take_edit_lock)
        self.end_button = QPushButton("结束编辑")
        self.end_button.setToolTip("交还编辑锁，其他审核人即可编辑这个单位")
        self.end_button.clicked.connect(self.release_edit_lock)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        for button in (self.refresh_button, self.edit_button, self.end_button):
            layout.addWidget(button)
        self.show_state()

    def show_state(self) -> None:
        """Words and buttons for whether this window edits the unit."""
        unit = self.unit
        state = "本机正在编辑" if unit.editing else "只读"
        self.label.setText(
            f"汇总库：{unit.collection.path.name}（服务器 {unit.server}）　"
            f"单位：{unit.label}　{state}"
        )
        self.edit_button.setVisible(not unit.editing)
        self.end_button.setVisible(unit.editing)

    def refresh(self, title: str = "无法刷新") -> bool:
        """Read the unit again from the collection (another reviewer's edits and
        explanations) and who edits it; False (told in Chinese under ``title``) when the
        server fails. Read again, a failed write's fault is forgotten unless edits are
        still kept in memory (编辑 writes them), so 已说明 works again."""
        window, session = self.window_, self.window_.session
        if session is None or session.document is not self.unit:
            return False
        session.flush()
        try:
            self.unit.current_holder()
            if not session.unsaved:
                session.fault = None
            window.reload()
        except DocumentFileError as exc:
            window.show_edit_state()  # the banner and the bar as the unit is now (结束编辑)
            self.show_state()
            window.prompter.error(title, error_words(exc))
            return False
        window.review.recheck()
        self.show_state()
        window.statusBar().showMessage("已从汇总库重新读取这个单位。", 5000)
        return True

    def take_edit_lock(self) -> bool:
        """编辑: take the unit's edit lock, write the edits kept in memory from a failed
        write (if any), then show the unit as it is now; False when another reviewer holds
        the lock (named, their content shown) or the server fails (told in Chinese, once)."""
        from desktop.storage.collection import EditLockHeldError

        window, session = self.window_, self.window_.session
        if session is None or session.document is not self.unit:
            return False
        try:
            self.unit.take_edit_lock()
        except EditLockHeldError as exc:
            window.prompter.error("不能编辑", error_words(exc))
            self.refresh()
            return False
        except DocumentFileError as exc:
            window.prompter.error("不能编辑", error_words(exc))
            return False
        try:
            session.write_unsaved(self.unit)
        except DocumentFileError as exc:
            window.prompter.error("修改仍未写入汇总库", error_words(exc))
            window.show_edit_state()
            return False
        self.refresh()
        window.statusBar().showMessage("已取得编辑锁：修改直接写入汇总库。", 10000)
        return True

    def release_edit_lock(self) -> None:
        """结束编辑: typing committed, the lock given back, the unit read-only again (its
        undo history cleared: an undo would be a change). With the server gone the lock
        went with the connection; that is told (刷新 once the server is back)."""
        session = self.window_.session
        if session is None or session.document is not self.unit:
            return
        session.flush()
        self.unit.release_edit_lock()
        session.undo_stack.clear()
        self.refresh("已结束编辑，但无法重新读取")


def open_collection_in_window(window: CollectionWindow, settings: Settings) -> bool:
    """文件 → 打开汇总库…: ask for the collection and the unit (addresses remembered in
    ``settings``), and show the unit in ``window`` read-only with the collection bar. True
    when a unit is shown."""
    from desktop.storage.collection import CollectionUnit

    dialog = OpenCollectionDialog(settings.collection_urls, window.dialog_parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    uuid = dialog.chosen_uuid()
    collection = dialog.take_collection()
    assert uuid is not None
    settings.remember_collection(dialog.address)
    save_settings(settings)
    try:
        unit = CollectionUnit(collection, uuid)
    except DocumentFileError as exc:
        collection.close()
        window.prompter.error("无法打开汇总库中的单位", error_words(exc))
        return False
    window.show_document(unit)
    session = window.session
    if session is None or session.document is not unit:
        return False
    bar = CollectionBar(window, unit)
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    assert layout is not None and isinstance(layout, QVBoxLayout)
    layout.insertWidget(1, bar)  # below the yellow banner, above the 单位 chooser
    bar.show()
    session.destroyed.connect(bar.deleteLater)  # another file or unit shown: the bar goes
    return True
