"""The session's input hashing (conftest.inputs_untouched) sees a changed, added or removed file."""

from __future__ import annotations

from conftest import hash_files, input_files


def test_input_hashing_sees_every_change(tmp_path, inputs_untouched):
    assert len(inputs_untouched) >= 13  # the shipped workbooks and the sample registry are among the inputs
    for d in ("workbook_templates", "addin/data"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "a.xlsx").write_bytes(b"PK one")
        (tmp_path / d / "b.xlsx").write_bytes(b"PK two")
    before = hash_files(input_files(tmp_path))
    (tmp_path / "addin/data/a.xlsx").write_bytes(b"PK One")  # one byte
    (tmp_path / "workbook_templates/b.xlsx").unlink()
    (tmp_path / "workbook_templates/c.xlsx").write_bytes(b"new")
    after = hash_files(input_files(tmp_path))
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {str(tmp_path / p) for p in ("addin/data/a.xlsx", "workbook_templates/b.xlsx",
                                                    "workbook_templates/c.xlsx")}
