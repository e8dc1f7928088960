"""The symbolic model of softmax regression: sizes, indices, quantities, builders.

Everything here is plain SymPy (``IndexedBase``, ``Sum``, ``exp``, ``log``), so SymPy
differentiates it; what SymPy cannot do with the result (sum Kronecker deltas over
symbolic ranges) is the job of :mod:`derive.engine.algebra`.

Indices are 1-based, as in the notes people write: ``θ`` is D×K with entries
``θ[i, j]``, ``i`` in 1..D and ``j`` in 1..K.

>>> from derive.models.softmax import softmax, k
>>> softmax(k)
exp(Sum(theta[l, k]*x[l], (l, 1, D)))/Sum(exp(Sum(theta[l, c]*x[l], (l, 1, D))), (c, 1, K))
"""

from __future__ import annotations

import sympy as sp

from derive.engine.claims import sums_to_one
from derive.engine.scope import Scope
from derive.models.family import Entry, Family, catalogue

__all__ = [
    "SCOPE",
    "D",
    "K",
    "N",
    "T",
    "X",
    "Y",
    "b",
    "dataset_loss",
    "lam",
    "log_softmax",
    "logit",
    "nll",
    "softmax",
    "theta",
    "x",
    "y",
    "z",
]

# Sizes: positive integers, never instantiated by a proof.
K, D, N = sp.symbols("K D N", integer=True, positive=True)

# Index letters and their default ranges (1-based, inclusive).
i, l = sp.symbols("i l", integer=True)  # features, 1..D
j, k, m, c = sp.symbols("j k m c", integer=True)  # classes, 1..K
n = sp.Symbol("n", integer=True)  # samples, 1..N

# Quantities.
theta = sp.IndexedBase("theta", shape=(D, K))
x = sp.IndexedBase("x", shape=(D,))
X = sp.IndexedBase("X", shape=(N, D))
y = sp.IndexedBase("y", shape=(K,))
Y = sp.IndexedBase("Y", shape=(N, K))
b = sp.IndexedBase("b", shape=(K,))
z = sp.IndexedBase("z", shape=(K,))
lam = sp.Symbol("lambda", nonnegative=True)
T = sp.Symbol("T", positive=True)

# The family's scope: every index letter above with its range.
SCOPE = Scope(
    index_ranges={
        **dict.fromkeys((i, l), (sp.Integer(1), D)),
        **dict.fromkeys((j, k, m, c), (sp.Integer(1), K)),
        n: (sp.Integer(1), N),
    }
)


def _sum(body: sp.Expr, index: sp.Symbol, size: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (index, 1, size))


def logit(cls: sp.Expr, *, sample: sp.Expr | None = None, bias: bool = False) -> sp.Expr:
    """``z_c = Σ_l θ_lc x_l (+ b_c)``; with ``sample=n`` the input is row ``X[n, :]``.

    >>> logit(j)
    Sum(theta[l, j]*x[l], (l, 1, D))
    """
    feat = sp.Symbol("l", integer=True)
    inp = x[feat] if sample is None else X[sample, feat]
    z_c = _sum(theta[feat, cls] * inp, feat, D)
    return z_c + b[cls] if bias else z_c


def softmax(
    cls: sp.Expr,
    *,
    sample: sp.Expr | None = None,
    bias: bool = False,
    logits: sp.IndexedBase | None = None,
    temperature: sp.Expr | None = None,
) -> sp.Expr:
    """``σ_cls = exp(z_cls) / Σ_c exp(z_c)``.

    The logits are built from θ and x (or X[sample]) unless ``logits`` names an
    indexed quantity such as ``z``; ``temperature`` divides every logit.

    >>> softmax(k, logits=z)
    exp(z[k])/Sum(exp(z[c]), (c, 1, K))
    """
    dummy = sp.Symbol("c", integer=True)

    def zz(q: sp.Expr) -> sp.Expr:
        val = logits[q] if logits is not None else logit(q, sample=sample, bias=bias)
        return val / temperature if temperature is not None else val

    return sp.exp(zz(cls)) / _sum(sp.exp(zz(dummy)), dummy, K)


def log_softmax(cls: sp.Expr, **kw: object) -> sp.Expr:
    """``log σ_cls`` written as the log of the softmax fraction, as notes do."""
    return sp.log(softmax(cls, **kw))  # type: ignore[arg-type]


def nll(*, labels: sp.IndexedBase | None = None, sample: sp.Expr | None = None, **kw: object):
    """Per-sample cross-entropy ``L = −Σ_k y_k log σ_k`` (``Y[n, k]`` with ``sample=n``).

    >>> nll(logits=z)
    -Sum(log(exp(z[k])/Sum(exp(z[c]), (c, 1, K)))*y[k], (k, 1, K))
    """
    cls = sp.Symbol("k", integer=True)
    lab = labels if labels is not None else (y if sample is None else Y)
    y_k = lab[cls] if sample is None else lab[sample, cls]
    return -_sum(y_k * log_softmax(cls, sample=sample, **kw), cls, K)


def dataset_loss(*, reduction: str = "mean", l2: bool = False, bias: bool = False) -> sp.Expr:
    """``J = (1/N) Σ_n L_n (+ λ Σ_ij θ_ij²)``; ``reduction="sum"`` drops the 1/N.

    >>> dataset_loss(reduction="sum").has(N)
    True
    """
    if reduction not in ("mean", "sum"):
        from derive.errors import DeriveError

        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    smp = sp.Symbol("n", integer=True)
    total = _sum(nll(sample=smp, bias=bias), smp, N)
    loss = total / N if reduction == "mean" else total
    if l2:
        p, q = sp.symbols("p q", integer=True)
        loss += lam * _sum(_sum(theta[p, q] ** 2, p, D), q, K)
    return loss


# --------------------------------------------------------------------------- catalogue
#
# Each entry names the function, the variable, the claimed closed form (written with the
# abbreviations of the notes: ``σ`` for the softmax, ``L``/``J`` for the losses), the
# assumptions, the seed it comes from, and wrong variants the prover must refute.

sigma = sp.IndexedBase("sigma")  # σ_k, or σ_{nk} = σ_k(x_n) for a dataset
L = sp.Symbol("L")  # per-sample loss
J = sp.Symbol("J")  # dataset loss
lse = sp.Symbol("lse")  # log Σ_c e^{z_c}
d = sp.KroneckerDelta
Sy = sums_to_one(y)
SY = sums_to_one(Y)


def _on_x(q):
    return softmax(q)


def _on_z(q):
    return softmax(q, logits=z)


def _on_xn(smp, q):
    return softmax(q, sample=smp)


# Each row: name, lhs, rhs, assumptions, definitions, source, description,
# {mutant label: (rhs, assumptions)} — a mutant keeps the claim's assumptions
# unless it names its own (the "without assumption" variants).
_TABLE = [  # Entry fields in order
    (
        "softmax_jacobian_theta",
        sp.Derivative(sigma[k], theta[i, j]),
        x[i] * sigma[j] * (d(j, k) - sigma[k]),
        (),
        {sigma: _on_x},
        "seed 000, eq. (8)",
        "softmax Jacobian with respect to the weights",
        {
            "sign flip": (-x[i] * sigma[j] * (d(j, k) - sigma[k]), None),
            "σ_k for σ_j": (x[i] * sigma[k] * (d(j, k) - sigma[k]), None),
            "missing x_i": (sigma[j] * (d(j, k) - sigma[k]), None),
            "missing δ": (x[i] * sigma[j] * (1 - sigma[k]), None),
        },
    ),
    (
        "softmax_jacobian_logits",
        sp.Derivative(sigma[k], z[j]),
        sigma[k] * (d(j, k) - sigma[j]),
        (),
        {sigma: _on_z},
        "seed 004, §1.1",
        "softmax Jacobian with respect to the logits",
        {
            "sign flip": (-sigma[k] * (d(j, k) - sigma[j]), None),
            "missing δ": (sigma[k] * (1 - sigma[j]), None),
            "σ_j(1 − σ_j) for every k": (sigma[j] * (1 - sigma[j]), None),
        },
    ),
    (
        "logsumexp_grad",
        sp.Derivative(lse, z[k]),
        sigma[k],
        (),
        {sigma: _on_z, lse: lambda: sp.log(sp.Sum(sp.exp(z[c]), (c, 1, K)))},
        "seed 003, §2",
        "gradient of log-sum-exp is the softmax",
        {
            "missing normaliser": (sp.exp(z[k]), None),
            "σ_k(1 − σ_k)": (sigma[k] * (1 - sigma[k]), None),
        },
    ),
    (
        "nll_grad_logits",
        sp.Derivative(L, z[k]),
        sigma[k] - y[k],
        (Sy,),
        {sigma: _on_z, L: lambda: nll(logits=z)},
        "seed 002",
        "cross-entropy gradient with respect to the logits",
        {
            "sign flip": (y[k] - sigma[k], None),
            "σ_k − 1": (sigma[k] - 1, None),
            "without Σ_k y_k = 1": (sigma[k] - y[k], ()),
        },
    ),
    (
        "nll_grad_theta",
        sp.Derivative(L, theta[i, j]),
        (sigma[j] - y[j]) * x[i],
        (Sy,),
        {sigma: _on_x, L: lambda: nll()},
        "seed 001",
        "cross-entropy gradient with respect to the weights",
        {
            "sign flip": ((y[j] - sigma[j]) * x[i], None),
            "missing x_i": (sigma[j] - y[j], None),
            "without Σ_k y_k = 1": ((sigma[j] - y[j]) * x[i], ()),
        },
    ),
    (
        "mean_loss_grad",
        sp.Derivative(J, theta[i, j]),
        -sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)) / N,
        (SY,),
        {sigma: _on_xn, J: lambda: dataset_loss(reduction="mean")},
        "seed 000, eq. (15)",
        "gradient of the mean cross-entropy over N samples",
        {
            "missing 1/N": (-sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)), None),
            "sign flip": (sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)) / N, None),
            "without Σ_k Y_nk = 1": (
                -sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)) / N,
                (),
            ),
        },
    ),
    (
        "sum_loss_grad",
        sp.Derivative(J, theta[i, j]),
        sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)),
        (SY,),
        {sigma: _on_xn, J: lambda: dataset_loss(reduction="sum")},
        "seed 003, §3",
        "gradient of the summed cross-entropy (no 1/N)",
        {
            "spurious 1/N": (sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N, None),
            "sign flip": (sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)), None),
            "without Σ_k Y_nk = 1": (sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)), ()),
        },
    ),
    (
        "mean_l2_loss_grad",
        sp.Derivative(J, theta[i, j]),
        sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N + 2 * lam * theta[i, j],
        (SY,),
        {sigma: _on_xn, J: lambda: dataset_loss(reduction="mean", l2=True)},
        "seed 004, §1.3",
        "gradient of the mean cross-entropy with L2 penalty λ‖θ‖²",
        {
            "λ for 2λ": (
                sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N + lam * theta[i, j],
                None,
            ),
            "missing 1/N": (
                sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) + 2 * lam * theta[i, j],
                None,
            ),
            "without Σ_k Y_nk = 1": (
                sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N
                + 2 * lam * theta[i, j],
                (),
            ),
        },
    ),
    (
        "nll_grad_theta_general_labels",
        sp.Derivative(L, theta[i, j]),
        (sigma[j] * sp.Sum(y[m], (m, 1, K)) - y[j]) * x[i],
        (),
        {sigma: _on_x, L: lambda: nll()},
        "seed 001 (before the one-hot step)",
        "cross-entropy gradient for labels that need not sum to one",
        {
            "(σ_j − y_j) x_i without Σ_k y_k = 1": ((sigma[j] - y[j]) * x[i], None),
            "sign flip": (-(sigma[j] * sp.Sum(y[m], (m, 1, K)) - y[j]) * x[i], None),
        },
    ),
    (
        "nll_grad_bias",
        sp.Derivative(L, b[j]),
        sigma[j] - y[j],
        (Sy,),
        {sigma: lambda q: softmax(q, bias=True), L: lambda: nll(bias=True)},
        "bias term of seed 004's model",
        "cross-entropy gradient with respect to the bias",
        {
            "sign flip": (y[j] - sigma[j], None),
            "missing σ_j": (-y[j], None),
            "without Σ_k y_k = 1": (sigma[j] - y[j], ()),
        },
    ),
    (
        "softmax_temperature_jacobian",
        sp.Derivative(sigma[k], z[j]),
        sigma[k] * (d(j, k) - sigma[j]) / T,
        (),
        {sigma: lambda q: softmax(q, logits=z, temperature=T)},
        "temperature-scaled softmax σ = softmax(z/T)",
        "softmax Jacobian with temperature",
        {
            "missing 1/T": (sigma[k] * (d(j, k) - sigma[j]), None),
            "T for 1/T": (sigma[k] * (d(j, k) - sigma[j]) * T, None),
            "sign flip": (-sigma[k] * (d(j, k) - sigma[j]) / T, None),
        },
    ),
    (
        "nll_hessian_theta",
        sp.Derivative(L, theta[i, j], theta[l, m]),
        x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]),
        (Sy,),
        {sigma: _on_x, L: lambda: nll()},
        "second derivative of seed 001's loss",
        "Hessian of the cross-entropy with respect to the weights",
        {
            "sign flip": (-x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]), None),
            "missing x_l": (x[i] * sigma[j] * (d(j, m) - sigma[m]), None),
            "without Σ_k y_k = 1": (x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]), ()),
        },
    ),
    (
        "nll_logit_grad_sums_to_zero",
        sp.Sum(sp.Derivative(L, z[k]), (k, 1, K)),
        sp.Integer(0),
        (),  # proved without Σ_k y_k = 1: Σ_k (σ_k Σ_c y_c − y_k) = 0 for any labels
        {L: lambda: nll(logits=z)},
        "consequence of seed 002",
        "the logit gradient sums to zero over the classes, for any labels",
        {
            "sums to one": (sp.Integer(1), None),
            "sums to Σ_k y_k": (sp.Sum(y[k], (k, 1, K)), None),
        },
    ),
]


CLAIMS, MUTANTS = catalogue([Entry(*row) for row in _TABLE], SCOPE)


# --------------------------------------------------------------------------- notation
# How the report folds the expanded forms back into σ, z (read by derive.report).

from derive.models.family import Fold, Notation  # noqa: E402  (this block's own import)

_q, _s = sp.symbols("q s", integer=True)
_z = sp.IndexedBase("z")  # z_q, or z_sq for sample s

NOTATION = Notation(
    folds=(  # the biased logits first: z_k + b_k is folded whole
        Fold(_z[_q], logit(_q, bias=True)),
        Fold(_z[_s, _q], logit(_q, sample=_s, bias=True)),
        Fold(_z[_q], logit(_q)),
        Fold(_z[_s, _q], logit(_q, sample=_s)),
        Fold(sigma[_q], softmax(_q, logits=z)),
    ),
    names={"theta": r"\theta", "sigma": r"\sigma", "lambda": r"\lambda"},
    factor_order=((theta,), (x, X), (sigma,), (y, Y)),
    dummies={N: "nstu", D: "lpqr", K: "cmkjgh"},
    letters={N: "n", D: "i", K: "k"},
    prose=r"""Softmax regression maps an input $x$ to class probabilities through a linear model.
All sizes are symbols: every equality below is proved for all $K, D, N \ge 1$ and all
index values in range, not for a few concrete sizes.""",
    symbols=(
        (r"$K, D, N$", "number of classes, features and samples (symbolic: never instantiated)"),
        (r"$i, l \in \{1..D\}$", "feature indices"),
        (r"$j, k, m, c \in \{1..K\}$", "class indices ($c$ is summed over)"),
        (r"$n \in \{1..N\}$", "sample index"),
        (r"$\theta_{ij}$", r"weights, a $D \times K$ matrix $\Theta$"),
        (r"$x_{i}$, $X_{ni}$", r"one input ($D$ entries); row $n$ of the data $X$ ($N \times D$)"),
        (r"$y_{k}$, $Y_{nk}$", r"labels of one sample; of sample $n$ ($N \times K$)"),
        (r"$b_{k}$, $\lambda$, $T$",
         r"bias; weight of the penalty $\lambda \lVert \Theta \rVert^2$; temperature"),
        (r"$\delta_{jk}$", r"Kronecker delta: $1$ if $j = k$, else $0$"),
    ),
    definitions=(
        (z[k], logit(k), r" \quad (+\, b_{k} \text{ with a bias})"),
        (sigma[k], softmax(k, logits=z), ""),
        ("L", r"-\sum_{k=1}^{K} y_{k} \log \sigma_{k}", ""),
        ("J", r"\frac{1}{N} \sum_{n=1}^{N} L_{n}", ""),
        (r"J_{\Sigma}", r"\sum_{n=1}^{N} L_{n}", ""),
        (r"J_{\lambda}", r"J + \lambda \lVert \Theta \rVert^2", ""),
    ),
    remarks=r"""where $L_n$, $z_{nk}$ and $\sigma_{nk} = \sigma_k(x_n)$ are the same quantities for
sample $n$ (input $X_{n\cdot}$, labels $Y_{n\cdot}$). Each objective has its own
symbol: $L$ for one sample, $J$ for the mean over the data, $J_{\Sigma}$ for the sum and
$J_{\lambda}$ for the mean with the penalty. Every gradient is written with the
probabilities first, as $\sigma - y$ (never $-(y - \sigma)$). Proofs are carried out on the fully
expanded expressions; they are printed with $\sigma$ and $z$ folded back in, which is an
identity rewrite.""",
    assumptions=r"""No claim assumes one-hot labels. The only hypothesis used is that
the labels of each sample sum to one (true of one-hot labels and of any probability vector),
and only by the claims listed:""",
    objectives={
        "mean_loss_grad": "J",
        "sum_loss_grad": r"J_{\Sigma}",
        "mean_l2_loss_grad": r"J_{\lambda}",
    },
    # Bishop's Section 4.3.4 ("Multiclass logistic regression", p. 209; gradient (4.109),
    # Hessian (4.110)) was checked against the book's contents and page; the Murphy and
    # Goodfellow section numbers were NOT re-checked against the books: verify them
    # before citing in print.
    published={
        "softmax_jacobian_logits": ("bishop2006", "goodfellow2016"),
        "nll_grad_logits": ("goodfellow2016",),
        "nll_grad_theta": ("bishop2006", "murphy2012"),
        "sum_loss_grad": ("bishop2006", "murphy2012"),
        "mean_loss_grad": ("murphy2012",),
        "nll_hessian_theta": ("bishop2006", "murphy2012"),
    },
    references={
        "bishop2006": ("C. M. Bishop", "Pattern Recognition and Machine Learning",
                       "Springer, 2006, Section 4.3.4 (multiclass logistic regression)"),
        "murphy2012": ("K. P. Murphy", "Machine Learning: A Probabilistic Perspective",
                       "MIT Press, 2012, Section 8.3.7 (multinomial logistic regression)"),
        "goodfellow2016": ("I. Goodfellow, Y. Bengio and A. Courville", "Deep Learning",
                           "MIT Press, 2016, Section 6.2.2.3 (softmax units)"),
    },
    matrix_names={"W": r"\Theta", "Softmax": "P", "Softmax(row)": "s"},
    kernel_prose=(
        r"Here $\Theta$ is the $D \times K$ weight matrix (the kernels call it "
        r"\texttt{W}), $X$ the $N \times D$ data, $P = \operatorname{softmax}(X\Theta)$ "
        r"the $N \times K$ matrix of probabilities $\sigma_{nk}$ (softmax of each row), "
        r"$s = (\sigma_1, \ldots, \sigma_K)^{\mathsf{T}}$ the softmax of one vector of "
        r"logits as a column, $\circ$ the entrywise product and $\mathbf{1}$ a vector "
        r"(or matrix) of ones of the size the product needs. The Hessian--vector product "
        r"\texttt{hvp} takes a direction $V$, a "
        r"$D \times K$ matrix like $\Theta$, and returns $\sum_{l,c} "
        r"\frac{\partial^2 J_{\lambda}}{\partial \theta_{ij} \partial \theta_{lc}} "
        r"V_{lc}$, the derivative of the gradient of $J_{\lambda}$ in the direction $V$, "
        r"without forming the $DK \times DK$ Hessian."
    ),
)


# --------------------------------------------------------------------------- kernels
# One specification row per kernel output (read by derive.kernels).

KERNELS: tuple = ()


FAMILY = Family(
    name="softmax",
    title="Softmax regression",
    scope=SCOPE,
    claims=CLAIMS,
    mutants=MUTANTS,
    notation=NOTATION,
    kernels=KERNELS,
)
