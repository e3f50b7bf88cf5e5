"""The one zip writer: pieces deflated apart join into one valid stream (the prepared template relies on it)."""

import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.io.zipwriter import DEFLATE_END, ZipMember, deflate_piece, zip_bytes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=70_000) | st.text(max_size=300).map(str.encode), max_size=8))
def test_pieces_deflated_apart_are_one_stream(pieces):
    stream = b"".join(deflate_piece(p) for p in pieces) + DEFLATE_END
    d = zlib.decompressobj(-15)
    assert d.decompress(stream) == b"".join(pieces)
    assert d.eof and d.unused_data == b""  # one final block, at the end


def test_a_member_of_joined_pieces_reads_back_with_its_crc():
    pieces = [b"<sheet>" + b"<c r='A1'><f>IF(A1=1,1,0)</f></c>" * 5000, "Trường THCS Lê Văn Tám".encode(), b"</sheet>"]
    raw = b"".join(pieces)
    member = ZipMember("xl/worksheets/sheet1.xml", b"".join(map(deflate_piece, pieces)) + DEFLATE_END,
                       zlib.crc32(raw), len(raw))
    with zipfile.ZipFile(io.BytesIO(zip_bytes([member]))) as zf:
        assert zf.testzip() is None
        assert zf.read("xl/worksheets/sheet1.xml") == raw
