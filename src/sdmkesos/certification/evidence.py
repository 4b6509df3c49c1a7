"""Checking uploaded evidence: allowed types by content (magic bytes), not by name alone."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
# extension -> (content type, magic prefixes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def check(name: str, size: int, head: bytes) -> tuple[str, Problem | None]:
    """(content type, problem or None) of a file called ``name`` starting with ``head``."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        return "", Problem("evidence_type", "Jenis berkas harus PDF, JPG atau PNG.")
    if size <= 0:
        return "", Problem("evidence_empty", "Berkas kosong.")
    if size > MAX_BYTES:
        return "", Problem("evidence_too_large",
                           f"Berkas melebihi {MAX_BYTES // (1024 * 1024)} MB.")
    content_type, magics = ALLOWED[ext]
    if not any(head.startswith(m) for m in magics):
        return "", Problem("evidence_content",
                           f"Isi berkas tidak sesuai dengan jenis .{ext}.")
    return content_type, None
