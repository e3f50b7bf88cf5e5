"""Render a workbook to PDF with LibreOffice headless and read it back as a reader sees it: the words on
each page with their boxes (``pdftotext -bbox``, poppler). Used by the render tests; runnable by hand to
measure a workbook: ``python tests/pdf_render.py file.xlsx ...``."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    words: list[Word] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)  # font sizes (pt) of the text on the page

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_FONTSPEC = re.compile(r'<fontspec id="(\d+)" size="([\d.]+)"')
_TEXT_FONT = re.compile(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>')


def read_pdf(pdf: Path) -> list[Page]:
    """Words with their boxes (``pdftotext -bbox``) and the font size of every text run (``pdftohtml -xml``:
    a word's box spans the font's whole bounding box, taller than its size, so sizes are read separately)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    pages = []
    for chunk in out.split("<page ")[1:]:
        page = Page()
        for m in _WORD.finditer(chunk):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            page.words.append(Word(x0, y0, x1, y1, unescape(m.group(5))))
        pages.append(page)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", str(pdf)], capture_output=True,
                         check=True).stdout.decode("utf-8", "replace")
    fonts: dict[str, float] = {}
    for n, chunk in enumerate(xml.split("<page ")[1:]):
        fonts.update({i: float(size) for i, size in _FONTSPEC.findall(chunk)})
        if n < len(pages):
            pages[n].sizes = [fonts[f] for f, text in _TEXT_FONT.findall(chunk) if text.strip() and f in fonts]
    return pages


def render(xlsx: Path, outdir: Path | None = None) -> list[Page]:
    from addin.io.libreoffice import convert

    outdir = Path(outdir or tempfile.mkdtemp(prefix="sangkien-pdf-"))
    return read_pdf(convert(xlsx, "pdf", outdir, recalc=False))


def render_all(files: list[Path], outdir: Path) -> list[list[Page]]:
    """Several workbooks in one LibreOffice run (a start of LibreOffice costs seconds): each copied under a
    distinct stem first, since the PDFs are named after their sources."""
    import shutil

    from addin.io.libreoffice import convert_all

    outdir = Path(outdir)
    src = outdir / "src"
    src.mkdir(parents=True, exist_ok=True)
    copies = []
    for n, f in enumerate(files):
        copies.append(src / f"{n}{Path(f).suffix}")
        shutil.copyfile(f, copies[-1])
    return [read_pdf(pdf) for pdf in convert_all(copies, "pdf", outdir / "pdf", recalc=False)]


def overlaps(page: Page, tolerance: float = 0.5) -> list[tuple[Word, Word]]:
    """Pairs of words of different lines whose boxes intersect by more than the normal leading of wrapped
    lines (a word's box spans the font's whole ascent and descent, so successive lines of one cell touch
    by a point or two): text printed over text."""
    found = []
    words = sorted(page.words, key=lambda w: w.y0)
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b.y0 >= a.y1 - tolerance:
                break
            ca, cb = (a.y0 + a.y1) / 2, (b.y0 + b.y1) / 2
            if abs(ca - cb) < 0.35 * min(a.height, b.height):
                continue  # the same line (a fallback glyph's box may sit a little higher or lower)
            if min(a.y1, b.y1) - max(a.y0, b.y0) < 0.3 * min(a.height, b.height):
                continue
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance:
                found.append((a, b))
    return found


def smallest(pages: list[Page]) -> float:
    """The smallest font size printed (pdftohtml rounds sizes to whole points)."""
    return min((s for p in pages for s in p.sizes), default=0.0)


def summary(pages: list[Page]) -> str:
    return f"{len(pages)} trang, chữ nhỏ nhất {smallest(pages):.1f} pt, {sum(len(overlaps(p)) for p in pages)} chỗ chồng chữ"


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(arg, summary(render(Path(arg))))
