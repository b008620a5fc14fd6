"""A small PDF written by hand for the tests: pages of text lines in Helvetica, with metadata.

Each page is a list of lines (None leaves a blank line: the gap between paragraphs); the
document's Info dictionary carries the title and dates. No library writes it, so the tests of
`dossier new` read a PDF made independently of the reader they exercise."""

from __future__ import annotations


def _escape(text: str) -> bytes:
    data = text.encode("cp1252")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _page_stream(lines: list) -> bytes:
    body = [b"BT /F1 11 Tf 14 TL 72 760 Td"]
    for line in lines:
        body.append(b"T*" if line is None else b"(" + _escape(line) + b") Tj T*")
    body.append(b"ET")
    return b"\n".join(body)


def make_pdf(pages: list[list], info: dict[str, str]) -> bytes:
    """The bytes of a PDF of `pages` (lists of lines) with the Info entries `info` (Title, CreationDate…)."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        stream = _page_stream(lines)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    entries = "".join(f" /{key} ({value})" for key, value in info.items())
    objects.append(f"<<{entries} >>".encode("latin-1"))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
