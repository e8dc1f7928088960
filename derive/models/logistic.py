"""The symbolic model of binary logistic regression: sizes, indices, quantities, builders.

One sample ``x`` (D features) gets the probability ``s = σ(t)`` of the label 1, with
the logit ``t = Σ_i w_i x_i + b`` and the logistic sigmoid ``σ(t) = 1/(1 + e^{−t})``;
its loss is the binary cross-entropy ``L = −[y log s + (1 − y) log(1 − s)]``. For a
data set ``X`` (N×D) with labels ``Y`` (N), ``J = (1/N) Σ_n L_n (+ λ Σ_i w_i²)``.

Everything is plain SymPy, written as the notes write it (``log(1 − s)`` stays the
log of ``1 − 1/(1 + e^{−t})``): closing those fractions is the engine's job.
Indices are 1-based: ``w_i`` with ``i`` in 1..D, ``X[n, i]`` with ``n`` in 1..N.

>>> from derive.models.logistic import logit, sigmoid
>>> logit()
b + Sum(w[l]*x[l], (l, 1, D))
>>> sigmoid(t)
1/(1 + exp(-t))
"""

from __future__ import annotations

import sympy as sp

from derive.engine.claims import binary, sums_to_one
from derive.engine.scope import Scope
from derive.models import glm
from derive.models.family import Entry, Family, catalogue, over_samples

__all__ = ["SCOPE", "D", "N", "X", "Y", "b", "bce", "dataset_loss", "lam", "logit", "sigmoid",
           "t", "w", "x", "y"]

# Sizes: positive integers, never instantiated by a proof.
D, N = sp.symbols("D N", integer=True, positive=True)

# Index letters and their default ranges (1-based, inclusive).
i, l = sp.symbols("i l", integer=True)  # features, 1..D
n = sp.Symbol("n", integer=True)  # samples, 1..N

# Quantities. Labels are real numbers here: that y is 0 or 1 is an assumption a claim
# states when it needs it, never built into the symbol.
w = sp.IndexedBase("w", shape=(D,))  # weights
b = sp.Symbol("b", real=True)  # bias
x = sp.IndexedBase("x", shape=(D,))  # one sample's features
X = sp.IndexedBase("X", shape=(N, D))  # a data set, one sample per row
y = sp.Symbol("y", real=True)  # one sample's label
Y = sp.IndexedBase("Y", shape=(N,))  # a data set's labels, y_n = Y[n]
t = sp.Symbol("t", real=True)  # a logit
lam = sp.Symbol("lambda", nonnegative=True)  # L2 penalty weight

# The family's scope: every index letter above with its range.
SCOPE = Scope(
    index_ranges={
        **dict.fromkeys((i, l), (sp.Integer(1), D)),
        n: (sp.Integer(1), N),
    }
)


def _sum(body: sp.Expr, index: sp.Symbol, size: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (index, 1, size))


def logit(*, sample: sp.Expr | None = None, bias: bool = True) -> sp.Expr:
    """``t = Σ_l w_l x_l + b``; with ``sample=n`` the input is row ``X[n, :]``.

    >>> logit(sample=n, bias=False)
    Sum(X[n, l]*w[l], (l, 1, D))
    """
    feat = sp.Symbol("l", integer=True)
    inp = x[feat] if sample is None else X[sample, feat]
    val = _sum(w[feat] * inp, feat, D)
    return val + b if bias else val


def sigmoid(arg: sp.Expr) -> sp.Expr:
    """The logistic function ``σ(t) = 1/(1 + e^{−t})``, as the notes write it.

    >>> sigmoid(0)
    1/2
    """
    return 1 / (1 + sp.exp(-sp.sympify(arg, strict=True)))


def bce(
    *,
    sample: sp.Expr | None = None,
    bias: bool = True,
    logits: sp.Expr | None = None,
    label: sp.Expr | None = None,
) -> sp.Expr:
    """Per-sample binary cross-entropy ``L = −[y log s + (1 − y) log(1 − s)]``, ``s = σ(t)``.

    ``t`` is built from ``w`` and ``x`` (or ``X[sample]``, with label ``Y[sample]``)
    unless ``logits`` gives it (a symbol such as ``t``); ``label`` overrides ``y``.

    >>> bce(logits=t)
    -y*log(1/(1 + exp(-t))) - (1 - y)*log(1 - 1/(1 + exp(-t)))
    """
    arg = logits if logits is not None else logit(sample=sample, bias=bias)
    lab = label if label is not None else (y if sample is None else Y[sample])
    s = sigmoid(arg)
    return -(lab * sp.log(s) + (1 - lab) * sp.log(1 - s))


def dataset_loss(*, reduction: str = "mean", l2: bool = False, bias: bool = True) -> sp.Expr:
    """``J = (1/N) Σ_n L_n (+ λ Σ_i w_i²)``; ``reduction="sum"`` drops the 1/N.

    The bias is not penalised (the usual convention: Bishop, PRML §5.5.1).

    >>> dataset_loss(reduction="sum").has(N)
    True
    >>> dataset_loss(l2=True).has(lam)
    True
    """
    loss = over_samples(lambda smp: bce(sample=smp, bias=bias), N, reduction)
    if l2:
        p = sp.Symbol("p", integer=True)
        loss += lam * _sum(w[p] ** 2, p, D)
    return loss


# --------------------------------------------------------------------------- catalogue
#
# Each entry names the function, the variable, the claimed closed form (written with the
# abbreviations of the notes: ``s`` for σ(t), ``s_n`` for sample n, ``L``/``J`` for the
# losses), the assumptions, where the form is published, and wrong variants the prover
# must refute. Labels are any real numbers unless an entry assumes ``y ∈ {0, 1}``: the
# gradients hold for soft labels too, so they assume nothing.
#
# The sources, as read (short names in the table):
# - Hinton, CSC2515 lecture 3: cs.toronto.edu/~hinton/csc2515/notes/lec3_files/slide0037.htm
#   (the gradients of the logistic and of the error cancel), slide0041.htm (the error on
#   case n, for t = 0 and t = 1), slide0043.htm (the logistic as softmax for two classes).
# - Stack Overflow 58539767 (torch.softmax and torch.sigmoid in the binary case):
#   softmax(x_1) = sigmoid(x_1 − x_2), and the second output is 1 − sigmoid.
# - TensorFlow docs: tf.math.log_sigmoid (log σ(x) = −softplus(−x)) and
#   tf.nn.sigmoid_cross_entropy_with_logits (L = x − x z + log(1 + e^{−x}), any real z).
# - Narendra, Fundamentals of ML, lecture 16b (surnamnarendra.github.io):
#   ∇_w L = Xᵀ(p̂ − y), ∂_b L = 1ᵀ(p̂ − y) for the summed loss.
# - zinh.github.io (2014), logistic regression by Fisher scoring: H = XᵀSX,
#   S = diag(h(1 − h)).
# - Du, Logistic Regression (duzhongxiang.com, 2017): ∇_w L = Aᵀ(α − Y), B = diag(α(1 − α)).
# - CS229-style exercise (numerade.com): (a) g'(z) = g(z)(1 − g(z)); (c) for the mean
#   loss, ∂l/∂θ_j = (1/n) Σ_i (h − y) x_j.
# - Cross Validated 286898 (sigmoid equals softmax in the binary case).
# The penalty λ‖w‖² (bias not penalised) adds 2λw_i and 2λδ_il.
#
# ``s`` (one sample) and ``S`` (s_n, printed s) share the letter: no entry defines both
# (expanding the symbol ``s`` would rewrite the label of ``S`` too; a test checks).

s = sp.Symbol("s")  # σ(t) of one sample
S = sp.IndexedBase("s", shape=(N,))  # s_n = σ(t_n), sample n of a data set
L = sp.Symbol("L")  # per-sample loss
J = sp.Symbol("J")  # data-set loss
z = sp.IndexedBase("z", shape=(2,))  # two softmax logits (K = 2)
y2 = sp.IndexedBase("y", shape=(2,))  # two softmax labels (K = 2)
c = sp.Symbol("c", integer=True)  # a class, 1..2
d = sp.KroneckerDelta


def _s_of_t():
    return sigmoid(t)


def _s_of_x():
    return sigmoid(logit())


def _s_of_xn(smp):
    return sigmoid(logit(sample=smp))


def _softmax2(q):
    return sp.exp(z[q]) / sp.Sum(sp.exp(z[c]), (c, 1, 2))


def _mean_data_term(body):
    return sp.Sum(body, (n, 1, N)) / N


# The canonical-link theorem's gradient and Hessian rows (:mod:`derive.models.glm`) for one
# output (K = 1, A(t) = log(1 + e^t)), written with w, y, s = σ(t) and s(1 − s): only the
# notation is declared here; each row's statement is the theorem's, restated below with
# logistic's name, source and wrong variants.
_THEOREM = glm.theorem_rows("bce", glm.Written(
    weight=lambda a, q: w[a],
    label=lambda smp, q: y if smp is None else Y[smp],
    mean=lambda smp, q: s if smp is None else S[smp],
    curvature=lambda smp, q, r: s * (1 - s) if smp is None else S[smp] * (1 - S[smp]),
    defs=lambda data: {S: _s_of_xn} if data else {s: _s_of_x},
    loss=lambda: bce(),
    dataset=dataset_loss,
    delta=lambda q, r: 1,  # one output
    second=(l, glm.m),
    second_data=(l, glm.r),
    bias=lambda q: b,  # the logit t has the bias: defs, loss and data set as above
), (), (), "")


_hess_n = S[n] * (1 - S[n]) * X[n, i] * X[n, l]
_TABLE: list[Entry] = [
    Entry("sigmoid_grad", sp.Derivative(s, t), s * (1 - s), defs={s: _s_of_t},
          source="CS229-style exercise (numerade.com), part (a)",
          description="derivative of the logistic sigmoid",
          wrong={"sign flip": (-s * (1 - s), None), "missing (1 − s)": (s, None),
                 "s(1 + s)": (s * (1 + s), None)}),
    Entry("sigmoid_complement", 1 - sigmoid(t), sigmoid(-t),
          source="Stack Overflow question 58539767",
          description="the complement of the sigmoid is the sigmoid of −t",
          wrong={"σ(t) for σ(−t)": (sigmoid(t), None), "−σ(t)": (-sigmoid(t), None)}),
    Entry("log_sigmoid", sp.log(sigmoid(t)), -sp.log(1 + sp.exp(-t)),
          source="TensorFlow docs, tf.math.log_sigmoid",
          description="the log-sigmoid is minus the softplus of −t",
          wrong={"sign flip": (sp.log(1 + sp.exp(-t)), None),
                 "softplus(t) for softplus(−t)": (-sp.log(1 + sp.exp(t)), None)}),
    Entry("bce_logit_form", L, t - t * y + sp.log(1 + sp.exp(-t)),
          defs={L: lambda: bce(logits=t)},
          source="TensorFlow docs, tf.nn.sigmoid_cross_entropy_with_logits",
          description="binary cross-entropy written with the logit, for any real label",
          wrong={"missing t": (-t * y + sp.log(1 + sp.exp(-t)), None),
                 "softplus(t) for softplus(−t)": (t - t * y + sp.log(1 + sp.exp(t)), None)}),
    Entry("bce_grad_logit", sp.Derivative(L, t), s - y,
          defs={s: _s_of_t, L: lambda: bce(logits=t)},
          source="Hinton, CSC2515 lecture 3, slides 37 and 41",
          description="binary cross-entropy gradient with respect to the logit",
          wrong={"sign flip": (y - s, None),
                 "σ' kept: s(1 − s)(s − y)": (s * (1 - s) * (s - y), None),
                 "s − 1": (s - 1, None)}),
    glm.restate(_THEOREM["grad"], "bce_grad_w", source="Narendra, Fundamentals of ML, lecture 16b",
                description="binary cross-entropy gradient with respect to the weights",
                keep=("sign flip", "missing x_i"),
                wrong={"σ' kept: s(1 − s)(s − y) x_i": (s * (1 - s) * (s - y) * x[i], None)}),
    glm.restate(_THEOREM["bias_grad"], "bce_grad_b",
                source="Narendra, Fundamentals of ML, lecture 16b",
                description="binary cross-entropy gradient with respect to the bias",
                keep=("sign flip",),
                wrong={"missing s": (-y, None), "(s − y) b": ((s - y) * b, None)}),
    glm.restate(_THEOREM["hessian"], "bce_hessian_w",
                source="Fisher scoring notes (zinh.github.io, 2014)",
                description="Hessian of the binary cross-entropy with respect to the weights",
                keep=("sign flip", "missing x_l"),
                wrong={"gradient for Hessian: (s − y) x_i x_l": ((s - y) * x[i] * x[l], None)}),
    glm.restate(_THEOREM["sum_grad"], "sum_loss_grad_w", source="Du, Logistic Regression (2017)",
                description="gradient of the summed cross-entropy (no 1/N)",
                keep=("spurious 1/N",),
                wrong={"sign flip": (sp.Sum((Y[n] - S[n]) * X[n, i], (n, 1, N)), None)}),
    glm.restate(_THEOREM["mean_l2_grad"], "mean_l2_loss_grad_w",
                source="CS229-style exercise (numerade.com), part (c)",
                description="gradient of the mean cross-entropy with L2 penalty λ‖w‖²",
                keep=("λ for 2λ", "missing 1/N"),
                wrong={"sign flip of the data term": (
                    _mean_data_term((Y[n] - S[n]) * X[n, i]) + 2 * lam * w[i], None)}),
    glm.restate(_THEOREM["mean_l2_bias_grad"], "mean_l2_loss_grad_b",
                source="Narendra, lecture 16b, mean form",
                description="gradient of the mean cross-entropy with L2 penalty, bias",
                wrong={"bias penalised: + 2λb": (_mean_data_term(S[n] - Y[n]) + 2 * lam * b,
                                                 None),
                       "missing 1/N": (sp.Sum(S[n] - Y[n], (n, 1, N)), None)}),
    glm.restate(_THEOREM["mean_l2_hessian"], "mean_l2_loss_hessian_w",
                source="Fisher scoring notes (zinh.github.io, 2014), mean form",
                description="Hessian of the mean cross-entropy with L2 penalty",
                wrong={"missing 2λδ_il": (_mean_data_term(_hess_n), None),
                       "2λ off the diagonal too": (_mean_data_term(_hess_n) + 2 * lam, None),
                       "missing (1 − s_n)": (_mean_data_term(S[n] * X[n, i] * X[n, l])
                                             + 2 * lam * d(i, l), None)}),
    Entry("softmax2_is_sigmoid", _softmax2(1), sigmoid(z[1] - z[2]),
          source="Hinton, CSC2515 lecture 3, slide 43",
          description="softmax with K = 2 is the sigmoid of the logit difference",
          wrong={"σ(z_1)": (sigmoid(z[1]), None), "σ(z_2 − z_1)": (sigmoid(z[2] - z[1]), None),
                 "σ(z_1 + z_2)": (sigmoid(z[1] + z[2]), None)}),
    Entry("softmax2_cross_entropy", L, bce(logits=z[1] - z[2], label=y2[1]),
          (sums_to_one(y2),),
          defs={L: lambda: -sp.Sum(y2[c] * sp.log(_softmax2(c)), (c, 1, 2))},
          source="Cross Validated question 286898",
          description="two-class cross-entropy is the binary cross-entropy of the logit "
          "difference, for any labels with y_1 + y_2 = 1",
          wrong={"without y_1 + y_2 = 1": (bce(logits=z[1] - z[2], label=y2[1]), ()),
                 "σ(z_2 − z_1) for σ(z_1 − z_2)": (bce(logits=z[2] - z[1], label=y2[1]), None)}),
    # a wrong variant is wrong inside the model's domain: the labels stay binary (dropping
    # the hypothesis instead gave a "counterexample" with a label of 2)
    Entry("bce_logit_grad_squared", sp.Derivative(L, t) ** 2,
          Y[n] * (1 - s) ** 2 + (1 - Y[n]) * s**2, (binary(Y),),
          defs={s: _s_of_t, L: lambda: bce(logits=t, label=Y[n])},
          source="Hinton, CSC2515 lecture 3, slides 37 and 41",
          description="squared logit gradient of sample n with a binary label: (1 − s)² for "
          "a positive sample, s² for a negative one",
          wrong={"Y_n and 1 − Y_n swapped": ((1 - Y[n]) * (1 - s) ** 2 + Y[n] * s**2, None),
                 "(1 − s)² for every sample": ((1 - s) ** 2, None),
                 "s(1 − s), the expectation over the label": (s * (1 - s), None)}),
]

CLAIMS, MUTANTS = catalogue(_TABLE, SCOPE)


# --------------------------------------------------------------------------- notation
# How the report folds the expanded forms back into s, t (read by derive.report).

from derive.models.family import Fold, Notation  # noqa: E402  (this block's own import)

_n, _u = sp.Symbol("n", integer=True), sp.Symbol("u")
_t = sp.IndexedBase("t")  # t_n, the logit of sample n
_sigma = sp.Function("sigma")  # σ(u) = 1/(1 + e^{−u}) of any other argument

NOTATION = Notation(
    folds=(  # t before s (s's form is written with t); s before the general σ(u)
        Fold(t, logit()),
        Fold(_t[_n], logit(sample=_n)),
        Fold(s, sigmoid(t)),
        Fold(s, sp.exp(t) / (1 + sp.exp(t))),
        Fold(S[_n], sigmoid(_t[_n])),
        Fold(S[_n], sp.exp(_t[_n]) / (1 + sp.exp(_t[_n]))),
        Fold(_sigma(_u), sigmoid(_u)),
        Fold(_sigma(_u), sp.exp(_u) / (1 + sp.exp(_u))),
    ),
    names={"lambda": r"\lambda"},
    factor_order=((w,), (x, X), (S,), (Y,)),
    dummies={N: "nm", D: "lpq", sp.Integer(2): "cd"},  # 2: the two-class softmax
    letters={N: "n", D: "i"},
    prose=r"""Binary logistic regression gives an input $x$ ($D$ features) the probability $s$ of
the label $1$: a linear model computes the logit $t$, and the logistic sigmoid
$\sigma(u) = 1/(1 + e^{-u})$ turns it into a probability. The loss is the binary
cross-entropy. Labels are real numbers unless a claim assumes more, so the gradients below
hold for soft labels too. All sizes are symbols: every equality is proved for all
$D, N \ge 1$ and all index values in range.""",
    symbols=(
        (r"$D, N$", "number of features and samples (symbolic: never instantiated)"),
        (r"$i, l \in \{1..D\}$", "feature indices"),
        (r"$n \in \{1..N\}$", "sample index"),
        (r"$w_{i}$, $b$", r"weights ($D$ entries) and bias"),
        (r"$x_{i}$, $X_{ni}$", r"one input; row $n$ of the data $X$ ($N \times D$)"),
        (r"$y$, $Y_{n}$", r"the label of one sample; of sample $n$"),
        (r"$\lambda$", r"weight of the penalty $\lambda \lVert w \rVert^2$ (the bias is not "
                       r"penalised)"),
        (r"$z_{1}, z_{2}$; $y_{1}, y_{2}$", "the logits and labels of a two-class softmax "
                                           "(compared with the logistic)"),
    ),
    definitions=(
        (t, logit(), ""),
        (s, sigmoid(t), r" = \sigma(t)"),
        ("L", r"-y \log s - (1 - y) \log (1 - s)", ""),
        ("J", r"\frac{1}{N} \sum_{n=1}^{N} L_{n}", ""),
        (r"J_{\Sigma}", r"\sum_{n=1}^{N} L_{n}", ""),
        (r"J_{\lambda}", r"J + \lambda \lVert w \rVert^2", ""),
    ),
    remarks=r"""where $t_n$, $s_n = \sigma(t_n)$ and $L_n$ are the same quantities for sample $n$
(input $X_{n\cdot}$, label $Y_n$). Each objective has its own symbol: $L$ for one sample,
$J_{\Sigma}$ for the sum over the data and $J_{\lambda}$ for the mean with the penalty.
Proofs are carried out on the fully expanded expressions, where $s$ is the fraction
$1/(1 + e^{-t})$ and $t$ the sum; they are printed with $t$, $s$ and $\sigma$ folded back
in, which is an identity rewrite.""",
    assumptions=r"""Labels are real numbers unless a claim states a hypothesis about them;
the hypotheses used, each only by the claims listed:""",
    objectives={
        "sum_loss_grad_w": r"J_{\Sigma}",
        "mean_l2_loss_grad_w": r"J_{\lambda}",
        "mean_l2_loss_grad_b": r"J_{\lambda}",
        "mean_l2_loss_hessian_w": r"J_{\lambda}",
    },
    # Bishop, Section 4.3.2 (logistic regression: dσ/da = σ(1 − σ), eq. (4.88); the
    # gradient (4.91)) and 4.3.3 (the Hessian (4.97)), cited from memory of the book's
    # numbering: NOT re-checked against the book, verify before citing in print.
    published={
        "sigmoid_grad": ("bishop2006logistic",),
        "sum_loss_grad_w": ("bishop2006logistic",),
        "bce_hessian_w": ("bishop2006logistic",),
    },
    references={
        "bishop2006logistic": ("C. M. Bishop", "Pattern Recognition and Machine Learning",
                               "Springer, 2006, Sections 4.3.2 and 4.3.3 (logistic "
                               "regression; iterative reweighted least squares)"),
    },
)


# --------------------------------------------------------------------------- kernels
# One specification row per kernel output (read by derive.kernels): the matrix form,
# its entry's indices, the expression its entry must equal, the call variant it serves;
# per kernel its public signature (``bind``, NumPy only) and its checks.

import numpy  # noqa: E402  (the kernels block's own imports)

from derive.declare import checks, validate  # noqa: E402
from derive.declare.matrix import (  # noqa: E402
    LogOneMinusSigmoid,
    LogSigmoid,
    Sigmoid,
    Vocabulary,
)
from derive.declare.spec import ExprTarget, Kernel, Output  # noqa: E402
from derive.errors import DeriveError  # noqa: E402

# The quantities as matrices: vectors are columns, the bias a 1×1 matrix (the scalar b).
Xm = sp.MatrixSymbol("X", N, D)
wm = sp.MatrixSymbol("w", D, 1)
ym = sp.MatrixSymbol("y", N, 1)  # the labels Y_n, one per row
bm = sp.MatrixSymbol("b", 1, 1)
vm = sp.MatrixSymbol("v", D, 1)  # the direction of a Hessian–vector product
v = sp.IndexedBase("v", shape=(D,))

VOCABULARY = Vocabulary(
    indexed={Xm: X, wm: w, ym: Y, bm: b, vm: v},
    rows=(Xm, ym),
    count=N,
    letters={N: "n", D: "l"},
)


# The loss and its gradients: logistic's matrix forms of the binary cross-entropy and of
# its mean map σ; the gradient rows are the theorem's (glm.loss_rows). The catalogue's
# mean + λ‖w‖² gradients (with the bias, as the claims state them) are the targets of
# that variant; the others equal the derivatives.
def _bce_rows(z, scale):
    # −[y log s + (1 − y) log(1 − s)] per row, with (1 − y)·A written A − y∘A; the two
    # logs print as −softplus(∓z), stable for any logit.
    per_row = (sp.HadamardProduct(ym, LogSigmoid(z)) + LogOneMinusSigmoid(z)
               - sp.HadamardProduct(ym, LogOneMinusSigmoid(z)))
    return -scale * sp.OneMatrix(1, N) * per_row


_LOSS_KERNEL = glm.LossKernel(
    kernel="loss_and_grad_binary", loss=_bce_rows, penalty=lam * wm.T * wm, mean=Sigmoid,
    weight=wm, bias=bm, bias_row=bm, labels=ym, weight_entry=w[i], bias_entry=b,
    dataset=lambda v: dataset_loss(**v.loss_kw),
    grad_claim="mean_l2_loss_grad_w",
    grad_statement="∂J/∂w_i = (1/N) Σ_n (s_n − y_n) X_ni + 2λw_i",
    bias_claim="mean_l2_loss_grad_b", bias_statement="∂J/∂b = (1/N) Σ_n (s_n − y_n)",
    claimed_bias=True, names=("binary_loss_{}", "binary_grad_w_{}", "binary_grad_b_{}"),
    said="logistic.dataset_loss({})", grad_output="grad_w", weight_name="w_i",
    bias_name="b", weight_indices=(i, 1), bias_indices=(1, 1),
)


def _hvp_target() -> sp.Expr:
    q = sp.Symbol("q", integer=True)  # a letter no builder binds
    J = dataset_loss(reduction="mean", l2=True, bias=False)
    return sp.Sum(sp.Derivative(J, w[i], w[q]) * v[q], (q, 1, D))


def _hvp_binary_rows() -> list[Output]:
    # s(1 − s)∘u as s∘u − s∘s∘u: every factor is a row-wise function of X's rows.
    form = glm.hvp_form(wm, vm, lambda Z, u: sp.HadamardProduct(Sigmoid(Z), u)
                        - sp.HadamardProduct(Sigmoid(Z), Sigmoid(Z), u))
    return [Output(
        "binary_hvp_mean", "hvp_binary", "hvp", form, (i, 1), ExprTarget(_hvp_target),
        "Σ_q ∂²J/∂w_i∂w_q v_q of logistic.dataset_loss(reduction='mean', l2=True, "
        "bias=False)",
    )]


def _binary_params(d: int, dtype, *, w, lam, b, reduction) -> dict:
    if reduction not in ("mean", "sum"):
        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    return {"w": validate.vector("w", w, d, dtype), "lam": validate.regularisation(lam),
            "b": validate.scalar(b, dtype), "reduction": reduction}


def _binary_check(X, y, w, *, lam, b, reduction) -> dict:
    X = validate.float_matrix("X", X, finite=False)
    params = _binary_params(X.shape[1], X.dtype, w=w, lam=lam, b=b, reduction=reduction)
    return {"X": X, "y": validate.binary_labels(y, X.shape[0], X.dtype), **params}


def loss_and_grad_binary(X, y, w, *, lam=0.0, b=None, reduction="mean"):
    """Loss ``J`` and gradient(s) of binary logistic regression (cross-entropy).

    ``J = (1/N) Σ_n −[y_n log s_n + (1 − y_n) log(1 − s_n)] + λ‖w‖²`` with
    ``s = σ(X·w (+ b))`` (``reduction="sum"`` drops 1/N; the bias is not penalised).
    ``y``: labels 0/1 (integers or booleans) or probabilities in [0, 1], shape (N,);
    ``w``: shape (D,); ``b``: a real number or None. Returns ``(loss, dJ/dw)`` or
    ``(loss, dJ/dw, dJ/db)`` when ``b`` is given, in the dtype of ``X``. The logs are
    computed as softplus, stable for any logit. ``X`` (and ``y``) may be Dask arrays
    chunked by rows, as for :func:`loss_and_grad`.

    >>> import numpy as np
    >>> from derive.kernels import loss_and_grad_binary
    >>> X = np.array([[1.0, 2.0], [0.5, -1.0]]); y = np.array([1, 0])
    >>> loss, g = loss_and_grad_binary(X, y, np.zeros(2))
    >>> round(float(loss), 6), g.shape
    (0.693147, (2,))
    """
    args = {"X": X, "y": y.reshape(-1, 1), "w": w.reshape(-1, 1), "lambda": lam}
    shapes = {"loss": (), "grad_w": w.shape}
    if b is not None:
        args["b"] = numpy.full((1, 1), b, dtype=X.dtype)
        shapes["grad_b"] = ()
    return {"reduction": reduction, "bias": b is not None}, args, shapes


def _hvp_binary_check(X, w, v, *, lam) -> dict:
    X = validate.float_matrix("X", X, finite=False)
    return {"X": X, "w": validate.vector("w", w, X.shape[1], X.dtype),
            "v": validate.vector("v", v, X.shape[1], X.dtype), "lam": validate.regularisation(lam)}


def hvp_binary(X, w, v, *, lam=0.0):
    """Hessian–vector product ``(∇²J)·v`` of the mean loss ``J`` (no bias) at ``w``:
    ``(1/N) Σ_n s_n(1 − s_n) x_n (x_n·v) + 2λv`` with ``s = σ(X·w)``; shape (D,).

    >>> import numpy as np
    >>> from derive.kernels import hvp_binary
    >>> hvp_binary(np.ones((2, 1)), np.zeros(1), np.ones(1))
    array([0.25])
    """
    return {}, {"X": X, "w": w.reshape(-1, 1), "v": v.reshape(-1, 1), "lambda": lam}, {
        "hvp": v.shape}


KERNELS: tuple = (
    Kernel(
        "loss_and_grad_binary", loss_and_grad_binary, _binary_check, glm.loss_rows(_LOSS_KERNEL),
        VOCABULARY, rows=("X", "y"), params=_binary_params, finite="X", logits="X·w",
        checks=checks.binary_loss_and_grad, bench=checks.bench_binary,
    ),
    Kernel(
        "hvp_binary", hvp_binary, _hvp_binary_check, tuple(_hvp_binary_rows()), VOCABULARY,
        finite="X", logits="X·w", checks=checks.binary_hvp,
    ),
)


FAMILY = Family(
    name="logistic",
    title="Binary logistic regression",
    scope=SCOPE,
    claims=CLAIMS,
    mutants=MUTANTS,
    notation=NOTATION,
    kernels=KERNELS,
)
