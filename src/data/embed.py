#!/usr/bin/env python3
"""Embeds a text data file as a C string constant, so the library needs no
data files at run time (the file stays the place to edit)."""
import sys

name, src, dst = sys.argv[1:4]
data = open(src, 'rb').read()
with open(dst, 'w') as out:
    out.write('/* generated from %s by embed.py: edit the .txt file */\n' % src.split('/')[-1])
    out.write('static const char %s[] =\n' % name)
    for line in data.split(b'\n'):
        esc = ''.join(chr(b) if 32 <= b < 127 and b not in (34, 92) else '\\%03o' % b for b in line + b'\n')
        out.write('    "%s"\n' % esc)
    out.write(';\n')
