"""Verdicts of ``derive check`` kept on disk between runs, re-proved whenever in doubt.

A catalogue claim's verdict depends only on the claim (built by its family's module), the
engine that decides it, and the versions it ran on. So ``derive check`` stores each
``proved`` or ``refuted`` verdict under a key made of

* :func:`source_key`: sha256 of every ``.py`` file of the installed ``derive`` package
  (every module, not only the engine: a family's module builds its claims, the CLI reads
  them) and the derive, SymPy, NumPy and Python versions;
* the claim itself: its name, what it is a mutant of, ``srepr`` of both sides, its
  assumptions and its scope (:func:`claim_key`).

Each stored entry carries a sha256 of its key and its record. An entry is used only when
its key is the key of the claim being checked now *and* its hash matches its content;
anything else (another source, another version, an edited verdict, a file that cannot be
read or parsed) is ignored and the claim is proved again. ``unknown`` verdicts are never
stored (they are re-run every time, so a note always carries the engine's current
reasons). Editing any file of derive therefore re-proves everything; ``derive check
--no-cache`` re-proves without reading the cache (and still refreshes it).

What this guards against: a stale entry (source or versions changed) and a damaged or
hand-edited one (the hash no longer matches). It is not a signature: whoever can write to
your cache folder can also write to your site-packages.

Where: ``$XDG_CACHE_HOME/derive`` or ``~/.cache/derive``, one file per source key,
written atomically (a temporary file swapped in with ``os.replace``); a cache that cannot
be written only costs time.

>>> len(source_key()) == 64
True
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import sympy as sp

from derive.engine.claims import Claim
from derive.kernels.cache import cache_dir, versions

__all__ = ["ProofCache", "claim_key", "source_key"]

_FORMAT = 1
_STORED = ("proved", "refuted")


@functools.cache
def source_key() -> str:
    """sha256 of every source file of derive and the versions the proofs run on."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"proofs format {_FORMAT}\n".encode())
    for name, version in sorted(versions().items()):
        h.update(f"{name} {version}\n".encode())
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def claim_key(claim: Claim) -> str:
    """sha256 of the source key and the claim as stated (name, sides, assumptions, scope)."""
    scope = claim.scope
    parts = [
        source_key(), claim.name, str(claim.mutant_of),
        sp.srepr(claim.lhs), sp.srepr(claim.rhs),
        repr([(sp.srepr(a.base), a.axis, a.kind) for a in claim.assumptions]),
        repr(sorted((sp.srepr(k), sp.srepr(sp.Tuple(*v))) for k, v in scope.index_ranges.items())),
        repr(sorted((sp.srepr(k), sp.srepr(sp.Tuple(*v))) for k, v in scope.label_bases.items())),
        repr(sorted((sp.srepr(k), sp.srepr(sp.Tuple(*v))) for k, v in scope.shapes.items())),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _seal(key: str, record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{key}\0{text}".encode()).hexdigest()


class ProofCache:
    """The stored verdict records of one source key (read once, written once).

    ``empty=True`` reads nothing (``--no-cache``); what is proved is still stored.

    ``get(claim)`` is the record of a ``proved``/``refuted`` verdict stored for exactly this
    claim, or ``None``; ``put(claim, record)`` keeps a new one; ``save()`` writes them.
    """

    def __init__(self, folder: Path | None = None, *, empty: bool = False) -> None:
        self.path = (folder or cache_dir()) / f"proofs-{source_key()[:32]}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.new: dict[str, dict[str, Any]] = {}
        self.reading = not empty  # --no-cache: use nothing (new verdicts are still saved)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return
        if isinstance(data, dict) and data.get("source") == source_key():
            entries = data.get("entries")
            if isinstance(entries, dict):
                self.entries = entries

    def get(self, claim: Claim) -> dict[str, Any] | None:
        """The stored record of ``claim``'s verdict, if it is sound to use; else ``None``."""
        entry = self.entries.get(claim.name) if self.reading else None
        if not isinstance(entry, dict):
            return None
        key, record, seal = entry.get("key"), entry.get("record"), entry.get("sha256")
        if key != claim_key(claim) or not isinstance(record, dict):
            return None  # another claim under this name, or another engine: re-prove
        if seal != _seal(key, record):
            return None  # damaged or edited: re-prove
        if record.get("verdict") not in _STORED or record.get("name") != claim.name:
            return None
        return record

    def put(self, claim: Claim, record: dict[str, Any]) -> None:
        """Keep ``record`` (a verdict's :meth:`as_dict`) if it is proved or refuted."""
        if record.get("verdict") not in _STORED:
            return
        key = claim_key(claim)
        self.new[claim.name] = {"key": key, "record": record, "sha256": _seal(key, record)}

    def save(self) -> None:
        """Write the entries (old and new) atomically; an unwritable folder is ignored."""
        if not self.new:
            return
        data = {"source": source_key(), "entries": {**self.entries, **self.new}}
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".proofs-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, ensure_ascii=False)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
