"""Files that are not a workbook container: say what they are (PDF, Word, image, CSV, HTML…) from their first bytes, so the sender hears a precise reason instead of a parser's error."""

from __future__ import annotations



from addin.io.gate.limits import _Refuse, _refuse
from validators.issues import IssueCode


# --------------------------------------------------------------------------------------------------------
# Not a zip, not OLE2: say what it is when we can tell
# --------------------------------------------------------------------------------------------------------
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ARCHIVE_MAGIC = {
    b"Rar!\x1a\x07": "tệp nén RAR",
    b"7z\xbc\xaf\x27\x1c": "tệp nén 7-Zip",
    b"\x1f\x8b": "tệp nén GZIP",
    b"\xfd7zXZ\x00": "tệp nén XZ",
    b"BZh": "tệp nén BZIP2",
    b"MSCF": "tệp nén CAB",
}
_WRONG_MAGIC = {
    b"%PDF": "tệp PDF",
    b"{\\rtf": "văn bản RTF (Word)",
    b"\x89PNG": "hình ảnh PNG",
    b"\xff\xd8\xff": "hình ảnh JPEG",
    b"GIF8": "hình ảnh GIF",
    b"II*\x00": "hình ảnh TIFF",
    b"MM\x00*": "hình ảnh TIFF",
}


def _sniff_other(head: bytes) -> _Refuse:
    if head.startswith(b"MZ"):
        # A Windows program named like a workbook is not a mistake anyone makes by accident.
        return _refuse(IssueCode.FILE_UNSAFE, detail="tệp chương trình (.exe) mang tên bảng tính")
    for magic, what in (*_ARCHIVE_MAGIC.items(), *_WRONG_MAGIC.items()):
        if head.startswith(magic):
            return _refuse(IssueCode.FILE_WRONG_TYPE, detail=what)
    text = _as_text(head)
    if text is not None:
        low = text.lstrip("\ufeff \t\r\n").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in low or low.startswith("<workbook"):
            return _refuse(IssueCode.FILE_UNSUPPORTED, detail="Bảng tính XML 2003")
        if low.startswith(("<!doctype html", "<html", "<table", "<head", "<meta", "<body", "<style")) or "<html" in low[:1024]:
            # Many programs export "xls" that is really a web page; Excel opens it, so it can re-save it.
            return _refuse(IssueCode.FILE_UNSUPPORTED, detail="trang web HTML (đuôi .xls giả)")
        if low.startswith("mime-version:") or "multipart/related" in low[:1024]:
            return _refuse(IssueCode.FILE_UNSUPPORTED, detail="trang web một tệp MHTML")
        if low.startswith("<?xml") or low.startswith("<"):
            return _refuse(IssueCode.FILE_NOT_WORKBOOK)
        return _refuse(IssueCode.FILE_UNSUPPORTED, detail="văn bản thuần (CSV/TXT)")
    return _refuse(IssueCode.FILE_NOT_WORKBOOK)


def _as_text(head: bytes) -> str | None:
    """The head decoded if it is plausibly text (CSV, HTML, XML), else None."""
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            body = head[2:len(head) - (len(head) % 2)]
            text = body.decode(enc, "replace")
            break
    else:
        if b"\x00" in head:
            return None
        cut = head[:-4] if len(head) == 4096 else head  # a multibyte character may be cut at the end
        try:
            text = cut.decode("utf-8")
        except UnicodeDecodeError:
            text = head.decode("cp1258", "replace")  # legacy Vietnamese Windows text, e.g. an old CSV
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\r\n\f") or c == "\ufffd")
    return text if text and bad <= len(text) // 50 else None


