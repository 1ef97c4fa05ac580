#!/usr/bin/env python3
"""cohort's figure hashes beside Python's imagehash on the same images: agreement and time (BENCHMARKS.md, "Figures").

    python3 bench/figures.py COHORT_EXAMPLE DIR...
      COHORT_EXAMPLE: target/release/examples/figure_hashes (cargo build --release --example figure_hashes)

Needs imagehash (pip install imagehash). Prints, per hash, how many images get the same 64 bits from both and the
distribution of the bit differences, then imagehash's time for the same files (files already read, one thread).
"""
import io
import subprocess
import sys
import time

import imagehash
from PIL import Image


def main():
    example, dirs = sys.argv[1], sys.argv[2:]
    out = subprocess.run([example, "--print", *dirs], check=True, capture_output=True, text=True).stdout
    ours = {}
    for line in out.splitlines():
        path, phash, dhash = line.split("\t")
        ours[path] = (int(phash, 16), int(dhash, 16))
    data = {p: open(p, "rb").read() for p in ours}
    start = time.perf_counter()
    theirs = {}
    for p, b in data.items():
        image = Image.open(io.BytesIO(b))
        image.load()
        theirs[p] = (int(str(imagehash.phash(image)), 16), int(str(imagehash.dhash(image)), 16))
    took = time.perf_counter() - start
    alpha = {p for p, b in data.items() if Image.open(io.BytesIO(b)).mode in ("RGBA", "LA", "P")}
    for name, k in (("pHash", 0), ("dHash", 1)):
        for label, paths in (("all", list(ours)), ("without transparency", [p for p in ours if p not in alpha])):
            d = sorted(bin(ours[p][k] ^ theirs[p][k]).count("1") for p in paths)
            if not d:
                continue
            same = sum(1 for x in d if x == 0)
            within2 = sum(1 for x in d if x <= 2)
            print(f"{name} {label}: {len(d)} images, identical {same} ({100 * same / len(d):.0f}%), "
                  f"within 2 bits {within2} ({100 * within2 / len(d):.0f}%), median {d[len(d) // 2]}, max {d[-1]}")
    print(f"imagehash pHash + dHash of {len(data)} images: {took:.2f} s on one thread "
          f"({1000 * took / len(data):.1f} ms per image)")


if __name__ == "__main__":
    main()
