#!/usr/bin/env python3
"""Writes the linker version script from votecloud.h, so the shared library
exports exactly the public API: internal helpers share the vc_ prefix but
stay local."""
import re
import sys

header, out = sys.argv[1:3]
text = open(header).read()
# Function declarations: a vc_ name followed by '(' at top level.
names = sorted(set(re.findall(r'\b(vc_[a-z0-9_]+)\s*\(', text)))
with open(out, 'w') as f:
    f.write('{\n  global:\n')
    for n in names:
        f.write('    %s;\n' % n)
    f.write('  local:\n    *;\n};\n')
