#!/usr/bin/env python3
"""Small decompression bombs for the archive-limit tests of `mamori secrets`.

make_bombs.py overlap OUT [ENTRIES]  zip whose ENTRIES (default 1024) central-directory entries
                                     all point at one deflated 16 MiB text member: ~75 KB on disk,
                                     16 GiB once every member is inflated.
make_bombs.py gzgz OUT [MIB]         gzip of a gzip of MIB (default 256) MiB of text: a few KB.
make_bombs.py nested OUT LEVELS      LEVELS gzip layers around a line of text.
make_bombs.py zipzip OUT [COPIES]    zip holding COPIES (default 10) copies of a zip whose one member
                                     is 16 MiB of text: ~160 KB, 160 MiB expanded.
"""
import binascii
import gzip
import struct
import sys
import io
import zipfile
import zlib

LINE = b"INFO request served in 3 ms\n"


def text(mib):
    """Yields MIB MiB of log-like text, 1 MiB at a time (never all in memory)."""
    chunk = (LINE * (2**20 // len(LINE) + 1))[: 2**20]
    for _ in range(mib):
        yield chunk


def overlap(out, entries=1024):
    size = 16 * 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = 0
    kernel = b""
    for chunk in text(16):
        crc = binascii.crc32(chunk, crc)
        kernel += compressor.compress(chunk)
    kernel += compressor.flush()
    name = b"log.txt"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(kernel), size, len(name), 0) + name + kernel
    directory = bytearray()
    for i in range(entries):
        member = b"log%05d.txt" % i
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(kernel), size,
                                 len(member), 0, 0, 0, 0, 0, 0) + member
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(directory), len(local), 0)
    with open(out, "wb") as f:
        f.write(local + bytes(directory) + end)


def gzgz(out, mib=256):
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)
    once = bytearray()
    for chunk in text(mib):
        once += inner.compress(chunk)
    once += inner.flush()
    with open(out, "wb") as f:
        f.write(gzip.compress(bytes(once), 9))


def nested(out, levels):
    data = LINE
    for _ in range(levels):
        data = gzip.compress(data)
    with open(out, "wb") as f:
        f.write(data)


def zipzip(out, copies=10):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("app.log", b"".join(text(16)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for i in range(copies):
            z.writestr(f"part{i}.zip", inner.getvalue())


if __name__ == "__main__":
    kind, target = sys.argv[1], sys.argv[2]
    extra = [int(a) for a in sys.argv[3:]]
    {"overlap": overlap, "gzgz": gzgz, "nested": nested, "zipzip": zipzip}[kind](target, *extra)
