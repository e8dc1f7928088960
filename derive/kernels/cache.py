"""Link verdicts and the generated module, cached on disk between processes.

Proving the kernel links takes about a second in every new process; the proofs depend
only on the engine's source, the forms, and the derive/SymPy/NumPy/Python versions. So a
``proved`` verdict is stored under a key made of a hash of those sources and versions
(:func:`engine_key`, computed without importing SymPy) and, per link, a hash of the link's
form (:func:`form_key`); the generated module text is stored under the engine key with its
own hash, and with the form key of every link (a call trusts a link only when the
verdict's form key is the one the module was generated with). Change a source
file, a form or a version and the entry no longer matches: the link is proved again.
Only ``proved`` verdicts are stored (anything else is re-proved every time, so a
refusal always carries the engine's current reasons); ``derive kernels --check``
always re-proves.

Where: ``$XDG_CACHE_HOME/derive`` or ``~/.cache/derive``. Safe under concurrent
processes: every write goes to a temporary file in the same folder, then
``os.replace`` swaps it in (readers see the old or the new file, never half of one; two
writers may each lose the other's new entries, which are then proved again). A file that
cannot be read, parsed or does not match its hash is ignored. A cache that cannot be
written (read-only home) only costs time.

>>> len(engine_key()) == 64
True
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import re
import sys
import tempfile
from pathlib import Path

__all__ = ["cache_dir", "engine_key", "form_key", "load", "store", "versions"]

_FORMAT = 2
# The engine: every top-level module of derive, the engine, model-family and declaration
# packages, and the kernel modules that define, print or run the forms.
_KERNEL_SOURCES = ("links.py", "matrix.py", "generate.py", "fuse.py", "runtime.py",
                   "driver.py", "cache.py", "blocking.py")


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derive"


def _sources() -> list[Path]:
    pkg = Path(__file__).resolve().parent.parent
    kernels = Path(__file__).resolve().parent
    tops = [*pkg.glob("*.py"), *(pkg / "engine").rglob("*.py"), *(pkg / "models").glob("*.py"),
            *(pkg / "declare").glob("*.py")]
    return sorted(tops) + [kernels / name for name in _KERNEL_SOURCES if (kernels / name).exists()]


def _sympy_version() -> str:
    """SymPy's version, read from its ``release.py`` without importing SymPy (an import
    costs 0.3 s; the key is computed on every first call)."""
    spec = importlib.util.find_spec("sympy")
    if spec is None or not spec.origin:
        return "?"
    try:
        text = (Path(spec.origin).parent / "release.py").read_text(encoding="utf-8")
    except OSError:
        return "?"
    found = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    return found.group(1) if found else "?"


def versions() -> dict[str, str]:
    """What the proofs and the generated code ran on: derive, SymPy, NumPy, Python."""
    import numpy

    from derive import __version__

    return {"derive": __version__, "sympy": _sympy_version(), "numpy": numpy.__version__,
            "python": ".".join(map(str, sys.version_info[:2]))}


@functools.cache
def engine_key() -> str:
    """sha256 of the engine's source files and the versions the proofs ran on."""
    h = hashlib.sha256(f"format {_FORMAT}\n".encode())
    for name, version in sorted(versions().items()):
        h.update(f"{name} {version}\n".encode())
    for path in _sources():
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def form_key(*parts: object) -> str:
    """sha256 of a link's form as written out by the caller (``srepr`` of each part)."""
    return hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()


def _path() -> Path:
    return cache_dir() / f"kernels-{engine_key()[:32]}.json"


def load() -> dict:
    """The record of this engine key: ``{"links": {...}, "module": text or None}``.

    Anything unreadable, unparsable, of another key or not matching its hash is empty.
    """
    empty: dict = {"links": {}, "module": None, "code": None}
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return empty
    if not isinstance(data, dict) or data.get("engine") != engine_key():
        return empty
    links = data.get("links")
    links = {
        name: entry for name, entry in (links.items() if isinstance(links, dict) else ())
        if isinstance(entry, dict) and isinstance(entry.get("form"), str)
        and entry.get("status") == "proved" and isinstance(entry.get("assumptions"), list)
    }
    module = data.get("module")
    if not (isinstance(module, str)
            and hashlib.sha256(module.encode()).hexdigest() == data.get("module_sha256")):
        module = None
    code = None
    if module is not None and isinstance(data.get("code_sha256"), str):
        try:
            blob = _path().with_suffix(".code").read_bytes()
        except OSError:
            blob = b""
        if hashlib.sha256(blob).hexdigest() == data["code_sha256"]:
            code = blob
    return {"links": links, "module": module, "code": code,
            "code_sha256": data.get("code_sha256") if code is not None else None}


def store(*, links: dict | None = None, module: str | None = None,
          code: bytes | None = None) -> None:
    """Merge ``links`` (name -> entry) and/or the module text into the record, atomically;
    ``code`` is the module compiled (``marshal``), kept beside the record with its hash."""
    record = load()
    if links:
        record["links"].update(links)
    if module is not None and module != record["module"]:
        record["module"], record["code_sha256"] = module, None
    data = {
        "engine": engine_key(),
        "links": record["links"],
        "module": record["module"],
        "module_sha256": (hashlib.sha256(record["module"].encode()).hexdigest()
                          if record["module"] is not None else None),
        "code_sha256": record.get("code_sha256"),
    }
    with contextlib.suppress(OSError):  # an unwritable cache only costs time
        if code is not None:
            _atomic_write(_path().with_suffix(".code"), code)
            data["code_sha256"] = hashlib.sha256(code).hexdigest()
        _atomic_write(_path(), json.dumps(data).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kernels-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
