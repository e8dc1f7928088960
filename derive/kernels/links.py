"""The proof links: each kernel output's matrix form against the claim it computes.

One :class:`Link` per output of a kernel (data, not code): the matrix form that is
printed into NumPy, the free indices of its entry, and the target the entry must
equal — a catalogue claim's closed form (then the claim itself must be proved too),
or the derivative of the model's loss itself. :func:`require` asks the engine and
raises :class:`DeriveError` naming the first link that is not ``proved``.

>>> from derive.kernels.links import LINKS
>>> sorted({link.kernel for link in LINKS.values()})
['hvp', 'loss_and_grad', 'softmax_jacobian']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from derive.engine.claims import Assumption, Verdict, sums_to_one
from derive.errors import DeriveError
from derive.kernels import cache
from derive.kernels.matrix import LogSoftmax, Softmax, V, Vm, Wm, Xm, Ym, bm, entry, xm, zm
from derive.models import softmax as model
from derive.models.softmax import D, K, N, i, j, k, lam, n

__all__ = ["LINKS", "Link", "LinkResult", "matrix_links", "require", "variant_links"]

Target = Callable[[], tuple[sp.Expr, tuple[Assumption, ...]]]
ONE_HOT = (sums_to_one(model.Y),)


@dataclass(frozen=True)
class Link:
    """Entry ``indices`` of ``form`` equals ``target()`` (for all N, D, K)."""

    name: str
    kernel: str
    output: str
    form: sp.Expr
    indices: tuple[sp.Expr, sp.Expr]
    target: Target
    claim: str | None  # the catalogue claim whose closed form is the target
    statement: str  # what the target is, for headers and reports

    def entry(self) -> sp.Expr:
        return entry(self.form, *self.indices)


@dataclass(frozen=True)
class LinkResult:
    link: Link
    verdict: Verdict
    claim_verdict: Verdict | None

    @property
    def proved(self) -> bool:
        ok = self.verdict.status == "proved"
        return ok and (self.claim_verdict is None or self.claim_verdict.status == "proved")


def _claim_target(name: str, reshape: Callable[[sp.Expr], sp.Expr] | None = None) -> Target:
    def target() -> tuple[sp.Expr, tuple[Assumption, ...]]:
        from derive import catalogue

        claim = catalogue.get(name)
        rhs = claim.expanded()[1]
        return (reshape(rhs) if reshape else rhs), tuple(claim.assumptions)

    return target


def _derivative_target(wrt: sp.Expr, **loss: object) -> Target:
    def target() -> tuple[sp.Expr, tuple[Assumption, ...]]:
        return sp.Derivative(model.dataset_loss(**loss), wrt), ONE_HOT  # type: ignore[arg-type]

    return target


def _loss_target(**loss: object) -> Target:
    def target() -> tuple[sp.Expr, tuple[Assumption, ...]]:
        return model.dataset_loss(**loss), ()  # type: ignore[arg-type]

    return target


def _hvp_of_hessian(rhs: sp.Expr, *, dataset: bool) -> sp.Expr:
    """``Σ_p Σ_q H[i, j, p, q]·V[p, q]`` from the claim's ``H[i, j, l, m]``; with
    ``dataset`` the mean over samples (x → X[n, :]) plus ``2λV`` of ``λ‖θ‖²``."""
    p, q = sp.symbols("p q", integer=True)
    h = rhs.xreplace({model.l: p, model.m: q})  # frees l, m for nothing else to clash
    out = sp.Sum(sp.Sum(h * V[p, q], (p, 1, D)), (q, 1, K))
    if not dataset:
        return out
    out = out.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == model.x,
        lambda e: model.X[n, e.indices[0]],
    )
    return sp.Sum(out, (n, 1, N)) / N + 2 * lam * V[i, j]


def _forms(bias: bool) -> tuple[sp.Expr, sp.Expr]:
    logits = Xm * Wm + sp.OneMatrix(N, 1) * bm.T if bias else Xm * Wm
    return logits, Softmax(logits) - Ym


def _loss_and_grad_links() -> dict[str, Link]:
    out: dict[str, Link] = {}
    for reduction in ("mean", "sum"):
        scale = sp.Integer(1) / N if reduction == "mean" else sp.Integer(1)
        for bias in (False, True):
            logits, resid = _forms(bias)
            tag = f"{reduction}{'_bias' if bias else ''}"
            # trace(log σ · Yᵀ) sums over n outside and k inside, as dataset_loss does.
            loss = -scale * sp.Trace(LogSoftmax(logits) * Ym.T) + lam * sp.Trace(Wm.T * Wm)
            grad = scale * Xm.T * resid + 2 * lam * Wm
            kw = {"reduction": reduction, "l2": True, "bias": bias}
            out[f"loss_{tag}"] = Link(
                f"loss_{tag}", "loss_and_grad", "loss", loss, (sp.Integer(1), sp.Integer(1)),
                _loss_target(**kw), None, f"J = model.dataset_loss({_kw(kw)})",
            )
            if reduction == "mean" and not bias:
                target, claim = _claim_target("mean_l2_loss_grad"), "mean_l2_loss_grad"
                said = "∂J/∂θ_ij = (1/N) Σ_n X_ni (σ_j(x_n) − Y_nj) + 2λθ_ij"
            else:
                target, claim = _derivative_target(model.theta[i, j], **kw), None
                said = f"∂J/∂θ_ij of model.dataset_loss({_kw(kw)})"
            out[f"grad_{tag}"] = Link(
                f"grad_{tag}", "loss_and_grad", "grad_W", grad, (i, j), target, claim, said
            )
            if bias:
                gb = scale * sp.OneMatrix(1, N) * resid  # a row: Σ_n over the residual
                out[f"gradb_{tag}"] = Link(
                    f"gradb_{tag}", "loss_and_grad", "grad_b", gb, (sp.Integer(1), j),
                    _derivative_target(model.b[j], **kw), None,
                    f"∂J/∂b_j of model.dataset_loss({_kw(kw)})",
                )
    return out


def _kw(kw: dict[str, object]) -> str:
    return ", ".join(f"{key}={val!r}" for key, val in kw.items())


def _other_links() -> dict[str, Link]:
    s = Softmax(zm)  # one row of logits
    jac = sp.DiagMatrix(s.T) - s.T * s
    # Per-sample Hessian–vector product, then the dataset mean (+2λV) for the batch kernel.
    s1, u1 = Softmax(xm.T * Wm), xm.T * Vm
    hvp1 = xm * (sp.HadamardProduct(s1, u1) - (s1 * u1.T) * s1)
    S, U = Softmax(Xm * Wm), Xm * Vm
    P = sp.HadamardProduct(S, U)
    rowsum = P * sp.OneMatrix(K, 1) * sp.OneMatrix(1, K)
    hvp = Xm.T * (P - sp.HadamardProduct(S, rowsum)) / N + 2 * lam * Vm
    hess = "∂²L/∂θ_ij∂θ_lm = x_i x_l σ_j(δ_jm − σ_m)"
    return {
        "softmax_jacobian": Link(
            "softmax_jacobian", "softmax_jacobian", "jacobian", jac, (k, j),
            _claim_target("softmax_jacobian_logits"), "softmax_jacobian_logits",
            "∂σ_k/∂z_j = σ_k(δ_jk − σ_j)",
        ),
        "hvp_sample": Link(
            "hvp_sample", "hvp", "hvp_sample", hvp1, (i, j),
            _claim_target("nll_hessian_theta", lambda r: _hvp_of_hessian(r, dataset=False)),
            "nll_hessian_theta", f"Σ_lm H_ijlm V_lm with {hess}",
        ),
        "hvp_mean": Link(
            "hvp_mean", "hvp", "hvp", hvp, (i, j),
            _claim_target("nll_hessian_theta", lambda r: _hvp_of_hessian(r, dataset=True)),
            "nll_hessian_theta",
            f"(1/N) Σ_n Σ_lm H_ijlm(x_n) V_lm + 2λV_ij with {hess}",
        ),
    }


LINKS: dict[str, Link] = {**_loss_and_grad_links(), **_other_links()}


def variant_links(reduction: str, bias: bool) -> tuple[Link, ...]:
    """The links behind one variant of ``loss_and_grad``."""
    tag = f"{reduction}{'_bias' if bias else ''}"
    names = [f"loss_{tag}", f"grad_{tag}"] + ([f"gradb_{tag}"] if bias else [])
    return tuple(LINKS[name] for name in names)


_RESULTS: dict[str, LinkResult] = {}  # this process's results, by link name


def _form_key(link: Link) -> str:
    # The link as the engine sees it: the printed form, the entry's indices, what it is
    # compared with. The targets' sources are in the engine key.
    return cache.form_key(
        link.name, sp.srepr(link.form), sp.srepr(link.indices), link.claim, link.statement
    )


def _cached(link: Link) -> LinkResult | None:
    entry = cache.load()["links"].get(link.name)
    if entry is None or entry["form"] != _form_key(link):
        return None
    note = "proved earlier by this engine version (verdict cache)"
    verdict = Verdict(f"kernel link {link.name}", "proved", tuple(entry["assumptions"]),
                      note=note)
    claim_verdict = None
    if link.claim is not None:
        claim_verdict = Verdict(link.claim, "proved", tuple(entry.get("claim_assumptions", [])),
                                note=note)
    return LinkResult(link, verdict, claim_verdict)


def check(name: str, *, fresh: bool = False) -> LinkResult:
    """Ask the engine about one link (and its claim).

    Results are kept per process; a ``proved`` verdict is also kept on disk (see
    :mod:`derive.kernels.cache`) and reused while the engine's source and the form are
    unchanged. ``fresh=True`` proves again, whatever is cached.
    """
    link = LINKS[name]
    known = _RESULTS.get(name)
    if not fresh and known is not None and known.link is link:
        return known
    res = None if fresh else _cached(link)
    if res is None:
        res = _prove(link)
        if res.proved:
            cache.store(links={name: {
                "form": _form_key(link),
                "status": "proved",
                "assumptions": list(res.verdict.assumptions),
                "claim_assumptions": list(res.claim_verdict.assumptions)
                if res.claim_verdict is not None else [],
            }})
    _RESULTS[name] = res
    return res


def _prove(link: Link) -> LinkResult:
    from derive.engine.prover import prove, prove_equal

    claim_verdict = None
    try:
        if link.claim is not None:
            from derive import catalogue

            claim_verdict = prove(catalogue.get(link.claim))
        rhs, assumptions = link.target()
        verdict = prove_equal(
            link.entry(), rhs, scope=model.SCOPE, assumptions=assumptions,
            name=f"kernel link {link.name}",
        )
    except NotImplementedError as exc:
        raise DeriveError(
            f"kernel link {link.name!r} cannot be checked: the proof engine is not available"
            f" ({exc})"
        ) from exc
    return LinkResult(link, verdict, claim_verdict)


def require(links: tuple[Link, ...], *, fresh: bool = False) -> tuple[LinkResult, ...]:
    """Every link proved, or a :class:`DeriveError` naming the first one that is not
    (``fresh=True``: proved again now, not taken from the verdict cache)."""
    results = tuple(check(link.name, fresh=fresh) for link in links)
    for res in results:
        if res.claim_verdict is not None and res.claim_verdict.status != "proved":
            raise DeriveError(
                f"kernel {res.link.kernel!r} not offered: claim {res.link.claim!r} is "
                f"{res.claim_verdict.status}, expected proved"
            )
        if res.verdict.status != "proved":
            raise DeriveError(
                f"kernel {res.link.kernel!r} not offered: link {res.link.name!r} "
                f"(matrix form {res.link.form} against {res.link.statement}) is "
                f"{res.verdict.status}, expected proved"
            )
    return results


def matrix_links() -> list[dict]:
    """The links a report shows: each kernel's matrix form, the indexed closed form its
    entry is proved equal to (in the notes' abbreviations), the claim, and the verdict.

    >>> [(row["kernel"], row["verdict"].status) for row in matrix_links()][:1]
    [('loss_and_grad', 'proved')]
    """
    from derive import catalogue

    sigma = model.sigma
    l_, m_ = model.l, model.m
    hess = model.X[n, i] * model.X[n, l_] * sigma[n, j] * (
        sp.KroneckerDelta(j, m_) - sigma[n, m_]
    )
    shown = {  # link name -> the closed form as the report writes it
        "grad_mean": catalogue.get("mean_l2_loss_grad").rhs,
        "softmax_jacobian": catalogue.get("softmax_jacobian_logits").rhs,
        "hvp_mean": sp.Sum(hess * V[l_, m_], (l_, 1, D), (m_, 1, K), (n, 1, N)) / N
        + 2 * lam * V[i, j],
    }
    rows = []
    for name, entry_form in shown.items():
        res = check(name, fresh=True)  # a report states what the engine proves now
        rows.append(
            {
                "kernel": res.link.kernel,
                "matrix": res.link.form,
                "indices": res.link.indices,
                "entry": entry_form,
                "claim": res.link.claim,
                "verdict": res.verdict,
            }
        )
    return rows
