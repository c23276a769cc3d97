"""Every benchmark case runs (tiny sizes, once); timings are not asserted here."""

from __future__ import annotations

import pytest

from benchmarks.run import markdown, run


@pytest.mark.slow
def test_every_case_runs_and_reports() -> None:
    """make bench would produce a row for each case, each with a figure."""
    from tests.postgres import missing_reason

    rows = run(rounds=1, quick=True)
    collection = 0 if missing_reason() else 4  # the PostgreSQL case needs the server
    assert len(rows) == 22 + collection
    for title, ours, _floor, _ratio, target in rows:
        assert ours and ours[0].isdigit(), title
        assert target
    report = markdown(rows, 1)
    assert report.count("\n|") == 24 + collection  # header, rule, a row each
