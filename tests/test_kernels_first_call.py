"""A call from a warm cache imports no SymPy; a stale or tampered cache entry is proved
again, never trusted. Each case runs in a fresh process (what a user's first call is)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import sympy as sp

from derive.kernels import bundle, cache, generate, links

CALL = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from derive.kernels import loss_and_grad
    from derive.references import softmax as reference
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2000, 50)); y = rng.integers(0, 10, 2000)
    W = 0.1 * rng.standard_normal((50, 10))
    loss, g = loss_and_grad(X, y, W)
    err = float(np.abs(g - reference.grad(X, y, W)).max() / np.abs(reference.grad(X, y, W)).max())
    print(json.dumps({"sympy": "sympy" in sys.modules, "err": err}))
    """
)


def _run(code: str, cache_home) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _record(cache_home):
    (path,) = (cache_home / "derive").glob("kernels-*.json")
    return path, json.loads(path.read_text())


def test_import_derive_kernels_imports_no_sympy(tmp_path):
    got = _run("import json, sys, derive.kernels\n"
               "print(json.dumps({'sympy': 'sympy' in sys.modules}))", tmp_path)
    assert got == {"sympy": False}


def test_a_warm_cache_call_imports_no_sympy_and_a_cold_one_proves(tmp_path):
    cold = _run(CALL, tmp_path)
    assert cold["sympy"] and cold["err"] <= 1e-12  # a miss: proved and generated
    warm = _run(CALL, tmp_path)
    assert not warm["sympy"] and warm["err"] <= 1e-12


@pytest.mark.parametrize("how", ["module text", "link verdict", "link form"])
def test_a_tampered_entry_is_proved_again(tmp_path, how):
    _run(CALL, tmp_path)
    path, data = _record(tmp_path)
    if how == "module text":  # new text, old hash: never executed
        data["module"] = "import sys\nsys.exit(3)\n"
    elif how == "link verdict":
        for entry in data["links"].values():
            entry["status"] = "refuted"
    else:  # a verdict for another form than the module was generated with
        for entry in data["links"].values():
            entry["form"] = "0" * 64
    path.write_text(json.dumps(data))
    again = _run(CALL, tmp_path)
    assert again["sympy"] and again["err"] <= 1e-12
    assert not _run(CALL, tmp_path)["sympy"], "the entry is whole again after the proof"


@pytest.fixture
def proofs(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(links, "_RESULTS", {})
    calls: list[str] = []
    real = links._prove
    monkeypatch.setattr(links, "_prove", lambda link: calls.append(link.name) or real(link))
    bundle.reset()
    yield calls
    bundle.reset()
    cache.engine_key.cache_clear()


def test_a_stale_entry_another_sympy_version_is_proved_again(proofs, monkeypatch):
    names = ("grad_mean",)
    bundle.require(names)
    assert proofs == ["grad_mean"]
    monkeypatch.setattr(links, "_RESULTS", {})
    bundle.reset()
    bundle.require(names)  # same versions: from the cache
    assert proofs == ["grad_mean"]
    real = cache.versions
    monkeypatch.setattr(cache, "versions", lambda: {**real(), "sympy": "0.0.1"})
    cache.engine_key.cache_clear()
    monkeypatch.setattr(links, "_RESULTS", {})
    bundle.reset()
    bundle.require(names)
    assert proofs == ["grad_mean", "grad_mean"], "another SymPy version: proved again"


def test_the_key_covers_derive_and_sympy_versions():
    assert {"derive", "sympy", "numpy", "python"} <= set(cache.versions())
    import sympy

    assert cache.versions()["sympy"] == sympy.__version__


def _reads_sympy(X):
    return sp.Matrix(X)


def test_copied_argument_handling_reads_only_what_exists_where_it_runs():
    with pytest.raises(ValueError, match="reads 'sp'"):
        generate._closure([_reads_sympy])

    def enclosed(X):
        return _reads_sympy(X) if sp else X

    with pytest.raises(ValueError, match="enclosing function"):
        generate._closure([lambda X: enclosed(X)])


def test_derive_version_is_the_packaged_one():
    import tomllib

    import derive

    from .source_tree import source_file

    meta = tomllib.loads(source_file("pyproject.toml").read_text(encoding="utf-8"))
    assert derive.__version__ == meta["project"]["version"]
