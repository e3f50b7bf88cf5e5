"""The per-cell flags: for every input cell, a formula on the hidden flag sheet giving 0 (đạt), 1 (lưu ý: read
with another spelling) or 2 (lỗi), written from ``validators.rules.table`` row by row, the same forms the
validator accepts. The «Kiểm tra» counts, the rows it lists and the highlighting of input cells all read
these flags, so the sheet has one condition per rule, not three.

Only Excel 2010 functions; no IF over arrays (SUMPRODUCT evaluates the array forms everywhere); every
branch that could raise (VALUE, DATE, FIND) sits behind an IF or IFERROR.
"""

from __future__ import annotations

from addin.cdcs.template.layout import (
    DATA_FIRST_ROW,
    FLAG_AUX_OFFSET,
    FLAG_CONTENT_COL,
    FLAG_NOMINATED_COL,
    FLAG_TEXT_OFFSET,
    FLAG_UNIT_AUX_COL,
    FLAG_UNIT_COL,
    FLAG_UNIT_TEXT_COL,
    SPELLING_NAMES,
    column_of,
    quote_sheet,
)
from addin.io.cells import cell_ref, column_letter
from validators import layout as L
from validators.layout import Kind
from validators.rules.table import (
    CURRENCY_SUFFIXES,
    EMAIL_CHARS,
    EMAIL_MAX_CHARS,
    INVISIBLE,
    SPACE_LIKE,
    FieldRule,
    RuleTable,
)

# One «Danh mục» cell per character the rules treat as a space (first) or remove: DM_KT_1, DM_KT_2 …
INVISIBLE_NAMES = tuple(f"DM_KT_{i}" for i in range(1, len(SPACE_LIKE) + len(INVISIBLE) + 1))
MARKS_NAME = "DM_DAU"
_DIGITS = '{"0","1","2","3","4","5","6","7","8","9"}'
_POSITIONS = "{" + ",".join(str(i) for i in range(1, EMAIL_MAX_CHARS + 1)) + "}"
LIMIT_NAMES = {"title": "DM_GIOI_HAN_TEN", "description": "DM_GIOI_HAN_TOM_TAT"}
RANGE_NAMES = {"members": ("1", "DM_DOAN_VIEN_TOI_DA"), "stt": ("0", "DM_STT_TOI_DA"),
               "birth_year": ("DM_NAM_SINH_TU", "DM_NAM_SINH_DEN")}
WINDOW_NAMES = {"applied_on": ("DM_AP_DUNG_TU", "DM_AP_DUNG_DEN"), "plan_signed_on": ("DM_BAT_DAU", "DM_AP_DUNG_DEN"),
                "sent_on": ("DM_BAT_DAU", "TODAY()")}


def sheet_text(x: str) -> str:
    """The cell's text as the rules see it (``validators.rules.table.sheet_text``)."""
    t = f'{x}&""'
    for i, name in enumerate(INVISIBLE_NAMES):
        t = f'SUBSTITUTE({t},{name},{chr(34) + " " + chr(34) if i < len(SPACE_LIKE) else chr(34) * 2})'
    return f"TRIM({t})"


def nfc_length(t: str) -> str:
    return f'(LEN({t})-SUMPRODUCT(LEN({t})-LEN(SUBSTITUTE({t},{MARKS_NAME},""))))'


def _all_digits(d: str) -> str:
    return f'(SUMPRODUCT(LEN({d})-LEN(SUBSTITUTE({d},{_DIGITS},"")))=LEN({d}))'


def _grouped(d: str, s: str) -> str:
    m = f"LEN({d})"
    s = f'"{s}"'
    return (f"IF({m}<=3,{d},IF({m}<=6,LEFT({d},{m}-3)&{s}&RIGHT({d},3),IF({m}<=9,LEFT({d},{m}-6)&{s}&MID({d},{m}-5,3)"
            f"&{s}&RIGHT({d},3),IF({m}<=12,LEFT({d},{m}-9)&{s}&MID({d},{m}-8,3)&{s}&MID({d},{m}-5,3)&{s}&RIGHT({d},3),"
            f"LEFT({d},{m}-12)&{s}&MID({d},{m}-11,3)&{s}&MID({d},{m}-8,3)&{s}&MID({d},{m}-5,3)&{s}&RIGHT({d},3)))))")


def _digits_of(t: str) -> str:
    return f'SUBSTITUTE(SUBSTITUTE({t},".","")," ","")'


def _digit_text(t: str, d: str, lo: str, hi: str | None) -> str:
    """1 when ``t`` is digits ``d`` (thousands by dots or spaces) within lo..hi, else 2."""
    ok = f"AND(LEN({d})>0,LEN({d})<=15,{_all_digits(d)},OR({t}={d},{t}={_grouped(d, '.')},{t}={_grouped(d, ' ')}))"
    inside = f"IF(VALUE({d})>={lo},{'1' if hi is None else f'IF(VALUE({d})<={hi},1,2)'},2)"
    return f"IF({ok},{inside},2)"


def _money_cut(t: str) -> str:
    """The amount without its currency word (the aux cell of a money column)."""
    low = f"LOWER({t})"
    cut = t
    for suffix in reversed(CURRENCY_SUFFIXES):
        n = len(suffix)
        cut = f'IF(RIGHT({low},{n})="{suffix}",LEFT({t},LEN({t})-{n}),{cut})'
    return f"TRIM({cut})"


def _date_text(s: str, lo: str, hi: str) -> str:
    """``s``: the text with "-" and "." made "/" (the aux cell of a date column)."""
    p1 = f'FIND("/",{s})'
    p2 = f'FIND("/",{s},{p1}+1)'
    a, b, c = f"LEFT({s},{p1}-1)", f"MID({s},{p1}+1,{p2}-{p1}-1)", f"MID({s},{p2}+1,99)"
    dmy = f"AND(LEN({a})<=2,LEN({b})<=2,LEN({c})=4)"
    ymd = f"AND(LEN({a})=4,LEN({b})<=2,LEN({c})<=2)"
    y, d = f"IF({dmy},{c},{a})", f"IF({dmy},{a},{c})"
    serial = f"DATE(VALUE({y}),VALUE({b}),VALUE({d}))"
    shape = (f'AND(ISERROR(FIND("/",{s},{p2}+1)),LEN({a})>0,LEN({b})>0,LEN({c})>0,{_all_digits(a + "&" + b + "&" + c)},'
             f"OR({dmy},{ymd}))")
    valid = f"IF(AND(VALUE({b})>=1,VALUE({b})<=12,DAY({serial})=VALUE({d}),MONTH({serial})=VALUE({b})),{_window(serial, lo, hi, 1)},2)"
    return f"IFERROR(IF({shape},{valid},2),2)"


def _window(v: str, lo: str, hi: str, ok: int) -> str:
    return f"IF({v}>={lo},IF({v}<{hi}+1,{ok},2),2)"


def _phone_digits(s: str) -> str:
    d = s
    for sep in (" ", ".", "-", "(", ")"):
        d = f'SUBSTITUTE({d},"{sep}","")'
    return (f'IF(LEFT({d},3)="+84","0"&MID({d},4,99),IF(AND(LEFT({d},2)="84",OR(LEN({d})=11,LEN({d})=12)),'
            f'"0"&MID({d},3,99),{d}))')


def _phone_ok(d: str) -> str:
    return f'AND(LEFT({d},1)="0",OR(LEN({d})=10,LEN({d})=11),{_all_digits(d)})'


def _email(x: str, e: str) -> str:
    """``e``: the text without spaces (the aux cell)."""
    at = f'FIND("@",{e})'
    dom = f"MID({e},{at}+1,{EMAIL_MAX_CHARS})"
    ok = (f'AND(LEN({e})<={EMAIL_MAX_CHARS},SUMPRODUCT(ISERROR(FIND(MID({e},{_POSITIONS},1),"{EMAIL_CHARS}"))*({_POSITIONS}<=LEN({e})))=0,'
          f'LEN({e})-LEN(SUBSTITUTE({e},"@",""))=1,{at}>1,ISNUMBER(FIND(".",{dom})),ISERROR(FIND("..",{dom})),'
          f'LEFT({dom},1)<>".",RIGHT({dom},1)<>".",ISERROR(FIND("_",{dom})),ISERROR(FIND("%",{dom})),'
          f'ISERROR(FIND("+",{dom})))')
    return f'IFERROR(IF({ok},IF(EXACT({e},{x}&""),0,1),2),2)'


def _choice(rule: FieldRule, x: str, t: str) -> str:
    exact, spell = SPELLING_NAMES[_list_of(rule)]
    number = f'IF({x}=INT({x}),IF(SUMPRODUCT(--({x}&""={spell}))>0,1,2),2)'
    text = f'IF(SUMPRODUCT(--EXACT({t},{exact}))>0,IF(EXACT({t},{x}&""),0,1),IF(SUMPRODUCT(--({t}={spell}))>0,1,2))'
    return f"IF(ISNUMBER({x}),{number},{text})"


def _list_of(rule: FieldRule) -> str:
    return "yes_no" if rule.kind is Kind.YES_NO else rule.field.choices


def yes_test(x: str, t: str) -> str:
    """1 when the cell reads as «Có», else 0."""
    return f'IF(ISNUMBER({x}),--({x}=1),--(SUMPRODUCT(--({t}={SPELLING_NAMES["yes"][1]}))>0))'


def aux_formula(rule: FieldRule, x: str, t: str) -> str | None:
    """The intermediate a rule's flag reads twice or more (kept in its own cell: formulas stay short)."""
    kind = rule.kind
    if kind in (Kind.INT, Kind.YEAR):
        return _digits_of(t)
    if kind is Kind.MONEY:
        return _money_cut(t)
    if kind is Kind.DATE:
        return f'SUBSTITUTE(SUBSTITUTE({t},"-","/"),".","/")'
    if kind is Kind.PHONE:
        n = f'IF(OR(LEN({x}&"")=9,LEN({x}&"")=10),"0"&{x},{x}&"")'
        return f"IF(ISNUMBER({x}),IF({x}=INT({x}),{_phone_digits(n)},\"x\"),{_phone_digits(t)})"
    if kind is Kind.EMAIL:
        return f'SUBSTITUTE({t}," ","")'
    return None


def value_flag(rule: FieldRule, x: str, t: str, a: str) -> str:
    """Flag of a non-blank cell ``x`` whose cleaned text is ``t`` and intermediate ``a`` (flag-sheet cells)."""
    kind, key = rule.kind, rule.key
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        warn = f'IF(EXACT({t},{x}&""),0,1)'
        return f"IF({nfc_length(t)}>{LIMIT_NAMES[key]},2,{warn})" if rule.max_chars else warn
    if kind in (Kind.CHOICE, Kind.YES_NO):
        return _choice(rule, x, t)
    if kind in (Kind.INT, Kind.YEAR):
        lo, hi = RANGE_NAMES[key]
        number = f"IF({x}=INT({x}),IF(AND({x}>={lo},{x}<={hi}),0,2),2)"
        text = _digit_text(t, a, lo, hi)
        if kind is Kind.YEAR:
            text = f"IF(LEN({t})=4,{text},2)"
        return f"IF(ISNUMBER({x}),{number},{text})"
    if kind is Kind.MONEY:
        return f"IF(ISNUMBER({x}),IF({x}>=0,0,2),{_digit_text(a, _digits_of(a), '0', None)})"
    if kind is Kind.DATE:
        lo, hi = WINDOW_NAMES[key]
        return f"IF(ISNUMBER({x}),{_window(x, lo, hi, 0)},{_date_text(a, lo, hi)})"
    if kind is Kind.PHONE:
        return f'IF({_phone_ok(a)},IF(ISNUMBER({x}),1,IF(EXACT({a},{x}&""),0,1)),2)'
    if kind is Kind.EMAIL:
        return _email(x, a)
    raise AssertionError(kind)


def _blank(x: str, t: str) -> str:
    return f'AND(NOT(ISNUMBER({x})),{t}="")'


# --- the cells of the flag sheet ------------------------------------------------------------------------
def initiative_cells(table: RuleTable, row: int) -> dict[str, str]:
    """A1 reference on the flag sheet -> formula (no "="), for one row of the initiatives table."""
    sk = quote_sheet(L.SHEET_INITIATIVES)
    out: dict[str, str] = {}
    content = cell_ref(row, FLAG_CONTENT_COL)
    texts = {}
    for rule in table.initiatives:
        c = column_of(rule.key)
        x = f"{sk}!{cell_ref(row, c)}"
        t = cell_ref(row, c + FLAG_TEXT_OFFSET)
        a = cell_ref(row, c + FLAG_AUX_OFFSET)
        texts[rule.key] = (x, t, a)
        out[t] = sheet_text(x)
        aux = aux_formula(rule, x, t)
        if aux is not None:
            out[a] = aux
    first_t = column_letter(column_of(L.INITIATIVE_FIELDS[1].key) + FLAG_TEXT_OFFSET)
    last_t = column_letter(len(L.INITIATIVE_FIELDS) + FLAG_TEXT_OFFSET)
    # A row counts once any column but STT holds something (a number cell's text is never empty).
    out[content] = f"IF(SUMPRODUCT(--(LEN({first_t}{row}:{last_t}{row})>0))>0,1,0)"
    nominated = cell_ref(row, FLAG_NOMINATED_COL)
    out[nominated] = f"IF({content}=1,{yes_test(*texts['nominated'][:2])},0)"
    for rule in table.initiatives:
        x, t, a = texts[rule.key]
        base = f"IF({_blank(x, t)},{2 if rule.field.required else 0},{value_flag(rule, x, t, a)})"
        if rule.key == "title":
            base = f"MAX({base},{_repeated(texts, row)})"
        if rule.key == "nominated":
            col = column_letter(FLAG_NOMINATED_COL)
            over = f"IF(AND({nominated}=1,SUM({col}${DATA_FIRST_ROW}:{col}{row})>DM_DE_XUAT_TOI_DA),2,0)"
            dispute = f"IF(AND({nominated}=1,{yes_test(*texts['disputed'][:2])}=1),2,0)"
            base = f"MAX({base},{over},{dispute})"
        out[cell_ref(row, column_of(rule.key))] = f"IF({content}=0,0,{base})"
    return out


def _repeated(texts: dict[str, tuple[str, str, str]], row: int) -> str:
    """1 («Lưu ý») when a row above holds the same title and author (``validators.rules.duplicates``), compared
    as Excel compares text: without case, after cleaning. The validator also ignores accents, which no 2010
    formula can strip at this cost, so the sheet notes the copies typed alike, the validator every copy.
    Rows from the first to this one, the row itself included (one match): the same formula on every row, moved
    down, as the flag sheet stores it (``shared.share_formulas``)."""
    t_title, t_author = texts["title"][1], texts["author"][1]
    upto = []
    for t in (t_title, t_author):
        c = "".join(ch for ch in t if ch.isalpha())
        upto.append(f"{c}${DATA_FIRST_ROW}:{c}{row}")
    same = f"SUMPRODUCT(({upto[0]}={t_title})*({upto[1]}={t_author}))"
    return f'IF(OR({t_title}="",{t_author}=""),0,IF({same}>1,1,0))'


def unit_cells(table: RuleTable) -> dict[str, str]:
    """A1 reference on the flag sheet -> formula, for the cells of «Đơn vị» (same rows, own columns)."""
    dv = quote_sheet(L.SHEET_UNIT)
    out: dict[str, str] = {}
    refs = {}
    for i, rule in enumerate(table.unit):
        row = L.UNIT_FIRST_ROW + i
        x = f"{dv}!{cell_ref(row, L.UNIT_VALUE_COL)}"
        t = cell_ref(row, FLAG_UNIT_TEXT_COL)
        a = cell_ref(row, FLAG_UNIT_AUX_COL)
        refs[rule.field.name] = (x, t, a)
        out[t] = sheet_text(x)
        aux = aux_formula(rule, x, t)
        if aux is not None:
            out[a] = aux
    for i, rule in enumerate(table.unit):
        x, t, a = refs[rule.field.name]
        row = L.UNIT_FIRST_ROW + i
        empty = "2" if rule.field.required else ("1" if rule.field.name == "NGAY_GUI" else "0")
        if rule.field.name == "NGAY_KY_KE_HOACH":  # required once the plan is signed
            empty = f"IF({yes_test(*refs['DA_KY_KE_HOACH'][:2])}=1,2,0)"
        out[cell_ref(row, FLAG_UNIT_COL)] = f"IF({_blank(x, t)},{empty},{value_flag(rule, x, t, a)})"
    return out
