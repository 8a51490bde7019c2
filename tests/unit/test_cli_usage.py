"""Usage errors exit 2 with a Vietnamese message, argparse's words included."""

import pytest

from xhht_desktop.cli import main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["bogus"], "lựa chọn không hợp lệ: 'bogus'"),
        (["demo", "--persons", "abc"], "cần một số nguyên, không phải 'abc'"),
        (["init"], "thiếu tham số bắt buộc: --role"),
        (["info", "--zzz"], "tham số không nhận ra: --zzz"),
    ],
)
def test_usage_errors_speak_vietnamese(argv, expected, capsys, data_dir):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "lỗi cú pháp" in error
    assert expected in error
    assert "invalid" not in error and "required" not in error


def test_help_is_vietnamese(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Cách dùng:")
    assert "Tùy chọn:" in shown
