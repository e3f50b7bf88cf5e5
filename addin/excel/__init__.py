"""The Excel skin: the macro-enabled district and province workbooks (``build``, with ``vbaproject`` making
their VBA project exact to MS-OVBA), and the Python side of their buttons (``buttons``), which xlwings'
RunPython calls. Only this package imports xlwings; like the command line, it is a thin layer over the library
calls (``run_district``, ``export_dossier``, ``run_province``) and the neutral ``SheetData`` description of
their result sheets. Where a macro cannot run, the launchers beside each workbook (``launchers``) call
``sangkien run``, which makes the same calls from the saved configuration (``launch``, ``saved``)."""
