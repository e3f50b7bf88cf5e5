"""The command line's frame, in Vietnamese: what the framework (typer and its click) would otherwise say in
English — the usage line, the help panels, the help option, usage errors, unknown commands and options —
and the few rules every verb shares: switches shown as plain switches, unit codes matched whatever their case,
one date parser for every date option, unknown codes warned.

Verbs live in ``addin.cli`` (and in the modules other issues add) on the app ``new_app`` builds; its
``@app.command()`` gives every verb the same frame (``VietCommand``), so a verb needs nothing more.
The hooks are typer's own: the group and command classes (``cls``), the metavars, and the error printer of
its rich layer (``rich_utils.rich_format_error``), replaced once when this module is imported."""

from __future__ import annotations

import re
import sys
from difflib import get_close_matches
from typing import Any, Iterable

import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from validators.text.vnformat import DATE_FORMS, parse_vn_date

OPTIONS_METAVAR = "[TÙY CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [ĐỐI SỐ]..."
HELP_TEXT = "In hướng dẫn này rồi thoát."
USAGE = "Cách dùng: "

# Type labels shown after an option in the help: Vietnamese, and nothing after a switch.
_TYPE_LABELS = {"path": "<đường dẫn>", "str": "<chữ>", "text": "<chữ>", "int": "<số>", "integer": "<số>",
                "float": "<số>", "bool": None, "boolean": None}


class CommandLineError(Exception):
    """Bad usage found by a verb (exit 2); the message is Vietnamese."""


def _type_label(param, ctx) -> str | None:
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    try:
        shown = param.display_type(ctx)
    except Exception:  # noqa: BLE001 - a label is cosmetic
        return None
    if shown is None:
        return None
    bare = shown.strip("<>").lower()
    if bare.startswith("list[") or bare.startswith("tuple["):
        bare = bare[5:].strip("[]") if bare.startswith("list[") else bare[6:].strip("[]")
    return _TYPE_LABELS.get(bare, "<giá trị>")


def _vietnamise_params(cmd, ctx) -> None:
    for param in cmd.get_params(ctx):
        if isinstance(param, typer.core.TyperArgument):
            # Arguments carry their own name (in capitals) from the verb; their type column says what it is.
            label = _type_label(param, ctx)
            param.display_type_rich = lambda ctx, label=label: label
        elif param.metavar is None:
            label = _type_label(param, ctx)
            param.metavar = label if label is not None else ""


def _usage(cmd, ctx, formatter) -> None:
    pieces = " ".join(cmd.collect_usage_pieces(ctx))
    formatter.write_usage(ctx.command_path, re.sub(r"\{([^{}]*)\}", r"\1", pieces), prefix=USAGE)


class _VietHelp:
    """Vietnamese help option, usage line and parameter help, shared by commands and the group."""

    def get_help_option(self, ctx):
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = HELP_TEXT
            opt.metavar = ""
        return opt

    def format_usage(self, ctx, formatter) -> None:
        _usage(self, ctx, formatter)

    def format_help(self, ctx, formatter) -> None:
        _vietnamise_params(self, ctx)
        super().format_help(ctx, formatter)


class VietCommand(_VietHelp, TyperCommand):
    """A command whose help and usage are Vietnamese."""


class VietGroup(_VietHelp, TyperGroup):
    """The top group: Vietnamese help and usage, and an unknown command answered in Vietnamese."""


class VietTyper(typer.Typer):
    """A Typer whose ``@app.command()`` gives the Vietnamese command class by default: a verb added anywhere
    (``mail``, ``national``, ``run``…) gets the frame without knowing about it."""

    def command(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("cls", VietCommand)
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        return super().command(*args, **kwargs)


def new_app(help_text: str, **kwargs: Any) -> typer.Typer:
    """The ``sangkien`` app with the Vietnamese frame."""
    return VietTyper(help=help_text, cls=VietGroup, options_metavar=OPTIONS_METAVAR,
                     subcommand_metavar=SUBCOMMAND_METAVAR, add_completion=False, no_args_is_help=True,
                     pretty_exceptions_enable=False, **kwargs)


def command(app: typer.Typer, **kwargs: Any):
    """``app.command`` with the Vietnamese command class (what ``@app.command()`` of ``new_app`` does too)."""
    return app.command(cls=VietCommand, options_metavar=OPTIONS_METAVAR, **kwargs)


# ------------------------------------------------------------------------------------------------------
# Usage errors in Vietnamese
# ------------------------------------------------------------------------------------------------------
_PATTERNS = [
    (re.compile(r"^No such command '(.+?)'\.(?: Did you mean (.+)\?)?$"),
     lambda m: f"Không có lệnh «{m[1]}»." + (f" Có phải ý bạn là {m[2]}?" if m[2] else
                                             " Gõ sangkien --help để xem các lệnh.")),
    (re.compile(r"^Option '(.+?)' does not take a value\.$"),
     lambda m: f"Tùy chọn {m[1]} là công tắc, không nhận giá trị: chỉ ghi {m[1]}."),
    (re.compile(r"^Option '(.+?)' requires (?:an argument|(\d+) arguments)\.$"),
     lambda m: f"Tùy chọn {m[1]} cần {'một giá trị' if not m[2] else m[2] + ' giá trị'} ngay sau nó."),
    (re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$"),
     lambda m: f"Thừa đối số: {m[1]}. (Công tắc như --json, --no-cache không nhận giá trị true/false.)"),
    (re.compile(r"^Missing command\.$"), lambda m: "Thiếu tên lệnh. Gõ sangkien --help để xem các lệnh."),
    (re.compile(r"^Argument '(.+?)' takes (\d+) values\.$"), lambda m: f"Đối số {m[1]} cần {m[2]} giá trị."),
    # A value the parameter's type refuses (typer's messages, some from pydantic without the value)
    (re.compile(r"^Input should be a valid integer"), lambda m: "cần một số nguyên, ví dụ 3."),
    (re.compile(r"^Input should be a valid (?:number|decimal)"), lambda m: "cần một số, ví dụ 2.5."),
    (re.compile(r"^Input should be a valid boolean"), lambda m: "là công tắc: chỉ ghi tên tùy chọn, không kèm giá trị."),
    (re.compile(r"^Input should be (greater|less) than( or equal to)? (\S+?)\.?$"),
     lambda m: f"cần một số {'lớn' if m[1] == 'greater' else 'nhỏ'} hơn{' hoặc bằng' if m[2] else ''} {m[3]}."),
    (re.compile(r"^Input should be "), lambda m: "giá trị không đúng kiểu."),
    (re.compile(r"^Value (.+) is not a valid \w+\.$"), lambda m: f"«{m[1].strip(chr(39))}» không đúng kiểu."),
    (re.compile(r"^(.+?) is not one of (.+)\.$"),
     lambda m: f"«{m[1].strip(chr(39))}» không có trong danh sách: {m[2].replace(chr(39), '')}."),
    (re.compile(r"^(File|Directory|Path) (.+) does not exist\.$"),
     lambda m: f"không tìm thấy {_PATH_KINDS[m[1]]} {_quoted(m[2])}."),
    (re.compile(r"^(File|Directory|Path) (.+) is a file\.$"), lambda m: f"{_quoted(m[2])} là tệp, cần một thư mục."),
    (re.compile(r"^(File|Directory|Path) (.+) is a directory\.$"),
     lambda m: f"{_quoted(m[2])} là thư mục, cần một tệp."),
    (re.compile(r"^(File|Directory|Path) (.+) is not readable\.$"),
     lambda m: f"không đọc được {_quoted(m[2])} (không có quyền đọc)."),
    (re.compile(r"^(File|Directory|Path) (.+) is not writable\.$"),
     lambda m: f"không ghi được vào {_quoted(m[2])} (không có quyền ghi)."),
]
_PATH_KINDS = {"File": "tệp", "Directory": "thư mục", "Path": "đường dẫn"}


def _quoted(text: str) -> str:
    return f"«{text.strip(chr(39)).strip(chr(34))}»"


def _hint(exc) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        if isinstance(param, typer.core.TyperArgument):
            hint = param.metavar or (param.name or "").upper()
        else:
            hint = " / ".join(param.opts)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return str(hint or "").strip("'\"")


def vietnamese_message(exc) -> str:
    """The Vietnamese sentence for a click usage error."""
    from typer._click import exceptions as ce

    if isinstance(exc, ce.MissingParameter):
        what = "đối số" if isinstance(getattr(exc, "param", None), typer.core.TyperArgument) else "tùy chọn bắt buộc"
        return f"Thiếu {what} {_hint(exc)}."
    if isinstance(exc, ce.NoSuchOption):
        name = getattr(exc, "option_name", "") or ""
        near = list(getattr(exc, "possibilities", None) or [])
        tail = f" Có phải ý bạn là {', '.join(near)}?" if near else ""
        return f"Không có tùy chọn {name}.{tail}"
    if isinstance(exc, ce.BadParameter) and not isinstance(exc, ce.MissingParameter):
        return f"Giá trị không hợp lệ ở {_hint(exc)}: {_translate(exc.message)}"
    return _translate(exc.format_message())


def _translate(message: str) -> str:
    for pattern, make in _PATTERNS:
        m = pattern.match(message.strip())
        if m:
            return make(m)
    if re.search(r"[àáảãạăâđèéêìíòóôơùúưỳýỹ]", message, re.IGNORECASE):
        return message  # already ours
    # A framework message not known here: said in Vietnamese without it (its words are English); the usage
    # line and the help pointer printed around it say what the command takes.
    return "Cách dùng không đúng: kiểm tra lại các đối số và tùy chọn."


def print_usage_error(exc) -> None:
    """Replaces typer's rich error printer: the usage line, the Vietnamese sentence, where to get help."""
    if exc.__class__.__name__ == "NoArgsIsHelpError":
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        console.print(escape(ctx.get_usage()), markup=True)
    if isinstance(exc, typer._click.exceptions.UsageError) or hasattr(exc, "ctx"):
        console.print(f"[red]Lỗi:[/] {escape(vietnamese_message(exc))}")
    else:
        console.print(f"[red]Lỗi:[/] {escape(_translate(exc.format_message()))}")
    if ctx is not None:
        console.print(f"Xem hướng dẫn: {escape(ctx.command_path)} --help", style="dim")


def _install() -> None:
    rich_utils.ARGUMENTS_PANEL_TITLE = "Đối số"
    rich_utils.OPTIONS_PANEL_TITLE = "Tùy chọn"
    rich_utils.COMMANDS_PANEL_TITLE = "Lệnh"
    rich_utils.ERRORS_PANEL_TITLE = "Lỗi"
    rich_utils.ABORTED_TEXT = "Đã dừng."
    rich_utils.DEFAULT_STRING = "[mặc định: {}]"
    rich_utils.ENVVAR_STRING = "[biến môi trường: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[bắt buộc]"
    rich_utils.DEPRECATED_STRING = "(không dùng nữa) "
    rich_utils.RICH_HELP = "Xem hướng dẫn: {command_path} {help_option}"
    rich_utils.rich_format_error = print_usage_error


_install()


# ------------------------------------------------------------------------------------------------------
# Shared option rules
# ------------------------------------------------------------------------------------------------------
def parse_day(text: str, what: str):
    """A date option, in any of the forms the reader accepts; else a Vietnamese usage error."""
    day = parse_vn_date(text)
    if day is None:
        raise CommandLineError(f"{what} «{text}» không hợp lệ: nhập ngày theo dạng {DATE_FORMS}.")
    return day


def match_code(text: str, codes: Iterable[str], what: str = "Mã đơn vị") -> str:
    """The registry's spelling of a code typed in any case («cj» → «CJ»); an unknown code is a usage error
    naming the nearest codes."""
    codes = list(codes)
    typed = text.strip()
    by_key = {c.casefold(): c for c in codes}
    found = by_key.get(typed.casefold())
    if found is not None:
        return found
    near = get_close_matches(typed.upper(), codes, n=3, cutoff=0.5)
    tail = f" Có phải ý bạn là {', '.join(near)}?" if near else ""
    raise CommandLineError(f"{what} «{typed}» không có trong danh sách đơn vị.{tail}")


def warn(console, message: str) -> None:
    console.print(f"[yellow]Lưu ý:[/] {message}", highlight=False)


def console_width() -> int | None:
    """None on a terminal (its own width); a wide page when piped or redirected, so nothing is cropped."""
    stream = sys.stdout
    return None if hasattr(stream, "isatty") and stream.isatty() else 400
