"""Split a round's incoming transcriptions at random into heldout/ and a development folder.

usage: python benchmarks/split_unseen.py [--dev NAME] SEED DEST_REPO SRC_DIR [SRC_DIR ...]
Groups files by stem (NAME.md|ipynb|tex + NAME.expected.json + NAME.fd.py), sorts the stems,
shuffles them with random.Random(SEED), puts the first ceil(n/2) in heldout/, the rest in the
development folder NAME (dev2/ when not given: round 2's command).
"""
import math
import random
import shutil
import sys
from pathlib import Path

args = sys.argv[1:]
dev = "dev2"
if args[:1] == ["--dev"]:
    if len(args) < 2:
        sys.exit("split_unseen.py: --dev needs a folder name")
    dev, args = args[1], args[2:]
if len(args) < 3:
    sys.exit("usage: python benchmarks/split_unseen.py [--dev NAME] SEED DEST_REPO SRC_DIR ...")
seed, dest, *srcs = args
groups = {}
for s in srcs:
    for p in Path(s).iterdir():
        stem = p.name.split(".")[0]
        groups.setdefault(stem, []).append(p)
stems = sorted(groups)
for st in stems:
    kinds = {p.name[len(st):] for p in groups[st]}
    if not {".expected.json", ".fd.py"} <= kinds or len(kinds) != 3:
        sys.exit(f"split_unseen.py: {st}: expected NAME.(md|ipynb|tex), NAME.expected.json and "
                 f"NAME.fd.py, found {sorted(kinds)}")
rng = random.Random(int(seed))
order = stems[:]
rng.shuffle(order)
k = math.ceil(len(order) / 2)
for i, st in enumerate(order):
    out = Path(dest) / "tests" / "corpus_unseen" / ("heldout" if i < k else dev)
    out.mkdir(parents=True, exist_ok=True)
    for p in groups[st]:
        shutil.copy2(p, out / p.name)
    print(f"{'heldout' if i < k else dev:8}", st)
