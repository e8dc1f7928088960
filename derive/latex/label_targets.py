r"""Targets of a cross-entropy: quantities a reader takes for label distributions.

``L = -\sum_k y_k \log a_k`` weighs the log-probabilities by ``y``: every author who writes
it means ``y`` to be a label distribution (one-hot, or soft labels), so ``\sum_k y_k = 1``,
and their derivations use it (``a_i \sum_k y_k - y_i = a_i - y_i``), often without saying
so. Read as any vector, ``y`` makes such a true step false. Neither reading is decided by
the notes when they never say what ``y`` is, so the checker takes both (the ambiguity
policy): a step is proved only when it holds for any ``y``, refuted only when it fails for
a ``y`` that sums to one, and otherwise ``unknown (ambiguous)`` naming the two readings.

:func:`cross_entropy_targets` finds them: an input entry ``y_k`` (a tensor nothing
defines) written in a product after ``\sum_k`` (the letter the sum binds is one of its
indices) beside a ``\log`` or ``\ln``. It says nothing about ``y`` in ``\sum_k y_k z_k``
(no log), ``\sum_j y_k \log a_j`` (the sum does not run over y's index), or ``y \log a``
with no sum (binary labels: a hypothesis of their own).

>>> from derive.latex.parser import parse_block
>>> rhs = parse_block(r"L = -\sum_k y_k \log a_k", 1, 1, (), "n.md")[0].members[1]
>>> cross_entropy_targets([rhs], {"y"}.__contains__)
{'y': (0, 1)}
>>> rhs = parse_block(r"L = -\sum_k y_k a_k", 1, 1, (), "n.md")[0].members[1]
>>> cross_entropy_targets([rhs], {"y"}.__contains__)
{}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from derive.latex import ast

__all__ = ["cross_entropy_targets"]

_LOGS = frozenset({"\\log", "\\ln", "log", "ln"})


def _bound(op: ast.BigOp) -> str | None:
    """The letter a sum binds (``\\sum_k``, ``\\sum_{k=1}``), else None."""
    sub = op.sub
    if isinstance(sub, ast.Rel) and sub.op == "=":
        sub = sub.lhs
    return sub.name if isinstance(sub, ast.Letter) else None


def _has_log(nodes: Iterable[ast.Node]) -> bool:
    return any((isinstance(n, ast.Func) and n.name in _LOGS)
               or (isinstance(n, ast.Letter) and n.name in _LOGS)
               for node in nodes for n in ast.walk(node))


def cross_entropy_targets(trees: Iterable[ast.Node], is_input: Callable[[str], bool]
                          ) -> dict[str, tuple[int, int]]:
    """name -> (position of the summed index among its subscripts, how many subscripts)
    for every cross-entropy target written in ``trees`` (see the module docstring)."""
    out: dict[str, tuple[int, int]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Product):
                continue
            for at, item in enumerate(node.items):
                if not (isinstance(item, ast.BigOp) and item.kind == "sum"):
                    continue
                letter = _bound(item)
                rest = node.items[at + 1:]
                if letter is None or not _has_log(rest):
                    continue
                for entry in rest:
                    if not (isinstance(entry, ast.Postfix) and isinstance(entry.base, ast.Letter)
                            and is_input(entry.base.name) and entry.subs):
                        continue
                    subs = [s for sub in entry.subs for s in (
                        sub.items if isinstance(sub, (ast.Seq, ast.Product)) else (sub,))]
                    names = [s.name if isinstance(s, ast.Letter) else None for s in subs]
                    if letter in names:
                        out.setdefault(entry.base.name, (names.index(letter), len(names)))
    return out
