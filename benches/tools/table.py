"""Markdown table of benches/run.sh results: python3 table.py RESULTS TIMEOUT.

RESULTS lines: "tool n step seconds MB [check]", tool in cli_wall | wasm | r | py;
seconds a number, "timeout" or "failed". SurvLens (cli_wall, wasm) lines are whole-run
wall times per spec (best of the reps); "cli_stages n step JSON" / "wasm_stages n step
JSON" lines (one per rep) hold the in-process stage timings of that run (`survlens
analyze --timings`, the worker's `timings`), from which the step times are taken
(STEP_STAGES, best of the reps). Without stage lines (an older build), a step time is the
wall time minus the load spec's (zph: the cox spec's). R and lifelines lines already
hold in-process step times.
"""
import json
import sys
from collections import defaultdict

# The stages (crates/timing/src/lib.rs; "file" is the CLI's file read / the worker's copy into the
# core) that make each step: load = file + spec + cohort; a section step = the analysis
# (the sections the spec asks for; km and log-rank include the shared sort, IPTW the
# propensity model, weights, balance and the adjusted comparisons); zph = the PH test only.
STEP_STAGES = {
    "load": ["file", "spec", "read", "cohort"],
    "km": ["analysis"], "logrank": ["analysis"], "cox": ["analysis/cox"],
    "zph": ["analysis/cox/ph_test"], "iptw": ["analysis"], "all": ["analysis"],
    "cif": ["analysis/competing_risks"], "finegray": ["analysis/competing_risks/fine_gray"],
    "match": ["analysis/matching"], "impute": ["analysis"], "subgroups": ["analysis/subgroups"],
    "emulation": ["analysis/emulation"],
}


def step_seconds(step, stages):
    """The step's seconds from one run's stage timings, or None if a stage is missing."""
    names = STEP_STAGES[step]
    if step != "load" and any(n not in stages for n in names):
        return None
    return sum(float(stages.get(n, 0.0)) for n in names)

STEPS = ["load", "km", "logrank", "cox", "zph", "iptw", "all", "cif", "finegray", "match", "impute",
         "subgroups", "emulation"]
NAMES = {"load": "CSV load", "km": "KM by group", "logrank": "log-rank (3 groups)",
         "cox": "Efron Cox (12 par.)", "zph": "cox.zph", "iptw": "IPTW",
         "all": "KM+LR+Cox+PH end to end", "cif": "CIF + Gray (3 groups)",
         "finegray": "Fine–Gray (12 par.)", "match": "PS matching 1:1, caliper (2 comparisons)",
         "impute": "MI m = 20 + pooled Cox", "subgroups": "subgroups (5 columns)",
         "emulation": "emulation (clone–censor–weight)"}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def main():
    path, timeout = sys.argv[1], sys.argv[2]
    raw = defaultdict(dict)  # (tool, n) -> step -> (sec str, mb)
    checks = defaultdict(dict)
    staged = defaultdict(list)  # (tool, n, step) -> step seconds of each rep
    for line in open(path):
        f = line.split(maxsplit=3)
        if len(f) == 4 and f[0] in ("cli_stages", "wasm_stages"):
            s = step_seconds(f[2], json.loads(f[3]).get("stages", json.loads(f[3])))
            if s is not None:
                staged[({"cli_stages": "cli_wall", "wasm_stages": "wasm"}[f[0]], f[1], f[2])].append(s)
            continue
        f = line.split()
        if len(f) < 5:
            continue
        tool, n, step, sec, mb = f[:5]
        raw[(tool, n)][step] = (sec, mb)
        if len(f) > 5:
            checks[(tool, n)][step] = f[5]
    sizes = sorted({n for (_, n) in raw}, key=float)
    table = {}  # (tool, n, step) -> (seconds or None, text, mb)
    wall = {}  # (tool, n, step) -> whole-run wall seconds of the spec (SurvLens)

    def survlens(tool, n):
        r = raw.get((tool, n), {})
        for step in STEPS:
            if step not in r:
                continue
            sec, mb = r[step]
            base = {"load": None, "all": None, "zph": "cox"}.get(step, "load")
            s = num(sec)
            wall[(tool, n, step)] = s
            if staged.get((tool, n, step)) and s is not None:
                s = min(staged[(tool, n, step)])
            elif s is not None and base is not None:
                b = num(r.get(base, ("x",))[0])
                s = None if b is None else max(s - b, 0.0)
            table[(tool, n, step)] = (s, sec, mb)

    for n in sizes:
        survlens("cli_wall", n)
        survlens("wasm", n)
        for tool in ("r", "py"):
            r = raw.get((tool, n), {})
            for step, (sec, mb) in r.items():
                table[(tool, n, step)] = (num(sec), sec, mb)
            parts = [num(r.get(s, ("x",))[0]) for s in ("load", "km", "logrank", "cox", "zph")]
            if all(s in r for s in ("load", "km", "logrank", "cox", "zph")):
                total = sum(parts) if all(p is not None for p in parts) else None
                mb = max((int(v[1]) for v in r.values() if v[1].isdigit()), default=0)
                table[(tool, n, "all")] = (total, "sum" if total is not None else "timeout", str(mb))

    def show(key):
        v = table.get(key)
        if v is None:
            return "–"
        s, text, _ = v
        if s is None:
            return f"> {timeout}" if text == "timeout" else text
        return f"{s:.2f}" if s >= 0.01 else "< 0.01"

    def wall_of(key):
        v = wall.get(key)
        return "–" if v is None else f"{v:.2f}"

    def mem(key):
        v = table.get(key)
        return v[2] if v and v[2] else "–"

    def ratio(a, b):
        x, y = table.get(a), table.get(b)
        if not x or not y:
            return "–"
        if y[0] is None:
            return "–"
        yv = max(y[0], 0.01)
        if x[0] is None:
            return f"> {float(timeout) / yv:.0f}" if x[1] == "timeout" else "–"
        return f"{max(x[0], 0.01) / yv:.1f}"

    print("| n | step | SurvLens CLI s | wasm s | R s | lifelines s | CLI wall s | wasm wall s | CLI MB | wasm MB "
          "| R MB | lifelines MB | R / CLI | lifelines / CLI | wasm / CLI |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for step in STEPS:
            k = lambda t: (t, n, step)  # noqa: E731
            if not any(k(t) in table for t in ("cli_wall", "wasm", "r", "py")):
                continue
            print(f"| {n} | {NAMES[step]} | {show(k('cli_wall'))} | {show(k('wasm'))} | {show(k('r'))} | "
                  f"{show(k('py'))} | {wall_of(k('cli_wall'))} | {wall_of(k('wasm'))} | {mem(k('cli_wall'))} | {mem(k('wasm'))} | {mem(k('r'))} | {mem(k('py'))} | "
                  f"{ratio(k('r'), k('cli_wall'))} | {ratio(k('py'), k('cli_wall'))} | "
                  f"{ratio(k('wasm'), k('cli_wall'))} |")
    if checks:
        print()
        print("Agreement (wasm, R, lifelines): KM median of IM, log-rank chi-square, Cox coef of "
              "treatment=IM+HR, cox.zph global chi-square (lifelines: sum of per-term statistics), "
              "IPTW coef of treatment=IM+HR (SurvLens wasm: propensity intercept while adjusted.cox is absent), "
              "CIF of GIST death at 60 months in IM, Fine–Gray coef of treatment=IM+HR (R: crr at its "
              "default stop, so it differs in the 5th digit or so), matched Cox coef of IM+HR vs IM, pooled "
              "Cox coef of treatment=IM+HR, interaction LR chi-square of sex, RMST difference to 120.")
        print()
        print("| n | step | wasm | R | lifelines |")
        print("|---|---|---|---|---|")
        for n in sizes:
            for step in STEPS[1:6] + STEPS[7:]:
                row = [checks.get((t, n), {}).get(step, "–") for t in ("wasm", "r", "py")]
                if any(v != "–" for v in row):
                    print(f"| {n} | {step} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
