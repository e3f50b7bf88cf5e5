"""A real IMAP server for the mail tests: Dovecot (Debian's dovecot-imapd, installed by ``.ci/run``) started in
the foreground on 127.0.0.1 with a generated configuration, a self-signed certificate made by openssl and one
passwd-file user, all in a temporary folder; no system service, nothing outside the folder is touched."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

USER, PASSWORD = "ldld.cujut@example.vn", "mat-khau-ung-dung-16"


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    cafile: Path
    log: Path

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))

    @contextlib.contextmanager
    def client(self) -> Iterator[imaplib.IMAP4_SSL]:
        conn = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.context(), timeout=30)
        conn.login(self.user, self.password)
        try:
            yield conn
        finally:
            conn.logout()


def available() -> bool:
    return shutil.which("dovecot") is not None and shutil.which("openssl") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    # Not pytest's tmp_path: it is private (0700) and, as root, Dovecot's mail process runs as "nobody".
    root = Path(tempfile.mkdtemp(prefix="sk-dovecot-"))
    os.chmod(root, 0o755)
    proc = None
    try:
        cert, key = root / "cert.pem", root / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                        str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        home = root / "home"
        for d in ("run", "state", "home"):
            (root / d).mkdir()
        if os.geteuid() == 0:
            uid = gid = 65534  # nobody: Dovecot refuses to deliver mail as root
            os.chmod(home, 0o777)
            users = ""
        else:
            uid, gid = os.getuid(), os.getgid()
            name = pwd.getpwuid(uid).pw_name
            users = f"default_login_user = {name}\ndefault_internal_user = {name}\ndefault_internal_group = {name}\n"
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        port = _free_port()
        conf = root / "dovecot.conf"
        conf.write_text(f"""{users}base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%n
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
""")
        proc = subprocess.Popen(["dovecot", "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                stderr=open(root / "stderr.log", "wb"))
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Dovecot did not start: " + (root / "stderr.log").read_text(errors="replace")
                                   + ((root / "dovecot.log").read_text(errors="replace")
                                      if (root / "dovecot.log").exists() else ""))
            time.sleep(0.1)
        yield Dovecot("127.0.0.1", port, USER, PASSWORD, cert, root / "dovecot.log")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(root, ignore_errors=True)
