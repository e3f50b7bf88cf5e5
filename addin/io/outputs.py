"""Outputs never land on inputs: a run refuses, before reading anything, to write where it reads.

``district inbox --out inbox/<a unit's file>.xlsx`` would replace a unit's report with the result, and a
result written inside the folder being read is read back as an input by the next run (and its cache beside
it). One check, called by every library call that writes (validate_and_annotate, run_district, run_province).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from validators.errors import SangkienError


class OutputOverInput(SangkienError):
    """The output path is an input, or inside a folder being read: Vietnamese message."""


def _real(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))


def refuse_output_over_inputs(output: str | os.PathLike[str] | None, inputs: Iterable[str | os.PathLike[str]], *,
                              what: str = "tệp kết quả", folder: bool = False) -> None:
    """Raise ``OutputOverInput`` when ``output`` is one of ``inputs`` or lies inside an input folder.

    ``folder``: the output is a folder the run writes files into (it may not be, or be inside, an input
    folder; a folder holding input files given one by one is fine, their names are checked per file)."""
    if output is None:
        return
    out = _real(output)
    for item in inputs:
        src = _real(item)
        if src.is_dir():
            if out == src or src in out.parents:
                raise OutputOverInput(
                    f"Không ghi {what} '{output}' vào trong thư mục đang đọc '{item}': kết quả sẽ bị đọc lại như "
                    f"một tệp báo cáo. Hãy chọn nơi ghi ở ngoài thư mục này.")
        elif not folder and (out == src or (out.exists() and src.exists() and os.path.samefile(out, src))):
            raise OutputOverInput(
                f"Không ghi {what} đè lên tệp đầu vào '{item}'. Hãy chọn tên hoặc thư mục khác cho {what}.")
