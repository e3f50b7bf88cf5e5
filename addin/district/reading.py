"""Phase 1 of a district consolidation: every file under the inbox, read and checked once.

Workbooks are validated (in a process pool when there are enough of them; one hostile file is that file's
error, never the batch's), reusing the re-run cache for files unchanged since the last run. Every other file
(a .docx, a .pdf, a photo, an Office lock file) becomes an entry too, so the ledger lists every file."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from addin.cdcs.cache import ReportCache, context_key, file_sha256
from addin.cdcs.reader import file_modified
from addin.cdcs.validate import Progress, failed_report, find_other_files, find_workbooks, validate_job
from addin.district.records import NOT_WORKBOOK, DistrictSettings, FileEntry
from addin.io.gate.limits import Limits
from addin.io.parallel import Crashed, Raised, run_jobs
from addin.registry import Registry
from addin.io.names import visible_name
from addin.mail.manifest import received_times
from validators.campaign import Campaign
from validators.report import FileReport
from validators.text.names import safe_code


def display_name(path: Path, inbox: Path) -> str:
    try:
        return visible_name(path.relative_to(inbox).as_posix())
    except ValueError:
        return visible_name(path.name)


def open_cache(cache_dir: str | Path, district_code: str, campaign: Campaign, registry: Registry,
               settings: DistrictSettings) -> ReportCache:
    """The re-run cache of one district's consolidation, in ``cache_dir``."""
    context = context_key("district", campaign, registry, sorted(settings.quotas.items()))
    return ReportCache(Path(cache_dir) / f"{safe_code(district_code)}.json", context)


def _cached_entry(path: Path, name: str, cache: ReportCache) -> FileEntry | None:
    """The entry of a file unchanged since the cache's run: unchanged bytes under the same name and context
    have the same report (the modification time is read again)."""
    try:
        sha = file_sha256(path, Limits().max_file_bytes)
        report = cache.get(sha, name, file_modified(path.stat().st_mtime)) if sha is not None else None
    except OSError:
        return None
    if report is None:
        return None
    return FileEntry(path=path, name=name, report=report, modified=report.modified, reused=True)


def _failed_entry(path: Path, name: str, failure: BaseException | Raised | Crashed) -> FileEntry:
    return FileEntry(path=path, name=name, report=failed_report(name, failure), modified=None)


def _other_entry(path: Path, name: str) -> FileEntry:
    try:
        modified = file_modified(path.stat().st_mtime)
    except OSError:
        modified = None
    return FileEntry(path=path, name=name, report=FileReport(path=name, valid=False), modified=modified,
                     role=NOT_WORKBOOK)


def read_inbox(inbox: Path, campaign: Campaign, registry: Registry, settings: DistrictSettings,
               cache: ReportCache | None, progress: Progress | None, workers: int | None,
               only: list[Path] | None = None) -> list[FileEntry]:
    """Every file under ``inbox``: its workbooks checked (in path order), then the other files. ``only``:
    just these workbooks (the province picks a district's CĐCS files out of a mixed folder)."""
    paths = list(only) if only is not None else (find_workbooks([inbox]) if inbox.is_dir() else [inbox])
    names = [display_name(path, inbox) for path in paths]
    found: dict[int, FileEntry] = {}
    done = 0

    def record(i: int, entry: FileEntry) -> None:
        nonlocal done
        found[i] = entry
        done += 1
        if progress:
            progress(done, len(paths), visible_name(paths[i].name))

    for i, (path, name) in enumerate(zip(paths, names)):
        hit = _cached_entry(path, name, cache) if cache is not None else None
        if hit is not None:
            record(i, hit)
    todo = [i for i in range(len(paths)) if i not in found]
    jobs = [(paths[i], names[i]) for i in todo]
    # One hostile file never stops the batch: a job that raises, or whose process dies, is that file's error.
    for k, report in run_jobs(validate_job, jobs, (campaign, registry, settings.quotas), workers=workers):
        i = todo[k]
        if isinstance(report, FileReport):
            if cache is not None:
                cache.put(report)
            record(i, FileEntry(path=paths[i], name=names[i], report=report, modified=report.modified))
        else:
            record(i, _failed_entry(paths[i], names[i], report))
    files = [found[i] for i in range(len(paths))]
    by_mail = received_times(inbox) if inbox.is_dir() else {}
    for f in files:
        f.received = by_mail.get(f.name)
    if only is None:
        files += [_other_entry(p, display_name(p, inbox)) for p in find_other_files(inbox)]
    if cache is not None and cache.dirty:
        try:
            cache.save()
        except OSError:
            cache.problem = "không ghi được bộ nhớ đệm"  # the run itself is complete without it
    return files


def inputs_fingerprint(cache: ReportCache, files: list[FileEntry], inbox: Path, district_code: str,
                       deadline: dt.date, settings: DistrictSettings) -> str:
    """Everything the district workbook is made from, run time excepted (files by name, content and time)."""
    parts = [cache.context, district_code, deadline.isoformat(), str(inbox.resolve()),
             repr((settings.own_propagated, settings.own_movement))]
    for f in files:
        # A refused file's report carries no hash: its bytes (or, unreadable, its size and time) stand in.
        content = f.report.sha256 or file_sha256(f.path, Limits().max_file_bytes)
        if content is None:
            try:
                st = f.path.stat()
                content = f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                content = "?"
        parts.append(f"{f.name}\x00{content}\x00{f.modified}\x00{f.received}")
    return hashlib.sha256("\x01".join(parts).encode()).hexdigest()
