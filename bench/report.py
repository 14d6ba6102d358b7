#!/usr/bin/env python3
"""Turns one bench/run.sh run into bench/results/latest.json and latest.md, and prints the markdown.

Inputs: argv[1] = the run's records file (TSV: bench, target, round, wrk output file, CPU seconds the server
used during that run), argv[2] = the results
directory; everything else (machine, settings, start-up times, proxy availability) comes from BENCH_* variables
exported by run.sh. Each wrk figure is the median over the rounds. A ratio is the median of the per-round ratios:
the two runs of one round are back to back, so they share most of whatever the neighbours were doing. CPU time per request
(the server's own user+system time over the requests it answered) is reported too: a busy neighbour lowers
everyone's requests/s, but it barely changes how much CPU each request costs.
"""
import json
import os
import re
import statistics
import sys

HEALTH_TARGET = 0.7
PROXY_TARGET = 0.4
SIZE_TARGET_MB = 12
STARTUP_TARGET_MS = 50

UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def parse_wrk(path, cpu_seconds):
    text = open(path).read()
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    total = re.search(r"^\s+(\d+) requests in", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if not rps or not p99:
        raise SystemExit(f"cannot read wrk output {path}:\n{text}")
    requests = int(total.group(1)) if total else 0
    return {
        "rps": float(rps.group(1)),
        "p99_ms": round(float(p99.group(1)) * UNITS_MS[p99.group(2)], 3),
        "requests": requests,
        "cpu_s": cpu_seconds,
        "cpu_us_per_req": round(cpu_seconds * 1e6 / requests, 2) if requests else None,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(g) for g in sock.groups()) if sock else 0,
    }


def summarise(runs):
    return {
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 3),
        "cpu_us_per_req": round(statistics.median(r["cpu_us_per_req"] or 0 for r in runs), 2),
        "clean": all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in runs),
        "runs": runs,
    }


def per_round(a, b, key="rps"):
    """a/b for each round, pairing each round's run of a with the same round's run of b."""
    theirs = {r["round"]: r[key] for r in b["runs"]}
    return [round(r[key] / theirs[r["round"]], 3) for r in a["runs"] if r[key] is not None and theirs.get(r["round"])]


def ratio(a, b, key="rps"):
    pairs = per_round(a, b, key)
    return round(statistics.median(pairs), 3) if pairs else None


def load_records(path):
    grouped = {}
    for line in open(path):
        bench, target, round_no, wrk_file, cpu = line.rstrip("\n").split("\t")
        run = {"round": int(round_no), **parse_wrk(wrk_file, float(cpu))}
        grouped.setdefault(bench, {}).setdefault(target, []).append(run)
    return {bench: {t: summarise(runs) for t, runs in targets.items()} for bench, targets in grouped.items()}


def build(records):
    env = os.environ
    health = records.get("health", {})
    result = {
        "date": env["BENCH_DATE"],
        "commit": env["BENCH_COMMIT"],
        "machine": {"nproc": int(env["BENCH_NPROC"]), "cpu": env["BENCH_CPU"], "kernel": env["BENCH_KERNEL"]},
        "settings": {
            "wrk": env["BENCH_WRK_ARGS"],
            "rounds": int(env["BENCH_ROUNDS"]),
            "health_duration": env["BENCH_DURATION"],
            "proxy_duration": env["BENCH_PROXY_DURATION"],
            "nginx": env["BENCH_NGINX_VERSION"],
            "nginx_workers": env["BENCH_NGINX_WORKERS"],
        },
    }
    if "cllama" in health and "nginx" in health:
        r = ratio(health["cllama"], health["nginx"])
        result["health"] = {
            "cllama": health["cllama"],
            "nginx": health["nginx"],
            "ratio_rps": r,
            "ratio_rps_per_round": per_round(health["cllama"], health["nginx"]),
            "ratio_cpu_per_req": ratio(health["cllama"], health["nginx"], "cpu_us_per_req"),
            "target_ratio": HEALTH_TARGET,
            "pass": r is not None and r >= HEALTH_TARGET and health["cllama"]["clean"],
        }

    size = int(env["BENCH_BINARY_BYTES"])
    result["binary"] = {"bytes": size, "mb": round(size / 1e6, 2), "target_mb": SIZE_TARGET_MB,
                        "pass": size <= SIZE_TARGET_MB * 1e6}
    # Each line: wall ms to the first 200, ms the process spent on a CPU by then, ms its threads waited for one.
    starts = [[float(x) for x in line.split()] for line in open(env["BENCH_STARTUP_FILE"]) if line.strip()]
    wall = [s[0] for s in starts]
    median_start = round(statistics.median(wall), 2)
    result["startup"] = {"median_ms": median_start, "min_ms": min(wall), "max_ms": max(wall), "runs_ms": wall,
                         "median_cpu_ms": round(statistics.median(s[1] for s in starts), 2),
                         "median_runqueue_wait_ms": round(statistics.median(s[2] for s in starts), 2),
                         "target_ms": STARTUP_TARGET_MS, "pass": median_start <= STARTUP_TARGET_MS}

    proxy = {"status": env["BENCH_PROXY_STATUS"], "message": env.get("BENCH_PROXY_MESSAGE", "")}
    for mode in ("json", "sse"):
        targets = records.get("proxy-" + mode)
        if not targets:
            continue
        c, n, d = targets["cllama"], targets["nginx-proxy"], targets["direct"]
        r = ratio(c, n)
        proxy[mode] = {"cllama": c, "nginx_proxy": n, "direct": d, "ratio_vs_nginx_proxy": r,
                       "ratio_vs_nginx_proxy_per_round": per_round(c, n),
                       "ratio_vs_direct": ratio(c, d), "cpu_per_req_vs_nginx_proxy": ratio(c, n, "cpu_us_per_req"),
                       "target_ratio": PROXY_TARGET,
                       "pass": r is not None and r >= PROXY_TARGET and c["clean"]}
    result["proxy"] = proxy
    return result


def verdict(ok):
    return "PASS" if ok else "**FAIL**"


def row(name, s):
    note = "" if s["clean"] else " (errors: non-2xx or socket errors, see json)"
    return f"| {name} | {s['rps']:,.0f} | {s['p99_ms']:.2f} ms | {s['cpu_us_per_req']:.1f} µs{note} |"


def markdown(res):
    st, m = res["settings"], res["machine"]
    out = [
        "# cllama-passthrough benchmarks",
        "",
        f"- date: {res['date']}",
        f"- commit: `{res['commit']}`",
        f"- machine: {m['nproc']} cores, {m['cpu']}, Linux {m['kernel']} (shared and noisy: read the ratios, "
        "not the absolute numbers)",
        f"- load: `{st['wrk']}`, median of {st['rounds']} rounds per target, order alternated; "
        f"{st['nginx']} with `worker_processes {st['nginx_workers']}` (cllama's thread pool may use every core, so nginx "
        "may too); wrk, servers and references share the same cores",
        "",
    ]
    h = res.get("health")
    if h:
        out += [
            f"## 1. `GET /health` throughput ({st['health_duration']} per run)",
            "",
            "| server | requests/s | p99 latency | server CPU per request |",
            "|---|---:|---:|---:|",
            row("cllama-passthrough", h["cllama"]),
            row("nginx `return 200 '{\"ok\":true}'`", h["nginx"]),
            "",
            f"**cllama / nginx throughput: {h['ratio_rps']:.2f}** (target ≥ {h['target_ratio']}; per round "
            f"{', '.join(f'{x:.2f}' for x in h['ratio_rps_per_round'])}) — {verdict(h['pass'])}; "
            f"cllama uses {h['ratio_cpu_per_req']:.2f}× nginx's CPU per request",
            "",
        ]
    b, s = res["binary"], res["startup"]
    out += [
        "## 2. Binary size and start-up",
        "",
        "| metric | value | target | |",
        "|---|---:|---:|---|",
        f"| binary size | {b['bytes']:,} bytes ({b['mb']:.2f} MB) | ≤ {b['target_mb']} MB | {verdict(b['pass'])} |",
        f"| start-up to first `/health` 200 (median of {len(s['runs_ms'])}) | {s['median_ms']:.1f} ms "
        f"(min {s['min_ms']:.1f}, max {s['max_ms']:.1f}) | ≤ {s['target_ms']} ms | {verdict(s['pass'])} |",
        f"| CPU time used by then (all threads, median) | {s['median_cpu_ms']:.1f} ms | | |",
        f"| run-queue wait by then, summed over its threads (median) | {s['median_runqueue_wait_ms']:.1f} ms | | "
        "the neighbours' share |",
        "",
        f"## 3. Proxy: `POST /v1/chat/completions` ({st['proxy_duration']} per run)",
        "",
    ]
    p = res["proxy"]
    if p["status"] == "not_available":
        out += [f"Skipped: {p['message']}", ""]
    elif p["status"] == "error":
        out += [f"**Not measured, the proxy failed its probe:** {p['message']}", ""]
    for mode, title in (("json", "non-streaming JSON response"), ("sse", "SSE stream, 20 chunks + usage + [DONE]")):
        if mode not in p:
            continue
        x = p[mode]
        out += [
            f"### {title}",
            "",
            "| path | requests/s | p99 latency | proxy CPU per request |",
            "|---|---:|---:|---:|",
            row("wrk → cllama → fake provider", x["cllama"]),
            row("wrk → nginx proxy_pass → fake provider", x["nginx_proxy"]),
            row("wrk → fake provider (direct; CPU is the provider's)", x["direct"]),
            "",
            f"**cllama / nginx-proxy throughput: {x['ratio_vs_nginx_proxy']:.2f}** (target ≥ {x['target_ratio']}; "
            f"per round {', '.join(f'{v:.2f}' for v in x['ratio_vs_nginx_proxy_per_round'])}) — {verdict(x['pass'])}; "
            f"cllama / direct: {x['ratio_vs_direct']:.2f}; cllama uses {x['cpu_per_req_vs_nginx_proxy']:.2f}× "
            "nginx-proxy's CPU per request",
            "",
        ]
    return "\n".join(out)


def main():
    records_file, results_dir = sys.argv[1], sys.argv[2]
    res = build(load_records(records_file))
    os.makedirs(results_dir, exist_ok=True)
    with open(os.path.join(results_dir, "latest.json"), "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    md = markdown(res)
    with open(os.path.join(results_dir, "latest.md"), "w") as f:
        f.write(md + "\n")
    print(md)
    failed = [name for name, ok in (
        ("health", res.get("health", {}).get("pass", True)),
        ("binary", res["binary"]["pass"]),
        ("startup", res["startup"]["pass"]),
        ("proxy-json", res["proxy"].get("json", {}).get("pass", True)),
        ("proxy-sse", res["proxy"].get("sse", {}).get("pass", True)),
    ) if not ok]
    if failed:
        print("targets missed: " + ", ".join(failed))


if __name__ == "__main__":
    main()
