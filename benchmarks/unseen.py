"""Score derive on the unseen corpus against the hand-decided expectations (issue 19).

Every notes file ``F`` in the given folders that has ``F.expected.json`` beside it is checked
with ``derive verify --json`` in a fresh process, exactly as written (nothing declared by the
scorer; the transcriptions carry no ``% derive:`` line). Each of derive's steps is matched to
the expected letters by the line of its right-hand member (``CELL:LINE`` in a notebook), in
order along the line; the letters mean (see ``tests/corpus_unseen/README.md``)::

    p  a true step        expected: proved
    r  an author's slip   expected: refuted
    d  a definition       expected: definition (an unknown or a step never reached is not
                          wrong, but it is not the expected verdict either; a proved is wrong)
    -  not a claim        expected: anything but proved or refuted

Printed: one row per file and a total row. ``never reached`` counts letters with no derive
step on their line; ``extra`` counts derive steps on lines with no letter left (their
refutations are listed, as they may be true steps refuted).

The held-out half is reported once, at the end of the reader work: this script refuses a
path under ``heldout/`` unless ``--report-heldout`` is given.

Run: ``python benchmarks/unseen.py tests/corpus_unseen/dev`` (``--json OUT`` writes the
per-step records too).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

SUFFIXES = (".md", ".tex", ".ipynb")
DECLARATION = re.compile(r"(%\s*derive:|<!--\s*derive:)")
COLUMNS = ("steps", "expected", "true", "true_proved", "unknown", "never", "true_refuted",
           "false_proved", "slips", "slips_caught", "def_proved", "extra", "extra_refuted",
           "decl_lines", "seconds")


def notes_files(paths: list[str]) -> list[Path]:
    """Every notes file with an ``.expected.json`` beside it, under ``paths``, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        files = sorted(p.iterdir()) if p.is_dir() else [p]
        out += [f for f in files if f.suffix in SUFFIXES
                and f.with_suffix(".expected.json").exists()]
    return out


def run_derive(path: Path) -> tuple[list[dict], float, str]:
    """derive's JSON records for ``path`` (a fresh process), the wall time, and stderr."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "derive", "verify", "--json", "-q",
                           str(path)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    try:
        records = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        records = []
    return records, wall, proc.stderr.strip()


def key_of(record: dict) -> str:
    """The expectation key of a step: its right member's line, with the cell in a notebook."""
    cell = record.get("cell")
    return f"{cell}:{record['line']}" if cell is not None else str(record["line"])


def score(expected: dict[str, list[str]], records: list[dict]) -> tuple[Counter, list[dict]]:
    """Counts for one file and the per-letter rows (key, letter, verdict, note)."""
    by_key: dict[str, list[dict]] = {}
    for rec in records:
        by_key.setdefault(key_of(rec), []).append(rec)
    c: Counter = Counter()
    rows: list[dict] = []
    for key, letters in expected.items():
        got = by_key.pop(key, [])
        for i, letter in enumerate(letters):
            rec = got[i] if i < len(got) else None
            verdict = rec["verdict"] if rec else None
            c["steps"] += 1
            c["slips"] += letter == "r"
            c["true"] += letter == "p"
            if verdict is None:
                c["never"] += 1
                ok = letter == "-"
            elif letter == "p":
                ok = verdict == "proved"
                c["true_proved"] += ok
                c["true_refuted"] += verdict == "refuted"
                c["unknown"] += verdict not in ("proved", "refuted")
            elif letter == "r":
                ok = verdict == "refuted"
                c["false_proved"] += verdict == "proved"
                c["slips_caught"] += ok
                c["unknown"] += verdict not in ("proved", "refuted")
            elif letter == "d":
                ok = verdict == "definition"
                c["def_proved"] += verdict == "proved"
            else:
                ok = verdict not in ("proved", "refuted")
            c["expected"] += ok
            rows.append({"key": key, "letter": letter, "verdict": verdict, "ok": ok,
                         "note": (rec or {}).get("note", "")})
        for rec in got[len(letters):]:
            c["extra"] += 1
            c["extra_refuted"] += rec["verdict"] == "refuted"
            rows.append({"key": key, "letter": None, "verdict": rec["verdict"], "ok": None,
                         "note": rec.get("note", "")})
    for key, recs in by_key.items():
        for rec in recs:
            c["extra"] += 1
            c["extra_refuted"] += rec["verdict"] == "refuted"
            rows.append({"key": key, "letter": None, "verdict": rec["verdict"], "ok": None,
                         "note": rec.get("note", "")})
    return c, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="folders or notes files")
    ap.add_argument("--json", metavar="OUT", help="write every file's rows as JSON")
    ap.add_argument("--report-heldout", action="store_true",
                    help="allow paths under heldout/ (once, at the end of the reader work)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every letter that did not get its expected verdict")
    args = ap.parse_args(argv)
    if not args.report_heldout and any("heldout" in Path(p).resolve().parts
                                       for p in args.paths):
        print("unseen.py: refusing a path under heldout/ without --report-heldout",
              file=sys.stderr)
        return 2
    files = notes_files(args.paths)
    total: Counter = Counter()
    report: dict[str, dict] = {}
    declared: list[int] = []
    print("| file | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for f in files:
        expected = json.loads(f.with_suffix(".expected.json").read_text())["steps"]
        records, wall, err = run_derive(f)
        c, rows = score(expected, records)
        c["decl_lines"] = sum(1 for line in f.read_text(encoding="utf-8").splitlines()
                              if DECLARATION.search(line))
        c["seconds"] = round(wall, 2)
        declared.append(c["decl_lines"])
        total.update({k: v for k, v in c.items() if k != "seconds"})
        total["seconds"] = round(total["seconds"] + wall, 2)
        report[f.name] = {"counts": dict(c), "rows": rows, "stderr": err[-2000:]}
        print(f"| {f.name} | " + " | ".join(str(c[k]) for k in COLUMNS) + " |")
        if args.verbose:
            for r in rows:
                if r["ok"] is False or (r["ok"] is None and r["verdict"] == "refuted"):
                    print(f"    {r['key']}: {r['letter']} got {r['verdict']}: {r['note'][:160]}")
            if err:
                print(f"    stderr: {err[-300:]}")
    print("| **total** | " + " | ".join(str(total[k]) for k in COLUMNS) + " |")
    steps = total["steps"] or 1
    median = sorted(declared)[len(declared) // 2] if declared else 0
    print(f"\n{len(files)} files, {total['steps']} steps: {total['expected']} with the expected "
          f"verdict ({100 * total['expected'] / steps:.0f}%); true steps refuted "
          f"{total['true_refuted']}; false steps proved {total['false_proved']}; slips caught "
          f"{total['slips_caught']} of {total['slips']}; median declaration lines {median}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
