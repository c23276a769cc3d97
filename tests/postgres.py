"""A private PostgreSQL server for the collection tests and benchmark (issue 23): initdb
into a temporary folder, pg_ctl on a free port of 127.0.0.1 (as the user postgres when
run as root: the server refuses root), a login ``clerk`` whose password is in a .pgpass
file, as a bureau's IT person sets it up. Stopped and removed at the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


class PostgresServer:
    """A running private server: its port on 127.0.0.1, its folder (socket, .pgpass
    ``pgpass`` for ``clerk``, password ``secret``), databases made on demand."""

    def __init__(self, bindir: Path, folder: Path, port: int) -> None:
        self.bindir, self.folder, self.port = bindir, folder, port
        self.pgpass = folder / "pgpass"
        self._count = 0
        #: runs a server program (as the user postgres under root); set by private_server
        self.run_program: Callable[..., None] = lambda *_command: None

    def start(self) -> None:
        """Start the server (again): its connections are new ones."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self.run_program(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"),
                         "-o", options, "-l", str(self.folder / "log"), "-w", "-t", "60",
                         "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server now (fast: every connection ends, as when a server goes down)."""
        self.run_program(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"),
                         "-m", "fast", "-w", "stop")  # fmt: skip

    def admin(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` as the superuser through the server's socket; returns psql's output."""
        done = subprocess.run(
            [str(self.bindir / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
             "-h", str(self.folder), "-p", str(self.port), "-U", "postgres", "-d", database,
             "-c", sql],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def new_database(self, owner: str = "clerk") -> str:
        """A new empty database owned by ``owner``; returns its URL (no password in it)."""
        self._count += 1
        name = f"jixiao_{os.getpid()}_{self._count}"
        self.admin(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        return f"postgresql://{owner}@127.0.0.1:{self.port}/{name}"


def bindir() -> Path | None:
    """The newest PostgreSQL server's programs (Debian's /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def missing_reason() -> str:
    """Why no private server can be started here ("" when one can)."""
    if bindir() is None:
        return "PostgreSQL 未安装（installer/system-deps.sh collection 安装 postgresql）"
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "以 root 运行时需要系统用户 postgres（postgresql 软件包会建立它）"
    return ""


def require_server() -> None:
    """Skip the calling test with the reason when no private server can be started here,
    or fail it where ``JIXIAO_REQUIRE_POSTGRES=1`` (set by .ci/run)."""
    import pytest

    reason = missing_reason()
    if reason:
        if os.environ.get("JIXIAO_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"JIXIAO_REQUIRE_POSTGRES=1 but: {reason}")
        pytest.skip(reason)


@contextlib.contextmanager
def private_server() -> Iterator[PostgresServer]:
    """Start a private server (see the module docstring); ``missing_reason()`` must be ""."""
    programs = bindir()
    assert programs is not None
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    folder.chmod(0o755)
    data = folder / "data"
    if run_as:
        shutil.chown(folder, "postgres", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PostgresServer(programs, folder, port)

    def run(*command: str) -> None:
        done = subprocess.run([*run_as, *command], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr

    server.run_program = run
    try:
        run(str(programs / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256")  # fmt: skip
        server.start()
        server.admin("CREATE ROLE clerk LOGIN PASSWORD 'secret'")
        server.pgpass.write_text(f"127.0.0.1:{port}:*:clerk:secret\n")
        server.pgpass.chmod(0o600)
        yield server
    finally:
        subprocess.run(
            [*run_as, str(programs / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
