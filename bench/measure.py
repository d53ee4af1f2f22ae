#!/usr/bin/env python3
"""Runs commands in interleaved rounds (A B C, A B C, …) under GNU time and prints, for each,
the medians of wall time, CPU time (user + system), peak RSS and requests per second, and the
ratios of every command's median wall time to the others'. Interleaving keeps the noise of a
shared machine from favouring whichever command ran first.

Usage: measure.py --runs R --requests Q LABEL=COMMAND …   (a command's exit code must be 0)
"""
import argparse
import statistics
import subprocess
import sys
import tempfile


def run_once(cmd: str) -> tuple[float, float, float]:
    with tempfile.NamedTemporaryFile("r") as out:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", out.name, "bash", "-c", cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {cmd}\n{proc.stderr[-2000:]}")
        wall, user, system, rss_kb = out.read().split()[-4:]
    return float(wall), float(user) + float(system), float(rss_kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("commands", nargs="+")
    args = ap.parse_args()
    commands = [c.split("=", 1) for c in args.commands]
    samples: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in commands}
    for r in range(args.runs):
        for label, cmd in commands:
            samples[label].append(run_once(cmd))
            print(f"  round {r + 1}: {label}: {samples[label][-1]}", file=sys.stderr)
    med = {
        label: tuple(statistics.median(s[i] for s in runs) for i in range(3))
        for label, runs in samples.items()
    }
    print(f"| tool | wall (s) | requests/s | CPU (s) | peak RSS (MB) | runs |")
    print(f"|---|---:|---:|---:|---:|---:|")
    for label, (wall, cpu, rss) in med.items():
        rps = args.requests / wall if wall else float("inf")
        print(f"| {label} | {wall:.2f} | {rps:,.0f} | {cpu:.2f} | {rss:.1f} | {args.runs} |")
    print()
    labels = list(med)
    for a in labels:
        for b in labels:
            if a != b:
                print(f"- wall {a} / {b} = {med[a][0] / med[b][0]:.2f}×")


if __name__ == "__main__":
    main()
