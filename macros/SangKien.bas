Attribute VB_Name = "SangKien"
' Buttons of the sangkien district and province workbooks (generated; see addin/excel/build.py).
' Each macro is one RunPython call; every message the user reads is written in Python (Vietnamese
' text cannot live in this module: the VBA project's code page cannot hold it).
Option Explicit

Public Sub SangKien_TongHopHuyen()
    RunPython "import addin.excel.buttons; addin.excel.buttons.district_consolidate()"
End Sub

Public Sub SangKien_XuatHoSo()
    RunPython "import addin.excel.buttons; addin.excel.buttons.district_export_dossier()"
End Sub

Public Sub SangKien_TongHopTinh()
    RunPython "import addin.excel.buttons; addin.excel.buttons.province_consolidate()"
End Sub

Public Sub SangKien_XuatDanhSachTLD()
    RunPython "import addin.excel.buttons; addin.excel.buttons.province_export_tld()"
End Sub

Public Sub SangKien_MoThuMuc()
    RunPython "import addin.excel.buttons; addin.excel.buttons.open_output_folder()"
End Sub
