"""sangkien: the library behind the command line and the Excel buttons of the initiative campaign."""

__version__ = "0.1.0"
