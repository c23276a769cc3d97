"""The JSON interchange form: exact round trip of the sample, clear refusals of bad input."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from desktop import paths
from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    FindingExplanation,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.services import documents
from desktop.storage.errors import InterchangeError
from desktop.storage.interchange import dump_declarations, load_declarations, to_json_text


def test_sample_round_trips_byte_for_byte(tmp_path: Path) -> None:
    """JSON -> .jxdb -> JSON gives the sample's text back exactly (UUIDs and times included)."""
    original = paths.sample_json().read_text(encoding="utf-8")
    document = documents.create_from_json(paths.sample_json(), tmp_path / "s.jxdb")
    exported = documents.export_json_text(document)
    document.close()
    assert exported == original


def test_round_trip_through_a_second_file(tmp_path: Path) -> None:
    """Exported JSON imports into another file that exports the same JSON again."""
    first = documents.write_sample(tmp_path / "a.jxdb")
    text = documents.export_json_text(first)
    first.close()
    (tmp_path / "a.json").write_text(text, encoding="utf-8")
    second = documents.create_from_json(tmp_path / "a.json", tmp_path / "b.jxdb")
    assert documents.export_json_text(second) == text
    second.close()


def test_sample_content_is_the_reference_document() -> None:
    """Spot checks that the sample holds the seed's figures exactly."""
    (declaration,) = load_declarations(json.loads(paths.sample_json().read_text("utf-8")))
    assert (declaration.unit_code, declaration.unit_name) == ("507002", "乐亭县机关事务中心")
    assert str(declaration.total_budget) == "492.87"
    assert [p.code for p in declaration.budget_projects] == [
        "13022522P004T4010009J",
        "13022522P004T4010007B",
        "13022522P004T4010008Y",
    ]
    assert [str(p.budget_amount) for p in declaration.budget_projects] == [
        "8.87",
        "184.00",
        "300.00",
    ]
    assert [len(p.indicators) for p in declaration.budget_projects] == [7, 7, 7]
    assert [item.budget_project.name for item in declaration.item_targets] == [
        "接待管理经费",
        "综合服务管理经费",
        "公务用车北斗定位服务费及平台软件运维费用",
    ]


def _sample() -> dict:
    return json.loads(paths.sample_json().read_text("utf-8"))


def _broken(change) -> dict:
    data = copy.deepcopy(_sample())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(format="something-else"), "不是绩效目标数据文件"),
        (lambda d: d.update(version=99), "请升级程序"),
        (lambda d: d.pop("declarations"), "declarations"),
        (lambda d: d["declarations"][0].update(fiscal_year="2022"), "fiscal_year"),
        (lambda d: d["declarations"][0].update(total_budget="12,3"), "total_budget"),
        (lambda d: d["declarations"][0].update(total_budget=492.87), "total_budget"),
        (lambda d: d["declarations"][0].update(total_budget="1e5"), "total_budget"),
        (lambda d: d.update(declarations=[]), "没有任何单位"),
        (lambda d: d["declarations"][0].update(modified_at="yesterday"), "modified_at"),
        (
            lambda d: d["declarations"][0]["key_tasks"][1].update(
                uuid=d["declarations"][0]["key_tasks"][0]["uuid"]
            ),
            "重复",
        ),
        (
            lambda d: d["declarations"][0]["item_targets"][0].update(
                budget_project_uuid="00000000-0000-4000-8000-000000000000"
            ),
            "不存在的预算项目",
        ),
        (lambda d: d["declarations"][0]["budget_projects"][0].pop("indicators"), "indicators"),
    ],
    ids=[
        "format",
        "newer",
        "no-list",
        "year-type",
        "bad-amount",
        "float-amount",
        "exponent-amount",
        "empty",
        "bad-time",
        "dup-uuid",
        "bad-link",
        "missing-list",
    ],
)
def test_malformed_json_is_refused_with_place(change, words: str) -> None:
    """Each kind of malformed document is refused with a Chinese message naming the place."""
    with pytest.raises(InterchangeError) as info:
        load_declarations(_broken(change))
    assert words in info.value.message


def test_bad_json_file_writes_nothing(tmp_path: Path) -> None:
    """A file that is not JSON is refused before any .jxdb is created."""
    source = tmp_path / "bad.json"
    source.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InterchangeError, match="不是有效的 JSON"):
        documents.create_from_json(source, tmp_path / "out.jxdb")
    assert not (tmp_path / "out.jxdb").exists()


def test_dump_is_canonical_text() -> None:
    """The canonical text is UTF-8 characters as is, 2-space indent, final newline."""
    declarations = load_declarations(_sample())
    text = to_json_text(dump_declarations(declarations))
    assert text.endswith("}\n")
    assert "乐亭县机关事务中心" in text
    assert '\n  "format": "jixiao.declarations",' in text


def test_json_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A JSON file saved by Windows Notepad (UTF-8 with BOM) imports normally."""
    source = tmp_path / "bom.json"
    source.write_bytes(b"\xef\xbb\xbf" + paths.sample_json().read_bytes())
    (declaration,) = documents.read_json_file(source)
    assert declaration.unit_name == "乐亭县机关事务中心"


def test_json_in_gbk_is_refused_in_chinese(tmp_path: Path) -> None:
    """A JSON file saved as GBK gets a Chinese message saying to save it as UTF-8."""
    source = tmp_path / "gbk.json"
    source.write_bytes(paths.sample_json().read_text("utf-8").encode("gbk"))
    with pytest.raises(InterchangeError, match="UTF-8"):
        documents.read_json_file(source)


def _write_json(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _sample_with(change) -> str:
    return json.dumps(_broken(change))  # lone surrogates as JSON escapes


HOSTILE_JSON = {
    "nested-100000-deep": ("[" * 100_000 + "]" * 100_000, "的层次嵌套了 100000 层"),
    "integer-of-5000-digits": (
        '{"format": "jixiao.declarations", "version": ' + "9" * 5000 + "}",
        "中有一个 5000 位的整数",
    ),
    "nan-constant": ('{"format": "jixiao.declarations", "version": NaN}', "不允许的值 NaN"),
    "lone-surrogate-in-text": (
        _sample_with(lambda d: d["declarations"][0].update(unit_name="乐亭\ud800")),
        "第1个单位的“单位名称”（declarations[0].unit_name）含有无效的字符（不成对的代理码）",
    ),
    "lone-surrogate-in-uuid": (
        _sample_with(
            lambda d: d["declarations"][0]["budget_projects"][0].update(uuid="\udc00" * 36)
        ),
        "第1个单位的第1个预算项目的“标识”",
    ),
    "text-over-the-limit": (
        _sample_with(
            lambda d: d["declarations"][0]["budget_projects"][0]["indicators"][0].update(
                level3="绩" * 100_001
            )
        ),
        "第1行指标的“三级指标”（declarations[0].budget_projects[0].indicators[0].level3）"
        "有 100001 字，超过了 100000 字的上限",
    ),
    "unknown-profile": (
        _sample_with(lambda d: d["declarations"][0].update(profile="province-2030")),
        "“指标体系”（declarations[0].profile）是不认识的值",
    ),
    "unknown-amount-unit": (
        _sample_with(lambda d: d["declarations"][0].update(amount_unit="元")),
        "是不认识的值“元”",
    ),
    "year-out-of-range": (
        _sample_with(lambda d: d["declarations"][0].update(fiscal_year=20222)),
        "“预算年度”（declarations[0].fiscal_year）应在 2000～2100 之间",
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE_JSON))
def test_hostile_json_is_refused_and_the_target_kept(kind: str, tmp_path: Path) -> None:
    """Hostile JSON (deep nesting, huge integers, lone surrogates, values the file check
    refuses) gets a Chinese message naming the place; an existing file that import-json
    --force would replace keeps its bytes (the values are checked before anything is
    written, by the same domains as the file check)."""
    from desktop import cli
    from tests.conftest import file_digest

    text, words = HOSTILE_JSON[kind]
    source = _write_json(tmp_path / "bad.json", text)
    good = tmp_path / "good.jxdb"
    documents.write_sample(good).close()
    before = file_digest(good)
    with pytest.raises(InterchangeError) as info:
        documents.read_json_file(source)
    assert words in info.value.message
    assert cli.main(["import-json", str(source), "-o", str(good), "--force"]) == 1
    assert file_digest(good) == before


def _documented() -> tuple[str, dict[str, Any]]:
    """docs/interchange-format.md and the JSON document of its ```json example block."""
    text = (Path(__file__).parent.parent / "docs" / "interchange-format.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 1, "the page has one complete example"
    return text, json.loads(blocks[0])


def test_documented_example_imports_and_exports_the_same(tmp_path: Path) -> None:
    """The example in the format document is accepted by ``jixiao import-json`` as it
    stands, and ``export-json`` gives the same data back: the page is complete."""
    from tests.test_cli import jixiao

    _, example = _documented()
    (tmp_path / "example.json").write_text(json.dumps(example, ensure_ascii=False), "utf-8")
    made = jixiao("import-json", "example.json", "-o", "example.jxdb", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    back = jixiao("export-json", "example.jxdb", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout) == example


def test_document_names_every_field_and_list() -> None:
    """Each row kind's table line in the format document names every field and child list
    the program writes, in the program's order (a new field fails here until documented)."""
    from desktop.models import PrintRecord, TargetAdjustment
    from desktop.models.base import content_fields, owned_collections

    text, example = _documented()
    lines = {line.split("|")[1].split()[0]: line for line in text.splitlines() if "| `" in line}
    kinds = (Declaration, KeyTask, ItemTarget, ItemTargetStatement, BudgetProject,
             DisbursementCheckpoint, Indicator, FindingExplanation, PrintRecord,
             TargetAdjustment)  # fmt: skip
    for cls in kinds:
        line = lines[cls.__name__]
        names = [*content_fields(cls), *owned_collections(cls)]
        at = [line.find(f"`{name}`") for name in names]
        assert -1 not in at, (cls.__name__, [n for n, a in zip(names, at, strict=True) if a < 0])
        assert at == sorted(at), cls.__name__
    declaration = example["declarations"][0]
    assert list(declaration)[2:] == [
        *content_fields(Declaration),
        *owned_collections(Declaration),
    ]


def test_import_json_lets_each_unit_go_as_it_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """import-json of a file of several units does not hold the document twice: when a
    unit's rows are built, the JSON objects of the units built before are gone; the file
    made holds every unit."""
    import gc

    from sqlalchemy import select

    from benchmarks.generate import write_county
    from desktop.services.documents import export_json_text
    from desktop.storage import interchange
    from desktop.storage.document import open_document

    document = open_document(write_county(tmp_path / "c.jxdb", units=3, projects=2, indicators=3))
    source = tmp_path / "county.json"
    source.write_text(export_json_text(document), encoding="utf-8")
    document.close()
    alive: list[int] = []
    real_row = interchange._Loader.row

    def counted(self, cls, data, where):
        if cls is Declaration:
            gc.collect()
            alive.append(
                sum(
                    1
                    for o in gc.get_objects()
                    if type(o) is dict  # a unit's JSON object, not an ORM row's __dict__
                    and "unit_code" in o
                    and isinstance(o.get("modified_at"), str)
                )
            )
        return real_row(self, cls, data, where)

    monkeypatch.setattr(interchange._Loader, "row", counted)
    out = documents.create_from_json(source, tmp_path / "imported.jxdb")
    with out.session() as session:
        assert len(session.scalars(select(Declaration.uuid)).all()) == 3
    out.close()
    first = alive[0]  # the three units of the file (and what the test process holds)
    assert alive == [first, first - 1, first - 2]  # one unit's JSON fewer at each unit


def test_time_text_is_the_strftime_form_for_every_year() -> None:
    """The fast form of ``time_text`` (isoformat) writes what strftime wrote, so that
    fingerprints and JSON files stay as they were; years before 1000 keep strftime's."""
    from datetime import UTC, datetime, timedelta, timezone

    from desktop.storage.interchange import time_text, time_value

    times = [
        datetime(2026, 12, 5, 3, 34, 19, 715188, tzinfo=UTC),
        datetime(2026, 1, 1, 5, 0, tzinfo=timezone(timedelta(hours=8))),
        datetime(2000, 2, 29, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ]
    for value in times:
        assert time_text(value) == value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert time_value(time_text(times[1])) == times[1]
