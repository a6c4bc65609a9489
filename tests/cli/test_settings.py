"""`setting list` and `setting set` (`cli/settings.py`) on the demo workspace: the supervision phones reach the
notice; a bad value is refused and changes nothing."""

import json

import pytest

from desktop_app.core.demo.build import PROJECT_NAME
from tests.cli.helpers import YEAR_2024, data_state, ok, run


def test_setting_list_and_set_print_the_supervision_phones(fast, capsys, tmp_path):
    shown = ok(fast, capsys, "setting", "list")
    assert "notice.association_phone" in shown and "0818-8622345" in shown
    assert "已保存：慈善会监督电话 = （未填）" in ok(fast, capsys, "setting", "set", "notice.association_phone", "")
    assert "已保存：公示期天数 = 10" in ok(fast, capsys, "setting", "set", "notice.days", "10")
    out = ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out", tmp_path / "a.pdf",
             "--json")
    data = json.loads(out)
    assert any("监督电话未填写：万源市慈善会" in n for n in data["notes"])


@pytest.mark.parametrize("argv, message", [
    (["notice.association_phone", "找张三"], "不是电话号码"),
    (["notice.days", "0"], "至少为 1 天"),
    (["notice.days", "七天"], "不是整数"),
    (["notice.civil_affairs_name", ""], "不能为空"),
    (["no.such", "1"], "没有“no.such”这项设置"),
])
def test_bad_settings_are_refused_and_change_nothing(demo, capsys, argv, message):
    before = data_state(demo)
    code, out = run(demo, "setting", "set", *argv, capsys=capsys)
    assert code != 0 and message in out.err
    assert data_state(demo) == before
