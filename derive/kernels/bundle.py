"""The generated module derive runs, and the proof gate of a call, from the verdict cache
when it can be trusted, without SymPy.

A cached record (:mod:`derive.kernels.cache`) is keyed by the engine key: a hash of every
source file the forms and their proofs come from, with the derive, SymPy, NumPy and Python
versions (SymPy's read from its files, not imported). It holds the generated module text
(with its sha256) and the ``proved`` verdicts with each link's form key. A call:

* runs the cached module when its text matches its hash, else imports the generator
  (SymPy, the families) and generates it again (:func:`module`);
* passes the proof gate when every link of its variant has a ``proved`` verdict whose form
  key is the one the module was generated with (``LINK_FORMS``); otherwise the engine
  proves the links now (:func:`require`), and a link that is not proved refuses the call.

A stale record (another engine key: a source or a version changed) is another file, so it
is never read; a tampered one fails its hash or its form keys and is proved again. The
hash guards against a damaged or edited file, not against someone who can also rewrite
derive's own sources.

>>> mod = module()
>>> sorted(mod.KERNEL_INFO)[:2]
['hvp', 'hvp_binary']
"""

from __future__ import annotations

import marshal
import threading
import types

import derive.kernels.cache as cache

__all__ = ["module", "require", "reset"]

_LOCK = threading.RLock()
_STATE: dict = {"module": None, "record": None, "proved": set()}


def reset() -> None:
    """Forget this process's module and gate results (what a new process starts with)."""
    with _LOCK:
        _STATE["module"] = None
        _STATE["record"] = None
        _STATE["proved"] = set()


def _compile(text: str) -> types.CodeType | None:
    try:
        return compile(text, "<derive generated kernels>", "exec")
    except (SyntaxError, ValueError):
        return None


def _exec(code: types.CodeType) -> types.ModuleType:
    mod = types.ModuleType("derive_generated_kernels")
    exec(code, mod.__dict__)  # our own generated text (its hash checked), never user text
    return mod


def module() -> types.ModuleType:
    """The generated module: from the cache when its hash matches (compiled, when the
    compiled code's hash matches too), else generated now."""
    with _LOCK:
        mod = _STATE["module"]
        if mod is not None:
            return mod
        record = cache.load()
        _STATE["record"] = record
        text, code = record["module"], None
        if record["code"] is not None:
            try:
                code = marshal.loads(record["code"])
            except (EOFError, ValueError, TypeError):
                code = None
        if code is None and text is not None:
            code = _compile(text)
            if code is not None:
                cache.store(code=marshal.dumps(code))
        mod = _exec(code) if code is not None else None
        if mod is None or not hasattr(mod, "KERNEL_INFO"):
            import derive.kernels.generate as generate  # a miss: SymPy and the families

            text = generate.internal_source()
            code = _compile(text)
            if code is None:  # pragma: no cover - the generator's own output
                raise RuntimeError("the generated kernels do not compile")
            mod = _exec(code)
            cache.store(module=text, code=marshal.dumps(code))
            _STATE["record"] = None
        _STATE["module"] = mod
        return mod


def require(names: tuple[str, ...]) -> None:
    """Every link in ``names`` proved: by a cached verdict for the form the module was
    generated with, else by the engine now (a :class:`DeriveError` names the first link
    that is not proved)."""
    if _STATE["proved"].issuperset(names):
        return
    forms = module().LINK_FORMS
    record = _STATE.get("record") or cache.load()
    known = record["links"]
    missing = [n for n in names if n not in _STATE["proved"]
               and (n not in known or known[n]["form"] != forms.get(n))]
    if missing:
        import derive.kernels.links as links  # the engine: SymPy and the families

        links.require(tuple(links.LINKS[n] for n in names))
        _STATE["record"] = None
    with _LOCK:
        _STATE["proved"] |= set(names)
