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
from derive.models import glm
from derive.models.family import Entry, Family, catalogue, over_samples

__all__ = ["SCOPE", "D", "K", "N", "T", "X", "Y", "b", "dataset_loss", "lam", "log_softmax",
           "logit", "nll", "softmax", "theta", "x", "y", "z"]

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
    loss = over_samples(lambda smp: nll(sample=smp, bias=bias), N, reduction)
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


# The canonical-link theorem's gradient and Hessian rows (:mod:`derive.models.glm`) for
# A(z) = log Σ_c e^{z_c}, written with θ, σ and σ_j(δ_jm − σ_m): only the notation is
# declared here; each row's statement is the theorem's, restated in the table below with
# softmax's name, source and wrong variants.
_THEOREM = glm.theorem_rows("nll", glm.Written(
    weight=lambda a, q: theta[a, q],
    label=lambda smp, q: y[q] if smp is None else Y[smp, q],
    mean=lambda smp, q: sigma[q] if smp is None else sigma[smp, q],
    curvature=lambda smp, q, r: (sigma[q] * (d(q, r) - sigma[r]) if smp is None
                                 else sigma[smp, q] * (d(q, r) - sigma[smp, r])),
    defs=lambda data: {sigma: _on_xn} if data else {sigma: _on_x},
    loss=lambda: nll(),
    dataset=dataset_loss,
    bias=lambda q: b[q],
    bias_defs=lambda data: {sigma: lambda q: softmax(q, bias=True)},
    bias_loss=lambda: nll(bias=True),
), (Sy,), (SY,), "")

# The rest of the table: softmax's own claims (the Jacobians, log-sum-exp, the logit
# gradient, labels that need not sum to one, temperature) and the theorem's rows restated
# with softmax's names, sources and wrong variants. A wrong variant keeps the claim's
# assumptions unless it names its own (``()``: "without Σ_k y_k = 1").
_dsk = d(j, k) - sigma[k]
_data = X[n, i] * (sigma[n, j] - Y[n, j])
_TABLE = [
    Entry("softmax_jacobian_theta", sp.Derivative(sigma[k], theta[i, j]),
          x[i] * sigma[j] * _dsk, defs={sigma: _on_x}, source="seed 000, eq. (8)",
          description="softmax Jacobian with respect to the weights",
          wrong={"sign flip": (-x[i] * sigma[j] * _dsk, None),
                 "σ_k for σ_j": (x[i] * sigma[k] * _dsk, None),
                 "missing x_i": (sigma[j] * _dsk, None),
                 "missing δ": (x[i] * sigma[j] * (1 - sigma[k]), None)}),
    Entry("softmax_jacobian_logits", sp.Derivative(sigma[k], z[j]),
          sigma[k] * (d(j, k) - sigma[j]), defs={sigma: _on_z}, source="seed 004, §1.1",
          description="softmax Jacobian with respect to the logits",
          wrong={"sign flip": (-sigma[k] * (d(j, k) - sigma[j]), None),
                 "missing δ": (sigma[k] * (1 - sigma[j]), None),
                 "σ_j(1 − σ_j) for every k": (sigma[j] * (1 - sigma[j]), None)}),
    Entry("logsumexp_grad", sp.Derivative(lse, z[k]), sigma[k],
          defs={sigma: _on_z, lse: lambda: sp.log(sp.Sum(sp.exp(z[c]), (c, 1, K)))},
          source="seed 003, §2", description="gradient of log-sum-exp is the softmax",
          wrong={"missing normaliser": (sp.exp(z[k]), None),
                 "σ_k(1 − σ_k)": (sigma[k] * (1 - sigma[k]), None)}),
    Entry("nll_grad_logits", sp.Derivative(L, z[k]), sigma[k] - y[k], (Sy,),
          defs={sigma: _on_z, L: lambda: nll(logits=z)}, source="seed 002",
          description="cross-entropy gradient with respect to the logits",
          wrong={"sign flip": (y[k] - sigma[k], None), "σ_k − 1": (sigma[k] - 1, None),
                 "without Σ_k y_k = 1": (sigma[k] - y[k], ())}),
    glm.restate(_THEOREM["grad"], "nll_grad_theta", source="seed 001",
                description="cross-entropy gradient with respect to the weights",
                keep=("sign flip", "missing x_i"),
                wrong={"without Σ_k y_k = 1": ((sigma[j] - y[j]) * x[i], ())}),
    glm.restate(_THEOREM["mean_grad"], "mean_loss_grad", source="seed 000, eq. (15)",
                description="gradient of the mean cross-entropy over N samples",
                keep=("missing 1/N", "sign flip"),
                wrong={"without Σ_k Y_nk = 1": (_THEOREM["mean_grad"].rhs, ())}),
    glm.restate(_THEOREM["sum_grad"], "sum_loss_grad", source="seed 003, §3",
                description="gradient of the summed cross-entropy (no 1/N)",
                keep=("spurious 1/N",),
                wrong={"sign flip": (sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)), None),
                       "without Σ_k Y_nk = 1": (sp.Sum(_data, (n, 1, N)), ())}),
    glm.restate(_THEOREM["mean_l2_grad"], "mean_l2_loss_grad", source="seed 004, §1.3",
                description="gradient of the mean cross-entropy with L2 penalty λ‖θ‖²",
                keep=("λ for 2λ", "missing 1/N"),
                wrong={"without Σ_k Y_nk = 1": (
                    sp.Sum(_data, (n, 1, N)) / N + 2 * lam * theta[i, j], ())}),
    Entry("nll_grad_theta_general_labels", sp.Derivative(L, theta[i, j]),
          (sigma[j] * sp.Sum(y[m], (m, 1, K)) - y[j]) * x[i], defs={sigma: _on_x, L: lambda: nll()},
          source="seed 001 (before the one-hot step)",
          description="cross-entropy gradient for labels that need not sum to one",
          wrong={"(σ_j − y_j) x_i without Σ_k y_k = 1": ((sigma[j] - y[j]) * x[i], None),
                 "sign flip": (-(sigma[j] * sp.Sum(y[m], (m, 1, K)) - y[j]) * x[i], None)}),
    glm.restate(_THEOREM["bias_grad"], "nll_grad_bias", source="bias term of seed 004's model",
                description="cross-entropy gradient with respect to the bias",
                keep=("sign flip",),
                wrong={"missing σ_j": (-y[j], None), "without Σ_k y_k = 1": (sigma[j] - y[j], ())}),
    Entry("softmax_temperature_jacobian", sp.Derivative(sigma[k], z[j]),
          sigma[k] * (d(j, k) - sigma[j]) / T,
          defs={sigma: lambda q: softmax(q, logits=z, temperature=T)},
          source="temperature-scaled softmax σ = softmax(z/T)",
          description="softmax Jacobian with temperature",
          wrong={"missing 1/T": (sigma[k] * (d(j, k) - sigma[j]), None),
                 "T for 1/T": (sigma[k] * (d(j, k) - sigma[j]) * T, None),
                 "sign flip": (-sigma[k] * (d(j, k) - sigma[j]) / T, None)}),
    glm.restate(_THEOREM["hessian"], "nll_hessian_theta",
                source="second derivative of seed 001's loss",
                description="Hessian of the cross-entropy with respect to the weights",
                keep=("sign flip", "missing x_l"),
                wrong={"without Σ_k y_k = 1": (x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]),
                                               ())}),
    # proved without Σ_k y_k = 1: Σ_k (σ_k Σ_c y_c − y_k) = 0 for any labels
    Entry("nll_logit_grad_sums_to_zero", sp.Sum(sp.Derivative(L, z[k]), (k, 1, K)),
          sp.Integer(0), defs={L: lambda: nll(logits=z)}, source="consequence of seed 002",
          description="the logit gradient sums to zero over the classes, for any labels",
          wrong={"sums to one": (sp.Integer(1), None),
                 "sums to Σ_k y_k": (sp.Sum(y[k], (k, 1, K)), None)}),
]

CLAIMS, MUTANTS = catalogue(_TABLE, SCOPE)


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
    matrix_entries={"Softmax": "sigma", "Softmax(row)": "sigma"},
    kernel_prose=(
        r"Here $\Theta$ is the $D \times K$ weight matrix (the kernels call it "
        r"\texttt{W}), $X$ the $N \times D$ data, $Y$ the $N \times K$ labels, "
        r"$P = \operatorname{softmax}(X\Theta)$ the $N \times K$ matrix of probabilities "
        r"(softmax of each row: $P_{nk}$ is the probability of class $k$ for sample $n$), "
        r"$s = \operatorname{softmax}(z)$ the softmax of one vector $z$ of "
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
# One specification row per kernel output (read by derive.kernels): the matrix form,
# its entry's indices, the claim or the expression its entry must equal, the variant
# of the call it serves; per kernel its public signature (``bind``) and its checks.

from derive.declare import checks, validate  # noqa: E402  (the kernels block's own imports)
from derive.declare.matrix import LogSoftmax, OneHot, Softmax, Vocabulary  # noqa: E402
from derive.declare.spec import ClaimTarget, Encoding, Kernel, Output  # noqa: E402

# The quantities as matrices. Vectors are columns (K×1) except a single logit row.
Xm = sp.MatrixSymbol("X", N, D)
Wm = sp.MatrixSymbol("W", D, K)
Ym = sp.MatrixSymbol("Y", N, K)
bm = sp.MatrixSymbol("b", K, 1)
Vm = sp.MatrixSymbol("V", D, K)  # the direction of a Hessian–vector product
xm = sp.MatrixSymbol("x", D, 1)
zm = sp.MatrixSymbol("z", 1, K)  # one row of logits
V = sp.IndexedBase("V", shape=(D, K))
t_labels = sp.Symbol("t")  # integer labels 0..K-1, the one-hot rows of Y

VOCABULARY = Vocabulary(
    indexed={Xm: X, Wm: theta, Ym: Y, bm: b, Vm: V, xm: x, zm: z},
    rows=(Xm, Ym),
    count=N,
    letters={N: "n", D: "l", K: "k"},  # Σ_k over classes, as the cross-entropy reads
    row_letters={N: "n", D: "l", K: "c"},  # the softmax normaliser Σ_c
)
LABELS = Encoding(
    "labels", Ym, t_labels, OneHot(t_labels, N, K),
    "Integer labels stand for one-hot rows, which satisfy Σ_k Y_nk = 1 by construction.",
)


def _claim(name: str):
    return next(c for c in CLAIMS if c.name == name)


# The loss and its gradients: softmax's matrix forms of the cross-entropy and of its mean
# map σ; the gradient rows are the theorem's (glm.loss_rows).
_LOSS_KERNEL = glm.LossKernel(
    kernel="loss_and_grad",
    # trace(log σ · Yᵀ) sums over n outside and k inside, as dataset_loss does.
    loss=lambda Z, scale: -scale * sp.Trace(LogSoftmax(Z) * Ym.T),
    penalty=lam * sp.Trace(Wm.T * Wm), mean=Softmax,
    weight=Wm, bias=bm, bias_row=bm.T, labels=Ym, weight_entry=theta[i, j], bias_entry=b[j],
    dataset=lambda v: dataset_loss(**v.loss_kw),
    grad_claim="mean_l2_loss_grad",
    grad_statement="∂J/∂θ_ij = (1/N) Σ_n X_ni (σ_j(x_n) − Y_nj) + 2λθ_ij",
    shown=lambda: _claim("mean_l2_loss_grad").rhs,
    names=("loss_{}", "grad_{}", "gradb_{}"), said="model.dataset_loss({})",
    weight_name="θ_ij", bias_name="b_j", assumptions=(SY,),
)


def _hvp_shown() -> sp.Expr:
    hess = X[n, i] * X[n, l] * sigma[n, j] * (d(j, m) - sigma[n, m])
    return sp.Sum(hess * V[l, m], (l, 1, D), (m, 1, K), (n, 1, N)) / N + 2 * lam * V[i, j]


def _curvature(Z, U):
    """∇²A(z)[u] = σ∘u − σ (σ·u) for each row z of Z and u of U."""
    P = sp.HadamardProduct(Softmax(Z), U)
    return P - sp.HadamardProduct(Softmax(Z), P * sp.OneMatrix(K, 1) * sp.OneMatrix(1, K))


def _hvp_rows() -> list[Output]:
    # Per-sample Hessian–vector product, then the dataset mean (+2λV) for the batch kernel.
    s1, u1 = Softmax(xm.T * Wm), xm.T * Vm
    hvp1 = xm * (sp.HadamardProduct(s1, u1) - (s1 * u1.T) * s1)
    batch = glm.hvp_form(Wm, Vm, _curvature)
    hess = "∂²L/∂θ_ij∂θ_lm = x_i x_l σ_j(δ_jm − σ_m)"
    return [
        Output(
            "hvp_sample", "hvp", "hvp_sample", hvp1, (i, j),
            ClaimTarget("nll_hessian_theta", lambda r: glm.hvp_of_hessian(r, V, dataset=False)),
            f"Σ_lm H_ijlm V_lm with {hess}", runs=False,
        ),
        Output(
            "hvp_mean", "hvp", "hvp", batch, (i, j),
            ClaimTarget("nll_hessian_theta", lambda r: glm.hvp_of_hessian(r, V, dataset=True)),
            f"(1/N) Σ_n Σ_lm H_ijlm(x_n) V_lm + 2λV_ij with {hess}", shown=_hvp_shown,
        ),
    ]


def _loss_and_grad_params(d: int, dtype, *, W, lam, b, reduction) -> dict:
    W = validate.float_matrix("W", W)
    _, lam, b = validate.model_parameters(W, d, dtype, lam, reduction, b)
    return {"W": W, "lam": lam, "b": b, "reduction": reduction}


def _loss_and_grad_check(X, y, W, *, lam, b, reduction) -> dict:
    X = validate.float_matrix("X", X, finite=False)
    params = _loss_and_grad_params(X.shape[1], X.dtype, W=W, lam=lam, b=b, reduction=reduction)
    labels = validate.labels(y, X.shape[0], params["W"].shape[1], X.dtype)
    return {"X": X, "y": labels, **params}


def loss_and_grad(X, y, W, *, lam=0.0, b=None, reduction="mean"):
    """Loss ``J`` and gradient(s) of softmax regression with cross-entropy.

    ``J = (1/N) Σ_n −log σ_{y_n}(x_n) + λ‖W‖²`` (``reduction="sum"`` drops 1/N), with
    logits ``X·W (+ b)``. ``y``: integer labels 0..K-1 of shape (N,), or label rows
    (N, K) summing to 1. Returns ``(loss, dJ/dW)`` or ``(loss, dJ/dW, dJ/db)`` when
    ``b`` is given, all in the dtype of ``X`` (float32 or float64). K >= 2.

    ``X`` (and ``y``) may be Dask arrays chunked by rows (``pip install "derive[dask]"``):
    each chunk runs the same proven block function where it lives, the partial sums are
    combined in a tree on the active scheduler (local or ``dask.distributed``), and the
    results come back as NumPy arrays.

    >>> import numpy as np
    >>> from derive.kernels import loss_and_grad
    >>> X = np.ones((4, 3)); W = np.zeros((3, 2)); y = np.array([0, 1, 0, 1])
    >>> loss, g = loss_and_grad(X, y, W)
    >>> float(loss) == float(np.log(2)), bool(np.allclose(g, 0))
    (True, True)
    """
    labels = y.ndim == 1
    args = {"X": X, ("t" if labels else "Y"): y, "W": W, "lambda": lam}
    shapes = {}
    if b is not None:
        args["b"] = b.reshape(-1, 1)
        shapes["grad_b"] = b.shape
    variant = {"reduction": reduction, "bias": b is not None,
               "encoding": "labels" if labels else "dense"}
    return variant, args, shapes


def _jacobian_check(z) -> dict:
    one_row = getattr(z, "ndim", None) == 1
    return {"z": validate.float_matrix("z", z, ndim=1 if one_row else 2)}


def softmax_jacobian(z):
    """``J[..., k, j] = ∂σ_k/∂z_j = σ_k(δ_jk − σ_j)`` for logits of shape (K,) or (N, K).

    Stable for |z| up to 1e4 (max shift). K = 1 is allowed here: J = [[0]].

    >>> import numpy as np
    >>> from derive.kernels import softmax_jacobian
    >>> softmax_jacobian(np.zeros(2))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    return {}, {"z": z[..., None, :]}, {}


def _hvp_check(X, W, V, *, lam) -> dict:
    X = validate.float_matrix("X", X, finite=False)
    W = validate.float_matrix("W", W)
    V = validate.float_matrix("V", V)
    validate.same_dtype("W", W, "X", X)
    validate.same_dtype("V", V, "X", X)
    validate.shape_is("W", W, (X.shape[1], W.shape[1]), f"D×K with D={X.shape[1]}")
    validate.classes("W", W.shape[1])
    validate.shape_is("V", V, W.shape, "a direction shaped like W")
    return {"X": X, "W": W, "V": V, "lam": validate.regularisation(lam)}


def hvp(X, W, V, *, lam=0.0):
    """Hessian–vector product ``(∇²J)·V`` of the mean loss ``J`` (no bias) at ``W``.

    ``(1/N) Σ_n x_n ⊗ (σ∘u − σ (σ·u)) + 2λV`` with ``u = Vᵀx_n``; D×K like ``W``.

    >>> import numpy as np
    >>> from derive.kernels import hvp
    >>> hvp(np.ones((2, 1)), np.zeros((1, 2)), np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    return {}, {"X": X, "W": W, "V": V, "lambda": lam}, {}


KERNELS: tuple = (
    Kernel(
        "loss_and_grad", loss_and_grad, _loss_and_grad_check, glm.loss_rows(_LOSS_KERNEL),
        VOCABULARY, encodings=(LABELS,), rows=("X", "y"), params=_loss_and_grad_params,
        finite="X", logits="X·W", checks=checks.softmax_loss_and_grad,
    ),
    Kernel(
        "softmax_jacobian", softmax_jacobian, _jacobian_check,
        (Output(
            "softmax_jacobian", "softmax_jacobian", "jacobian",
            sp.DiagMatrix(Softmax(zm).T) - Softmax(zm).T * Softmax(zm), (k, j),
            ClaimTarget("softmax_jacobian_logits"), "∂σ_k/∂z_j = σ_k(δ_jk − σ_j)",
            shown=lambda: _claim("softmax_jacobian_logits").rhs,
        ),),
        VOCABULARY, checks=checks.softmax_jacobian,
    ),
    Kernel("hvp", hvp, _hvp_check, tuple(_hvp_rows()), VOCABULARY, finite="X", logits="X·W",
           checks=checks.softmax_hvp),
)


FAMILY = Family(
    name="softmax",
    title="Softmax regression",
    scope=SCOPE,
    claims=CLAIMS,
    mutants=MUTANTS,
    notation=NOTATION,
    kernels=KERNELS,
)
