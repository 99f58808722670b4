#!/usr/bin/env python3
"""mkpng.py - writes the PNG masks the hardening tests need, with only the
standard library, so every colour type, bit depth and interlacing is
exercised without an image library.

usage: mkpng.py KIND OUT [W H]
kinds: gray8 gray16 rgb8 rgba8 rgba16 palette interlaced white bomb
       truncated corrupt-crc corrupt-data
Inside (ink) is a dark ellipse; outside is white (or transparent)."""
import struct
import sys
import zlib


def chunk(kind, data):
    c = struct.pack(">I", len(data)) + kind + data
    return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def inside(x, y, w, h):
    dx = (x + 0.5 - w / 2) / (w / 2)
    dy = (y + 0.5 - h / 2) / (h / 2)
    return dx * dx + dy * dy <= 0.8


def sample(x, y, w, h, ctype, depth, white):
    ink = inside(x, y, w, h) and not white
    hi = (1 << depth) - 1
    if ctype == 0:
        return [0 if ink else hi]
    if ctype == 2:
        return [0, 0, hi // 2] if ink else [hi, hi, hi]
    if ctype == 3:
        return [1 if ink else 0]
    if ctype == 6:
        return [0, 0, 0, hi] if ink else [hi, hi, hi, 0]
    raise ValueError(ctype)


def pack_row(samples, depth):
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    raise ValueError(depth)


def raw_rows(w, h, ctype, depth, white, xs=None, ys=None):
    xs = list(range(w)) if xs is None else xs
    ys = list(range(h)) if ys is None else ys
    out = b""
    for y in ys:
        row = []
        for x in xs:
            row += sample(x, y, w, h, ctype, depth, white)
        out += b"\0" + pack_row(row, depth)
    return out


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(w, h, ctype=0, depth=8, interlace=False, white=False):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 1 if interlace else 0)
    if interlace:
        raw = b""
        for x0, y0, dx, dy in ADAM7:
            xs = list(range(x0, w, dx))
            ys = list(range(y0, h, dy))
            if xs and ys:
                raw += raw_rows(w, h, ctype, depth, white, xs, ys)
    else:
        raw = raw_rows(w, h, ctype, depth, white)
    body = chunk(b"IHDR", ihdr)
    if ctype == 3:
        body += chunk(b"PLTE", bytes([255, 255, 255, 20, 40, 120]))
    body += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def bomb(w=100000, h=100000):
    """A valid header claiming w x h with a tiny IDAT: a loader that
    allocates before checking the size would ask for 10 GB."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    z = zlib.compressobj(9)
    row = b"\0" + b"\xff" * w
    data = z.compress(row * 4) + z.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    w = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    h = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    kinds = {
        "gray8": lambda: png(w, h, 0, 8),
        "gray16": lambda: png(w, h, 0, 16),
        "rgb8": lambda: png(w, h, 2, 8),
        "rgba8": lambda: png(w, h, 6, 8),
        "rgba16": lambda: png(w, h, 6, 16),
        "palette": lambda: png(w, h, 3, 8),
        "interlaced": lambda: png(w, h, 6, 8, interlace=True),
        "white": lambda: png(w, h, 0, 8, white=True),
        "bomb": lambda: bomb(),
        "truncated": lambda: png(w, h, 2, 8)[:60],
        "corrupt-crc": lambda: corrupt(png(w, h, 2, 8), 29),
        "corrupt-data": lambda: corrupt(png(w, h, 2, 8), 45),
    }
    with open(out, "wb") as f:
        f.write(kinds[kind]())


def corrupt(data, at):
    b = bytearray(data)
    b[at] ^= 0x5A
    return bytes(b)


if __name__ == "__main__":
    main()
