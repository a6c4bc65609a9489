"""`document.read_verification_code` (issue 12): the raw bytes are read a chunk at a time (a code cut by a
chunk's end is found whole, the last code wins, a 1 GB file costs no more memory than a chunk); a code the
raw bytes do not show — the Info dictionary inside a compressed object stream — is read decoded."""

import struct
import tracemalloc
import zlib

from desktop_app.core.notices import document
from desktop_app.core.notices.document import KEYWORD_PREFIX, read_verification_code


def object_stream_pdf(path, code: str):
    """A one-page PDF 1.5 whose Info dictionary lies in a flate-compressed object stream, with an xref
    stream (as qpdf, Acrobat or Word save): the keywords are nowhere in the raw bytes."""
    header = b"4 0 "
    packed = zlib.compress(header + f"<< /Keywords ({KEYWORD_PREFIX}{code}) /Producer (Word) >>".encode())
    parts: list[bytes] = [b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"]
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(len(p) for p in parts)
        parts.append(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(5, f"<< /Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode /Length {len(packed)} >>\nstream\n"
        .encode() + packed + b"\nendstream")
    start = sum(len(p) for p in parts)
    rows = [(0, 0, 0xFFFF), (1, offsets[1], 0), (1, offsets[2], 0), (1, offsets[3], 0), (2, 5, 0), (1, offsets[5], 0),
            (1, start, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    add(6, f"<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Info 4 0 R /Length {len(table)} >>\nstream\n".encode()
        + table + b"\nendstream")
    parts.append(f"startxref\n{start}\n%%EOF\n".encode())
    path.write_bytes(b"".join(parts))
    return path


def test_a_code_in_a_compressed_object_stream_is_read(tmp_path):
    path = object_stream_pdf(tmp_path / "另存.pdf", "TTEXU-YDUF4")
    assert KEYWORD_PREFIX.encode() not in path.read_bytes()
    assert read_verification_code(path) == "TTEXU-YDUF4"


def test_a_code_cut_by_a_chunks_end_is_found_whole_and_the_last_wins(tmp_path, monkeypatch):
    monkeypatch.setattr(document, "_CHUNK", 64)
    for cut in range(0, 90, 7):  # the second code at every place across a chunk's end
        data = b"%PDF-1.4\n" + f"({KEYWORD_PREFIX}AAAAA-BBBBB)".encode() + b" " * (40 + cut)
        data += f"({KEYWORD_PREFIX}TTEXU-YDUF4)".encode() + b" " * 50
        (tmp_path / "x.pdf").write_bytes(data)
        assert read_verification_code(tmp_path / "x.pdf") == "TTEXU-YDUF4", cut


def test_a_1_gb_file_is_scanned_in_chunks(tmp_path):
    huge = tmp_path / "大.pdf"
    with open(huge, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(1024 ** 3)  # sparse: takes no disk
    tracemalloc.start()
    try:
        assert read_verification_code(huge) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 ** 2
