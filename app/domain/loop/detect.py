"""Choosing the right reader for whatever the person handed us: a zip, a folder or a backup.

The content decides, not the file name: a zip starts with ``PK``, a backup with SQLite's
header, so a renamed file still reads correctly and a wrong one gets a clear message.
"""

from pathlib import Path

from app.domain.loop.csv_import import read_loop_csv_folder, read_loop_csv_zip
from app.domain.loop.model import DEFAULT_LIMITS, ImportLimits, LoopFormatError, LoopImport, file_too_large
from app.domain.loop.sqlite_import import SQLITE_MAGIC, read_loop_sqlite, read_loop_sqlite_bytes

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"


def read_loop_path(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> LoopImport:
    """Read a CSV export folder, a CSV export zip or a ``.db`` backup from disk."""
    source = Path(path)
    if source.is_dir():
        return read_loop_csv_folder(source, limits)
    if not source.is_file():
        raise LoopFormatError(f"There is no file or folder at {source}.")
    size = source.stat().st_size
    if size > limits.max_file_bytes:
        raise file_too_large(size, limits.max_file_bytes)
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return read_loop_sqlite(source, limits)
    return read_loop_upload(source.read_bytes(), source.name, limits)


def read_loop_upload(data: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS) -> LoopImport:
    """Read uploaded bytes (``filename`` is only used in the message for an unknown format)."""
    if len(data) > limits.max_file_bytes:
        raise file_too_large(len(data), limits.max_file_bytes)
    if data.startswith(SQLITE_MAGIC):
        return read_loop_sqlite_bytes(data, limits)
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)) or filename.lower().endswith(".zip"):
        return read_loop_csv_zip(data, limits)
    raise LoopFormatError(
        f'"{filename}" is neither a Loop CSV export (.zip) nor a Loop backup (.db); nothing was imported.'
    )
