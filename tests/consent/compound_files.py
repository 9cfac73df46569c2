"""Small OLE compound files (the container of Outlook .msg and old Word .doc files), written
byte by byte so the upload tests need no OLE library and no binary fixtures."""

import struct

SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
# Streams of at least this size live in ordinary sectors, so no mini stream is needed.
STREAM_SIZE = 4096

OUTLOOK_MESSAGE_CLSID = bytes.fromhex("0b0d020000000000c000000000000046")


def _entry(name, kind, *, right=NO_STREAM, child=NO_STREAM, start=END_OF_CHAIN, size=0, clsid=b""):
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NO_STREAM, right, child)
        + clsid.ljust(16, b"\0")
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def compound_file(entries, *, clsid=b"") -> bytes:
    """A compound file whose root holds `entries`, each (name, STREAM or STORAGE), in a chain of
    right siblings. Every stream holds STREAM_SIZE bytes of zeros."""
    directory_sectors = (len(entries) + 1 + 3) // 4
    first_data = 1 + directory_sectors
    streams = [name for name, kind in entries if kind == STREAM]
    sectors_per_stream = STREAM_SIZE // SECTOR
    directory = [_entry("Root Entry", ROOT, child=1 if entries else NO_STREAM, clsid=clsid)]
    stream_number = 0
    for index, (name, kind) in enumerate(entries, start=1):
        right = index + 1 if index < len(entries) else NO_STREAM
        if kind == STREAM:
            start = first_data + stream_number * sectors_per_stream
            directory.append(_entry(name, STREAM, right=right, start=start, size=STREAM_SIZE))
            stream_number += 1
        else:
            directory.append(_entry(name, STORAGE, right=right, start=0))
    while len(directory) % 4:
        directory.append(b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + b"\xff" * 12 + b"\0" * 48)

    fat = [FAT_SECTOR]
    fat += [*range(2, 1 + directory_sectors), END_OF_CHAIN]
    for number in range(len(streams)):
        first = first_data + number * sectors_per_stream
        fat += [*range(first + 1, first + sectors_per_stream), END_OF_CHAIN]
    fat += [FREE] * (SECTOR // 4 - len(fat))

    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, 1, 1, 0)
        + struct.pack("<IIIII", STREAM_SIZE, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    return (
        header
        + struct.pack(f"<{SECTOR // 4}I", *fat)
        + b"".join(directory)
        + b"\0" * (STREAM_SIZE * len(streams))
    )


def outlook_message() -> bytes:
    """The stream layout Outlook writes for a saved e-mail (MS-OXMSG)."""
    return compound_file(
        [
            ("__substg1.0_001A001F", STREAM),
            ("__substg1.0_0037001F", STREAM),
            ("__substg1.0_0C1F001F", STREAM),
            ("__properties_version1.0", STREAM),
            ("__recip_version1.0_#00000000", STORAGE),
            ("__nameid_version1.0", STORAGE),
        ],
        clsid=OUTLOOK_MESSAGE_CLSID,
    )


def word_document() -> bytes:
    return compound_file([("WordDocument", STREAM), ("1Table", STREAM)])


def bare_compound_file() -> bytes:
    """An OLE container with nothing that says what application wrote it."""
    return compound_file([("Contents", STREAM)])
