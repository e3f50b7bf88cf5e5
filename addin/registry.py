"""The province's unit registry: district-level unions and their CĐCS, read from a registry workbook.

Layout of a registry workbook (documented in README, written by ``write_registry``):

* sheet ``Thông tin``: two columns, label / value: ``Tỉnh``, ``Mã tỉnh``, ``Dữ liệu mẫu`` (Có/Không), ``Ghi chú``,
  and the province's plan (``validators.plan``), each optional: ``Tên đơn vị ban hành kế hoạch``, ``Địa danh ghi
  ngày``, ``Email nhận hồ sơ``, ``Hạn nộp báo cáo của CĐCS``, ``Hạn gửi hồ sơ về tỉnh`` (dd/mm/yyyy),
  ``Số sáng kiến mỗi đơn vị cấp trên đề nghị tối đa``, ``Số sáng kiến mỗi CĐCS được đề xuất``, and
  ``Chỉ tiêu: <mã chỉ tiêu>`` (e.g. ``Chỉ tiêu: initiatives``).
* sheet ``Cấp trên``: header row 1 = ``Mã``, ``Tên``, ``Loại``, ``Người liên hệ``, ``Điện thoại``, ``Email``,
  ``Địa chỉ``; one row per district-level union (LĐLĐ huyện/thành phố, công đoàn ngành and equivalent).
* sheet ``CĐCS``: header row 1 = ``Mã``, ``Tên``, ``Mã cấp trên``, ``Khối``, ``Số đoàn viên``, ``Người liên hệ``,
  ``Điện thoại``, ``Email``; one row per grassroots union.

Columns are found by their header label, so their order does not matter.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from functools import cached_property
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from addin.io.gate.workbook import WorkbookRefused, open_workbook
from validators.errors import ErrorCode, SangkienError
from validators.issues import Issue, IssueCode, make_issue
from validators.plan import ProvincePlan

INFO_SHEET = "Thông tin"
DISTRICT_SHEET = "Cấp trên"
CDCS_SHEET = "CĐCS"

DISTRICT_COLUMNS = {
    "code": "Mã",
    "name": "Tên",
    "kind": "Loại",
    "contact": "Người liên hệ",
    "phone": "Điện thoại",
    "email": "Email",
    "address": "Địa chỉ",
}
CDCS_COLUMNS = {
    "code": "Mã",
    "name": "Tên",
    "parent": "Mã cấp trên",
    "bloc": "Khối",
    "members": "Số đoàn viên",
    "contact": "Người liên hệ",
    "phone": "Điện thoại",
    "email": "Email",
}
_REQUIRED = {"code", "name"}

SAMPLE_REGISTRY_RESOURCE = "sample-registry-dak-nong.xlsx"
# Generated files carry a fixed creation time so that the same input gives the same bytes.
_FIXED_TIME = _dt.datetime(2021, 2, 1)


class District(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    name: str
    kind: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class Cdcs(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    name: str
    parent: str
    bloc: str = ""
    members: int | None = None
    contact: str = ""
    phone: str = ""
    email: str = ""


class Registry(BaseModel):
    model_config = ConfigDict(frozen=True)
    province: str
    province_code: str = ""
    is_sample: bool = False
    note: str = ""
    plan: ProvincePlan = ProvincePlan()  # what «Thông tin» adds to the province's plan (see province_plan)
    districts: tuple[District, ...]
    cdcs: tuple[Cdcs, ...]

    @property
    def province_plan(self) -> ProvincePlan:
        """The province's plan (``validators.plan.apply_plan``): its name from the registry, the rest from
        «Thông tin»."""
        return self.plan.model_copy(update={"province": self.province})

    @cached_property
    def district_by_code(self) -> dict[str, District]:
        return {d.code: d for d in self.districts}

    @cached_property
    def cdcs_by_code(self) -> dict[str, Cdcs]:
        return {c.code: c for c in self.cdcs}

    def cdcs_of(self, district_code: str) -> list[Cdcs]:
        return [c for c in self.cdcs if c.parent == district_code]

    def district(self, code: str) -> District:
        try:
            return self.district_by_code[code]
        except KeyError:
            raise RegistryError(ErrorCode.DISTRICT_UNKNOWN, code=code, items=', '.join(self.district_by_code)) from None


class RegistryError(SangkienError):
    """The registry cannot be used: message in Vietnamese, with the issues found."""

    def __init__(self, code, /, issues: list[Issue] | None = None, **params):
        super().__init__(code, **params)
        self.issues = issues or []


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def _rows(sheet_rows: list[list], sheet: str, columns: dict[str, str], issues: list[Issue]):
    """Yield (excel_row, {field: value}) from a sheet whose header row is row 1."""
    from addin.io.cells import cell_ref

    if not sheet_rows:
        issues.append(make_issue(IssueCode.SHEET_MISSING, sheet=sheet))
        return
    header = [_text(h) for h in sheet_rows[0]]
    index: dict[str, int] = {}
    for field, label in columns.items():
        if label in header:
            index[field] = header.index(label)
        elif field in _REQUIRED:
            issues.append(make_issue(IssueCode.HEADER_MISSING, sheet=sheet, label=label, field=field,
                                     detail="dòng 1 (dòng tiêu đề) không có tiêu đề này"))
    if not _REQUIRED <= index.keys():
        return
    for r, row in enumerate(sheet_rows[1:], start=2):
        rec = {f: (row[i] if i < len(row) else None) for f, i in index.items()}
        if all(_text(v) == "" for v in rec.values()):
            continue
        yield r, rec, {f: cell_ref(r, i + 1) for f, i in index.items()}


PLAN_TEXT = {"issuer": "Tên đơn vị ban hành kế hoạch", "place": "Địa danh ghi ngày", "dossier_email": "Email nhận hồ sơ"}
PLAN_DATES = {"cdcs_submission_default": "Hạn nộp báo cáo của CĐCS", "district_dossier_before": "Hạn gửi hồ sơ về tỉnh"}
PLAN_INTS = {"district_nomination_max": "Số sáng kiến mỗi đơn vị cấp trên đề nghị tối đa",
             "default_cdcs_nomination_quota": "Số sáng kiến mỗi CĐCS được đề xuất"}
TARGET_PREFIX = "Chỉ tiêu:"


def plan_from_info(info: dict, issues: list[Issue]) -> ProvincePlan:
    """The province's plan from the «Thông tin» labels (every one optional)."""
    values: dict = {}
    values |= {k: _text(info.get(label)) for k, label in PLAN_TEXT.items() if _text(info.get(label))}
    for k, label in PLAN_DATES.items():
        v = info.get(label)
        if isinstance(v, _dt.datetime):
            values[k] = v.date()
        elif isinstance(v, _dt.date):
            values[k] = v
        elif _text(v):
            try:
                values[k] = _dt.datetime.strptime(_text(v), "%d/%m/%Y").date()
            except ValueError:
                issues.append(make_issue(IssueCode.DATE_INVALID, sheet=INFO_SHEET, field=k, value=_text(v), label=label))
    numbers = {**{k: label for k, label in PLAN_INTS.items()},
               **{f"target:{lbl[len(TARGET_PREFIX):].strip()}": lbl for lbl in info if lbl.startswith(TARGET_PREFIX)}}
    targets = {}
    for k, label in numbers.items():
        v = _text(info.get(label))
        if not v:
            continue
        try:
            n = float(v.replace(",", "."))
        except ValueError:
            issues.append(make_issue(IssueCode.NUMBER_INVALID, sheet=INFO_SHEET, field=k, value=v, label=label))
            continue
        if k.startswith("target:"):
            targets[k[len("target:"):]] = n
        else:
            values[k] = int(n)
    return ProvincePlan(**values, targets=targets)


def parse_registry(sheets: dict[str, list[list]], source: str = "") -> Registry:
    """Build and check a registry from sheet rows; raise RegistryError listing every problem."""
    issues: list[Issue] = []
    info = {_text(r[0]): r[1] if len(r) > 1 else None for r in sheets.get(INFO_SHEET, []) if r and r[0]}
    districts: list[District] = []
    seen: dict[str, str] = {}

    def check_code(code: str, sheet: str, cell: str, label: str) -> bool:
        if not code:
            issues.append(make_issue(IssueCode.REQUIRED_MISSING, sheet=sheet, cell=cell, field="code", label=label))
            return False
        if code in seen:
            issues.append(
                make_issue(
                    IssueCode.REGISTRY_DUPLICATE_CODE, sheet=sheet, cell=cell, field="code", value=code, other=seen[code]
                )
            )
            return False
        seen[code] = f"{sheet}!{cell}"
        return True

    for _, rec, refs in _rows(sheets.get(DISTRICT_SHEET, []), DISTRICT_SHEET, DISTRICT_COLUMNS, issues):
        vals = {f: _text(v) for f, v in rec.items()}
        if not check_code(vals["code"], DISTRICT_SHEET, refs["code"], "Mã"):
            continue
        if not vals["name"]:
            issues.append(make_issue(IssueCode.REQUIRED_MISSING, sheet=DISTRICT_SHEET, cell=refs["name"], field="name", label="Tên"))
            continue
        districts.append(District(**vals))
    district_codes = {d.code for d in districts}
    cdcs: list[Cdcs] = []
    for _, rec, refs in _rows(sheets.get(CDCS_SHEET, []), CDCS_SHEET, CDCS_COLUMNS, issues):
        vals = {f: _text(v) for f, v in rec.items() if f != "members"}
        if not check_code(vals["code"], CDCS_SHEET, refs["code"], "Mã"):
            continue
        if not vals["name"]:
            issues.append(make_issue(IssueCode.REQUIRED_MISSING, sheet=CDCS_SHEET, cell=refs["name"], field="name", label="Tên"))
            continue
        if vals.get("parent", "") not in district_codes:
            issues.append(
                make_issue(
                    IssueCode.REGISTRY_UNKNOWN_PARENT, sheet=CDCS_SHEET, cell=refs.get("parent"), field="parent",
                    value=vals.get("parent", ""),
                )
            )
            continue
        members = rec.get("members")
        try:
            vals["members"] = None if _text(members) == "" else int(float(_text(members).replace(".", "")))
        except ValueError:
            issues.append(
                make_issue(IssueCode.NUMBER_INVALID, sheet=CDCS_SHEET, cell=refs["members"], field="members", value=members,
                           label="Số đoàn viên")
            )
            vals["members"] = None
        cdcs.append(Cdcs(**vals))
    plan = plan_from_info(info, issues)
    if not districts and not any(i.code == IssueCode.SHEET_MISSING for i in issues):
        issues.append(make_issue(IssueCode.REGISTRY_EMPTY, sheet=DISTRICT_SHEET))
    errors = [i.with_path(source) for i in issues]
    if errors:
        lines = "\n".join(f"  - {i.sheet}!{i.cell or ''}: {i.message}" for i in errors[:20])
        more = f"\n  … và {len(errors) - 20} lỗi khác" if len(errors) > 20 else ""
        raise RegistryError(ErrorCode.REGISTRY_HAS_ERRORS, errors, source=source, count=len(errors), lines=lines, more=more)
    return Registry(
        province=_text(info.get("Tỉnh")) or "",
        province_code=_text(info.get("Mã tỉnh")),
        is_sample=_text(info.get("Dữ liệu mẫu")).lower() in {"có", "co", "x", "yes"},
        note=_text(info.get("Ghi chú")),
        plan=plan,
        districts=tuple(districts),
        cdcs=tuple(cdcs),
    )


def load_registry(path: str | Path | None = None) -> Registry:
    """Read a registry workbook; ``None`` means the built-in sample registry of Đắk Nông."""
    if path is None:
        res = resources.files("addin") / "data" / SAMPLE_REGISTRY_RESOURCE
        with resources.as_file(res) as p:
            return _load(Path(p), "danh sách đơn vị mẫu")
    return _load(Path(path), str(path))


def _load(path: Path, source: str) -> Registry:
    if not path.is_file():
        raise RegistryError(ErrorCode.REGISTRY_NOT_FOUND, source=source)
    try:
        sheets = open_workbook(path).grids()
    except WorkbookRefused as refused:
        raise RegistryError(ErrorCode.REGISTRY_UNREADABLE, source=source, message=refused.issue.message) from refused
    return parse_registry(sheets, source)


def write_registry(registry: Registry, path: str | Path) -> None:
    """Write a registry workbook in the documented layout (used for the sample and by tests)."""
    import xlsxwriter

    from addin.io.atomic import atomic_path

    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "Danh sách đơn vị", "created": _FIXED_TIME})
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        info = wb.add_worksheet(INFO_SHEET)
        rows = [
            ("Tỉnh", registry.province),
            ("Mã tỉnh", registry.province_code),
            ("Dữ liệu mẫu", "Có" if registry.is_sample else "Không"),
            ("Ghi chú", registry.note),
        ]
        for r, (k, v) in enumerate(rows):
            info.write_string(r, 0, k, bold)
            info.write_string(r, 1, v)
        info.set_column(0, 0, 14)
        info.set_column(1, 1, 90)
        for sheet_name, columns, items in (
            (DISTRICT_SHEET, DISTRICT_COLUMNS, registry.districts),
            (CDCS_SHEET, CDCS_COLUMNS, registry.cdcs),
        ):
            ws = wb.add_worksheet(sheet_name)
            for c, label in enumerate(columns.values()):
                ws.write_string(0, c, label, bold)
            for r, item in enumerate(items, start=1):
                for c, field in enumerate(columns):
                    v = getattr(item, field)
                    if isinstance(v, int):
                        ws.write_number(r, c, v)
                    elif v:
                        ws.write_string(r, c, v)
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, len(items), len(columns) - 1)
            ws.set_column(0, 0, 12)
            ws.set_column(1, 1, 60)
            ws.set_column(2, len(columns) - 1, 18)
        wb.close()

