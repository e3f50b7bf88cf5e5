"""Progress of a button: the library's ``progress(done, total, name)`` callback turned into Vietnamese status
messages ("Đang đọc 123/750 tệp…") for a sink. In Excel the sink is the status bar; the remote engine used in
tests has none, so tests give a list's ``append`` as the sink and read the same messages."""

from __future__ import annotations

from typing import Callable, Optional

Sink = Callable[[Optional[str]], None]  # a message, or None to give the status bar back to Excel


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def progress_message(done: int, total: int, verb: str = "Đang đọc", noun: str = "tệp") -> str:
    return f"{verb} {vn_int(done)}/{vn_int(total)} {noun}…"


class StatusProgress:
    """The library's progress callback, writing to ``sink``; repeats of one message are not sent again."""

    def __init__(self, sink: Sink, verb: str = "Đang đọc", noun: str = "tệp") -> None:
        self.sink, self.verb, self.noun = sink, verb, noun
        self.last: str | None = None

    def __call__(self, done: int, total: int, name: str = "") -> None:
        message = progress_message(done, total, self.verb, self.noun)
        if message != self.last:
            self.last = message
            self.sink(message)


def status_bar_sink(app) -> Sink | None:
    """Excel's status bar as a sink, or None when the engine has no status bar (xlwings' remote engine)."""
    try:
        app.status_bar  # noqa: B018 - the remote engine raises NotImplementedError here
    except NotImplementedError:
        return None

    def show(message: str | None) -> None:
        app.status_bar = message if message is not None else False  # False: Excel's own status bar again

    return show
