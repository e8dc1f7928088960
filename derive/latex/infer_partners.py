"""Sample vectors beside a weight vector: ``w^T x_i`` with ``w_j`` written elsewhere.

Notes on logistic regression write the weights once by their entries (``w_j``, ``\\partial
w_j \\partial w_k``) and the samples by their number (``x_i``, ``\\mathbf{x}_i``), and join the
two in the inner product ``w^T x_i``. That product is one number only when each ``x_i`` is a
vector of the same length as ``w``: its entries run over the index of ``w`` (``x_{ij}``). The
inference (:mod:`derive.latex.infer`) already gives a shared hidden size to two vectors that
no entry fixes (``u^T v``); this module reads the case where one of them is fixed by its
entries, and gives the other partner that index as its last slot.

The rule applies to a product ``a^T b_s`` (``facts.partners``: ``a`` written bare and
transposed, ``b`` written with its slots ``s``) when

- ``a`` (or the letter its bold spelling stands for) is written elsewhere with exactly one
  slot, whose letter ``l`` has a range ``1..size`` (``w_j``, ``j`` bounded by a sum);
- ``b`` is free (not declared, defined, an index, a size or the entries of another name),
  always written with the same number of slots as in the product, and ``l`` is not one of
  them (``w^T x_j`` beside ``w_j`` is left alone: ``x_{jj}`` would be a misreading);
- every product of ``b`` with such a vector gives the same letter (two vectors over two
  indices, ``w^T x_i`` and ``v^T x_i`` with ``w_j`` and ``v_k``: ``x`` is left undeclared).

Anything else is left as it was: ``b`` stays undeclared and its steps unknown.

>>> from derive.latex.infer_facts import Facts
>>> f = Facts(partners=[("w", 0, "x", 1)], arity={"w": 1, "x": 1},
...           uses={"w": [("j",)], "x": [("i",)]}, first_use={"w": ("j",), "x": ("i",)})
>>> partner_slots(f, {}, lambda h: h == "x", lambda h: h, {"i": "n", "j": "N"})
{'x': 'j'}
>>> partner_slots(f, {}, lambda h: h == "x", lambda h: h, {"i": "n"})  # j has no range
{}
>>> f.uses["w"].append(("k",))  # w_j and w_k over one range: the first use's letter
>>> partner_slots(f, {}, lambda h: h == "x", lambda h: h, {"i": "n", "j": "N", "k": "N"})
{'x': 'j'}
"""

from __future__ import annotations

from collections.abc import Callable

from derive.latex.infer_facts import Facts

__all__ = ["partner_slots"]


def _vector_index(facts: Facts, head: str, plain: Callable[[str], str],
                  ranged: dict[str, str]) -> str | None:
    """The index letter of the first use of ``head`` (or of its plain letter) when every
    use writes exactly one slot and every letter written there has a range of one size
    (``w_j`` and ``\\partial w_k`` with ``j, k`` in ``1..N``: ``j``)."""
    for name in dict.fromkeys((head, plain(head))):
        uses = facts.uses.get(name, ())
        if facts.arity.get(name) != 1 or not uses or any(len(u) != 1 for u in uses):
            continue
        letters = {u[0] for u in uses}
        if all(x in ranged for x in letters) and len({ranged[x] for x in letters}) == 1:
            return uses[0][0]
    return None


def partner_slots(facts: Facts, hidden: dict[str, str], free: Callable[[str], bool],
                  plain: Callable[[str], str], ranged: dict[str, str]) -> dict[str, str]:
    """``b`` -> the index letter its entries run over, for every ``a^T b_s`` the rule of
    the module reads (``ranged``: index letter -> the size of its range ``1..size``)."""
    found: dict[str, set[str]] = {}
    for a, na, b, nb in facts.partners:
        if na or not nb or b in hidden or a in hidden or not free(b):
            continue
        letter = _vector_index(facts, a, plain, ranged)
        if letter is None:
            continue
        written = {len(u) for u in facts.uses.get(b, ())}
        slots = {x for u in facts.uses.get(b, ()) for x in u}
        if written != {nb} or facts.arity.get(b) != nb or letter in slots:
            found.setdefault(b, set()).add("")  # a use that does not fit: no reading
            continue
        found.setdefault(b, set()).add(letter)
    return {b: next(iter(ls)) for b, ls in found.items() if len(ls) == 1 and "" not in ls}
