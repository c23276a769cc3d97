"""The Linux bundle's trimmed ICU data (installer/tools/trim_icu.py) against the wheel's full data.

Qt Core calls ICU for collation, text converters, case mapping and time-zone names; a
child Python with the trimmed library preloaded (same soname, so Qt's ICU loads it instead
of the wheel's) must answer every one of them as the full data does.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "trim_icu", ROOT / "installer" / "tools" / "trim_icu.py"
)
assert _spec and _spec.loader
trim_icu = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trim_icu)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

# What Qt asks of ICU: pinyin order with numbers as numbers (the file dialog sorts so),
# converters by name, a time zone's Chinese name, locale case mapping.
PROBE = """
from functools import cmp_to_key
from PySide6.QtCore import (QCollator, QDateTime, QLocale, QStringConverter, QStringEncoder,
                            QTimeZone)
names = ["张三", "李四", "王五", "赵六", "阿强", "乐亭", "file10", "file9", "Ärger", "zebra"]
chinese = QCollator(QLocale("zh_CN"))
chinese.setNumericMode(True)
print(sorted(names, key=cmp_to_key(chinese.compare)))
print(sorted(names, key=cmp_to_key(QCollator(QLocale("en_US")).compare)))
print(sorted(names, key=cmp_to_key(QCollator(QLocale("de_DE")).compare)))
codecs = ("GB18030", "GBK", "GB2312", "Big5", "Big5-HKSCS", "windows-1252", "Shift_JIS")
print([codec for codec in codecs if QStringEncoder(codec).isValid()])
print(len(QStringConverter.availableCodecs()))
when = QDateTime.fromString("2022-07-01T12:00:00", "yyyy-MM-ddTHH:mm:ss")
for zone, locale in (("Asia/Shanghai", "zh_CN"), ("Asia/Urumqi", "zh_CN"), ("UTC", "en_US")):
    print(QTimeZone(zone.encode()).displayName(when, QTimeZone.LongName, QLocale(locale)))
print(QLocale("zh_CN").toUpper("abc ǆ"), QLocale("tr_TR").toUpper("i"))
"""


def qt_library(name: str) -> Path:
    """A library of the PySide6 wheel installed in this environment."""
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "lib" / name


def probe(preload: Path | None = None) -> list[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if preload:
        environment["LD_PRELOAD"] = str(preload)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# A normal user's PATH on Debian: no /usr/sbin, where icupkg lives
USER_PATH = "/usr/local/bin:/usr/bin:/bin"


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel's ICU data trimmed as `make bundle` does, by a normal user (icupkg not on PATH)."""
    [full] = qt_library(".").glob("libicudata.so.*")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", USER_PATH)
        return trim_icu.trim_icu_data(full, tmp_path_factory.mktemp("icu"))


def test_trimmed_data_answers_as_the_full_data(trimmed: Path) -> None:
    """Same collation, converters, time-zone names and case mapping; a third of the size."""
    full = probe()
    assert full[0] == str(
        ["阿强", "乐亭", "李四", "王五", "张三", "赵六", "Ärger", "file9", "file10", "zebra"]
    )
    assert full[3] == str(["GB18030", "GBK", "GB2312", "Big5", "Big5-HKSCS", "windows-1252",
                           "Shift_JIS"])  # fmt: skip
    assert probe(preload=trimmed) == full
    [original] = qt_library(".").glob("libicudata.so.*")
    assert trimmed.stat().st_size < original.stat().st_size / 2


def test_trimmed_library_is_what_qt_loads(trimmed: Path) -> None:
    """The preloaded trimmed library really replaces the wheel's (else the probe proves nothing)."""
    result = subprocess.run(
        [sys.executable, "-c", "import PySide6.QtCore; print(open('/proc/self/maps').read())"],
        capture_output=True,
        text=True,
        env={**os.environ, "LD_PRELOAD": str(trimmed)},
        timeout=60,
        check=False,
    )
    loaded = {line.split()[-1] for line in result.stdout.splitlines() if "libicudata" in line}
    assert loaded == {str(trimmed)}


def test_items_kept_and_dropped() -> None:
    """Root, Chinese, English and all non-locale data stay; other languages and dictionaries go."""
    kept = [
        "root.res", "pool.res", "res_index.res", "zh.res", "zh_Hans_CN.res", "en_001.res",
        "coll/zh.res", "coll/ucadata.icu", "rbnf/yue.res", "gb18030.cnv", "cnvalias.icu",
        "supplementalData.res", "zoneinfo64.res", "zone/zh_Hant.res", "nfkc.nrm", "unit/root.res",
        "curr/res_index.res",
    ]  # fmt: skip
    dropped = [
        "de.res", "coll/de_.res", "zone/fr_CA.res", "ars.res", "brkitr/cjdict.dict",
        "brkitr/root.res", "translit/root.res",
    ]  # fmt: skip
    assert [item for item in kept if trim_icu.is_dropped(item)] == []
    assert [item for item in dropped if not trim_icu.is_dropped(item)] == []


def test_refuses_another_library(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not an ICU data library"):
        trim_icu.trim_icu_data(qt_library("libQt6Core.so.6"), tmp_path)
