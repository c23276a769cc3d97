"""desktop/app.py's input-method environment: Chinese input on fcitx desktops (the bundle's
Qt has only the ibus and compose plugins; tests/test_bundle.py types through a real fcitx5)."""

from __future__ import annotations

from desktop.app import input_method_environment


def test_fcitx_desktop_falls_back_to_fcitx5_ibus_portal() -> None:
    assert input_method_environment({"QT_IM_MODULE": "fcitx"}) == {
        "QT_IM_MODULES": "fcitx;ibus",
        "IBUS_USE_PORTAL": "1",
    }
    assert input_method_environment({"QT_IM_MODULE": "fcitx5"})["QT_IM_MODULES"] == "fcitx5;ibus"


def test_the_users_own_settings_are_kept() -> None:
    assert input_method_environment({}) == {}
    for module in ("ibus", "compose", "none"):
        assert input_method_environment({"QT_IM_MODULE": module}) == {}
    assert input_method_environment({"QT_IM_MODULE": "fcitx", "QT_IM_MODULES": "fcitx"}) == {}
    assert input_method_environment({"QT_IM_MODULE": "fcitx", "IBUS_USE_PORTAL": "0"}) == {
        "QT_IM_MODULES": "fcitx;ibus"
    }
