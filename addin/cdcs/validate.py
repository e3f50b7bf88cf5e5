"""Validate returned CĐCS workbooks: the library call behind ``sangkien validate``."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from addin.io.names import visible_name
from addin.io.outputs import refuse_output_over_inputs
from addin.io.parallel import Crashed, Raised, run_jobs
from addin.cdcs.reader import read_submission
from addin.registry import Registry
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue
from validators.report import FileReport
from validators.rules.unit_report import ExpectedUnit, validate_submission

Progress = Callable[[int, int, str], None]  # (done, total, current file name)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".ods")


def expected_unit(registry: Registry, code: str) -> ExpectedUnit | None:
    unit = registry.cdcs_by_code.get(code)
    if unit is None:
        return None
    parent = registry.district_by_code.get(unit.parent)
    return ExpectedUnit(code=unit.code, name=unit.name, parent_code=unit.parent,
                        parent_name=parent.name if parent else "")


def validate_file(
    path: str | Path,
    campaign: Campaign,
    registry: Registry | None = None,
    *,
    nomination_quota: int | Mapping[str, int] | None = None,
    display_path: str | None = None,
) -> FileReport:
    """Read and check one file; the report names it by ``display_path`` (default: the path as given).

    ``nomination_quota``: one quota, or quotas by unit code (see ``validate_submission``)."""
    shown = display_path or str(path)
    raw = read_submission(path, max_rows=campaign.rules.max_initiatives_per_unit)
    known = (lambda code: expected_unit(registry, code)) if registry is not None else None
    unit, issues = validate_submission(raw, campaign, known_units=known, nomination_quota=nomination_quota)
    return FileReport.build(shown, unit, issues, unit_code=raw.stamp.get("unit_code"), sha256=raw.sha256,
                            modified=raw.modified, rows_cut=raw.rows_cut)


def validate_job(context: tuple, path: Path, display_path: str | None) -> FileReport:
    """One file of a batch (``addin.io.parallel.run_jobs``): ``context`` is (campaign, registry, quota)."""
    campaign, registry, quota = context
    return validate_file(path, campaign, registry, nomination_quota=quota, display_path=display_path)


def failed_report(name: str, failure: Raised | Crashed | BaseException) -> FileReport:
    """The report of a file whose checking did not finish: the reader's process died, or it raised."""
    if isinstance(failure, Crashed):
        issue = make_issue(IssueCode.FILE_CORRUPT, detail="chương trình đọc tệp bị dừng đột ngột khi đọc tệp này")
    else:
        issue = make_issue(IssueCode.FILE_UNREADABLE, detail=failure.name if isinstance(failure, Raised) else type(failure).__name__)
    return FileReport.build(name, None, [issue.with_path(name)])


def find_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (recursively) into workbook files, sorted for a stable order; files are kept as given.

    Office lock files ("~$name.xlsx") and hidden files are skipped: they are never a unit's report.
    """
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(("~$", ".")) or not name.lower().endswith(WORKBOOK_SUFFIXES):
                        continue
                    found.append(Path(root) / name)
        else:
            found.append(p)
    return found


_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def skipped_files(paths: Iterable[str | Path]) -> list[Issue]:
    """A warning for each file ``find_workbooks`` leaves out that holds a workbook all the same (a hidden
    file, one named like an Office lock file, one without an extension): never skipped without a word.
    Only regular files are looked at (a FIFO is never opened), and only their first 8 bytes."""
    out: list[Issue] = []
    for p in map(Path, paths):
        if not p.is_dir():
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                why = ("tệp ẩn" if name.startswith(".") else "tên giống tệp khoá của Office" if name.startswith("~$")
                       else "tệp không có đuôi" if not Path(name).suffix else None)
                if why is None:
                    continue
                path = Path(root) / name
                try:
                    if not stat.S_ISREG(path.lstat().st_mode):
                        continue
                    with open(path, "rb") as fh:
                        head = fh.read(8)
                except OSError:
                    continue
                if head.startswith(_WORKBOOK_MAGIC):
                    rel = path.relative_to(p).as_posix()
                    out.append(make_issue(IssueCode.FILE_SKIPPED, detail=why).with_path(visible_name(rel)))
    return out


def find_other_files(folder: str | Path) -> list[Path]:
    """Every file under ``folder`` that ``find_workbooks`` does not return (documents, photos, Office lock
    files…), sorted: a consolidation lists each of them with its reason instead of skipping it silently.
    Hidden folders (the re-run cache) and hidden files are not a unit's submission and stay out."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    workbooks = set(find_workbooks([folder]))
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if not name.startswith(".") and p not in workbooks:
                out.append(p)
    return out


@dataclass(frozen=True)
class ValidationRun:
    files: tuple[FileReport, ...]
    sources: tuple[Path, ...] = ()  # the path of each report's file, in the same order
    # Annotated copies written (``validate_and_annotate``), and why any could not be.
    annotated: tuple[Path, ...] = ()
    annotate_failures: tuple[str, ...] = ()
    skipped: tuple[Issue, ...] = ()  # files left out that hold a workbook (file-skipped warnings)

    @property
    def readable(self) -> int:
        return sum(1 for f in self.files if f.readable)

    @property
    def exit_code(self) -> int:
        """0 all valid; 1 completed with data errors; 2 nothing could be read (DOMAIN.md)."""
        if not self.files or self.readable == 0:
            return 2
        return 0 if all(f.valid for f in self.files) else 1

    def as_json(self) -> dict:
        return {"files": [f.as_json() for f in self.files],
                "skipped": [i.as_json(with_path=True) for i in self.skipped]}


def validate_paths(
    paths: Iterable[str | Path],
    campaign: Campaign,
    registry: Registry | None = None,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ValidationRun:
    """Check every workbook under ``paths``; in a process pool when there are enough files to pay for one
    (``addin.io.parallel``; ``workers=1`` forces the serial path). One bad file never stops the batch."""
    paths = list(paths)
    files = find_workbooks(paths)
    reports = []
    # Reports name a file by its visible name (any bytes, no escape codes); the path itself is kept to read it.
    jobs = [(path, visible_name(path)) for path in files]
    for n, (i, result) in enumerate(run_jobs(validate_job, jobs, (campaign, registry, None), workers=workers), start=1):
        reports.append(result if isinstance(result, FileReport) else failed_report(visible_name(files[i]), result))
        if progress:
            progress(n, len(files), visible_name(files[i].name))
    return ValidationRun(tuple(reports), sources=tuple(files), skipped=tuple(skipped_files(paths)))


def validate_and_annotate(
    paths: Iterable[str | Path],
    campaign: Campaign,
    registry: Registry | None = None,
    *,
    annotate_dir: str | Path | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ValidationRun:
    """The library call of ``sangkien validate``: check every workbook under ``paths`` and, with
    ``annotate_dir``, write a marked copy of each readable file that has issues (inputs are never touched).
    A copy that cannot be made is listed in ``annotate_failures`` and never stops the others."""
    from addin.cdcs.annotate import AnnotateError, annotate_copy

    paths = list(paths)
    run = validate_paths(paths, campaign, registry, progress=progress, workers=workers)
    if annotate_dir is None:
        return run
    refuse_output_over_inputs(annotate_dir, paths, what="thư mục bản đánh dấu lỗi", folder=True)
    written, failures = [], []
    for source, report in zip(run.sources, run.files):
        if report.issues and report.readable:
            try:
                written.append(annotate_copy(source, report, annotate_dir, avoid=run.sources))
            except AnnotateError as exc:
                failures.append(str(exc))
    return ValidationRun(run.files, run.sources, tuple(written), tuple(failures), run.skipped)
