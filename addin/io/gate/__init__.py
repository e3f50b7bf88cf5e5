"""The gate every workbook passes before any parser touches it (``open_workbook`` in ``workbook`` is its one door).

Files come from hundreds of unions by e-mail and USB stick: expect every mistake and some malice. This
module decides, from the bytes (never from the file name), whether a file is a workbook we may parse and
of which kind, and otherwise gives the one Vietnamese reason it is refused. It never raises for an input.

What it costs: one ``stat``, the zip central directory, the first bytes of every member (the XML prolog),
and one pass of a few regular expressions over each decompressed worksheet (its tags and the lengths of its
cell references; an exact measure only when those cannot clear the cap). Measured: ~0.7 ms for a 12 KB
XlsxWriter workbook; a filled CĐCS workbook inflates 1.4 MB of sheet XML (1.2 MB of it the hidden formula
sheet «Cờ kiểm tra»): 13–15 ms, forty times the cost of inflating the two sheets we use. It never
decompresses more than the caps below, never expands an entity and never runs anything in the file.

Sheets on demand (``open_workbook(..., sheets_on_demand=True)``, the CĐCS reader's call, issue 17): the
extent check protects the parser's grid, and calamine builds a grid only for a sheet it is asked for. So
when the workbook names each sheet's part beyond doubt (``ooxml.sheets_by_name``: the reading calamine
does and the packaging rule agree, nothing prefixed, repeated or escaped), a worksheet is measured when
``GatedWorkbook`` is about to hand it to the parser, and a sheet never read is never inflated (1.5 ms per
CĐCS workbook instead of 13–15 ms). Every other check still runs up front on every member, prologs and
DTDs of those sheets included. Any doubt about the parts, and every sheet is measured up front as before.
The one change a user sees: a far cell in a sheet no parser reads (a scratch sheet, the formula sheet) no
longer refuses the file. Callers that hand the bytes to another parser (openpyxl for the annotated copy)
keep the default, every sheet up front.

Why each check exists, measured against python-calamine 0.9.1 (calamine 0.37, the parser behind the
reader) in a child process with a 2 GB address-space limit (tests/test_safety.py can repeat the probe):

* Dense grids: load-bearing. calamine stores a sheet as a dense rows x columns array sized from its
  farthest cells, and an .xls sheet from its DIMENSIONS record. A 5 KB .xlsx with values in A1 and
  XFD1048576 (or ZZZZ2000, or a lowercase xfd1048576), an .xls whose DIMENSIONS record claims 4 billion
  rows or whose cell sits in column 65535, and a shared-strings part declaring ``uniqueCount="4000000000"``
  (reserved up front) each make it request gigabytes to terabytes: the Rust allocator then *aborts the
  whole process* (SIGABRT, no Python exception), killing a district's whole run. A table part whose ``ref``
  is A1:XFD1048576 does the same when the table is read. Hence ``max_sheet_cells`` and
  ``max_shared_strings``. A stray value in R1048576 (a plausible accident) "only" costs 0.8 GB and 2 s.
  calamine's XML reader is lenient (junk, another element or CDATA before the root, prefixed tags, single
  quotes, a repeated ``r`` attribute whose last copy wins): the scan assumes all of that.
* Decompression bombs. A member inflating to 1 GB costs calamine 1 GB of memory (a 1 GB shared string
  aborts it); 20 million compressible cells take 12 s and 1.4 GB. calamine's zip reader stops a member
  at its declared size, so capping the declared total and ratio bounds what it will inflate;
  ``open_member_capped`` caps the reader's own reads independently of what is declared.
* DTDs. calamine does not expand entities (a billion-laughs part is an error, an external entity is not
  fetched), but the reader parses workbook.xml itself and other tools may not be as careful; Excel never
  writes a DTD, so one is refused outright and ``safe_parse`` refuses them again.
* Names, duplicates, overlaps, nested archives, unusual compression, password-protected files: harmless to
  calamine as measured (an error or a clean read), refused because no spreadsheet program writes them,
  because parsers disagree on them (calamine and Python's zipfile read the last of two duplicate members),
  or to give the user a precise Vietnamese reason instead of a parser's error.
"""
