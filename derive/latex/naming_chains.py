"""A chain ``A = B = name`` that ends with a name written there first names the chain's value.

Notes name a quantity where they compute it: "设 $\\hat{y}_i = \\frac{e^{z_i}}{\\sum_c e^{z_c}} =
p_i$ 为类i 的概率" (let ... = p_i be the probability of class i), "$$\\prod_n p(t_n | x_n) =
L(w, b)$$" (the likelihood, named by its last member). The last link is a definition of that
name (its verdict is ``definition``, and inference adds ``let p_i = ...`` with the chain's first
readable member as its body) when

- the chain has three members or more (``A = name`` alone is a claim, or a definition of
  ``A``: derive.latex.infer reads its first member);
- its last member is a name pattern: a symbol (``p``, ``\\hat{p}``, ``\\delta``), that symbol
  with index letters (``p_i``, ``\\delta_{jk}``: each letter written in the members before it),
  or that symbol applied to distinct plain names (``L(w, b)``);
- its body is the first member, in the order written, whose names are all known and whose
  index letters left free (written in a subscript, bound by no sum) are the pattern's
  (``y_i = ... = p_2`` and ``y_i = ... = s`` name nothing: ``i`` would be left free); for
  ``L(w, b)`` (a function of its arguments) only the member right before it, when it
  writes every argument: ``\\hat{y} = \\text{softmax}(v) = \\psi(v)`` defines
  ``\\psi(v) = \\text{softmax}(v)``, never ``\\psi(v) = \\hat{y}`` (a constant, wrong for
  another argument);
- the symbol is written in no member before it (``y = f(y) = y`` is a claim), is no function
  every reader knows (``\\log``, ``\\sigma``, ``softmax``: ``z = ... = \\sigma(u)`` is a claim)
  and, checked by inference with the whole notes at hand, is written nowhere before this
  member and declared nowhere by hand (a name used before is a quantity: the link is a claim
  about it, checked like every other).

>>> from derive.latex.parser import parse_block
>>> [body_members(parse_block(s, 1, 1)[0]) for s in (
...     "y_i = \\\\frac{e^{z_i}}{s} = p_i", "L = f(v) = \\\\psi(v)", "a = g(u) = \\\\psi(v)",
...     "y_i = 2 z_i = s", "s = \\\\sum_{c=1}^{C} z_c = S")]
[[0, 1], [1], [], [], [0, 1]]
>>> [naming_pattern(parse_block(s, 1, 1)[0]) for s in (
...     "y_i = \\\\frac{e^{z_i}}{s} = p_i", "a = b + 1 = L(w, b)", "y = 2 x = p",
...     "y = p_i", "y_i = 2 z_i = p_k", "y = 2 y = y", "a = b = \\\\sigma(u)",
...     "a = b = p^2", "a = b = L(w, w)", "a = b = p_{i+1}")]
['p', 'L', 'p', None, None, None, None, None, None, None]
"""

from __future__ import annotations

from derive.latex import ast
from derive.latex.function_chains import KNOWN_FUNCTIONS, call_pattern

__all__ = ["body_members", "naming_pattern", "naming_symbol"]


def _letters(node: ast.Node) -> set[str]:
    return {n.name for n in ast.walk(node) if isinstance(n, ast.Letter)}


def _free_indices(node: ast.Node) -> set[str]:
    """The lower-case letters ``node`` writes in a subscript and binds by no sum or product
    (``i`` of ``\\frac{e^{z_i}}{\\sum_c e^{z_c}}``)."""
    written: set[str] = set()
    bound: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.BigOp) and n.sub is not None:
            var = n.sub.lhs if isinstance(n.sub, ast.Rel) else n.sub
            bound |= {m.name for m in ast.walk(var) if isinstance(m, ast.Letter)}
        elif isinstance(n, ast.Postfix):
            written |= {m.name for sub in n.subs for m in ast.walk(sub) if isinstance(
                m, ast.Letter) and len(m.name) == 1 and "a" <= m.name <= "z"}
    return written - bound


def _arguments(node: ast.Node) -> frozenset[str]:
    """The argument letters of a call pattern ``L(w, b)``."""
    return frozenset(_letters(node.items[1])) if isinstance(node, ast.Product) else frozenset()


def naming_symbol(node: ast.Node) -> tuple[str, frozenset[str]] | None:
    """``(symbol, index letters)`` when ``node`` is a name pattern (see the module docstring):
    ``p``, ``p_i``, ``\\delta_{jk}``, ``L(w, b)`` (its arguments are no index letters)."""
    if isinstance(node, ast.Letter):
        return (node.name, frozenset()) if node.name not in KNOWN_FUNCTIONS else None
    if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and (
        node.subs and not node.sups and not node.primes
    ):
        letters: list[str] = []
        for sub in node.subs:
            items = sub.items if isinstance(sub, (ast.Product, ast.Seq)) else (sub,)
            for item in items:
                if not (isinstance(item, ast.Letter) and len(item.name) == 1
                        and "a" <= item.name <= "z"):
                    return None  # p_{i+1}, p_2, p_{\max}: an entry or a label, no pattern
                letters.append(item.name)
        if len(set(letters)) != len(letters) or node.base.name in KNOWN_FUNCTIONS:
            return None
        return node.base.name, frozenset(letters)
    head = call_pattern(node)
    return (head, frozenset()) if head is not None else None


def naming_pattern(chain: ast.Chain) -> str | None:
    """The symbol the last link of ``chain`` names (see the module docstring), or None."""
    members = chain.members
    if len(members) < 3:
        return None
    found = naming_symbol(members[-1])
    if found is None:
        return None
    head, indices = found
    written: set[str] = set()
    for earlier in members[:-1]:
        for n in ast.walk(earlier):
            if isinstance(n, ast.Unreadable):
                return None
            if isinstance(n, ast.Letter):
                written.add(n.name)
    if head in written or not indices <= written:
        return None
    return head


def body_members(chain: ast.Chain) -> list[int]:
    """The positions of the members of ``chain`` that may be the body of the name its last
    link names, in the order written (see the module docstring); [] when none may."""
    found = naming_symbol(chain.members[-1])
    if found is None:
        return []
    last = len(chain.members) - 1
    arguments = _arguments(chain.members[-1])
    if arguments:
        before = chain.members[last - 1]
        return [last - 1] if arguments <= _letters(before) and not _free_indices(
            before) else []
    # the body's free index letters are the pattern's: p_i names an entry of a vector, s
    # (no index) a number, never one entry of a vector picked by a letter left free
    return [k for k in range(last) if _free_indices(chain.members[k]) == found[1]]
