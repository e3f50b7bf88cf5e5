"""What a Tờ trình says: the nominations and the letter as data (``Nomination``, ``ToTrinh``), the union's
names and symbols as the administrative format writes them, Vietnamese amounts and date lines, and the text of
the district's and the province's letters. Every string may come from a workbook a user filled in:
:func:`clean_text` removes what XML 1.0 forbids and normalises to NFC before anything reaches the document."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Sequence

from docx.shared import Mm, Pt



FONT = "Times New Roman"
LANG = "vi-VN"

# Page (Nghị định 30/2020, Phụ lục I, mục I.3)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_MM = 210 - 30 - 15  # 165 mm

# Sizes
SIZE_BODY = Pt(14)
SIZE_HEAD = Pt(13)  # parent body, issuing body, number line, Quốc hiệu
SIZE_MOTTO = Pt(14)  # Tiêu ngữ, date line
SIZE_TABLE = Pt(12)
SIZE_RECIPIENTS_LABEL = Pt(12)
SIZE_RECIPIENTS = Pt(11)

FIRST_LINE_INDENT = Mm(12.7)
PARAGRAPH_SPACE = Pt(6)

# Column widths (mm), each table adds up to the text width.
HEAD_COLUMNS = (64, TEXT_WIDTH_MM - 64)
FOOT_COLUMNS = (80, TEXT_WIDTH_MM - 80)
NOMINATION_COLUMNS = (12, 39, 30, 30, 27, 27)
NOMINATION_HEADERS = ("STT", "Tên sáng kiến", "Tác giả", "Đơn vị", "Lĩnh vực", "Giá trị làm lợi (đồng)")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOC_KIND = "TỜ TRÌNH"

TLD_PARENT = "TỔNG LĐLĐ VIỆT NAM"
TLD_FULL = "Tổng Liên đoàn Lao động Việt Nam"
TLD_PRESIDIUM = "Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam"


# ---------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Nomination:
    """One nominated initiative, as it appears in the letter."""

    title: str
    authors: str
    unit: str
    field: str
    summary: str
    benefit: int | None  # giá trị làm lợi, đồng; None = not stated / not measurable in money


@dataclass(frozen=True)
class ToTrinh:
    """Everything printed in the letter; plain values only (the writer does all formatting)."""

    parent_body: str  # cơ quan chủ quản, e.g. "LĐLĐ TỈNH ĐẮK NÔNG"
    issuing_body: str  # e.g. "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT"
    number_symbol: str  # e.g. "Số:      /TTr-LĐLĐ" (number left blank, filled in by hand)
    place: str
    signed_on: date
    title: str  # trích yếu: "Về việc ..."
    recipient: str  # "Kính gửi: ..."
    basis: list[str]  # "Căn cứ ..." paragraphs
    body_intro: str
    nominations: list[Nomination]
    body_closing: str
    signer_title_lines: list[str]  # ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]
    signer_name: str  # "" leaves the space for a hand-written name
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận:" lines


# ---------------------------------------------------------------------------------------------------------
# Text helpers (reused elsewhere)
# ---------------------------------------------------------------------------------------------------------
# Characters that XML 1.0 forbids (C0 controls except TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF) plus the
# ones it merely discourages but that never belong in a letter (DEL and C1 controls).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")


def clean_text(value: object, *, multiline: bool = False, strip: bool = True) -> str:
    """``value`` as safe plain text: NFC, no character XML 1.0 forbids, no control character.

    Single-line text (the default) has line breaks and tabs turned into spaces; ``multiline`` keeps line
    breaks as ``\\n`` and drops empty lines.  Inner spacing is kept as typed (the number line relies on it);
    ends are stripped unless ``strip`` is false.
    """
    if value is None:
        return ""
    text = _LINE_BREAKS.sub("\n", str(value))
    text = _UNSAFE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = (line.replace("\t", " ").strip() for line in text.split("\n"))
        return "\n".join(line for line in lines if line)
    text = text.replace("\n", " ").replace("\t", " ")
    return text.strip() if strip else text


def format_vnd(n: int | float | Decimal | None) -> str:
    """An amount in đồng with dot thousands separators, as Vietnamese documents write it: ``1.500.000``.

    ``None`` gives ``""``; fractions of a đồng are rounded half-up.
    """
    if n is None:
        return ""
    if isinstance(n, bool):
        raise TypeError("format_vnd needs a number, not a bool")
    value = int(Decimal(str(n)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def vn_date_line(place: str, d: date) -> str:
    """The place/date line: ``"Cư Jút, ngày 05 tháng 4 năm 2021"``.

    Nghị định 30/2020 (Phụ lục I, mục II.5.b): a day below 10 and the months 1 and 2 take a leading zero.
    """
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    place = clean_text(place)
    when = f"ngày {day} tháng {month} năm {d.year}"
    return f"{place}, {when}" if place else when


def _quote(name: str) -> str:
    """A programme name in Vietnamese double quotes, whatever quotes it came with."""
    name = clean_text(name).strip("\"“”'‘’ ")
    return f"“{name}”"


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", clean_text(text).upper())


# ---------------------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------------------
_UNION_PREFIXES = ("liên đoàn lao động", "công đoàn", "lđlđ", "cđ")


def _province_label(province_name: str) -> str:
    """"Đắk Nông" -> "tỉnh Đắk Nông"; "thành phố Hà Nội" / "Tỉnh Đắk Nông" keep their own prefix."""
    name = clean_text(province_name)
    low = name.lower()
    for prefix in ("tỉnh ", "thành phố "):
        if low.startswith(prefix):
            return prefix + name[len(prefix):]
    return f"tỉnh {name}"


def _union_name(name: str) -> str:
    """The full name of a district-level union; a bare place gets "Liên đoàn Lao động" in front."""
    name = clean_text(name)
    if name.lower().startswith(_UNION_PREFIXES):
        if name.lower().startswith("lđlđ "):
            return "Liên đoàn Lao động " + name[5:]
        return name
    return f"Liên đoàn Lao động {name}"


def _union_symbol(union_name: str) -> str:
    """The issuing body's part of the document symbol (LĐLĐ, CĐN, CĐVC, CĐ)."""
    low = union_name.lower()
    if low.startswith("liên đoàn lao động"):
        return "LĐLĐ"
    if low.startswith("công đoàn ngành"):
        return "CĐN"
    if low.startswith("công đoàn viên chức"):
        return "CĐVC"
    return "CĐ"


def _number_line(symbol: str) -> str:
    # Six spaces: room to write the number by hand, as the printed forms leave it.
    return f"Số:      /TTr-{symbol}"


def _count(n: int) -> str:
    return f"{n:02d}"


DEFAULT_SIGNER_LINES = ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH")


def district_to_trinh(
    campaign_name: str,
    province_name: str,
    district_name: str,
    place: str,
    signed_on: date,
    nominations: Sequence[Nomination],
    *,
    signer_name: str = "",
    signer_title_lines: Sequence[str] = DEFAULT_SIGNER_LINES,
    symbol: str | None = None,
    basis: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None,
) -> ToTrinh:
    """The letter of a district-level union's standing committee to the province's.

    ``district_name`` is the union's full name as in the registry ("Liên đoàn Lao động huyện Cư Jút",
    "Công đoàn ngành Giáo dục tỉnh Đắk Nông"); ``province_name`` the province ("Đắk Nông").
    """
    union = _union_name(district_name)
    province = _province_label(province_name)
    province_union = f"Liên đoàn Lao động {province}"
    programme = f"Chương trình {_quote(campaign_name)}"
    n = len(nominations)
    return ToTrinh(
        parent_body=_upper(f"LĐLĐ {province}"),
        issuing_body=_upper(union),
        number_symbol=_number_line(symbol or _union_symbol(union)),
        place=clean_text(place),
        signed_on=signed_on,
        title=f"Về việc đề nghị xét chọn, biểu dương sáng kiến tiêu biểu trong {programme}",
        recipient=f"Kính gửi: Ban Thường vụ {province_union}",
        basis=list(basis) if basis is not None else [
            "Căn cứ Điều lệ Công đoàn Việt Nam;",
            f"Căn cứ Kế hoạch của Ban Thường vụ {province_union} về triển khai {programme};",
            "Căn cứ kết quả tổng hợp, xét chọn sáng kiến của các công đoàn cơ sở trực thuộc,",
        ],
        body_intro=(
            f"Thực hiện Kế hoạch của Ban Thường vụ {province_union} về triển khai {programme}, "
            f"Ban Thường vụ {union} đã triển khai, hướng dẫn các công đoàn cơ sở trực thuộc tổ chức thực "
            f"hiện. Qua tổng hợp, xét chọn, Ban Thường vụ {union} đề nghị Ban Thường vụ {province_union} "
            f"xét chọn, biểu dương {_count(n)} sáng kiến tiêu biểu sau:"
        ),
        nominations=list(nominations),
        body_closing=(
            f"Hồ sơ kèm theo gồm: Bảng tổng hợp tóm tắt sáng kiến. Ban Thường vụ {union} kính trình "
            f"Ban Thường vụ {province_union} xem xét, quyết định./."
        ),
        signer_title_lines=list(signer_title_lines),
        signer_name=clean_text(signer_name),
        recipients=list(recipients) if recipients is not None else ["- Như trên;", "- Lưu: VT."],
    )


def province_to_trinh(
    campaign_name: str,
    province_name: str,
    place: str,
    signed_on: date,
    nominations: Sequence[Nomination],
    *,
    signer_name: str = "",
    signer_title_lines: Sequence[str] = DEFAULT_SIGNER_LINES,
    basis: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None,
) -> ToTrinh:
    """The letter of the province's standing committee to the Presidium of Tổng Liên đoàn."""
    province = _province_label(province_name)
    province_union = f"Liên đoàn Lao động {province}"
    programme = f"Chương trình {_quote(campaign_name)}"
    n = len(nominations)
    return ToTrinh(
        parent_body=TLD_PARENT,
        issuing_body=_upper(province_union),
        number_symbol=_number_line("LĐLĐ"),
        place=clean_text(place),
        signed_on=signed_on,
        title=f"Về việc đề nghị biểu dương sáng kiến tiêu biểu trong {programme}",
        recipient=f"Kính gửi: {TLD_PRESIDIUM}",
        basis=list(basis) if basis is not None else [
            "Căn cứ Điều lệ Công đoàn Việt Nam;",
            f"Căn cứ hướng dẫn của {TLD_FULL} về việc tổ chức {programme};",
            f"Căn cứ Kế hoạch của Ban Thường vụ {province_union} về triển khai {programme};",
            "Căn cứ hồ sơ đề nghị của các liên đoàn lao động huyện, thành phố, công đoàn ngành và tương đương,",
        ],
        body_intro=(
            f"Thực hiện hướng dẫn của {TLD_FULL} về tổ chức {programme}, Ban Thường vụ {province_union} "
            f"đã ban hành kế hoạch và triển khai đến các cấp công đoàn trong {province}. Trên cơ sở hồ sơ đề "
            f"nghị của các liên đoàn lao động huyện, thành phố, công đoàn ngành và tương đương, Ban Thường vụ "
            f"{province_union} đã xét chọn và đề nghị {TLD_PRESIDIUM} biểu dương {_count(n)} sáng kiến tiêu "
            f"biểu sau:"
        ),
        nominations=list(nominations),
        body_closing=(
            f"Hồ sơ kèm theo gồm: Bảng tổng hợp tóm tắt sáng kiến. Ban Thường vụ {province_union} kính trình "
            f"{TLD_PRESIDIUM} xem xét, biểu dương./."
        ),
        signer_title_lines=list(signer_title_lines),
        signer_name=clean_text(signer_name),
        recipients=list(recipients) if recipients is not None else ["- Như trên;", "- Lưu: VT."],
    )


