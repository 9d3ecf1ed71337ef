"""Streaming writers for Stata .dta (format 118) and SPSS .sav (uncompressed) files.

Rows are written batch by batch from numpy structured arrays, so a file of any length is
written in memory bounded by one batch; nothing here needs pandas. The layouts follow the
published format descriptions (Stata's "dta format 118" and the PSPP manual's "System File
Format"); the tests read every file back with pyreadstat.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DTA_MISSING = struct.unpack("<d", bytes.fromhex("000000000000e07f"))[0]  # Stata's "."
SAV_SYSMIS = -np.finfo(np.float64).max
MAX_STRING = 255


@dataclass
class Column:
    name: str
    label: str
    kind: str  # "number" or "text"
    width: int = 0  # bytes, for text
    value_labels: dict[float, str] = field(default_factory=dict)


def _fixed(text: str, size: int) -> bytes:
    data = text.encode("utf-8")[: size - 1]
    return data + b"\0" * (size - len(data))


def _cut(text: str | None, width: int) -> bytes:
    """UTF-8 bytes of ``text``, at most ``width`` of them, never splitting a character."""
    data = (text or "").encode("utf-8")
    if len(data) <= width:
        return data
    return data[:width].decode("utf-8", "ignore").encode("utf-8")


def _text_array(values, width: int) -> np.ndarray:
    """Fixed-width bytes; ``values`` is a list of str/None or (fast path) an array of UTF-8
    bytes no longer than ``width``."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "S":
        if values.dtype.itemsize <= width:
            return values.astype(f"S{max(width, 1)}")
        values = [v.decode("utf-8") for v in values]
    return np.array([_cut(v, width) for v in values], dtype=f"S{max(width, 1)}")


class DtaWriter:
    """Stata 14+ (.dta 118), little-endian; numbers as doubles, text as str#."""

    def __init__(self, path: Path, columns: list[Column], rows: int, label: str = ""):
        self.columns = columns
        self.handle = open(path, "wb")  # noqa: SIM115 (closed in close())
        self.dtype = np.dtype(
            [(c.name, "<f8" if c.kind == "number" else f"S{max(c.width, 1)}") for c in columns]
        )
        self.offsets = [0] * 14
        out = self.handle
        out.write(b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder>")
        out.write(b"<K>" + struct.pack("<H", len(columns)) + b"</K>")
        out.write(b"<N>" + struct.pack("<Q", rows) + b"</N>")
        title = label.encode("utf-8")[:80]
        out.write(b"<label>" + struct.pack("<H", len(title)) + title + b"</label>")
        stamp = dt.datetime.now().strftime("%d %b %Y %H:%M").encode()
        out.write(b"<timestamp>" + bytes([len(stamp)]) + stamp + b"</timestamp></header>")
        self.offsets[1] = out.tell()
        out.write(b"<map>" + b"\0" * 8 * 14 + b"</map>")
        self.offsets[2] = out.tell()
        types = [65526 if c.kind == "number" else max(c.width, 1) for c in columns]
        out.write(b"<variable_types>" + struct.pack(f"<{len(types)}H", *types))
        out.write(b"</variable_types>")
        self.offsets[3] = out.tell()
        out.write(b"<varnames>" + b"".join(_fixed(c.name, 129) for c in columns) + b"</varnames>")
        self.offsets[4] = out.tell()
        out.write(b"<sortlist>" + b"\0\0" * (len(columns) + 1) + b"</sortlist>")
        self.offsets[5] = out.tell()
        formats = ["%10.0g" if c.kind == "number" else f"%{max(c.width, 1)}s" for c in columns]
        out.write(b"<formats>" + b"".join(_fixed(f, 57) for f in formats) + b"</formats>")
        self.offsets[6] = out.tell()
        self.labelled = [c for c in columns if _integer_labels(c)]
        names = [c.name if c in self.labelled else "" for c in columns]
        out.write(
            b"<value_label_names>"
            + b"".join(_fixed(n, 129) for n in names)
            + b"</value_label_names>"
        )
        self.offsets[7] = out.tell()
        out.write(
            b"<variable_labels>"
            + b"".join(_fixed(c.label[:80], 321) for c in columns)
            + b"</variable_labels>"
        )
        self.offsets[8] = out.tell()
        out.write(b"<characteristics></characteristics>")
        self.offsets[9] = out.tell()
        out.write(b"<data>")

    def write(self, batch: dict[str, np.ndarray | list]) -> None:
        n = len(next(iter(batch.values())))
        rows = np.zeros(n, dtype=self.dtype)
        for c in self.columns:
            values = batch[c.name]
            if c.kind == "number":
                numbers = np.asarray(values, dtype=np.float64)
                rows[c.name] = np.where(np.isnan(numbers), DTA_MISSING, numbers)
            else:
                rows[c.name] = _text_array(values, c.width)
        self.handle.write(rows.tobytes())

    def close(self) -> None:
        out = self.handle
        out.write(b"</data>")
        self.offsets[10] = out.tell()
        out.write(b"<strls></strls>")
        self.offsets[11] = out.tell()
        out.write(b"<value_labels>")
        for c in self.labelled:
            table = _dta_label_table(c.value_labels)
            out.write(b"<lbl>" + struct.pack("<i", len(table)) + _fixed(c.name, 129) + b"\0" * 3)
            out.write(table + b"</lbl>")
        out.write(b"</value_labels>")
        self.offsets[12] = out.tell()
        out.write(b"</stata_dta>")
        self.offsets[13] = out.tell()
        out.seek(self.offsets[1] + len(b"<map>"))
        out.write(struct.pack("<14Q", *self.offsets))
        out.close()


def _integer_labels(column: Column) -> bool:
    return bool(column.value_labels) and all(float(v).is_integer() for v in column.value_labels)


def _dta_label_table(labels: dict[float, str]) -> bytes:
    items = sorted((int(v), t.encode("utf-8")[:80] + b"\0") for v, t in labels.items())
    offsets, position = [], 0
    for _value, text in items:
        offsets.append(position)
        position += len(text)
    return (
        struct.pack("<ii", len(items), position)
        + struct.pack(f"<{len(items)}i", *offsets)
        + struct.pack(f"<{len(items)}i", *[v for v, _t in items])
        + b"".join(t for _v, t in items)
    )


SHORT_NAME = re.compile(r"[^A-Z0-9_]")


def _short_names(columns: list[Column]) -> list[str]:
    taken, out = set(), []
    for c in columns:
        base = SHORT_NAME.sub("_", c.name.upper())[:8] or "V"
        if not base[0].isalpha():
            base = ("V" + base)[:8]
        name, n = base, 1
        while name in taken:
            suffix = str(n)
            name, n = base[: 8 - len(suffix)] + suffix, n + 1
        taken.add(name)
        out.append(name)
    return out


class SavWriter:
    """SPSS system file, uncompressed, UTF-8; numbers as F-format doubles, text as A."""

    def __init__(self, path: Path, columns: list[Column], rows: int, label: str = ""):
        self.columns = columns
        for c in columns:
            if c.kind == "text":
                c.width = min(max(c.width, 1), MAX_STRING)
        self.segments = [1 if c.kind == "number" else (c.width + 7) // 8 for c in columns]
        self.dtype = np.dtype(
            [
                (c.name, "<f8" if c.kind == "number" else f"S{8 * segments}")
                for c, segments in zip(columns, self.segments, strict=True)
            ]
        )
        self.handle = open(path, "wb")  # noqa: SIM115 (closed in close())
        out = self.handle
        now = dt.datetime.now()
        out.write(b"$FL2" + b"@(#) SPSS DATA FILE Kindred".ljust(60))
        out.write(struct.pack("<iiiii", 2, sum(self.segments), 0, 0, rows))
        out.write(struct.pack("<d", 100.0))
        out.write(now.strftime("%d %b %y").encode().ljust(9))
        out.write(now.strftime("%H:%M:%S").encode().ljust(8))
        out.write(label.encode("utf-8")[:64].ljust(64) + b"\0" * 3)
        shorts = _short_names(columns)
        index, positions = 1, []
        for c, short, segments in zip(columns, shorts, self.segments, strict=True):
            positions.append(index)
            if c.kind == "number":
                vtype, fmt = 0, (5 << 16) | (8 << 8) | 2
            else:
                vtype, fmt = c.width, (1 << 16) | (c.width << 8)
            text = c.label.encode("utf-8")[:255]
            out.write(struct.pack("<iiiiii", 2, vtype, 1 if text else 0, 0, fmt, fmt))
            out.write(short.encode().ljust(8))
            if text:
                padded = len(text) + (-len(text)) % 4
                out.write(struct.pack("<i", len(text)) + text.ljust(padded))
            for _ in range(segments - 1):
                out.write(struct.pack("<iiiiii", 2, -1, 0, 0, 0, 0) + b" " * 8)
            index += segments
        for c, position in zip(columns, positions, strict=True):
            if c.kind == "number" and c.value_labels:
                out.write(struct.pack("<ii", 3, len(c.value_labels)))
                for value, text in sorted(c.value_labels.items()):
                    raw = text.encode("utf-8")[:120]
                    entry = bytes([len(raw)]) + raw
                    out.write(
                        struct.pack("<d", value) + entry.ljust(len(entry) + (-len(entry)) % 8)
                    )
                out.write(struct.pack("<iii", 4, 1, position))
        out.write(
            struct.pack("<iiii", 7, 3, 4, 8) + struct.pack("<8i", 1, 0, 0, -1, 1, 1, 2, 65001)
        )
        big = np.finfo(np.float64).max
        out.write(struct.pack("<iiii", 7, 4, 8, 3) + struct.pack("<ddd", -big, big, -big))
        names = "\t".join(f"{s}={c.name}" for s, c in zip(shorts, columns, strict=True)).encode()
        out.write(struct.pack("<iiii", 7, 13, 1, len(names)) + names)
        out.write(struct.pack("<iiii", 7, 20, 1, 5) + b"UTF-8")
        out.write(struct.pack("<ii", 999, 0))

    def write(self, batch: dict[str, np.ndarray | list]) -> None:
        n = len(next(iter(batch.values())))
        rows = np.zeros(n, dtype=self.dtype)
        for c, segments in zip(self.columns, self.segments, strict=True):
            values = batch[c.name]
            if c.kind == "number":
                numbers = np.asarray(values, dtype=np.float64)
                rows[c.name] = np.where(np.isnan(numbers), SAV_SYSMIS, numbers)
            else:
                width = 8 * segments
                rows[c.name] = np.char.ljust(_text_array(values, c.width), width)
        self.handle.write(rows.tobytes())

    def close(self) -> None:
        self.handle.close()
