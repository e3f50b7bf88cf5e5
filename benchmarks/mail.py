"""Time ``sangkien mail`` on the demo's returns (~700 messages, one CĐCS workbook each): from the demo's mbox
files, and over IMAP from a real Dovecot on loopback (the tests' launcher) holding the same messages.

    .venv/bin/sangkien demo --mail --out /tmp/demo      # writes /tmp/demo/thu-dien-tu/<district>.mbox
    .venv/bin/python -m benchmarks.mail --demo /tmp/demo

Prints the first fetch and the re-run (nothing new) for each source. Appending to Dovecot is not timed.
"""

from __future__ import annotations

import argparse
import email
import imaplib
import shutil
import sys
import tempfile
import time
from pathlib import Path

from addin.mail.fetch import ImapAccount, fetch_mail
from addin.mail.sources import mbox_messages

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--demo", type=Path, required=True, help="the --out folder of `sangkien demo --mail`")
    args = ap.parse_args(argv)
    boxes = sorted((args.demo / "thu-dien-tu").glob("*.mbox"))
    if not boxes:
        print("no mbox: run `sangkien demo --mail --out DIR` first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="sk-mail-bench-"))
    try:
        total = 0
        first = again = 0.0
        for box in boxes:
            inbox = work / "mbox" / box.stem
            t, run = _timed(lambda: fetch_mail(inbox, mbox=box))
            first += t
            total += len(run.messages)
            again += _timed(lambda: fetch_mail(inbox, mbox=box))[0]
        size = sum(b.stat().st_size for b in boxes) / 2**20
        print(f"mbox: {total} messages ({size:.0f} MB in {len(boxes)} files): first fetch {first:.2f} s, "
              f"re-run {again:.2f} s")

        sys.path.insert(0, str(ROOT / "tests"))
        import dovecot  # the tests' launcher: a real server on a free loopback port

        with dovecot.running_dovecot() as server:
            with server.client() as conn:
                for box in boxes:
                    for raw in mbox_messages(box):
                        msg = email.message_from_bytes(raw.raw or b"")
                        when = email.utils.parsedate_to_datetime(str(msg["Received"]).rsplit(";", 1)[-1].strip())
                        conn.append("INBOX", None, imaplib.Time2Internaldate(when), raw.raw)
            account = ImapAccount(host=server.host, port=server.port, user=server.user, password=server.password,
                                  ssl_context=server.context())
            t, run = _timed(lambda: fetch_mail(work / "imap", imap=account))
            t2, _ = _timed(lambda: fetch_mail(work / "imap", imap=account))
            print(f"imap: {len(run.messages)} messages from Dovecot over TLS on loopback: first fetch {t:.2f} s, "
                  f"re-run {t2:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
