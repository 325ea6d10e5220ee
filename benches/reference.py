#!/usr/bin/env python3
"""The deterministic analysis of a Retreat plan, in plain Python: the reference
that `benches/whole-process.sh` times `retreat simulate` against.

    python3 benches/reference.py PLAN.yaml [--points] [--check]

It does what section 2 of docs/PLAN_FORMAT.md defines, with the usual tools:
PyYAML's C loader (libyaml) reads the plan, networkx holds the dependency
graph and sorts it. Then:

  * the earliest-start schedule of the `implement` and `verify` steps (`prep`
    and `post` are not scheduled; dependencies on prep are already met),
    with the `likely` point of three-point estimates;
  * every failure point: fail time F = finish(s); the started set S = prep
    + {scheduled t : start(t) < F} + {s}; the rollback chain = the longest
    path of undo durations, over the dependency order, among the `change`
    steps of S (undo `takes` defaulting to the step's own; prep undos after
    all the window's, see docs/decisions.md); done, margin and fits;
  * the rollback deadline: the latest T with T + decide + chain(T) + verify
    <= window end, chain(T) covering prep and every step started before T,
    never after the first irreversible step starts, null if prep holds one.

It prints a small JSON summary. `--points` adds every failure point.

How the chain is computed, and why that is honest: every started set is
closed under dependencies (a step starts only after all it waits for has
finished, and finishing takes no less than starting), so the longest undo
path inside S is the longest path *ending* anywhere in S, and the longest
path ending at a step never changes as other steps start. One pass over the
topological order gives each step's `chain_to`; sorted by start time, a
running maximum gives every point's chain by binary search. That is what a
Python programmer writing for speed would do; `--check` also recomputes each
point's chain from the definition (a longest path over the subgraph of S,
quadratic: for small plans only) and fails if the two differ.

Not done here (retreat does them, so this is the smaller job): leftovers,
undo waves, the critical path, the lint rules, Monte Carlo.
"""

import bisect
import datetime
import json
import math
import re
import sys

try:
    import yaml

    Loader = yaml.CSafeLoader
except (ImportError, AttributeError):
    sys.exit(
        "reference.py: PyYAML with libyaml is required (yaml.CSafeLoader is missing); "
        "install libyaml and then PyYAML (pip install --force-reinstall --no-binary pyyaml pyyaml "
        "builds against it; the PyPI wheels for Linux include it)"
    )
import networkx as nx

UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "min": 60.0, "s": 1.0}
PART = re.compile(r"\s*([0-9.]+)\s*([a-z]+)\s*")


def seconds(value):
    """A plan's duration in whole seconds; three points give their likely one."""
    if value is None:
        return None
    if isinstance(value, list):
        return seconds(value[1])
    if isinstance(value, dict):
        return seconds(value["likely"])
    if isinstance(value, bool):
        raise ValueError(f"`{value}` is not a duration")
    if isinstance(value, (int, float)):
        secs = value * 60.0
    else:
        text = str(value).strip()
        try:
            secs = float(text) * 60.0
        except ValueError:
            secs, pos = 0.0, 0
            while pos < len(text):
                m = PART.match(text, pos)
                if not m or m.group(2) not in UNITS:
                    raise ValueError(f"`{text}` is not a duration") from None
                secs += float(m.group(1)) * UNITS[m.group(2)]
                pos = m.end()
    # As retreat does: rounded to the second, halves away from zero.
    return math.floor(secs + 0.5)


def timestamp(value):
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))


def analyse(plan, check=False):
    steps = plan["steps"]
    n = len(steps)
    window = plan["window"]
    start_at = timestamp(window["start"])
    if "end" in window:
        length = (timestamp(window["end"]) - start_at).total_seconds()
    else:
        length = float(seconds(window["duration"]))
    rollback = plan.get("rollback") or {}
    decide = seconds(rollback.get("decide")) or 0
    verify = seconds((rollback.get("verify") or {}).get("takes")) or 0

    # The graph: an edge from each step to each step that waits for it.
    index = {}
    for i, s in enumerate(steps):
        index.setdefault(str(s["id"]), i)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    deps = [None] * n
    for i, s in enumerate(steps):
        after = s.get("after")
        if after is None:
            d = [i - 1] if i > 0 else []
        else:
            if isinstance(after, str):
                after = [after]
            d = list(dict.fromkeys(index[str(a)] for a in after))
        deps[i] = d
        graph.add_edges_from((x, i) for x in d)
    order = list(nx.topological_sort(graph))  # raises on a cycle

    phase = [s.get("phase", "implement") for s in steps]
    prep = [p == "prep" for p in phase]
    scheduled = [p in ("implement", "verify") for p in phase]
    irreversible = [bool(s.get("irreversible")) and p != "post" for s, p in zip(steps, phase)]
    # A rollback undoes the `change` steps (the default kind) outside post
    # that are not irreversible; an undo without `takes` takes the step's.
    undo = [0] * n
    fwd = [0] * n
    for i, s in enumerate(steps):
        own = seconds(s.get("takes"))
        if scheduled[i]:
            fwd[i] = own or 0
        if s.get("kind", "change") == "change" and not irreversible[i] and phase[i] != "post":
            u = s.get("undo")
            u_takes = seconds(u.get("takes")) if isinstance(u, dict) else None
            undo[i] = (u_takes if u_takes is not None else own) or 0

    # Schedule and chains, in one walk of the topological order. Prep comes
    # first, for the rollback too: its undos wait for all of the window's.
    start = [0.0] * n
    finish = [0.0] * n
    chain_to = [0.0] * n
    for x in order:
        if prep[x]:
            chain_to[x] = max((chain_to[d] for d in deps[x] if prep[d]), default=0.0) + undo[x]
    prep_chain = max((chain_to[x] for x in range(n) if prep[x]), default=0.0)
    for x in order:
        if prep[x]:
            continue
        dx = deps[x]
        chain_to[x] = max(prep_chain, max((chain_to[d] for d in dx), default=0.0)) + undo[x]
        if scheduled[x]:
            st = max((finish[d] for d in dx if scheduled[d]), default=0.0)
            start[x] = st
            finish[x] = st + fwd[x]
    points = [x for x in range(n) if scheduled[x]]
    forward_finish = max((finish[x] for x in points), default=0.0)

    # Scheduled steps by start time, with the running maximum of their chains.
    by_start = sorted(points, key=start.__getitem__)
    starts = [start[x] for x in by_start]
    running, prefix = prep_chain, []
    for x in by_start:
        running = max(running, chain_to[x])
        prefix.append(running)
    prep_count = sum(prep)
    prep_irreversible = any(i for i, p in zip(irreversible, prep) if p)
    no_return = min((start[x] for x in points if irreversible[x]), default=math.inf)

    results = []
    for s in sorted(points, key=lambda x: (finish[x], x)):
        fail = finish[s]
        k = bisect.bisect_left(starts, fail)  # scheduled steps with start < F
        chain = max(prefix[k - 1] if k else prep_chain, chain_to[s])
        done = fail + decide + chain + verify
        margin = length - done
        results.append(
            {
                "step": str(steps[s]["id"]),
                "fail": fail,
                "started": prep_count + k + (0 if start[s] < fail else 1),
                "chain": chain,
                "done": done,
                "margin": margin,
                "fits": margin >= 0,
                "no_way_back": prep_irreversible or no_return < fail or irreversible[s],
            }
        )
        if check:
            started = [x for x in range(n) if prep[x] or (scheduled[x] and start[x] < fail)] + [s]
            direct = chain_by_definition(order, deps, set(started), prep, undo)
            if direct != chain:
                sys.exit(f"reference.py: --check: point {steps[s]['id']}: chain {direct} by definition, {chain} fast")

    # The deadline: chain(T) is a step function of T, constant on (u_j, u_j+1]
    # between distinct start times u (and on [0, u_1]); the latest T that fits
    # in any piece is the answer.
    budget = length - decide - verify
    deadline = None
    if not prep_irreversible:
        times = sorted(set(starts))
        pieces = [(0.0, True, times[0] if times else math.inf, prep_chain)]
        for j, u in enumerate(times):
            hi = times[j + 1] if j + 1 < len(times) else math.inf
            pieces.append((u, False, hi, prefix[bisect.bisect_right(starts, u) - 1]))
        for lo, closed, hi, chain in pieces:
            cap = min(hi, budget - chain, no_return)
            if cap > lo or (closed and cap >= lo):
                deadline = cap if deadline is None else max(deadline, cap)

    return {
        "steps": n,
        "forward_finish_minutes": forward_finish / 60.0,
        "forward_fits": forward_finish <= length,
        "rollback_deadline_minutes": None if deadline is None else deadline / 60.0,
        "failure_points": len(results),
        "points_fit": sum(1 for r in results if r["fits"]),
        "points_no_way_back": sum(1 for r in results if r["no_way_back"]),
        "least_margin_minutes": min(r["margin"] for r in results) / 60.0 if results else None,
    }, results


def chain_by_definition(order, deps, started, prep, undo):
    """The longest path of undo durations among the steps of `started`, by
    dependency order ("directly or through other steps"), prep undos after
    all others: the definition, computed afresh for one point (for --check)."""
    best = [0.0] * len(order)
    prep_top = 0.0
    for x in order:
        if prep[x]:
            best[x] = max((best[d] for d in deps[x] if prep[d]), default=0.0) + (undo[x] if x in started else 0)
            if x in started:
                prep_top = max(prep_top, best[x])
    top = prep_top
    for x in order:
        if not prep[x]:
            best[x] = max(prep_top, max((best[d] for d in deps[x]), default=0.0)) + (undo[x] if x in started else 0)
            if x in started:
                top = max(top, best[x])
    return top


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    if len(args) != 1 or not flags <= {"--points", "--check"}:
        sys.exit("usage: reference.py PLAN.yaml [--points] [--check]")
    with open(args[0], "rb") as f:
        plan = yaml.load(f, Loader=Loader)
    summary, points = analyse(plan, check="--check" in flags)
    if "--points" in flags:
        summary["points"] = [
            {
                "step": p["step"],
                "fail_minutes": p["fail"] / 60.0,
                "rollback_minutes": p["chain"] / 60.0,
                "done_minutes": p["done"] / 60.0,
                "margin_minutes": p["margin"] / 60.0,
                "fits": p["fits"],
                "no_way_back": p["no_way_back"],
            }
            for p in points
        ]
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
