"""The Excel skin: the macro-enabled district and province workbooks (``build``), and the Python side of
their buttons (``buttons``), which xlwings' RunPython calls. Only this package imports xlwings; like the
command line, it is a thin layer over the library calls (``consolidate_district``, ``export_dossier``,
``consolidate_province``, ``write_province_package``) and the neutral ``SheetData`` description of their
result sheets."""
