"""文件 → 打开汇总库… against a private PostgreSQL server (tests/postgres.py; skipped where
PostgreSQL is not installed, required by .ci/run): the dialog (address, password, unit
list and search, every failure in Chinese), the unit shown read-only with its bar, the
reviewers' explanations written to the database, and two reviewers (two windows, each its
own connections) with the edit lock and 刷新."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit
from sqlalchemy import create_engine, text

from desktop.models import Declaration
from desktop.review import Severity
from desktop.settings import Settings
from desktop.storage import collection as storage
from desktop.ui.collection import CollectionBar, OpenCollectionDialog, open_collection_in_window
from desktop.ui.main_window import MainWindow
from tests.postgres import PostgresServer
from tests.ui.fakes import FakePrompter

SAMPLE_CODE = "507002"


@pytest.fixture
def bureau_url(collection_url: str, sample_path: Path, tmp_path: Path) -> str:
    """A collection holding the sample (507002 乐亭县机关事务中心) and three other units
    (600001… 乐亭县第N单位), merged as ``jixiao merge`` does."""
    from benchmarks.generate import unit_copies
    from desktop.services.merging import merge_into_collection

    files = [sample_path, *unit_copies(sample_path, tmp_path / "收到", 3)]
    collection = storage.open_collection(collection_url, create=True)
    try:
        merge_into_collection(collection, files)
    finally:
        collection.close()
    return collection_url


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> FakePrompter:
    """The ``FakePrompter`` a dialog opened over no window asks (``prompter_for``): script
    the password the server wants; read what was asked."""
    fake = FakePrompter()
    monkeypatch.setattr("desktop.ui.prompter.QtPrompter", lambda _widget: fake)
    return fake


def _rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(storage.collection_url(url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def _visible_codes(dialog: OpenCollectionDialog) -> list[str]:
    items = [dialog.unit_list.topLevelItem(i) for i in range(dialog.unit_list.topLevelItemCount())]
    return [item.text(0) for item in items if item is not None and not item.isHidden()]


def _open_unit(
    qtbot, monkeypatch: pytest.MonkeyPatch, url: str, search: str, settings: Settings | None = None
) -> MainWindow:
    """A window showing the unit ``search`` finds first, opened through the menu's dialog."""
    settings = settings or Settings()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()

    def run(dialog: OpenCollectionDialog) -> int:
        dialog.url_box.setCurrentText(url)
        assert dialog.connect_to_collection(), dialog.message.text()
        dialog.search.setText(search)
        dialog.accept()
        return dialog.result()

    with monkeypatch.context() as patch:
        patch.setattr(OpenCollectionDialog, "exec", run)
        assert open_collection_in_window(window, settings)
    return window


def _bar(window: MainWindow) -> CollectionBar:
    bar = window.findChild(CollectionBar)
    assert bar is not None
    return bar


def _errors(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(window.prompter, "error", lambda title, message: shown.append(message))
    return shown


def test_collection_dialog_lists_units_and_finds_by_code_name_and_pinyin(
    qtbot, bureau_url: str
) -> None:
    """Connected, the dialog lists the four units by year and code; typing filters by code,
    by a part of the name and by the name's 拼音 initials, the first match chosen."""
    dialog = OpenCollectionDialog([bureau_url])
    qtbot.addWidget(dialog)
    assert dialog.url_box.currentText() == bureau_url  # the remembered address offered
    assert dialog.connect_to_collection(), dialog.message.text()
    assert _visible_codes(dialog) == [SAMPLE_CODE, "600001", "600002", "600003"]
    assert "4 个单位" in dialog.message.text()
    for query, codes in (
        ("600002", ["600002"]),
        ("第3单位", ["600003"]),
        ("jgsw", [SAMPLE_CODE]),  # 机关事务
        ("ltx d", ["600001", "600002", "600003"]),  # 乐亭县 … 第
        ("无此单位", []),
    ):
        dialog.search.setText(query)
        assert _visible_codes(dialog) == codes, query
        assert dialog.open_button.isEnabled() == bool(codes)
    dialog.search.setText("600002")
    chosen = dialog.chosen_uuid()
    assert (
        chosen == _rows(bureau_url, "SELECT uuid FROM declaration WHERE unit_code = '600002'")[0][0]
    )
    dialog.reject()
    assert dialog.collection is None  # closed with the dialog


def test_collection_unit_opens_read_only_and_explanations_reach_the_database(
    qtbot, monkeypatch: pytest.MonkeyPatch, bureau_url: str, tmp_path: Path
) -> None:
    """The unit chosen is shown alone, read-only, the banner and the bar naming the
    collection and its server; the address is remembered without password; an edit is
    refused; a 警告 explained in the 审核 panel is written to the database (已说明); 另存为
    writes the unit into a new .jxdb with the same fingerprint."""
    settings = Settings()
    window = _open_unit(qtbot, monkeypatch, bureau_url, "jgsw", settings)
    session = window.session
    assert session is not None and session.document.from_collection
    database = bureau_url.rsplit("/", 1)[1]
    assert window.banner.isVisible() and "只读" in window.banner.label.text()
    assert database in window.banner.label.text() and "127.0.0.1" in window.banner.label.text()
    assert not window.banner.take_over_button.isVisible()
    bar = _bar(window)
    assert (
        f"单位：{SAMPLE_CODE} 乐亭县机关事务中心" in bar.label.text() and "只读" in bar.label.text()
    )
    assert bar.edit_button.isVisible() and not bar.end_button.isVisible()
    assert not window.declaration_bar.isVisible()  # only this unit: no 单位 chooser
    assert SAMPLE_CODE in window.windowTitle()
    assert settings.collection_urls == [bureau_url] and settings.recent_files == []
    name_field = window.findChild(QLineEdit, "unit_name")
    assert name_field is not None and name_field.isReadOnly()
    refused: list[str] = []
    session.failed.connect(refused.append)
    assert not session.set_field(Declaration, session.declaration_uuid, "unit_name", "改名")
    assert refused and "只读" in refused[0]
    from desktop.services import editing
    from desktop.storage.errors import ReadOnlyDocumentError

    with pytest.raises(ReadOnlyDocumentError):  # the storage refuses it too
        editing.set_field(
            session.document,
            row_type=Declaration,
            row_uuid=session.declaration_uuid,
            field="unit_name",
            value="改名",
        )

    window.review.recheck()
    warnings = [f for f in window.review.findings if f.severity is Severity.WARNING]
    assert warnings and window.review.explain_button.isEnabled()
    row = window.review.findings.index(warnings[0])
    window.review.tree.setCurrentItem(window.review.tree.topLevelItem(row))
    window.prompter.script("审核员甲：已与单位核实，口径同上年。")  # the 填写说明 box
    window.review.explain_button.click()
    assert _rows(bureau_url, "SELECT text FROM finding_explanation") == [
        ("审核员甲：已与单位核实，口径同上年。",)
    ]
    assert "已说明 1" in window.review.windowTitle()
    assert _rows(
        bureau_url, f"SELECT unit_name FROM declaration WHERE unit_code = '{SAMPLE_CODE}'"
    ) == [("乐亭县机关事务中心",)]

    from desktop.storage.interchange import fingerprint
    from tests.conftest import file_fingerprint

    shown = session.load_declaration()
    copy = tmp_path / "507002-副本.jxdb"
    assert window.files.save_as(copy)
    assert not window.session.document.from_collection  # editing the copy now
    assert file_fingerprint(copy) == fingerprint(shown)
    qtbot.waitUntil(
        lambda: window.findChild(CollectionBar) is None, timeout=30000
    )  # the bar went too


def test_collection_two_reviewers_edit_lock_and_refresh(
    qtbot, monkeypatch: pytest.MonkeyPatch, bureau_url: str, postgres_server: PostgresServer
) -> None:
    """Two reviewers (two windows, each with its own connections) on one unit: 乙 takes the
    edit lock and edits; 甲 cannot take it (told who holds it), sees 乙's edit on 刷新 and
    still writes explanations, which 乙 sees on 刷新; when 乙 ends editing (or 乙's
    connection dies) 甲 takes the lock. The list of units names the editor."""
    jia = _open_unit(qtbot, monkeypatch, bureau_url, SAMPLE_CODE)
    yi = _open_unit(qtbot, monkeypatch, bureau_url, SAMPLE_CODE)
    jia_errors, yi_errors = _errors(jia, monkeypatch), _errors(yi, monkeypatch)
    assert _bar(yi).take_edit_lock(), yi_errors
    assert not yi.banner.isVisible() and "本机正在编辑" in _bar(yi).label.text()
    assert _bar(yi).end_button.isVisible()
    name_field = yi.findChild(QLineEdit, "unit_name")
    assert name_field is not None and not name_field.isReadOnly()
    assert yi.session is not None
    assert yi.session.set_field(
        Declaration, yi.session.declaration_uuid, "unit_name", "乐亭县机关事务服务中心"
    )
    assert _rows(
        bureau_url, f"SELECT unit_name FROM declaration WHERE unit_code = '{SAMPLE_CODE}'"
    ) == [("乐亭县机关事务服务中心",)]

    assert not _bar(jia).take_edit_lock()
    assert (
        len(jia_errors) == 1
        and "正由计算机" in jia_errors[0]
        and "编辑，不能同时编辑" in jia_errors[0]
    )
    assert "正由计算机" in jia.banner.label.text()  # the banner names the holder too
    jia_name = jia.findChild(QLineEdit, "unit_name")
    assert jia_name is not None and jia_name.text() == "乐亭县机关事务服务中心"  # refreshed
    assert jia_name.isReadOnly()

    dialog = OpenCollectionDialog([bureau_url])
    qtbot.addWidget(dialog)
    assert dialog.connect_to_collection()
    editors = {dialog.unit_list.topLevelItem(i).text(0): dialog.unit_list.topLevelItem(i).text(3)
               for i in range(dialog.unit_list.topLevelItemCount())}  # fmt: skip
    assert editors[SAMPLE_CODE] != "" and editors["600001"] == ""
    dialog.reject()

    jia.review.recheck()
    warning = next(f for f in jia.review.findings if f.severity is Severity.WARNING)
    jia.review.tree.setCurrentItem(jia.review.tree.topLevelItem(jia.review.findings.index(warning)))
    jia.prompter.script("审核员甲：属实。")
    jia.review.explain_button.click()  # not blocked by 乙's edit lock
    assert _bar(yi).refresh()
    assert any(f.explanation == "审核员甲：属实。" for f in yi.review.findings)

    _bar(yi).release_edit_lock()
    assert yi.banner.isVisible() and _bar(yi).edit_button.isVisible()
    assert _bar(jia).take_edit_lock(), jia_errors
    assert not _bar(yi).take_edit_lock()
    assert "正由计算机" in yi_errors[-1]

    # 甲's connection dies (a PC switched off): the lock goes with it, 乙 can take it
    database = bureau_url.rsplit("/", 1)[1]
    holder = postgres_server.admin(
        "SELECT backend_pid FROM edit_holder WHERE declaration_uuid = "
        f"(SELECT uuid FROM declaration WHERE unit_code = '{SAMPLE_CODE}')",
        database,
    ).strip()
    postgres_server.admin(f"SELECT pg_terminate_backend({holder})", database)
    # the signal is sent at once; the lock goes when that server process has ended
    qtbot.waitUntil(
        lambda: (
            postgres_server.admin(
                f"SELECT count(*) FROM pg_stat_activity WHERE pid = {holder}"
            ).strip()
            == "0"
        ),
        timeout=30_000,
    )
    assert _bar(yi).take_edit_lock(), yi_errors
    assert jia.session is not None
    uuid = jia.session.declaration_uuid
    jia.session.set_field(Declaration, uuid, "unit_name", "甲的修改")  # kept in memory only
    assert jia.session.fault is not None and len(jia.session.unsaved) == 1
    assert jia.banner.isVisible() and "编辑锁已失去" in jia.banner.label.text()
    assert _rows(bureau_url, f"SELECT unit_name FROM declaration WHERE uuid = '{uuid}'") == [
        ("乐亭县机关事务服务中心",)
    ]
    jia.session.unsaved.clear()  # nothing asked when the window closes
    jia.close()
    yi.close()
    assert _rows(bureau_url, "SELECT count(*) FROM edit_holder") == [(0,)]  # 乙 gave it back


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("password in the address", "含有密码"),
        ("server down", "连接不到数据库服务器"),
        ("no such database", "没有名为"),
        ("wrong password", "密码不对"),
        ("no password given", "要求输入密码"),
        ("newer schema", "较新版本"),
        ("empty database", "还没有合并任何单位"),
        ("another program's tables", "已有其他程序的表"),
        ("not an address", "无法识别"),
    ],
)
def test_collection_dialog_says_what_is_wrong_in_chinese(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    postgres_server: PostgresServer,
    asked: FakePrompter,
    tmp_path: Path,
    case: str,
    expected: str,
) -> None:
    """Every address, server, password or database that cannot be used is told in the
    dialog in Chinese (no exception, nothing listed, nothing changed in the database)."""
    port = postgres_server.port
    url = postgres_server.new_database()
    name = url.rsplit("/", 1)[1]
    monkeypatch.setenv("PGPASSFILE", str(postgres_server.pgpass))
    prepare: dict[str, Callable[[], str]] = {
        "password in the address": lambda: f"postgresql://clerk:secret@127.0.0.1:{port}/{name}",
        "server down": lambda: f"postgresql://clerk@127.0.0.1:1/{name}",
        "no such database": lambda: f"postgresql://clerk@127.0.0.1:{port}/no_such_db",
        "wrong password": lambda: url,
        "no password given": lambda: url,
        "newer schema": lambda: url,
        "empty database": lambda: url,
        "another program's tables": lambda: url,
        "not an address": lambda: "postgresql://[::1",
    }
    if case in ("wrong password", "no password given"):
        monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
        storage.open_collection(url, create=True, ask_password=lambda _p: "secret").close()
        storage._PASSWORDS.clear()  # a new run of the program
    if case == "newer schema":
        storage.open_collection(url, create=True).close()
        postgres_server.admin("UPDATE alembic_version SET version_num = '0099'", name)
    if case == "another program's tables":
        postgres_server.admin("CREATE TABLE accounts (id int)", name)
    dialog = OpenCollectionDialog([])
    qtbot.addWidget(dialog)
    if case in ("wrong password", "no password given"):
        asked.script("wrong" if case == "wrong password" else None)
    dialog.url_box.setCurrentText(prepare[case]())
    assert not dialog.connect_to_collection()
    assert expected in dialog.message.text(), dialog.message.text()
    assert "Traceback" not in dialog.message.text() and dialog.collection is None
    assert dialog.unit_list.topLevelItemCount() == 0
    assert [a.kind for a in asked.asked] == (
        ["password"] if case in ("wrong password", "no password given") else []
    )
    dialog.search.setText("x")  # nothing to filter, no error
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "请先连接汇总库" in dialog.message.text()


def test_collection_password_asked_once_per_run(
    qtbot,
    bureau_url: str,
    monkeypatch: pytest.MonkeyPatch,
    prompter: FakePrompter,
    tmp_path: Path,
) -> None:
    """Without a .pgpass the password is asked through the window's prompter when the
    server wants it (over the dialog, opened from the window's menu), once in a run of
    the program (kept in memory only): connecting again asks nothing; it is never written
    to the settings."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    storage._PASSWORDS.clear()
    settings = Settings()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    prompter.script("secret")
    for _ in range(2):
        dialog = OpenCollectionDialog([bureau_url], window)
        qtbot.addWidget(dialog)
        assert dialog.connect_to_collection(), dialog.message.text()
        dialog.reject()
    assert [(a.kind, a.title) for a in prompter.asked] == [("password", "汇总库密码")]
    assert prompter.asked[0].text == f"汇总库 {bureau_url} 的密码（输入时不显示）："
    assert "secret" not in repr(vars(settings))
    storage._PASSWORDS.clear()


def test_collection_connect_keeps_the_window_alive_and_a_timeout_says_what_to_check(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connecting runs off the GUI thread: while a server that never answers is waited
    for (a socket that accepts and stays silent, connect timeout 2 s), the window goes on
    handling events and the address, 连接 and 打开 are off; the timeout is told in
    Chinese with what to check (address, network, password), nothing connected."""
    import socket

    from PySide6.QtCore import QTimer

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    port = silent.getsockname()[1]
    dialog = OpenCollectionDialog([])
    qtbot.addWidget(dialog)
    dialog.url_box.setCurrentText(f"postgresql://clerk@127.0.0.1:{port}/jixiao?connect_timeout=2")
    seen: list[tuple[bool, bool, bool]] = []
    ticks = QTimer(dialog, interval=100)
    ticks.timeout.connect(
        lambda: seen.append(
            (
                dialog.url_box.isEnabled(),
                dialog.connect_button.isEnabled(),
                dialog.open_button.isEnabled(),
            )
        )
    )
    ticks.start()
    try:
        assert not dialog.connect_to_collection()
    finally:
        ticks.stop()
        silent.close()
    assert len(seen) >= 10, seen  # events handled through the 2 s of waiting
    assert set(seen) == {(False, False, False)}
    message = dialog.message.text()
    assert f"连接数据库服务器“127.0.0.1:{port}”超时（2 秒内没有回应）" in message, message
    for what in ("服务器地址", "网络", "密码", "联系管理员"):
        assert what in message, what
    assert dialog.collection is None and dialog.url_box.isEnabled()
    assert dialog.connect_button.isEnabled()


def test_collection_connect_cancelled_closes_the_connection(
    qtbot, monkeypatch: pytest.MonkeyPatch, bureau_url: str, postgres_server: PostgresServer
) -> None:
    """取消 in the progress dialog while the units are read: nothing is listed, the dialog
    says it was cancelled and the connection is closed (none left on the server)."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    read = storage.list_units
    cancelled = threading.Event()

    def slow_list(collection: storage.Collection) -> list[storage.UnitEntry]:
        assert cancelled.wait(30)
        return read(collection)

    def cancel() -> None:  # once the progress dialog is there (the connection being made)
        progress = dialog.findChild(QProgressDialog)
        if progress is not None and not cancelled.is_set():
            button = progress.findChild(QPushButton)
            assert button is not None and button.text() == "取消"
            button.click()
            cancelled.set()

    monkeypatch.setattr(storage, "list_units", slow_list)
    dialog = OpenCollectionDialog([bureau_url])
    qtbot.addWidget(dialog)
    poll = QTimer(dialog, interval=10)
    poll.timeout.connect(cancel)
    poll.start()
    assert not dialog.connect_to_collection()
    poll.stop()
    assert dialog.message.text() == "已取消连接。" and dialog.collection is None
    assert dialog.unit_list.topLevelItemCount() == 0
    database = bureau_url.rsplit("/", 1)[1]
    count = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"
    assert postgres_server.admin(count).strip() == "0"


@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PostgresServer]:
    """A private PostgreSQL server of this test alone (the test stops and starts it; the
    session's ``postgres_server`` serves the others), its password in PGPASSFILE."""
    from tests.postgres import private_server, require_server

    require_server()
    with private_server() as server:
        monkeypatch.setenv("PGPASSFILE", str(server.pgpass))
        yield server


LOST = ("连接中断", "请检查网络或联系管理员", "刷新")


def _says_lost(message: str) -> bool:
    return all(words in message for words in LOST) and "Traceback" not in message


def test_collection_server_stopped_mid_session_every_action_says_so(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    own_server: PostgresServer,
    sample_path: Path,
    tmp_path: Path,
) -> None:
    """The server stops while a unit is shown (its reviewer editing it): 已说明, a field
    edit, 结束编辑, 编辑, 刷新, 另存为, 汇总表 and opening a unit each say once, in Chinese,
    that the connection was lost and to check the network or ask the administrator, then
    刷新; nothing raises; what the reviewer typed is kept (the explanation offered again,
    the field edit in memory). Once the server is back, 刷新 and 编辑 write both."""

    url = own_server.new_database()
    collection = storage.open_collection(url, create=True)
    try:
        from desktop.services.merging import merge_into_collection

        merge_into_collection(collection, [sample_path])
    finally:
        collection.close()
    window = _open_unit(qtbot, monkeypatch, url, SAMPLE_CODE)
    errors = _errors(window, monkeypatch)
    bar = _bar(window)
    assert bar.take_edit_lock(), errors
    session = window.session
    assert session is not None
    window.review.recheck()
    warning = next(f for f in window.review.findings if f.severity is Severity.WARNING)
    row = window.review.findings.index(warning)
    window.review.tree.setCurrentItem(window.review.tree.topLevelItem(row))

    own_server.stop()

    window.prompter.script("审核员甲：已核实。", "审核员甲：已核实。")  # the 填写说明 box, twice
    window.review.explain_button.click()
    assert len(errors) == 1 and _says_lost(errors[-1]), errors
    assert "说明没有丢失" in errors[-1]

    assert session.set_field(Declaration, session.declaration_uuid, "unit_name", "改后的名称")
    assert len(session.unsaved) == 1  # kept in memory
    assert _says_lost(window.banner.label.text()), window.banner.label.text()

    for action, title in (
        (bar.release_edit_lock, "结束编辑"),
        (bar.take_edit_lock, "不能编辑"),
        (bar.refresh, "无法刷新"),
        (lambda: window.files.save_as(tmp_path / "副本.jxdb"), "另存为失败"),
        (window.merging.summary, "无法生成汇总表"),
    ):
        before = len(errors)
        action()
        assert len(errors) == before + 1, (title, errors[before:])
        assert _says_lost(errors[-1]), (title, errors[-1])
    assert not (tmp_path / "副本.jxdb").exists()
    assert len(session.unsaved) == 1
    assert len(set(errors[-5:])) == 1  # the same words for each
    # read-only again (结束编辑): the banner says the server is gone, then why read-only
    assert not session.document.editing and window.banner.isVisible()
    assert _says_lost(window.banner.label.text()) and "只读" in window.banner.label.text()
    assert not window.review.explain_button.isEnabled()  # until 刷新 reaches the server

    # opening a unit: the list was read, then the server stopped before 打开
    def run(dialog: OpenCollectionDialog) -> int:
        dialog.url_box.setCurrentText(url)
        assert dialog.connect_to_collection(), dialog.message.text()
        own_server.stop()
        dialog.accept()
        return dialog.result()

    own_server.start()
    with monkeypatch.context() as patch:
        patch.setattr(OpenCollectionDialog, "exec", run)
        assert not open_collection_in_window(window, Settings())
    assert "连接中断" in errors[-1] and "请检查网络或联系管理员" in errors[-1], errors[-1]
    assert "恢复后重新打开汇总库" in errors[-1]
    assert window.session is session  # the unit shown stays shown

    # the server back: 刷新 reads again, the explanation is offered as typed and written,
    # 编辑 writes the edit kept in memory
    own_server.start()
    assert bar.refresh(), errors[-1]
    assert session.fault is not None  # the kept edit: 编辑 writes it
    assert bar.take_edit_lock(), errors[-1]
    assert session.fault is None and not session.unsaved
    assert _rows(url, "SELECT unit_name FROM declaration") == [("改后的名称",)]
    again = next(f for f in window.review.findings if f.key == warning.key)
    row = window.review.findings.index(again)
    window.review.tree.setCurrentItem(window.review.tree.topLevelItem(row))
    assert window.review.explain_button.isEnabled()
    window.review.explain_button.click()
    offered = [a.default for a in window.prompter.asked if a.kind == "multiline_text"]
    assert offered == ["", "审核员甲：已核实。"]  # typed once, offered again as typed
    assert _rows(url, "SELECT text FROM finding_explanation") == [("审核员甲：已核实。",)]
    window.close()
    assert _rows(url, "SELECT count(*) FROM edit_holder") == [(0,)]
