"""Reading a zip upload in memory without trusting its headers.

Every member name is checked before anything is read (no absolute paths, no ``..``), the
declared sizes are checked against the limits, and each member is then read in chunks while
counting the bytes that actually come out, so a zip that lies about its sizes is stopped too.
"""

import io
import zipfile
from pathlib import PurePosixPath

from app.domain.loop.model import ImportLimits, LoopFormatError, describe_size, file_too_large

_CHUNK = 64 * 1024


def safe_member_path(name: str) -> PurePosixPath:
    """The member's path inside the archive, or an error if it would escape its folder."""
    normalized = name.replace("\\", "/")
    path = PurePosixPath(normalized)
    if (
        "\x00" in name
        or normalized.startswith("/")
        or (len(normalized) > 1 and normalized[1] == ":")
        or any(part == ".." for part in path.parts)
    ):
        raise LoopFormatError(
            f'The zip file contains an entry with an unsafe name ("{name}"); nothing was imported.'
        )
    return path


def open_zip(data: bytes, limits: ImportLimits) -> zipfile.ZipFile:
    if len(data) > limits.max_file_bytes:
        raise file_too_large(len(data), limits.max_file_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise LoopFormatError(f"The file is not a readable zip archive ({error}).") from error
    if len(infos) > limits.max_zip_members:
        raise LoopFormatError(
            f"The zip file has {len(infos)} entries; at most {limits.max_zip_members} are allowed."
        )
    declared_total = 0
    for info in infos:
        safe_member_path(info.filename)
        declared_total += info.file_size
        _check_ratio(info.filename, info.file_size, info.compress_size, limits)
    if declared_total > limits.max_uncompressed_bytes:
        raise LoopFormatError(_bomb(declared_total, limits))
    return archive


def read_members(archive: zipfile.ZipFile, names: list[str], limits: ImportLimits) -> dict[str, bytes]:
    """The content of the named members, counting real (not declared) sizes against the limits."""
    contents: dict[str, bytes] = {}
    total = 0
    for name in names:
        info = archive.getinfo(name)
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size:
                        raise LoopFormatError(
                            f'The zip entry "{name}" is larger than its header says; it may be a zip bomb.'
                        )
                    if total > limits.max_uncompressed_bytes:
                        raise LoopFormatError(_bomb(total, limits))
                    _check_ratio(name, size, info.compress_size, limits)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            if isinstance(error, LoopFormatError):
                raise
            raise LoopFormatError(
                f'The zip entry "{name}" is damaged and cannot be read ({error}).'
            ) from error
        contents[name] = b"".join(chunks)
    return contents


def _check_ratio(name: str, size: int, compressed: int, limits: ImportLimits) -> None:
    if size > limits.ratio_check_min_bytes and size > limits.max_compression_ratio * max(compressed, 1):
        raise LoopFormatError(
            f'The zip entry "{name}" expands more than {limits.max_compression_ratio} times; '
            "it looks like a zip bomb and was not read."
        )


def _bomb(total: int, limits: ImportLimits) -> str:
    return (
        f"The zip file expands to more than {describe_size(limits.max_uncompressed_bytes)} "
        f"({total} bytes); it looks like a zip bomb and was not read."
    )
