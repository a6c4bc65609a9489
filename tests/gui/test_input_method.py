"""Chinese typing on UOS/Kylin: a desktop that asks for fcitx, which the Qt wheel has no plugin for, gets
ibus (which fcitx5 answers); anything else is left as the desktop set it."""

from pathlib import Path

from desktop_app.gui.input_method import apply_input_method_fallback, input_method_fallback


def plugins(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "platforminputcontexts"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(b"")
    return folder


WHEEL = ("libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so")


def test_fcitx_without_its_plugin_falls_back_to_ibus(tmp_path):
    folder = plugins(tmp_path, *WHEEL)
    for env in ({"QT_IM_MODULE": "fcitx"}, {"QT_IM_MODULE": "fcitx5"}, {"QT_IM_MODULE": " FCITX "},
                {"XMODIFIERS": "@im=fcitx"}, {"GTK_IM_MODULE": "fcitx"}):
        assert input_method_fallback(env, folder, platform="linux") == "ibus", env


def test_a_present_fcitx_plugin_or_another_input_method_is_kept(tmp_path):
    with_fcitx = plugins(tmp_path, *WHEEL, "libfcitx5platforminputcontextplugin.so")
    assert input_method_fallback({"QT_IM_MODULE": "fcitx"}, with_fcitx, platform="linux") is None
    wheel = tmp_path / "other"
    wheel.mkdir()
    for env in ({"QT_IM_MODULE": "ibus"}, {}, {"XMODIFIERS": "@im=ibus"}, {"QT_IM_MODULE": "ibus", "XMODIFIERS": "@im=fcitx"}):
        assert input_method_fallback(env, wheel, platform="linux") is None, env
    assert input_method_fallback({"QT_IM_MODULE": "fcitx"}, wheel, platform="win32") is None


def test_a_missing_plugin_folder_counts_as_no_fcitx_plugin(tmp_path):
    assert input_method_fallback({"QT_IM_MODULE": "fcitx"}, tmp_path / "absent", platform="linux") == "ibus"


def test_the_fallback_is_written_into_the_environment(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    env = {"QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx"}
    assert apply_input_method_fallback(plugins(tmp_path, *WHEEL), env) == "ibus"
    assert env == {"QT_IM_MODULE": "ibus", "XMODIFIERS": "@im=fcitx"}
    unchanged = {"QT_IM_MODULE": "ibus"}
    assert apply_input_method_fallback(tmp_path, unchanged) is None and unchanged == {"QT_IM_MODULE": "ibus"}
