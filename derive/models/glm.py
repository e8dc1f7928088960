"""Canonical-link families as data: one theorem, instantiated per log-partition function.

A canonical-link model with log-partition ``A`` of the K-vector ``η = Wᵀx`` (``η_k =
Σ_d W_dk x_d``) has the per-sample loss ``L = A(η) − Σ_k y_k η_k`` (plus terms ``c(y)``
free of the weights), so ``∂L/∂W_ij = (∂_j A(η) − y_j) x_i`` and ``∂²L/∂W_ij∂W_lm =
x_i x_l ∂_jm A(η)``. A family declares only what is its own in a :class:`Canonical`: ``A``
and its first and second derivatives (its mean map and curvature, in its own notation),
its label domain, its usual loss. :func:`claims` writes the theorem's catalogue for it,
and every entry is proved for that family by the engine (nothing is taken on trust from
the theorem); :func:`kernel_rows` writes its kernel rows. The theorem itself is the
instance whose ``A`` is undefined (:data:`derive.models.canonical.THEOREM`).

>>> from derive.models.canonical import THEOREM
>>> [e.name for e in entries(THEOREM)][:2]
['canonical_grad', 'canonical_hessian']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from derive.engine.claims import Assumption
from derive.engine.scope import Scope
from derive.models.family import Entry, Family, Notation, catalogue, over_samples

__all__ = ["ROLES", "SCOPE", "Canonical", "D", "K", "LossKernel", "N", "Written",
           "dataset_loss", "declare", "entries", "eta", "hvp_form", "hvp_of_hessian", "loss_rows",
           "per_sample", "restate", "theorem_rows", "written"]

# Sizes: K outputs (classes, labels, targets), D features, N samples.
K, D, N = sp.symbols("K D N", integer=True, positive=True)
i, l, p = sp.symbols("i l p", integer=True)  # features, 1..D
j, k, m, r = sp.symbols("j k m r", integer=True)  # outputs, 1..K
n = sp.Symbol("n", integer=True)  # samples, 1..N

W = sp.IndexedBase("W", shape=(D, K))
x = sp.IndexedBase("x", shape=(D,))
X = sp.IndexedBase("X", shape=(N, D))
y = sp.IndexedBase("y", shape=(K,))
Y = sp.IndexedBase("Y", shape=(N, K))
b = sp.IndexedBase("b", shape=(K,))
lam = sp.Symbol("lambda", nonnegative=True)
mu = sp.IndexedBase("mu")  # μ_k = ∂A/∂η_k, μ_nk for sample n
V = sp.IndexedBase("v")  # v_jm = ∂²A/∂η_j∂η_m, v_njm for sample n
d = sp.KroneckerDelta

SCOPE = Scope(index_ranges={
    **dict.fromkeys((i, l, p), (sp.Integer(1), D)),
    **dict.fromkeys((j, k, m, r), (sp.Integer(1), K)),
    n: (sp.Integer(1), N),
})

Eta = Callable[[sp.Expr], sp.Expr]  # q -> η_q


@dataclass(frozen=True)
class Canonical:
    """What a canonical-link family declares (its own part; the rest is the theorem's).

    ``A(eta)`` is the log-partition of the vector ``eta`` (a function ``q -> η_q``);
    ``mean(eta, k)`` its derivative ``∂A/∂η_k`` and ``curvature(eta, j, m)`` its second
    derivative ``∂²A/∂η_j∂η_m``, each as the family writes it (both are proved). ``labels``
    are the hypotheses of its label domain on a label quantity (one-hot, {0, 1}, counts ≥ 0,
    reals: none); ``loss(eta, label)`` is its usual per-sample loss, equal to ``A(η) −
    Σ_k y_k η_k + extra(label)`` where ``extra`` holds the terms that do not depend on the
    weights (``log y!``, ``y²/2``). ``wrong_mean`` are wrong derivatives of ``A`` the
    catalogue must refute (label → ``(eta, k) -> expr``).
    """

    prefix: str
    A: Callable[[Eta], sp.Expr]
    mean: Callable[[Eta, sp.Expr], sp.Expr]
    curvature: Callable[[Eta, sp.Expr, sp.Expr], sp.Expr]
    labels: Callable[[sp.IndexedBase], tuple[Assumption, ...]] = lambda base: ()
    loss: Callable[[Eta, Callable[[sp.Expr], sp.Expr]], sp.Expr] | None = None
    extra: Callable[[Callable[[sp.Expr], sp.Expr]], sp.Expr] | None = None
    wrong_mean: dict[str, Callable[[Eta, sp.Expr], sp.Expr]] = field(default_factory=dict)
    source: str = ""
    undefined: bool = False  # the theorem's own A: no claim about A's derivatives


def eta(sample: sp.Expr | None = None, bias: bool = False) -> Eta:
    """``q -> η_q = Σ_d W_dq x_d (+ b_q)``; with ``sample=n`` the input is ``X[n, :]``.

    >>> eta()(k)
    Sum(W[d, k]*x[d], (d, 1, D))
    """
    def entry(q: sp.Expr) -> sp.Expr:
        f = sp.Symbol("d", integer=True)
        inp = x[f] if sample is None else X[sample, f]
        val = sp.Sum(W[f, q] * inp, (f, 1, D))
        return val + b[q] if bias else val
    return entry


def _labels(sample: sp.Expr | None) -> Callable[[sp.Expr], sp.Expr]:
    return (lambda q: y[q]) if sample is None else (lambda q: Y[sample, q])


def per_sample(fam: Canonical, *, sample: sp.Expr | None = None, bias: bool = False,
               usual: bool = True) -> sp.Expr:
    """The family's loss of one sample: its usual form (``usual``), else ``A(η) − y·η``."""
    h, lab = eta(sample, bias), _labels(sample)
    if usual and fam.loss is not None:
        return fam.loss(h, lab)
    c = sp.Symbol("c", integer=True)
    return fam.A(h) - sp.Sum(lab(c) * h(c), (c, 1, K))


def dataset_loss(fam: Canonical, *, reduction: str = "mean", l2: bool = False,
                 bias: bool = False, usual: bool = True) -> sp.Expr:
    """``J = (1/N) Σ_n L_n (+ λ Σ_dk W_dk²)``; ``reduction="sum"`` drops the 1/N."""
    loss = over_samples(lambda s: per_sample(fam, sample=s, bias=bias, usual=usual), N,
                        reduction)
    if l2:
        q1, q2 = sp.symbols("q1 q2", integer=True)
        loss += lam * sp.Sum(W[q1, q2] ** 2, (q1, 1, D), (q2, 1, K))
    return loss


def _defs(fam: Canonical) -> dict:
    def mean_of(*idx):
        return fam.mean(eta(idx[0]), idx[1]) if len(idx) == 2 else fam.mean(eta(), idx[0])

    def curv_of(*idx):
        if len(idx) == 3:
            return fam.curvature(eta(idx[0]), idx[1], idx[2])
        return fam.curvature(eta(), idx[0], idx[1])

    return {mu: mean_of, V: curv_of}


@dataclass(frozen=True)
class Written:
    """How a family writes the theorem's quantities in its rows (its notation, as data).

    ``weight(a, q)`` is the weight of feature ``a`` and output ``q`` (``W_aq``; ``w_a``
    for one output); ``label(n, q)``, ``mean(n, q)`` and ``curvature(n, q, r)`` the label,
    the mean map ``∂A/∂η_q`` and ``∂²A/∂η_q∂η_r`` of one sample (``n=None``) or of sample
    ``n``; ``delta(q, r)`` the Kronecker delta between outputs (``1`` for one output);
    ``second``/``second_data`` the (feature, output) indices of the second weight of the
    per-sample and the data-set Hessian. ``defs(data)`` gives the definitions of the
    mean (and curvature) symbols, ``loss()`` the per-sample loss ``L`` and
    ``dataset(reduction=, l2=)`` the data-set loss ``J``. ``bias(q)`` is the bias of
    output ``q`` (``b_q``; ``b`` for one output; ``None``: no bias rows), and
    ``bias_defs``/``bias_loss``/``bias_dataset`` the definitions and losses of the model
    with that bias (``None``: ``defs``/``loss``/``dataset``, a model whose logits have it).
    """

    weight: Callable[[sp.Expr, sp.Expr], sp.Expr]
    label: Callable[[sp.Expr | None, sp.Expr], sp.Expr]
    mean: Callable[[sp.Expr | None, sp.Expr], sp.Expr]
    curvature: Callable[[sp.Expr | None, sp.Expr, sp.Expr], sp.Expr]
    defs: Callable[[bool], dict]
    loss: Callable[[], sp.Expr]
    dataset: Callable[..., sp.Expr]
    delta: Callable[[sp.Expr, sp.Expr], sp.Expr] = d
    second: tuple[sp.Expr, sp.Expr] = (l, m)
    second_data: tuple[sp.Expr, sp.Expr] = (p, r)
    bias: Callable[[sp.Expr], sp.Expr] | None = None
    bias_defs: Callable[[bool], dict] | None = None
    bias_loss: Callable[[], sp.Expr] | None = None
    bias_dataset: Callable[..., sp.Expr] | None = None


def _indexed(base: sp.IndexedBase) -> Callable[..., sp.Expr]:
    return lambda smp, *q: base[q] if smp is None else base[(smp, *q)]


def written(fam: Canonical) -> Written:
    """The theorem's own notation for ``fam``: ``W``, ``y``/``Y``, ``μ``, ``v``."""
    defs = _defs(fam)
    return Written(weight=lambda a, q: W[a, q],
                   label=lambda smp, q: y[q] if smp is None else Y[smp, q],
                   mean=_indexed(mu), curvature=_indexed(V), defs=lambda data: defs,
                   loss=lambda: per_sample(fam),
                   dataset=lambda **kw: dataset_loss(fam, **kw))


def theorem_rows(P: str, wr: Written, assumed: tuple[Assumption, ...],
                 assumed_n: tuple[Assumption, ...], source: str) -> dict[str, Entry]:
    """The theorem's gradient and Hessian rows written with ``wr``, by role (``grad``,
    ``hessian``, ``sum_grad``, ``mean_l2_grad``, ``mean_l2_hessian``, ``mean_grad``; with
    ``wr.bias`` also ``bias_grad`` and ``mean_l2_bias_grad``: the bias enters ``η`` with
    coefficient 1, so its gradient is the residual ``∇A − y``), named ``{P}_{role}`` with
    the theorem's wrong variants; a family may rename a row and give it its own source
    and variants (:func:`restate`), never its statement. :func:`entries` states the
    first five for every family (:data:`ROLES`); the others are there for a family
    that claims them."""
    L, J = sp.Symbol("L"), sp.Symbol("J")
    l2_, m2 = wr.second
    p2, r2 = wr.second_data
    one, data_defs = wr.defs(False), wr.defs(True)

    def mean_data(body):
        return sp.Sum(body, (n, 1, N)) / N

    mu_j, y_j = wr.mean(None, j), wr.label(None, j)
    rows: dict[str, Entry] = {}
    rows["grad"] = Entry(
        f"{P}_grad", sp.Derivative(L, wr.weight(i, j)), (mu_j - y_j) * x[i], assumed,
        defs={**one, L: wr.loss}, source=source,
        description="gradient of the per-sample loss: (∇A − y) xᵀ",
        wrong={"sign flip": ((y_j - mu_j) * x[i], None),
               "missing x_i": (mu_j - y_j, None),
               "y·A instead of A − y·η": (y_j * mu_j * x[i], None)})
    v_jm = wr.curvature(None, j, m2)
    rows["hessian"] = Entry(
        f"{P}_hessian", sp.Derivative(L, wr.weight(i, j), wr.weight(l2_, m2)),
        x[i] * x[l2_] * v_jm, assumed, defs={**one, L: wr.loss}, source=source,
        description="Hessian of the per-sample loss: x ∇²A xᵀ",
        wrong={"sign flip": (-x[i] * x[l2_] * v_jm, None),
               "missing x_l": (x[i] * v_jm, None),
               "dropped Hessian weight": (x[i] * x[l2_], None)})
    data = X[n, i] * (wr.mean(n, j) - wr.label(n, j))
    rows["sum_grad"] = Entry(
        f"{P}_sum_grad", sp.Derivative(J, wr.weight(i, j)), sp.Sum(data, (n, 1, N)),
        assumed_n, defs={**data_defs, J: lambda: wr.dataset(reduction="sum")},
        source=source, description="gradient of the summed loss over N samples",
        wrong={"spurious 1/N": (mean_data(data), None),
               "sign flip": (-sp.Sum(data, (n, 1, N)), None)})
    mean_l2 = {**data_defs, J: lambda: wr.dataset(reduction="mean", l2=True)}
    rows["mean_l2_grad"] = Entry(
        f"{P}_mean_l2_grad", sp.Derivative(J, wr.weight(i, j)),
        mean_data(data) + 2 * lam * wr.weight(i, j), assumed_n, defs=mean_l2, source=source,
        description="gradient of the mean loss with the penalty λ‖W‖²",
        wrong={"λ for 2λ": (mean_data(data) + lam * wr.weight(i, j), None),
               "missing 1/N": (sp.Sum(data, (n, 1, N)) + 2 * lam * wr.weight(i, j), None)})
    hess = X[n, i] * X[n, p2] * wr.curvature(n, j, r2)
    penalty = 2 * lam * d(i, p2) * wr.delta(j, r2)
    rows["mean_l2_hessian"] = Entry(
        f"{P}_mean_l2_hessian", sp.Derivative(J, wr.weight(i, j), wr.weight(p2, r2)),
        mean_data(hess) + penalty, assumed_n, defs=mean_l2, source=source,
        description="Hessian of the mean loss with the penalty: (1/N) Σ_n x_n ∇²A x_nᵀ + 2λ",
        wrong={"missing 2λδδ": (mean_data(hess), None),
               "dropped Hessian weight": (mean_data(X[n, i] * X[n, p2]) + penalty, None)})
    rows["mean_grad"] = Entry(
        f"{P}_mean_grad", sp.Derivative(J, wr.weight(i, j)), mean_data(data), assumed_n,
        defs={**data_defs, J: lambda: wr.dataset(reduction="mean")}, source=source,
        description="gradient of the mean loss over N samples",
        wrong={"missing 1/N": (sp.Sum(data, (n, 1, N)), None),
               "sign flip": (-mean_data(data), None)})
    if wr.bias is not None:
        b_j = wr.bias(j)
        bias_defs = wr.bias_defs or wr.defs
        rows["bias_grad"] = Entry(
            f"{P}_bias_grad", sp.Derivative(L, b_j), mu_j - y_j, assumed,
            defs={**bias_defs(False), L: wr.bias_loss or wr.loss}, source=source,
            description="gradient of the per-sample loss with respect to the bias: ∇A − y",
            wrong={"sign flip": (y_j - mu_j, None), "missing ∇A": (-y_j, None)})
        total = sp.Sum(wr.mean(n, j) - wr.label(n, j), (n, 1, N))
        resid = total / N
        rows["mean_l2_bias_grad"] = Entry(
            f"{P}_mean_l2_bias_grad", sp.Derivative(J, b_j), resid, assumed_n,
            defs={**bias_defs(True),
                  J: lambda: (wr.bias_dataset or wr.dataset)(reduction="mean", l2=True)},
            source=source, description="gradient of the mean loss with the penalty, bias "
            "(not penalised)",
            wrong={"bias penalised": (resid + 2 * lam * b_j, None),
                   "missing 1/N": (total, None)})
    return rows


# The roles every canonical-link family states (:func:`entries`).
ROLES = ("grad", "hessian", "sum_grad", "mean_l2_grad", "mean_l2_hessian")


def restate(row: Entry, name: str, *, source: str, description: str,
            keep: tuple[str, ...] = (), wrong: dict | None = None) -> Entry:
    """``row`` (from :func:`theorem_rows`) under a family's own name, source and
    description: its statement unchanged, the theorem's wrong variants labelled ``keep``
    first, then the family's own ``wrong``."""
    kept = {label: row.wrong[label] for label in keep}
    return replace(row, name=name, source=source, description=description,
                   wrong={**kept, **(wrong or {})})


def entries(fam: Canonical) -> list[Entry]:
    """The theorem's catalogue for one family: every entry proved for that family."""
    P = fam.prefix
    L = sp.Symbol("L")
    assumed = fam.labels(y)
    out: list[Entry] = []
    zeta = sp.IndexedBase("eta", shape=(K,))

    def on_zeta(q):
        return zeta[q]

    if not fam.undefined:
        A_sym = sp.Symbol("A")
        wrong = {label: (sp.sympify(f(on_zeta, k)), None) for label, f in fam.wrong_mean.items()}
        wrong.setdefault("sign flip", (-fam.mean(on_zeta, k), None))
        out.append(Entry(
            f"{P}_mean_map", sp.Derivative(A_sym, zeta[k]), fam.mean(on_zeta, k),
            defs={A_sym: lambda: fam.A(on_zeta)}, source=fam.source,
            description="the derivative of the log-partition A is the mean map", wrong=wrong))
        out.append(Entry(
            f"{P}_curvature", sp.Derivative(A_sym, zeta[j], zeta[m]),
            fam.curvature(on_zeta, j, m), defs={A_sym: lambda: fam.A(on_zeta)},
            source=fam.source, description="the second derivative of A",
            wrong={"sign flip": (-fam.curvature(on_zeta, j, m), None),
                   "an extra δ_jm": (fam.curvature(on_zeta, j, m) + d(j, m), None)}))
    if fam.loss is not None and fam.extra is not None:
        h, lab = eta(), _labels(None)
        c = sp.Symbol("c", integer=True)
        canon = fam.A(h) - sp.Sum(lab(c) * h(c), (c, 1, K))
        out.append(Entry(
            f"{P}_loss_form", L, canon + fam.extra(lab), assumed,
            defs={L: lambda: per_sample(fam)}, source=fam.source,
            description="the usual loss is A − y·η plus terms free of the weights",
            wrong={"y·A(η) for A(η) − y·η": (
                sp.Sum(lab(c), (c, 1, K)) * fam.A(h) + fam.extra(lab), None),
                   "A(η) − y·η dropped": (fam.extra(lab), None)}))
    rows = theorem_rows(P, written(fam), assumed, fam.labels(Y), fam.source)
    out.extend(rows[role] for role in ROLES)
    return out


# --------------------------------------------------------------------------- kernels
# A family's kernel rows from its A in matrix form: the loss J = scale·Σ_n (A(η_n) − y_n·η_n)
# + λ‖W‖² (terms free of the weights left out) and its gradients, for the mean and the sum,
# with and without a bias; the gradient of the mean without a bias is the family's
# ``{prefix}_mean_l2_grad`` claim, the others the derivatives of the loss it builds.

import numpy  # noqa: E402  (the kernels block's own imports)

from derive.declare import validate  # noqa: E402
from derive.declare.matrix import Vocabulary  # noqa: E402
from derive.declare.spec import ClaimTarget, ExprTarget, Kernel, Output, loss_variants  # noqa: E402
from derive.errors import DeriveError  # noqa: E402

Xm = sp.MatrixSymbol("X", N, D)
Wm = sp.MatrixSymbol("W", D, K)
Ym = sp.MatrixSymbol("Y", N, K)
bm = sp.MatrixSymbol("b", K, 1)

VOCABULARY = Vocabulary(
    indexed={Xm: X, Wm: W, Ym: Y, bm: b},
    rows=(Xm, Ym),
    count=N,
    letters={N: "n", D: "d", K: "k"},
)


def _shown_grad() -> sp.Expr:
    """The closed form a report prints for the gradient row (the claim's right side)."""
    return sp.Sum(X[n, i] * (mu[n, j] - Y[n, j]), (n, 1, N)) / N + 2 * lam * W[i, j]


@dataclass(frozen=True)
class LossKernel:
    """A family's loss-and-gradient kernel, written as data: what is its own is the
    matrix form of its loss (``loss(Z, scale)``: the data term at the logits ``Z``,
    ``penalty``: ``λ‖W‖²``) and of its mean map (``mean(Z)``: ``∇A`` row by row); the
    gradients are the theorem's, ``scale·Xᵀ(∇A(Z) − Y) + 2λW`` and ``scale·1ᵀ(∇A(Z) − Y)``
    for the bias (:func:`loss_rows`).

    ``weight``/``bias``/``labels`` are the matrices (``bias_row`` the bias as added to
    each row of ``X·W``), ``weight_entry``/``bias_entry`` the entry a gradient row is
    about (with ``weight_indices``/``bias_indices``); ``dataset(v)`` the family's
    data-set loss for the call variant ``v`` (the target of every row, under
    ``loss_assumptions``/``assumptions``). The variant with the mean and with a bias
    iff ``claimed_bias`` is linked to the claims ``grad_claim`` and ``bias_claim``
    (stated as ``grad_statement``/``bias_statement``, shown as ``shown``); ``names``
    are the row names (``{}``: the variant's tag), ``said`` how a statement names the
    loss, ``grad_output``/``weight_name``/``bias_name`` how the rows name the gradient.
    """

    kernel: str
    loss: Callable[[sp.Expr, sp.Expr], sp.Expr]
    penalty: sp.Expr
    mean: Callable[[sp.Expr], sp.Expr]
    weight: sp.MatrixSymbol
    bias: sp.MatrixSymbol
    bias_row: sp.Expr
    labels: sp.MatrixSymbol
    weight_entry: sp.Expr
    bias_entry: sp.Expr
    dataset: Callable[[Any], sp.Expr]
    grad_claim: str
    grad_statement: str
    names: tuple[str, str, str]
    said: str
    weight_name: str
    bias_name: str
    grad_output: str = "grad_W"
    weight_indices: tuple[Any, Any] = (i, j)
    bias_indices: tuple[Any, Any] = (1, j)
    loss_assumptions: tuple[Assumption, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    claimed_bias: bool = False
    bias_claim: str | None = None
    bias_statement: str = ""
    shown: Callable[[], sp.Expr] | None = None


def loss_rows(spec: LossKernel) -> tuple[Output, ...]:
    """The rows of ``spec``'s kernel for the four call variants (mean, sum) × (no bias,
    bias): the loss, ``∂J/∂W`` and, with a bias, ``∂J/∂b``; each linked to the family's
    claim (the variant ``spec`` names) or to the derivative of its data-set loss."""
    rows: list[Output] = []
    for v in loss_variants(N):
        logits = Xm * spec.weight
        Z = logits + sp.OneMatrix(N, 1) * spec.bias_row if v.bias else logits
        said = spec.said.format(v.said)
        rows.append(Output(
            spec.names[0].format(v.tag), spec.kernel, "loss",
            spec.loss(Z, v.scale) + spec.penalty, (1, 1),
            ExprTarget(lambda v=v: spec.dataset(v), spec.loss_assumptions),
            f"J = {said}", v.call))
        resid = spec.mean(Z) - spec.labels
        claimed = v.reduction == "mean" and v.bias == spec.claimed_bias

        def target(entry, claim, v=v, claimed=claimed):
            if claimed and claim is not None:
                return ClaimTarget(claim)
            return ExprTarget(lambda: sp.Derivative(spec.dataset(v), entry), spec.assumptions)

        rows.append(Output(
            spec.names[1].format(v.tag), spec.kernel, spec.grad_output,
            v.scale * Xm.T * resid + 2 * lam * spec.weight, spec.weight_indices,
            target(spec.weight_entry, spec.grad_claim),
            spec.grad_statement if claimed else f"∂J/∂{spec.weight_name} of {said}", v.call,
            shown=spec.shown if claimed else None))
        if v.bias:
            rows.append(Output(
                spec.names[2].format(v.tag), spec.kernel, "grad_b",
                v.scale * sp.OneMatrix(1, N) * resid, spec.bias_indices,
                target(spec.bias_entry, spec.bias_claim),
                spec.bias_statement if claimed and spec.bias_claim
                else f"∂J/∂{spec.bias_name} of {said}", v.call))
    return tuple(rows)


def hvp_form(weight: sp.MatrixSymbol, direction: sp.MatrixSymbol,
             curvature: Callable[[sp.Expr, sp.Expr], sp.Expr]) -> sp.Expr:
    """The theorem's Hessian–vector product of the mean loss with ``λ‖W‖²`` as a matrix,
    ``(1/N) Xᵀ ∇²A(Z)[X·V] + 2λV`` with ``Z = X·W``: ``curvature(Z, U)`` is the family's
    matrix form of ``∇²A`` at each row of ``Z`` applied to the same row of ``U``."""
    return Xm.T * curvature(Xm * weight, Xm * direction) / N + 2 * lam * direction


def hvp_of_hessian(rhs: sp.Expr, direction: sp.IndexedBase, *, dataset: bool) -> sp.Expr:
    """``Σ_p Σ_q H[i, j, p, q]·V[p, q]`` from a per-sample Hessian claim's right side
    ``H[i, j, l, m]`` (the theorem's ``hessian`` row in a family's notation); with
    ``dataset`` the mean over samples (``x → X[n, :]``) plus ``2λV_ij`` of ``λ‖W‖²``."""
    p_, q_ = sp.symbols("p q", integer=True)
    h = rhs.xreplace({l: p_, m: q_})  # frees l, m for nothing else to clash
    out = sp.Sum(sp.Sum(h * direction[p_, q_], (p_, 1, D)), (q_, 1, K))
    if not dataset:
        return out
    out = out.replace(lambda e: isinstance(e, sp.Indexed) and e.base == x,
                      lambda e: X[n, e.indices[0]])
    return sp.Sum(out, (n, 1, N)) / N + 2 * lam * direction[i, j]


def kernel_rows(fam: Canonical, kernel: str, A_entries: Callable, mean_rows: Callable
                ) -> tuple[Output, ...]:
    """The rows of ``kernel`` for an ``A(η) = Σ_k f(η_k)``: ``A_entries(Z)`` is ``f`` at each
    entry of the logits ``Z`` (N×K), ``mean_rows(Z)`` the N×K matrix of the mean map."""
    def data_term(Z, scale):
        # Σ_nk (f(Z_nk) − Y_nk Z_nk) as 1ᵀ·(…)·1 (a 1×1 matrix)
        per_entry = A_entries(Z) - sp.HadamardProduct(Ym, Z)
        return scale * sp.OneMatrix(1, N) * per_entry * sp.OneMatrix(K, 1)

    def dataset(v):
        return dataset_loss(fam, reduction=v.reduction, l2=True, bias=v.bias, usual=False)

    P = fam.prefix
    return loss_rows(LossKernel(
        kernel=kernel, loss=data_term,
        penalty=lam * sp.OneMatrix(1, D) * sp.HadamardPower(Wm, 2) * sp.OneMatrix(K, 1),
        mean=mean_rows, weight=Wm, bias=bm, bias_row=bm.T, labels=Ym,
        weight_entry=W[i, j], bias_entry=b[j], dataset=dataset,
        grad_claim=f"{P}_mean_l2_grad",
        grad_statement="∂J/∂W_ij = (1/N) Σ_n X_ni (μ_nj − Y_nj) + 2λW_ij",
        names=(f"{P}_loss_{{}}", f"{P}_grad_{{}}", f"{P}_gradb_{{}}"),
        said=f"{P}: dataset_loss({{}}) without the terms free of W",
        weight_name="W_ij", bias_name="b_j",
        loss_assumptions=fam.labels(Y), assumptions=fam.labels(Y), shown=_shown_grad))


def _parameters(d: int, dtype, *, W, lam, b, reduction) -> dict:
    W = validate.float_matrix("W", W)
    if W.dtype != dtype:
        raise DeriveError(f"W has dtype {W.dtype} but X has {dtype}: expected the same dtype")
    validate.shape_is("W", W, (d, W.shape[1]), f"D×K with D={d} columns of X")
    if reduction not in ("mean", "sum"):
        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    if b is not None:
        b = validate.float_matrix("b", b, ndim=1)
        validate.same_dtype("b", b, "X", numpy.empty(0, dtype))
        validate.shape_is("b", b, (W.shape[1],), f"one bias per output, K={W.shape[1]}")
    return {"W": W, "lam": validate.regularisation(lam), "b": b, "reduction": reduction}


def _checked(X, Y, W, lam, b, reduction) -> dict:
    X = validate.float_matrix("X", X, finite=False)
    params = _parameters(X.shape[1], X.dtype, W=W, lam=lam, b=b, reduction=reduction)
    Y = validate.float_matrix("Y", Y)
    validate.same_dtype("Y", Y, "X", X)
    validate.shape_is("Y", Y, (X.shape[0], params["W"].shape[1]),
                      "one row of labels per row of X, one column per column of W")
    return {"X": X, "Y": Y, **params}


# One check per label domain (each module-level: the kernels layer copies it).
def check_reals(X, Y, W, *, lam, b, reduction) -> dict:
    """Real labels (least squares): finite, shaped like ``X·W``."""
    return _checked(X, Y, W, lam, b, reduction)


def check_counts(X, Y, W, *, lam, b, reduction) -> dict:
    """Counts (Poisson): finite and ``≥ 0``."""
    out = _checked(X, Y, W, lam, b, reduction)
    bad = out["Y"][out["Y"] < 0]
    if bad.size:
        raise DeriveError(f"Y contains {bad[0]:.6g}: expected counts >= 0")
    return out


def check_zero_one(X, Y, W, *, lam, b, reduction) -> dict:
    """Labels 0/1 or probabilities in [0, 1] (independent sigmoids)."""
    out = _checked(X, Y, W, lam, b, reduction)
    Y = out["Y"]
    bad = Y[(Y < 0) | (Y > 1)]
    if bad.size:
        raise DeriveError(f"Y contains {bad[0]:.6g}: expected labels 0/1 or probabilities "
                          "in [0, 1]")
    return out


def kernel(bind: Callable, rows: tuple[Output, ...], check: Callable) -> Kernel:
    """The family's loss-and-gradient kernel: ``bind`` is its public signature (NumPy only,
    copied into the emitted code), ``check`` the check of its label domain
    (:func:`check_reals`, :func:`check_counts`, :func:`check_zero_one`)."""
    return Kernel(bind.__name__, bind, check, rows, VOCABULARY, rows=("X", "Y"),
                  params=_parameters, finite="X", logits="X·W")


def declare(fam: Canonical, *, name: str, title: str, notation: Notation, bind: Callable,
            A_entries: Callable, mean_rows: Callable, check: Callable,
            own: tuple[Entry, ...] = ()) -> Family:
    """A canonical-link family from what is its own: the theorem's catalogue for ``fam``
    and the entries it adds (``own``), all proved for it; its notation; one kernel named
    after ``bind`` whose rows follow from ``A_entries``/``mean_rows`` (see
    :func:`kernel_rows`), with ``check`` for its label domain."""
    claims, mutants = catalogue([*entries(fam), *own], SCOPE)
    rows = kernel_rows(fam, bind.__name__, A_entries, mean_rows)
    return Family(name=name, title=title, scope=SCOPE, claims=claims, mutants=mutants,
                  notation=notation, kernels=(kernel(bind, rows, check),))
