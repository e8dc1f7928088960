"""The proof links: each kernel output's matrix form against the target it computes.

One :class:`Link` per output row a family declares (:class:`derive.declare.spec.Output`):
the matrix form that is printed into NumPy, the free indices of its entry, and the
target the entry must equal — a catalogue claim's closed form (then the claim itself
must be proved too), or an expression the family builds (its loss, a derivative of
it). :func:`require` asks the engine and raises :class:`DeriveError` naming the first
link that is not ``proved``. The links of every family in :data:`derive.models.FAMILIES`
are here; nothing in this module names one.

>>> from derive.kernels.links import LINKS
>>> {"loss_and_grad", "hvp", "softmax_jacobian"} <= {link.kernel for link in LINKS.values()}
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

import derive.kernels.blocking as blocking
import derive.kernels.cache as cache
from derive.declare.matrix import Vocabulary, entry
from derive.declare.spec import ClaimTarget, Kernel, Output
from derive.engine.claims import Assumption, Verdict
from derive.engine.scope import Scope
from derive.errors import DeriveError

__all__ = [
    "KERNELS", "LINKS", "Link", "LinkResult", "form_key_of", "gate_links", "matrix_links",
    "refusals", "require",
]

Target = Callable[[], tuple[sp.Expr, tuple[Assumption, ...]]]


@dataclass(frozen=True)
class Link:
    """Entry ``indices`` of ``form`` equals ``target()`` (for all sizes), in ``scope``.

    ``vocabulary`` and ``scope`` are the family's; a link built without them takes those
    of the family that declares ``kernel``.
    """

    name: str
    kernel: str
    output: str
    form: sp.Expr
    indices: tuple[sp.Expr, sp.Expr]
    target: Target
    claim: str | None  # the catalogue claim whose closed form is the target
    statement: str  # what the target is, for headers and reports
    vocabulary: Vocabulary | None = None
    scope: Scope | None = None
    family: str | None = None
    shown: Callable[[], sp.Expr] | None = None

    def entry(self) -> sp.Expr:
        vocab = self.vocabulary or KERNELS[self.kernel][1].vocabulary
        return entry(self.form, *self.indices, vocab)

    def proof_scope(self) -> Scope:
        return self.scope or KERNELS[self.kernel][0].scope


@dataclass(frozen=True)
class LinkResult:
    link: Link
    verdict: Verdict
    claim_verdict: Verdict | None

    @property
    def proved(self) -> bool:
        ok = self.verdict.status == "proved"
        return ok and (self.claim_verdict is None or self.claim_verdict.status == "proved")


def _target(row: Output, claims: Mapping[str, Any]) -> Target:
    target = row.target

    def build() -> tuple[sp.Expr, tuple[Assumption, ...]]:
        if isinstance(target, ClaimTarget):
            claim = claims[target.claim]
            rhs = claim.expanded()[1]
            return (target.reshape(rhs) if target.reshape else rhs), tuple(claim.assumptions)
        return target.build(), tuple(target.assumptions)

    return build


def _declared() -> tuple[dict[str, tuple[Any, Kernel]], dict[str, Link]]:
    """Every family's kernels (name -> (family, kernel)) and their links, by name."""
    from derive.models import FAMILIES

    kernels: dict[str, tuple[Any, Kernel]] = {}
    links: dict[str, Link] = {}
    for fam in FAMILIES:
        claims = {c.name: c for c in fam.claims}
        for kern in fam.kernels:
            if kern.name in kernels:
                raise ValueError(f"kernel {kern.name!r} declared by two families")
            kernels[kern.name] = (fam, kern)
            for row in kern.outputs:
                if row.name in links:
                    raise ValueError(f"kernel output {row.name!r} declared twice")
                if row.claim is not None and row.claim not in claims:
                    raise ValueError(f"{row.name}: no claim {row.claim!r} in family {fam.name}")
                links[row.name] = Link(
                    row.name, row.kernel, row.output, row.form, row.indices,
                    _target(row, claims), row.claim, row.statement,
                    kern.vocabulary, fam.scope, fam.name, row.shown,
                )
    return kernels, links


KERNELS, LINKS = _declared()


@dataclass(frozen=True)
class IdentityLink(Link):
    """A link whose two sides are given whole (the blocking identity), not an entry of a
    matrix form: ``form`` is the left side, ``target`` gives the right."""

    def entry(self) -> sp.Expr:
        return self.form

    def proof_scope(self) -> Scope:
        return self.scope or Scope()


def _row_blocks() -> IdentityLink:
    """The blocking identity every row-sum kernel stands on (:mod:`derive.kernels.blocking`)."""
    lhs, rhs = blocking.identity()
    return IdentityLink(blocking.NAME, "", "", lhs, (), lambda: (rhs, ()), None,
                        blocking.STATEMENT, scope=blocking.SCOPE)


LINKS[blocking.NAME] = _row_blocks()


def gate_links(kernel: str, variant: Mapping[str, Any]) -> tuple[Link, ...]:
    """The links behind one call of ``kernel`` (every output and lemma of its variant)."""
    return tuple(LINKS[row.name] for row in KERNELS[kernel][1].linked(variant))


_RESULTS: dict[str, LinkResult] = {}  # this process's results, by link name


def form_key_of(link: Link) -> str:
    # The link as the engine sees it: the printed form, the entry's indices, what it is
    # compared with. The targets' sources are in the engine key.
    # An identity link's right side is given whole, not by a catalogue claim whose source
    # the engine key covers: it is part of the key (a changed right side is proved again).
    given = sp.srepr(link.target()[0]) if isinstance(link, IdentityLink) else ""
    return cache.form_key(
        link.name, link.family, sp.srepr(link.form), sp.srepr(link.indices), link.claim,
        link.statement, given,
    )


def _cached(link: Link) -> LinkResult | None:
    entry = cache.load()["links"].get(link.name)
    if entry is None or entry["form"] != form_key_of(link):
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
                "form": form_key_of(link),
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
            link.entry(), rhs, scope=link.proof_scope(), assumptions=assumptions,
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


def refusals(*, fresh: bool = False) -> dict[str, str]:
    """Each kernel that is not offered, with the reason (the first link not proved)."""
    out = {}
    for name, (_, kern) in KERNELS.items():
        try:
            require(tuple(LINKS[o.name] for o in kern.outputs), fresh=fresh)
        except DeriveError as exc:
            out[name] = str(exc)
    return out


def matrix_links() -> list[dict]:
    """The links a report shows (rows declared with ``shown``): each kernel's matrix form,
    the indexed closed form its entry is proved equal to (in the family's abbreviations),
    the claim, the family and the verdict.

    >>> [(row["kernel"], row["verdict"].status) for row in matrix_links()][:1]
    [('loss_and_grad', 'proved')]
    """
    rows = []
    for link in LINKS.values():
        if link.shown is None:
            continue
        res = check(link.name, fresh=True)  # a report states what the engine proves now
        rows.append(
            {
                "kernel": res.link.kernel,
                "family": res.link.family,
                "matrix": res.link.form,
                "indices": res.link.indices,
                "entry": link.shown(),
                "claim": res.link.claim,
                "verdict": res.verdict,
            }
        )
    return rows
