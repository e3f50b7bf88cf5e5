"""The command line speaks Vietnamese where the framework would speak English: every command and option has
Vietnamese help and is in the README, help and usage errors carry none of click's English, switches take no
value, codes are matched whatever their case, dates come in every form the reader accepts; and the console
report hides nothing it does not say how to show."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
import typer
from typer.testing import CliRunner

from addin.cli import app
from addin.cli_framework import CommandLineError, match_code, vietnamese_message
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from validators.text.vnformat import parse_vn_date

runner = CliRunner()
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)
ENGLISH = ["Usage", "Options", "Arguments", "Commands", "Show this message", "Missing", "No such", "Error",
           "<bool>", "<path>", "<str>", "[required]", "Try ", "Did you mean", "does not take", "requires"]


def _commands():
    group = typer.main.get_command(app)
    return group, group.commands


def test_every_command_and_option_has_vietnamese_help_and_is_in_the_readme(repo_root):
    group, commands = _commands()
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert VIETNAMESE.search(group.help or "")
    for name, cmd in commands.items():
        assert VIETNAMESE.search(cmd.help or ""), name
        assert f"sangkien {name}" in readme, f"README does not document `sangkien {name}`"
        for param in cmd.params:
            assert param.help and VIETNAMESE.search(param.help), (name, param.name)


def test_help_has_no_english():
    for args in [["--help"]] + [[name, "--help"] for name in _commands()[1]]:  # every verb, added anywhere
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert "Cách dùng:" in result.output
        for word in ENGLISH:
            assert word not in result.output, (args, word)


@pytest.mark.parametrize("args, expected", [
    (["district", "x"], "Thiếu tùy chọn bắt buộc --district"),
    (["foo"], "Không có lệnh «foo»"),
    (["validat"], "Có phải ý bạn là 'validate'"),
    (["validate", "--jsn", "x"], "Không có tùy chọn --jsn"),
    (["validate", "--json=true", "x"], "là công tắc"),
    (["district", "x", "--district"], "cần một giá trị"),
    (["validate"], "Thiếu đối số TỆP"),
    (["version", "x"], "Thừa đối số"),
    (["dossier", "x.xlsx", "--date", "31/02/2021"], "Ngày «31/02/2021» không hợp lệ"),
])
def test_usage_errors_are_vietnamese(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    out = result.output
    assert expected in out, out
    for word in ENGLISH:
        assert word not in out, (args, word)


def test_a_switch_given_true_is_explained(tmp_path):
    result = runner.invoke(app, ["validate", "--json", "true"])
    assert result.exit_code == 2 and "công tắc" in result.output


@pytest.mark.parametrize("text", ["05/04/2021", "5/4/2021", "05-04-2021", "2021-04-05", "05.04.2021", " 5/4/2021 "])
def test_one_date_parser_takes_every_form(text):
    assert parse_vn_date(text) == dt.date(2021, 4, 5)


@pytest.mark.parametrize("text", ["", "31/02/2021", "2021/04", "hôm nay", "44000"])
def test_date_parser_refuses(text):
    assert parse_vn_date(text) is None


def test_codes_any_case(registry):
    codes = [d.code for d in registry.districts]
    assert match_code(codes[0].lower(), codes) == codes[0]
    with pytest.raises(CommandLineError, match="không có trong danh sách"):
        match_code("ZZZ-not-a-code", codes)


def test_district_code_in_lower_case_is_accepted(tmp_path, registry):
    code = registry.districts[0].code
    (tmp_path / "in").mkdir()
    result = runner.invoke(app, ["district", str(tmp_path / "in"), "--district", code.lower(), "--deadline",
                                 "05-04-2021", "--out", str(tmp_path / "t.xlsx"), "--json"])
    assert "không có trong danh sách" not in result.output  # an empty inbox: nothing read (exit 2), code known
    assert f'"district": "{code}"' in result.stdout


def test_unknown_received_code_is_warned(tmp_path):
    (tmp_path / "in").mkdir()
    result = runner.invoke(app, ["province", str(tmp_path / "in"), "--received", "KHONGCO=01/04/2021",
                                 "--out", str(tmp_path / "p.xlsx")])
    assert "KHONGCO" in result.output and "bỏ qua" in result.output, result.output


def test_message_of_unknown_click_error_is_still_vietnamese():
    from typer._click.exceptions import UsageError

    assert VIETNAMESE.search(vietnamese_message(UsageError("Something else happened.")))


# ------------------------------------------------------------------------------------------------------
# The console report
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def many_errors(tmp_path_factory, campaign, sample_unit, unit_template):
    unit, _ = sample_unit
    rng = random.Random(5)
    rows = [valid_initiative(campaign, unit, rng) for _ in range(80)]
    for n, row in enumerate(rows):
        row["Năm sinh"] = f"x{n}"
        row["Số điện thoại"] = "12"
        row["Lĩnh vực"] = "Khác"
    path = tmp_path_factory.mktemp("console") / "nhieu-loi.xlsx"
    return fill_workbook(unit_template, path, valid_unit_answers(campaign, unit, rng), rows)


def test_console_shows_up_to_the_limit_and_says_how_to_see_the_rest(many_errors):
    result = runner.invoke(app, ["validate", str(many_errors)])
    assert result.exit_code == 1
    out = result.output
    lines = [ln for ln in out.splitlines() if ln.strip().startswith("• Lỗi")]
    assert len(lines) == 200
    assert "lỗi chưa in (thêm --all để in hết)" in out
    assert "Trang «Sáng kiến», dòng 4" in out  # grouped by row
    full = runner.invoke(app, ["validate", str(many_errors), "--all"]).output
    assert len([ln for ln in full.splitlines() if ln.strip().startswith("• Lỗi")]) == 240
    assert "chưa in" not in full.split("Tổng cộng")[-1] or "lưu ý" in full.split("Tổng cộng")[-1]


def test_console_is_not_cropped_when_piped(many_errors):
    result = runner.invoke(app, ["validate", str(many_errors)], env={"COLUMNS": ""})
    longest = max(len(ln) for ln in result.output.splitlines())
    assert longest > 100  # a message is one line, not cut at 80 columns


def test_libreoffice_failure_is_one_vietnamese_sentence_and_its_raw_output_goes_to_the_log(tmp_path, monkeypatch):
    """LibreOffice's own stderr (English, technical) is kept on the error and in the crash log, never in the
    sentence the user reads."""
    import io

    from rich.console import Console

    from addin.cli_support import _library_errors
    from addin.io import libreoffice
    from addin.io.libreoffice import LibreOfficeError, convert

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 77\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: str(fake))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the crash log goes here
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"x")
    with pytest.raises(LibreOfficeError) as caught:
        convert(src, "pdf", tmp_path / "out")
    exc = caught.value
    assert "source file" in exc.params["detail"] and "77" in str(exc)
    for word in ENGLISH + ["source file", "loaded"]:
        assert word not in str(exc), word
    out = io.StringIO()
    with pytest.raises(typer.Exit):
        with _library_errors(Console(file=out, width=300)):
            raise exc
    shown = out.getvalue()
    assert "LibreOffice không chuyển đổi được tệp" in shown and "source file" not in shown
    log = re.search(r"chi tiết: (\S+\.log)", shown)[1]
    assert "Error: source file could not be loaded" in open(log, encoding="utf-8").read()


# Words of click's and typer's own English that a user could meet (checked as whole words)
FRAMEWORK_WORDS = re.compile(r"\b(Usage|Error|Missing|Invalid|option|Try|Input should|does not exist|is not one of|"
                             r"is not a valid|Aborted|Got unexpected|No such|requires|Supported|Unsupported)\b")


def _usage_cases(tmp_path):
    """Every verb with every class of usage error that stops before the verb runs (parsing and the
    parameter types), plus a path that does not exist."""
    group, commands = _commands()
    missing = str(tmp_path / "khong-co" / "tep.xlsx")
    yield ["--khong-co"]
    yield ["khong-co-lenh"]
    yield ["--help"]
    for name, cmd in commands.items():
        yield [name, "--help"]
        yield [name, "--khong-co"]
        arguments = [p for p in cmd.params if p.param_type_name == "argument"]
        options = [p for p in cmd.params if p.param_type_name == "option"]
        if any(p.required for p in cmd.params):
            yield [name]  # a missing argument or required option
        if arguments:
            yield [name, missing]
            if all(p.nargs == 1 for p in arguments):
                yield [name, *(["a"] * (len(arguments) + 2))]  # extra arguments
        for opt in options:
            flag = opt.opts[0]
            if opt.is_flag:
                yield [name, missing, f"{flag}=true"]
            else:
                yield [name, missing, flag]  # its value missing
                yield [name, missing, flag, "chữ-không-hợp-lệ"]


def test_no_framework_english_in_any_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a verb writes by default stays here
    seen = 0
    for args in _usage_cases(tmp_path):
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        out = result.output + (result.stderr if result.stderr_bytes is not None else "")
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
            (args, repr(result.exception))
        english = FRAMEWORK_WORDS.findall(out)
        assert not english, (args, english, out[-600:])
        seen += 1
    assert seen > 100


def test_doctor_says_why_a_file_has_no_macros_in_vietnamese(tmp_path):
    from addin.excel.doctor import unreadable_macros

    plain = tmp_path / "a.xlsx"
    plain.write_bytes(b"PK")
    broken = tmp_path / "b.xlsm"
    broken.write_bytes(b"not a zip")
    for path in (tmp_path / "khong-co.xlsm", plain, broken, tmp_path):
        message = unreadable_macros(path)
        assert VIETNAMESE.search(message) and not FRAMEWORK_WORDS.search(message), message
    result = runner.invoke(app, ["doctor", str(plain), str(broken)])
    assert result.exit_code == 1 and ".xlsx" in result.output
    assert not FRAMEWORK_WORDS.search(result.output), result.output
