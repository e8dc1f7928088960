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

A run that built the whole catalogue also stores its *listing*: every claim and wrong
variant in catalogue order with its family (and the families' titles), sealed like an
entry, and each entry keeps what ``derive check`` prints about its claim (statement,
source, family). With both, ``derive check`` answers a warm run without building the
catalogue or importing SymPy (:meth:`ProofCache.rows`): every selected name must have an
entry whose seal matches and which names that claim, all under this source key; one
missing or damaged entry and the catalogue is built, each claim's full key compared
(:meth:`ProofCache.get`) and whatever does not match proved again. That shortcut rests on a
claim being a function of derive's source and the versions alone (the source key hashes
every file that builds it); ``tests/test_proof_cache.py`` builds the catalogue in two
processes with different hash seeds and compares every claim's key.

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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive.kernels.cache import cache_dir, versions

if TYPE_CHECKING:  # SymPy and the engine load only when a claim is keyed (not on a warm run)
    from derive.engine.claims import Claim

__all__ = ["ProofCache", "claim_key", "source_key"]

_FORMAT = 2  # 2: entries keep what is printed about their claim; the catalogue listing
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
    import sympy as sp

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


def _seal(key: str, record: Any, about: Any = None) -> str:
    text = json.dumps([record, about], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{key}\0{text}".encode()).hexdigest()


class ProofCache:
    """The stored verdict records of one source key (read once, written once).

    ``empty=True`` reads nothing (``--no-cache``); what is proved is still stored.

    ``get(claim)`` is the record of a ``proved``/``refuted`` verdict stored for exactly this
    claim, or ``None``; ``put(claim, record, about)`` keeps a new one (``about``: what is
    printed about the claim); ``list_catalogue`` keeps the listing; ``rows`` answers a
    whole selection from the cache alone, or ``None``; ``save()`` writes them.
    """

    def __init__(self, folder: Path | None = None, *, empty: bool = False) -> None:
        self.path = (folder or cache_dir()) / f"proofs-{source_key()[:32]}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.new: dict[str, dict[str, Any]] = {}
        self.listing: dict[str, Any] | None = None
        self.new_listing: dict[str, Any] | None = None
        self.reading = not empty  # --no-cache: use nothing (new verdicts are still saved)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return
        if isinstance(data, dict) and data.get("source") == source_key():
            entries = data.get("entries")
            if isinstance(entries, dict):
                self.entries = entries
            listing = data.get("catalogue")
            if isinstance(listing, dict):
                self.listing = listing

    def _entry(self, name: str) -> tuple[str, dict[str, Any], Any] | None:
        """``(key, record, about)`` of the entry stored under ``name`` if it matches its
        seal, names that claim and holds a stored verdict; else ``None``."""
        entry = self.entries.get(name) if self.reading else None
        if not isinstance(entry, dict):
            return None
        key, record, about = entry.get("key"), entry.get("record"), entry.get("about")
        if not isinstance(key, str) or not isinstance(record, dict):
            return None
        if entry.get("sha256") != _seal(key, record, about):
            return None  # damaged or edited: re-prove
        if record.get("verdict") not in _STORED or record.get("name") != name:
            return None
        return key, record, about

    def get(self, claim: Claim) -> dict[str, Any] | None:
        """The stored record of ``claim``'s verdict, if it is sound to use; else ``None``."""
        found = self._entry(claim.name)
        if found is None or found[0] != claim_key(claim):
            return None  # another claim under this name, or another engine: re-prove
        return found[1]

    def put(self, claim: Claim, record: dict[str, Any],
            about: dict[str, Any] | None = None) -> None:
        """Keep ``record`` (a verdict's :meth:`as_dict`) if it is proved or refuted, with
        ``about`` (the statement, source, family... printed beside it)."""
        if record.get("verdict") not in _STORED:
            return
        key = claim_key(claim)
        self.new[claim.name] = {"key": key, "record": record, "about": about,
                                "sha256": _seal(key, record, about)}

    def list_catalogue(self, order: Sequence[tuple[str, str, str | None]],
                       titles: dict[str, str]) -> None:
        """Keep the listing of the whole catalogue: ``(name, family, mutant_of)`` of every
        claim and wrong variant in catalogue order, and each family's title."""
        body = {"order": [list(row) for row in order], "titles": dict(titles)}
        if self.listing is None or self.listing.get("body") != body:
            self.new_listing = {"body": body, "sha256": _seal(source_key(), body)}

    def rows(self, names: Sequence[str], mutants: bool, families: Sequence[str] | None
             ) -> tuple[list[dict[str, Any]], dict[str, str]] | None:
        """The rows ``derive check`` prints for this selection (as ``check_cli.select``
        makes it) and the families' titles, all from the cache; ``None`` when anything is
        missing, unknown or does not match its seal (then the catalogue is built)."""
        listing = self.listing if self.reading else None
        if not isinstance(listing, dict) or listing.get("sha256") != _seal(
                source_key(), listing.get("body")):
            return None
        try:
            order = [(str(n), str(f), None if m is None else str(m))
                     for n, f, m in listing["body"]["order"]]
            titles = {str(k): str(v) for k, v in listing["body"]["titles"].items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        claims = [(n, f) for n, f, m in order if m is None]
        known = dict(claims)
        if any(n not in known for n in names) or any(f not in titles for f in families or ()):
            return None  # the catalogue's own path says what is wrong
        chosen = list(names) if names else [n for n, _ in claims]
        if families:
            chosen = [n for n in chosen if known[n] in families]
        if mutants:
            chosen += [n for c in list(chosen) for n, _, m in order if m == c]
        out = []
        for name in chosen:
            found = self._entry(name)
            if found is None or not isinstance(found[2], dict):
                return None
            out.append({**found[1], **found[2], "cached": True})
        return out, titles

    def save(self) -> None:
        """Write the entries (old and new) atomically; an unwritable folder is ignored."""
        if not self.new and self.new_listing is None:
            return
        data: dict[str, Any] = {"source": source_key(),
                                "entries": {**self.entries, **self.new}}
        listing = self.new_listing or self.listing
        if listing is not None:
            data["catalogue"] = listing
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
