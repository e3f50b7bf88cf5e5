"""The base of every named error the library raises on purpose; its message is for users, in Vietnamese."""


class SangkienError(Exception):
    """A problem the user can act on (bad configuration, unreadable registry, …), not a bug."""
