"""taplib.py - the TAP output the Python tests share (C tests use tap.h)."""

_count = 0
_failed = 0


def ok(cond, what):
    """One test line; a false `cond` fails the script."""
    global _count, _failed
    _count += 1
    if not cond:
        _failed += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", _count, what), flush=True)


def skip(what):
    """One test line that is skipped, saying why."""
    global _count
    _count += 1
    print("ok %d - # SKIP %s" % (_count, what), flush=True)


def done():
    """Prints the plan; returns the exit status."""
    print("1..%d" % _count, flush=True)
    return 1 if _failed else 0
