"""Crash safety: a program saving edits is killed (SIGKILL) at random moments, 200 times.

After every kill the file opens (a kill mid-commit leaves a hot journal: the version the
program proposes is taken), SQLite's full integrity check passes and every edit the
program had reported as saved is in the file. The killed program never closed the file,
so each round also starts from a stale edit lock, which must clear itself.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.models import Indicator
from desktop.services import recovery
from desktop.storage.document import open_document
from desktop.storage.errors import SidecarError

KILLS = 200

#: A zygote that imports the storage code once and forks one editing child per request,
#: so that 200 rounds do not pay 200 interpreter starts. Only Qt-free modules are loaded.
ZYGOTE = r"""
import os, sys
from sqlalchemy import select
from desktop.models import BudgetProject, Indicator
from desktop.services import editing
from desktop.services import recovery
from desktop.storage.document import open_document
from desktop.storage.errors import SidecarError

for line in sys.stdin:
    path, first = line.split()
    pid = os.fork()
    if pid == 0:
        document = open_document(path)
        with document.session() as session:
            indicators = list(session.scalars(select(Indicator.uuid).order_by(Indicator.id)))
            project = session.scalars(select(BudgetProject.uuid)).first()
        n = int(first)
        while True:
            uuid = indicators[n % len(indicators)]
            editing.set_field(document, row_type=Indicator, row_uuid=uuid,
                              field="target_value", value=str(n))
            os.write(1, f"saved {n} {uuid}\n".encode())
            if n % 7 == 0:  # now and then a long text: a commit over several pages
                editing.set_field(document, row_type=BudgetProject, row_uuid=project,
                                  field="use_of_funds", value=f"{n}" * 3000)
            n += 1
    print(f"child {pid}", flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks (POSIX only)")
def test_crash_harness_every_reported_edit_survives_sigkill(sample_path: Path) -> None:
    """200 SIGKILLs at random points of the save cycle: the file opens, is intact and
    holds every edit reported as saved (per row, the last reported value or a later one)."""
    rng = random.Random(7)
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    reported: dict[str, int] = {}  # row UUID -> last value reported as saved
    next_value = 1
    try:
        for _ in range(KILLS):
            zygote.stdin.write(f"{sample_path} {next_value}\n")
            zygote.stdin.flush()
            kind, pid = zygote.stdout.readline().split()
            assert kind == "child"
            for _ in range(rng.randrange(0, 12)):  # let it save a few edits first
                _, value, uuid = zygote.stdout.readline().split()
                reported[uuid] = int(value)
            time.sleep(rng.uniform(0, 0.004))  # then kill it anywhere in the next commit
            os.kill(int(pid), signal.SIGKILL)
            for line in iter(zygote.stdout.readline, "reaped\n"):
                _, value, uuid = line.split()
                reported[uuid] = int(value)
            stored = _check_and_read(sample_path)
            for uuid, value in reported.items():
                assert int(stored[uuid]) >= value, (uuid, stored[uuid], value)
            next_value = max(int(v) for v in stored.values() if v.isdigit()) + 1
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    assert len(reported) > 10  # the edits went round many rows


def _check_and_read(path: Path) -> dict[str, str]:
    """Open the file as the program does, run the full integrity check, read 指标值.

    A kill in the middle of a commit leaves a hot journal: opening is then refused and the
    clerk is offered the two versions; the proposed one is taken, as the clerk would."""
    try:
        document = open_document(path)
    except SidecarError:
        offer = recovery.offer_recovery(path)
        proposed = offer.recovery.proposed
        assert proposed is not None, (offer.recovery.as_is, offer.recovery.recovered)
        recovery.choose(offer, proposed).close()
        document = open_document(path)
    try:
        with document.session() as session:
            assert session.execute(text("PRAGMA integrity_check")).all() == [("ok",)]
            rows = session.execute(select(Indicator.uuid, Indicator.target_value)).all()
    finally:
        document.close()
    return {uuid: value for uuid, value in rows}
