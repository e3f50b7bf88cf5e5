"""Re-run cache: the validation report of every file already checked, keyed by what decides it.

Re-consolidating a district whose files have not changed should not read and check them again. A report
depends on the file's bytes, the name it is shown under, the campaign, the registry, the nomination quotas
and the checking code itself: the key is the file's SHA-256 and name, under a *context* hash of all the rest
(the source of ``addin`` and ``validators`` stands for the code version, so any change to the checks
invalidates everything). The file's modification time is not in the key: it is read again on every run,
because it decides resubmissions and lateness.

The cache is one JSON file per district in a ``.sangkien-cache`` folder beside the outputs. It is never
trusted blindly: it is parsed by the same pydantic models as a fresh report (types checked), any damage or
a different context means an empty cache (rebuilt by the run), and an entry is only written when it reads
back equal to the report it stores. It is written atomically and holds the files of the last run only.

The folder sits among files others send and can be edited by anyone with the workbook: a hand-made entry
("this file is valid", invented rows) would otherwise be believed. Every entry, and the record of the
workbook written, carries an HMAC-SHA256 under a key kept outside the cache folder (in the user's
configuration folder, ``cache_key_path``); an entry whose MAC does not match is checked afresh.

It also remembers the district workbook last written from it (the inputs' fingerprint and the workbook's
SHA-256), so a re-run with nothing changed can leave an untouched workbook as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from addin.io.atomic import atomic_path
from validators.report import FileReport

CACHE_DIR_NAME = ".sangkien-cache"


def cache_dir_beside(workbook: Path | None) -> Path | None:
    """The one rule for where re-run results live: a folder beside the workbook the run writes (the CLI's
    output workbook, the button's own .xlsm), so the same inbox consolidated into two workbooks never shares
    a cache and deleting the folder is always safe. None when there is no such workbook on disk."""
    return workbook.parent / CACHE_DIR_NAME if workbook is not None else None
FORMAT = 3  # 2: entries carry a MAC; 3: over the model's JSON
KEY_DIR_ENV = "SANGKIEN_KEY_DIR"


def cache_key_path() -> Path:
    """Where the cache key lives: the user's configuration folder, never beside the cache."""
    if os.environ.get(KEY_DIR_ENV):
        base = Path(os.environ[KEY_DIR_ENV])
    elif sys.platform == "win32" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"]) / "sangkien"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "sangkien"
    return base / "cache.key"


@functools.lru_cache(maxsize=4)
def _key_at(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data[:64]
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return path.read_bytes()[:64]
    except FileExistsError:  # another process made it first
        try:
            data = path.read_bytes()
            return data[:64] if len(data) >= 32 else None
        except OSError:
            return None
    except OSError:
        return None


def _cache_key() -> bytes | None:
    """The secret the entries are authenticated with; None when it can be neither read nor made."""
    return _key_at(cache_key_path())


def _mac(key: bytes, context: str, record: BaseModel) -> str:
    """HMAC of one record (an entry, the workbook written) under the run's context, over its model's own JSON
    without the MAC: what is authenticated is the content the run will use, whatever spacing or key order
    the file has, and the check costs pydantic's serialiser (in Rust), not a second JSON parse."""
    text = record.model_dump_json(exclude={"mac"}).encode("utf-8", "surrogatepass")
    return hmac.new(key, context.encode() + b"\x00" + text, hashlib.sha256).hexdigest()
# A district's cache is ~15 KB per file (its rows' text): 256 MB is far beyond any district, and a file that
# large is not ours to load.
MAX_CACHE_BYTES = 256 * 2**20


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str
    report: FileReport
    mac: str | None = None


class _Written(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    inputs: str  # fingerprint of everything the workbook was built from, run time excepted
    sha256: str  # of the workbook's bytes as written
    run_time: dt.datetime
    mac: str | None = None


class _CacheFile(BaseModel):
    format: int
    context: str
    entries: list[_Entry] = []
    workbook: _Written | None = None


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the source of the checking code: any edit to it makes every cached report stale."""
    import addin
    import validators

    h = hashlib.sha256(getattr(addin, "__version__", "").encode())
    for pkg in (addin, validators):
        root = Path(pkg.__file__).parent
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root.parent).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def context_key(*parts: Any) -> str:
    """The context hash: the code version and the given parts (pydantic models or JSON-able values)."""
    h = hashlib.sha256(code_version().encode())
    for part in parts:
        text = _dump(part) if isinstance(part, BaseModel) else json.dumps(part, sort_keys=True, default=str)
        h.update(b"\x00" + text.encode())
    return h.hexdigest()


_DUMPS: dict[int, tuple[BaseModel, str]] = {}


def _dump(model: BaseModel) -> str:
    """A model's JSON; remembered for frozen models (a province's registry is the same object for all its
    districts, and dumping 3,000 units costs a tenth of a re-run's time per district)."""
    hit = _DUMPS.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    text = model.model_dump_json()
    if model.model_config.get("frozen"):
        if len(_DUMPS) >= 8:
            _DUMPS.clear()
        _DUMPS[id(model)] = (model, text)  # the reference keeps the id from being reused
    return text


class ReportCache:
    """Reports of one consolidation's files. ``get`` / ``put`` during the run, ``save`` at its end."""

    def __init__(self, path: str | Path, context: str):
        self.path = Path(path)
        self.context = context
        self.problem: str | None = None  # why a cache file present was not used
        self._old: dict[tuple[str, str], FileReport] = {}
        self._new: dict[tuple[str, str], FileReport] = {}
        self._fresh: set[tuple[str, str]] = set()  # reports put by this run (not read back yet)
        self._blobs: dict[tuple[str, str], bytes] = {}  # entries as serialised by this run's first save
        self._dirty = False
        self.workbook: _Written | None = None
        self._load()

    def _load(self) -> None:
        try:
            if self.path.stat().st_size > MAX_CACHE_BYTES:
                self.problem = "tệp bộ nhớ đệm quá lớn"
                return
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problem = f"không đọc được ({exc.strerror or type(exc).__name__})"
            return
        try:
            stored = _CacheFile.model_validate_json(data)
        except ValueError:  # pydantic's ValidationError: damaged, truncated, edited by hand
            self.problem = "tệp bộ nhớ đệm bị hỏng"
            return
        if stored.format != FORMAT or stored.context != self.context:
            self.problem = "đợt thi đua, danh sách đơn vị, số lượng đề xuất hoặc chương trình đã thay đổi"
            return
        key = _cache_key()
        if key is None:
            self.problem = f"không đọc hay tạo được khoá xác thực bộ nhớ đệm ({cache_key_path()})"
            return
        forged = 0
        for e in stored.entries:
            if e.mac is None or not hmac.compare_digest(e.mac, _mac(key, self.context, e)):
                forged += 1
            elif e.report.sha256 == e.sha256 and e.report.path == e.name:
                self._old[(e.sha256, e.name)] = e.report
        written = stored.workbook
        if written is not None:
            if written.mac is not None and hmac.compare_digest(written.mac, _mac(key, self.context, written)):
                self.workbook = written
            else:
                forged += 1
        if forged:
            self.problem = f"{forged} mục trong bộ nhớ đệm không xác thực được (có thể đã bị sửa), được kiểm tra lại"

    def get(self, sha256: str, name: str, modified: dt.datetime | None) -> FileReport | None:
        """The stored report of these bytes shown under ``name``, with the file's current modification time."""
        report = self._old.get((sha256, name))
        if report is None:
            return None
        if report.modified is not None and report.modified != modified:
            report = report.model_copy(update={"modified": modified})
            self._blobs.pop((sha256, name), None)
            self._dirty = True
        self._new[(sha256, name)] = report
        return report

    def put(self, report: FileReport) -> None:
        if report.sha256:
            self._new[(report.sha256, report.path)] = report
            self._fresh.add((report.sha256, report.path))
            self._blobs.pop((report.sha256, report.path), None)
            self._dirty = True

    @property
    def dirty(self) -> bool:
        """Something to write: a new report, a new modification time, or a file gone since the last run."""
        return self._dirty or self._new.keys() != self._old.keys()

    def save(self, workbook: _Written | None = None) -> None:
        """Write the reports of this run (and ``workbook`` if given, else the one already recorded)."""
        secret = _cache_key()
        if secret is None:
            raise OSError("không đọc hay tạo được khoá xác thực bộ nhớ đệm")
        blobs = []
        for key, report in self._new.items():
            blob = self._blobs.get(key)
            if blob is None:
                entry = _Entry(name=key[1], sha256=key[0], report=report)
                try:
                    blob = entry.model_dump_json(exclude={"mac"}).encode()
                except ValueError:  # pydantic's serialisation error: a value JSON cannot carry
                    continue
                # Only what reads back exactly as it was: a value JSON cannot hold is simply not cached.
                if key in self._fresh and _Entry.model_validate_json(blob) != entry:
                    continue
                mac = _mac(secret, self.context, entry)
                blob = blob[:-1] + b',"mac":"' + mac.encode() + b'"}'
                self._blobs[key] = blob
            blobs.append(blob)
        if workbook is not None:
            self.workbook = workbook
        # The file is _CacheFile's JSON, assembled from the entries serialised once (a run saves twice: after
        # reading, and once its workbook is written).
        written = (self.workbook.model_copy(update={"mac": _mac(secret, self.context, self.workbook)})
                   if self.workbook is not None else None)
        head = _CacheFile(format=FORMAT, context=self.context, workbook=written)
        body = head.model_dump_json(exclude={"entries"}).encode()[:-1] + b',"entries":[' + b",".join(blobs) + b"]}"
        with atomic_path(self.path) as tmp:
            tmp.write_bytes(body)
        self._old, self._fresh, self._dirty = dict(self._new), set(), False

    # --- the workbook written from this cache ------------------------------------------------------------
    def workbook_unchanged(self, path: Path, inputs: str) -> bool:
        """True when ``path`` is exactly the workbook last written from the same inputs."""
        w = self.workbook
        if w is None or w.inputs != inputs or w.path != str(Path(path).resolve()):
            return False
        try:
            return hashlib.sha256(Path(path).read_bytes()).hexdigest() == w.sha256
        except OSError:
            return False

    def record_workbook(self, path: Path, inputs: str, run_time: dt.datetime) -> None:
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        self.save(_Written(path=str(Path(path).resolve()), inputs=inputs, sha256=sha, run_time=run_time))


def file_sha256(path: Path, max_bytes: int) -> str | None:
    """SHA-256 of a regular file of at most ``max_bytes`` bytes, else None (such files are not cached)."""
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
