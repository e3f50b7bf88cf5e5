"""A minimal OLE2 / Compound File (v3) writer for tests: oletools/olefile only read such files."""

from __future__ import annotations

import struct

# A minimal OLE2 / Compound File (v3) writer: oletools/olefile only read. Streams are padded to the 4096-byte
# mini-stream cutoff, so no mini stream is needed; the directory is a flat chain of right siblings.
_ENDOFCHAIN, _FREESECT, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    entries = [(n, 2, d + b"\0" * max(0, 4096 - len(d))) for n, d in streams.items()]
    entries += [(n, 1, b"") for n in storages]
    n_dir = (len(entries) + 1 + 3) // 4
    data_sects = [(len(d) + 511) // 512 for _, _, d in entries]
    n_fat = 1
    while n_fat * 128 < n_fat + n_dir + sum(data_sects):
        n_fat += 1
    fat = [_FATSECT] * n_fat

    def chain(n: int) -> int:
        start = len(fat)
        fat.extend(range(start + 1, start + n))
        fat.append(_ENDOFCHAIN)
        return start

    dir_start = chain(n_dir)
    starts = [chain(k) if k else _ENDOFCHAIN for k in data_sects]
    fat += [_FREESECT] * (n_fat * 128 - len(fat))

    def dirent(name: str, typ: int, start: int, size: int, child: int = _NOSTREAM, right: int = _NOSTREAM) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), typ, 1, _NOSTREAM, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    dirs = [dirent("Root Entry", 5, _ENDOFCHAIN, 0, child=1 if entries else _NOSTREAM)]
    for k, ((name, typ, data), start) in enumerate(zip(entries, starts)):
        right = k + 2 if k + 1 < len(entries) else _NOSTREAM
        dirs.append(dirent(name, typ, start if typ == 2 else _ENDOFCHAIN, len(data) if typ == 2 else 0, right=right))
    while len(dirs) % 4:
        dirs.append(b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\0" * 48)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<9I", 0, n_fat, dir_start, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", *(list(range(n_fat)) + [_FREESECT] * (109 - n_fat))))
    body = b"".join(struct.pack("<128I", *fat[i * 128:(i + 1) * 128]) for i in range(n_fat)) + b"".join(dirs)
    return header + body + b"".join(d + b"\0" * (-len(d) % 512) for _, _, d in entries)
