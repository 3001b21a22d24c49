#!/usr/bin/env python3
"""Paired ratios of two interleaved benchmark files (scripts/bench-decode-vs.sh).

  scripts/bench-paired.py BASE.txt HEAD.txt

Round i of HEAD ran right before or after round i of BASE, so the ratio
head/base of one round is what the two binaries cost under the same load;
benchstat compares the two sets as unpaired samples instead. Prints, per
row, the median of the rounds' ratios and a 95 % bootstrap interval of it
(seeded: the same files print the same interval). A row whose interval
holds both -5 % and +5 % is not resolved at 5 % by the run.
"""
import random
import statistics
import sys


def rows(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("Benchmark"):
                p = line.split()
                out.setdefault(p[0], []).append(float(p[2]))
    return out


def main():
    base, head = rows(sys.argv[1]), rows(sys.argv[2])
    rnd = random.Random(1)
    print(f"{'row (head/base per round)':<66} {'median':>8}  95 % interval")
    for name, b in base.items():
        h = head.get(name, [])
        ratios = [y / x for x, y in zip(b, h)]
        if not ratios:
            continue
        boot = sorted(statistics.median(rnd.choices(ratios, k=len(ratios))) for _ in range(4000))
        lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
        med = statistics.median(ratios)
        print(f"{name.removeprefix('Benchmark'):<66} {100 * (med - 1):+7.1f}%  [{100 * (lo - 1):+.1f} %, {100 * (hi - 1):+.1f} %]  n={len(ratios)}")


if __name__ == "__main__":
    main()
