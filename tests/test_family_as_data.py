"""A new model family is one declaration module, and nothing else changes.

The module below (binomial regression with 3 trials per output: ``y_k ∈ {0, 1, 2, 3}``,
``A(η) = Σ_k 3 log(1 + e^{η_k})``, mean ``3σ(η_k)``) is written to a temporary folder
that is added to :mod:`derive.models`' search path, exactly as a new file in
``derive/models/`` would be found. A fresh process (its own proof and kernel cache)
then shows: the family is discovered; its catalogue (the theorem's rows for its ``A``)
is proved and every wrong variant refuted; its kernel is generated on the fused path
and matches central differences of the binomial negative log-likelihood written here
in NumPy; the report renders its section in its own notation. No file of derive is
edited: the CLI, kernels and report read the declaration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

FAMILY_MODULE = '''
"""Binomial regression, 3 trials per output (a test's family, declared as data)."""

import sympy as sp

from derive.declare.matrix import LogOneMinusSigmoid, Sigmoid
from derive.engine.claims import nonnegative
from derive.models import glm
from derive.models.family import Notation
from derive.models.glm import Canonical, K

_c = sp.Symbol("c", integer=True)


def _sigmoid(t):
    return 1 / (1 + sp.exp(-t))


BINOMIAL3 = Canonical(
    prefix="binomial3",
    A=lambda h: sp.Sum(3 * sp.log(1 + sp.exp(h(_c))), (_c, 1, K)),
    mean=lambda h, q: 3 * _sigmoid(h(q)),
    curvature=lambda h, a, c: sp.KroneckerDelta(a, c) * 3 * _sigmoid(h(a))
    * (1 - _sigmoid(h(a))),
    labels=lambda base: (nonnegative(base),),
    wrong_mean={"one trial: σ(η_k)": lambda h, q: _sigmoid(h(q))},
    source="binomial regression, logit link (McCullagh and Nelder 1989, Section 4.3)",
)

NOTATION = Notation(
    names={"lambda": r"\\lambda", "mu": r"\\mu", "eta": r"\\eta"},
    prose=r"""Binomial regression counts successes $y_k \\in \\{0, 1, 2, 3\\}$ out of
three trials with success probability $\\sigma(\\eta_k)$, $\\eta = W^{\\mathsf{T}} x$.""",
    symbols=((r"$y_k$", "successes out of three trials"),),
)


def loss_and_grad_binomial3(X, Y, W, *, lam=0.0, b=None, reduction="mean"):
    """Loss and gradient(s) of binomial regression with 3 trials per output."""
    args = {"X": X, "Y": Y, "W": W, "lambda": lam}
    shapes = {"loss": ()}
    if b is not None:
        args["b"] = b.reshape(-1, 1)
        shapes["grad_b"] = b.shape
    return {"reduction": reduction, "bias": b is not None}, args, shapes


FAMILY = glm.declare(
    BINOMIAL3, name="binomial3", title="Binomial regression (three trials)",
    notation=NOTATION, bind=loss_and_grad_binomial3,
    A_entries=lambda Z: -3 * LogOneMinusSigmoid(Z), mean_rows=lambda Z: 3 * Sigmoid(Z),
    check=glm.check_counts)
'''

DRIVER = '''
import json, sys
import numpy as np
import derive.models

derive.models.__path__.append(sys.argv[1])  # a new file in derive/models/, as found
from derive.models import FAMILIES
from derive.engine.prover import prove

fam = derive.models.family("binomial3")
out = {"families": [f.name for f in FAMILIES]}
out["claims"] = {c.name: prove(c).status for c in fam.claims}
out["mutants"] = {m.name: prove(m).status for m in fam.mutants}

from derive.kernels import loss_and_grad_binomial3 as kernel
from derive.kernels.generate import module_source

out["fused"] = all(f"def _block_loss_and_grad_binomial3__{t}(ws, acc," in module_source()
                   for t in ("mean", "bias_mean", "sum", "bias_sum"))
rng = np.random.default_rng(5)
X, W = rng.standard_normal((20, 3)), 0.4 * rng.standard_normal((3, 2))
Y, b = rng.integers(0, 4, (20, 2)).astype(float), rng.standard_normal(2)

def nll(W_, b_, lam, mean):  # −log of the binomial likelihood, without log C(3, y)
    t = X @ W_ + b_
    total = (3 * np.logaddexp(0, t) - Y * t).sum()
    return total / len(X) * mean + total * (1 - mean) + lam * (W_ ** 2).sum()

errs, losses = [], []
for mean, red in ((1, "mean"), (0, "sum")):
    loss, gW, gb = kernel(X, Y, W, lam=0.3, b=b, reduction=red)
    losses.append(abs(float(loss) - nll(W, b, 0.3, mean)) / abs(nll(W, b, 0.3, mean)))
    h = 1e-6
    for q in np.ndindex(W.shape):
        E = np.zeros_like(W); E[q] = h
        fd = (nll(W + E, b, 0.3, mean) - nll(W - E, b, 0.3, mean)) / (2 * h)
        errs.append(abs(gW[q] - fd) / max(1.0, abs(fd)))
    for q in range(2):
        e = np.zeros(2); e[q] = h
        fd = (nll(W, b + e, 0.3, mean) - nll(W, b - e, 0.3, mean)) / (2 * h)
        errs.append(abs(gb[q] - fd) / max(1.0, abs(fd)))
out["loss_rel"], out["grad_err"] = max(losses), max(errs)
try:
    kernel(X, -Y, W)
except Exception as exc:
    out["refused"] = type(exc).__name__ + ": " + str(exc)

import derive.kernels as kern
from derive.report.data import Entry, ReportData
from derive.report.document import render

claims = [Entry(c, prove(c)) for c in fam.claims]
data = ReportData(claims=claims, mutants=[Entry(m, prove(m)) for m in fam.mutants],
                  links=list(kern.matrix_links()), kernel_rows=[])
out["tex"] = render(data)
print(json.dumps(out))
'''


def test_a_new_family_is_one_declaration_module(tmp_path):
    fams = tmp_path / "fams"
    fams.mkdir()
    (fams / "binomial3.py").write_text(textwrap.dedent(FAMILY_MODULE), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # no stale kernels
    run = subprocess.run([sys.executable, "-c", DRIVER, str(fams)], capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    # discovered beside the others, after the reference family
    assert out["families"][0] == "softmax" and "binomial3" in out["families"]
    # the theorem's catalogue for its A, proved for it; every wrong variant refuted
    assert list(out["claims"]) == [f"binomial3_{r}" for r in (
        "mean_map", "curvature", "grad", "hessian", "sum_grad", "mean_l2_grad",
        "mean_l2_hessian")]
    assert set(out["claims"].values()) == {"proved"}, out["claims"]
    assert "binomial3_mean_map [one trial: σ(η_k)]" in out["mutants"]
    assert len(out["mutants"]) >= 2 * len(out["claims"])
    assert set(out["mutants"].values()) == {"refuted"}, out["mutants"]
    # its kernel: generated on the fused path, equal to the NumPy loss, gradients to
    # central differences, its label domain checked
    assert out["fused"]
    assert out["loss_rel"] < 1e-12
    assert out["grad_err"] < 1e-6
    assert out["refused"].startswith("DeriveError: Y contains -") and "counts" in out["refused"]
    # its report section, in its own words
    tex = out["tex"]
    assert r"\section{Binomial regression (three trials)}" in tex
    assert "successes out of three trials" in tex
    kernels = tex[tex.index(r"\label{sec:binomial3-kernels}"):]
    kernels = kernels[:kernels.index(r"\section{")]
    assert r"\subsubsection{Matrix form and indexed form}" in kernels
    assert r"\texttt{loss\_and\_grad\_binomial3}" in kernels
    assert r"claim \texttt{binomial3\_mean\_l2\_grad}" in kernels
    assert r"\verdict{proved}" in kernels
