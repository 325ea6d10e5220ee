#!/usr/bin/env python3
"""Do `benches/reference.py --points` and `retreat simulate --format json` agree?

    python3 benches/agree.py REFERENCE.json RETREAT.json

Compares the forward finish, the rollback deadline and the number of points
that fit (what the issue asks to agree), and then every failure point: same
steps in the same order (by fail time, ties in list order), same fail time,
rollback chain, done, fits and no_way_back. Exit status 0 when all agree,
1 with a list of the differences otherwise.
"""

import json
import re
import sys

# `"undo_order": [[ids], ...],` in a failure point (ids hold no brackets).
# Today every point writes its waves, so a 10,000-step plan's JSON is some
# 300 MB: dropped before parsing, it stays a small load.
UNDO_ORDER = re.compile(rb'"undo_order":\s*\[(?:\s*\[[^\]]*\]\s*,?)*\s*\]\s*,?')


def close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main(ref_path, retreat_path):
    with open(ref_path) as f:
        ref = json.load(f)
    with open(retreat_path, "rb") as f:
        got = json.loads(UNDO_ORDER.sub(b"", f.read()))
    points = got["failure_points"]
    problems = []
    figures = [
        ("forward finish (min)", ref["forward_finish_minutes"], got["forward"]["finish_minutes"]),
        ("rollback deadline (min)", ref["rollback_deadline_minutes"], got["rollback_deadline_minutes"]),
        ("failure points", ref["failure_points"], len(points)),
        ("points that fit", ref["points_fit"], sum(1 for p in points if p["fits"])),
        ("points with no way back", ref["points_no_way_back"], sum(1 for p in points if p["no_way_back"])),
    ]
    for name, a, b in figures:
        ok = close(a, b)
        print(f"  {name:<26} reference {a!s:>12}  retreat {b!s:>12}  {'agree' if ok else 'DIFFER'}")
        if not ok:
            problems.append(name)
    if "points" in ref:
        fields = ["fail_minutes", "rollback_minutes", "done_minutes", "margin_minutes", "fits", "no_way_back"]
        differ = 0
        for i, (r, g) in enumerate(zip(ref["points"], points)):
            bad = [k for k in fields if not (r[k] == g[k] if isinstance(r[k], bool) else close(r[k], g[k]))]
            if r["step"] != g["step"]:
                bad.insert(0, "step")
            if bad:
                differ += 1
                if differ <= 5:
                    print(f"  point {i}: {r['step']} / {g['step']}: {', '.join(bad)} differ")
        print(f"  every failure point ({len(points)}): {'agree' if differ == 0 else f'{differ} DIFFER'}")
        if differ:
            problems.append("points")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: agree.py REFERENCE.json RETREAT.json")
    sys.exit(main(sys.argv[1], sys.argv[2]))
