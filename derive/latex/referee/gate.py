"""The referee's rulings on one step, and the gate that applies them to a verdict.

A ``proved`` step is evaluated at random instances (edge sizes 1 and 2 first), a ``refuted``
one at its counterexample as printed. :data:`RULINGS`: ``agree`` lets the verdict stand,
``abstain`` makes it ``unknown`` ("not confirmed by the referee: <construct>"), ``disagree``
makes it ``unknown`` with ``"disagreement": True``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import derive.latex.referee.evaluate as E
from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.chains import Directive
from derive.latex.parser import parse_expr_text
from derive.latex.referee.claims import (
    inputs_only,
    label_sums,
    named_in_text,
    summed_sizes,
    written_size,
)
from derive.latex.referee.decls import Abstain, Decls, read_decls, slots_of
from derive.latex.referee.evaluate import Evaluator, Key, M, Point, abstain_if, close, is_arr
from derive.latex.referee.primes import own_prime

__all__ = ["Referee", "Step", "for_notes", "gate"]

LOW, HIGH, RANDOM, DISTINCT = range(4)  # how the free indices of an instance are placed
Undefined = (ZeroDivisionError, ValueError, OverflowError, ArithmeticError)
DRAWS: list[tuple[str, Callable[[random.Random], Any]]] = [  # (hypothesis, an input entry)
    ("binary", lambda rng: M.mpf(rng.randint(0, 1))),
    ("nonnegative", lambda rng: M.mpf(round(rng.uniform(0.05, 1.5), 3))),
    ("", lambda rng: M.mpf(round(rng.uniform(-1.5, 1.5), 3)))]


def instances(names: list[str], rng: random.Random) -> list[tuple[dict[str, int], int]]:
    """(sizes, index placement) of the instances a proved step is checked at: every size 1,
    every size 2 with the indices at the top, every size 2 with the indices distinct, then
    the sizes mixed (a 3 and, with two sizes or more, a 2: a K read as D shows) with the
    indices distinct. Past 3, sizes multiply the work for no more coverage."""
    past = [3, 2, *(rng.randint(2, 3) for _ in names[2:])][:len(names)]
    rng.shuffle(past)
    return [(dict.fromkeys(names, 1), LOW), (dict.fromkeys(names, 2), HIGH),
            (dict.fromkeys(names, 2), DISTINCT), (dict(zip(names, past, strict=True)), DISTINCT)]


@dataclass
class Step:
    """One step as written: its two members, their ``where``/``prime`` lines, the chain."""

    left: ast.Node
    right: ast.Node
    left_dirs: tuple[Directive, ...]
    right_dirs: tuple[Directive, ...]
    members: tuple[ast.Node, ...]
    pos: int  # the right member's position in ``members``
    hints: dict[int, frozenset[str]] = field(default_factory=dict)
    entry_vars: dict[str, str] | None = None

    def evaluator(self, d: Decls, point: Point, pos: int, memo: dict) -> Evaluator:
        """An evaluator for the member at ``pos``: the letters free in the chain's other
        members are its hint (never the index of an unindexed sum); the members evaluated
        at one instance share ``memo``, the defined entries' values."""
        if pos not in self.hints:
            self.hints[pos] = frozenset(x for n, m in enumerate(self.members) if n != pos
                                        for x in E.free_letters(m) if x != "d")
        ev = Evaluator(d, point, self.hints[pos])
        ev.memo = memo
        if self.entry_vars is None:
            ev.learn_entry_vars(self.members)
            self.entry_vars = dict(ev.entry_vars)
        ev.entry_vars = self.entry_vars
        ev.learn_differentials(self.members)
        return ev


def _show(v: Any) -> Any:
    if is_arr(v):
        return [[_show(x) for x in r] for r in v.data]
    return float(M.re(v)) if M.im(v) == 0 else str(M.nstr(v, 10))


def _count(v: Any) -> int:
    return v.shape[0] * v.shape[1] if is_arr(v) else 1


def _fits(lit: Any, slots: tuple[str, ...] | None) -> bool:
    """A literal gives a declared tensor its entries: a list for a vector, a grid for a
    matrix (anything else, or no tensor, is the bare name's value in that block)."""
    flat = is_arr(lit) and 1 in lit.shape
    return slots is not None and is_arr(lit) and (
        (len(slots) == 1 and flat) or (len(slots) == 2 and not flat))


def _grid(ranges: list[tuple[int, int]]) -> list[tuple[int, ...]]:
    return list(itertools.product(*(range(lo, hi + 1) for lo, hi in ranges)))


class _Inputs(dict):
    """A tensor's entries at one instance. With a seed, an entry outside the declared ranges
    (w_i with i over the samples) gets its own random value, as a symbolic reading treats
    it; without one (a tensor a counterexample does not print), reading it abstains."""

    def __init__(self, head: str, seed: float | None = None) -> None:
        super().__init__()
        self.head, self.seed = head, seed

    def __missing__(self, key: Any) -> Any:
        abstain_if(self.seed is None, f"a counterexample that prints no value for {self.head}")
        self[key] = M.mpf(round(random.Random(f"{self.seed}{key}").uniform(-1.5, 1.5), 3))
        return self[key]


def _normalize(table: dict[tuple[int, ...], Any], axis: int, binary: bool,
               rng: random.Random) -> None:
    """Every fiber along ``axis`` sums to one (one-hot when the entries are binary)."""
    fibers: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
    for at in sorted(table):
        fibers.setdefault(at[:axis] + at[axis + 1:], []).append(at)
    for cells in fibers.values():
        if binary:
            hot = rng.choice(cells)
            table.update({at: M.mpf(int(at == hot)) for at in cells})
            continue
        total = sum((table[at] for at in cells), M.mpf(0))
        positive = all(table[at] > 0 for at in cells)
        for at in cells:
            table[at] = table[at] / total if positive else table[at] + (1 - total) / len(cells)


def _flatten(v: Any) -> list[Any]:
    return [y for x in v for y in _flatten(x)] if isinstance(v, list) else [v]


def _printed_matches(a: Any, b: Any, cex: dict[str, Any]) -> bool:
    la, lb = cex.get("lhs"), cex.get("rhs")
    if not isinstance(la, (int, float)) or not isinstance(lb, (int, float)):
        return True  # exact-arithmetic counterexamples print whole matrices: sides differ
    pairs = ([(x, y) for r, s in zip(a.data, b.data, strict=True)
              for x, y in zip(r, s, strict=True)] if is_arr(a) and is_arr(b) else [(a, b)])
    return any(close(x, la, 1e-6) and close(y, lb, 1e-6) for x, y in pairs)


def _where_text(point: Point) -> str:
    sizes = ", ".join(f"{k} = {v}" for k, v in point.sizes.items())
    idx = ", ".join(f"{k} = {v}" for k, v in point.free.items() if v is not None)
    vals = "; ".join(f"{k} = {[_show(x) for _, x in sorted(t.items())]}"
                     for k, t in point.tensors.items())
    return f"sizes {sizes or '-'}; indices {idx or '-'}; values {vals or '-'}"


class Referee:
    """The referee for one notes file (its declarations read once)."""

    def __init__(self, directives: tuple[Directive, ...] | list[Directive],
                 text: str = "") -> None:
        self.text = text  # the notes' text: the prose an undeclared prime is read from
        self.own_primes: dict[tuple[int, int, int], ast.Node | None] = {}
        self.error = ""
        self.approx = False  # the last sides() took a derivative by central differences
        self.parsed: dict[str, Any] = {}
        try:
            self.d: Decls = read_decls(directives)
        except Abstain as exc:
            self.d, self.error = Decls(), str(exc)

    # -- the conditions of a block ----------------------------------------------------------
    def _parse(self, text: str, what: str) -> ast.Node:
        """A directive's expression, parsed once per file."""
        if text not in self.parsed:
            try:
                self.parsed[text] = parse_expr_text(text, 1, 1, self.d.text_names)
            except DeriveError:
                self.parsed[text] = Abstain(what)
        if isinstance(self.parsed[text], Abstain):
            raise self.parsed[text]
        return self.parsed[text]

    def _where(self, dirs: tuple[Directive, ...]) -> list[ast.Rel]:
        rels: list[ast.Rel] = []
        for x in (x for x in dirs if x.keyword == "where"):
            node = self._parse(f"({x.rest})", f"the condition {x.rest!r}")
            for rel in node.items if isinstance(node, ast.Group) else (node,):
                if not isinstance(rel, ast.Rel):
                    raise Abstain(f"the condition {x.rest!r}")
                rels.append(rel)
        return rels

    def _fixed_sizes(self, rels: list[ast.Rel]) -> dict[str, int]:
        """Sizes a ``where`` line fixes: ``K = 3``, or a literal value of a declared tensor."""
        fixed: dict[str, int] = {}
        blank = Evaluator(self.d, Point({}, {}, {}))
        for rel in (r for r in rels if r.op == "=" and isinstance(r.lhs, ast.Letter)):
            name = rel.lhs.name  # type: ignore[union-attr]
            if name in self.d.sizes and name not in self.d.indices:
                fixed[name] = blank.index(rel.rhs, E.Env())  # type: ignore[arg-type]
            elif name in self.d.tensors and _fits(
                    lit := blank.value(rel.rhs, E.Env()), slots := self.d.tensors[name]):  # type: ignore[arg-type]
                dims = (lit.shape[0] * lit.shape[1],) if len(slots) == 1 else lit.shape
                for s, n in zip(slots, dims, strict=False):
                    lo, hi = self.d.indices[s]
                    if lo == "1" and hi in self.d.sizes:
                        fixed[hi] = n
        return fixed

    def _point(self, rng: random.Random, sizes: dict[str, int], spread: int) -> Point:
        """Free index values placed by ``spread``, inputs drawn to fit the hypotheses."""
        d, point, taken = self.d, Point(dict(sizes), {}, {}), set()
        ev = Evaluator(d, point)
        for name in d.indices:
            lo, hi = ev.rng(name)
            free = [k for k in range(lo, hi + 1) if k not in taken] or [*range(lo, hi + 1)]
            point.free[name] = None if hi < lo else (
                lo if spread == LOW else hi if spread == HIGH else rng.choice(
                    free if spread == DISTINCT else range(lo, hi + 1)))
            taken.add(point.free[name])
        hyp = self._hypotheses()
        for head, slots in d.tensors.items():
            kinds, table = hyp.get(head, {}), _Inputs(head, rng.random())
            draw = next(fn for kind, fn in DRAWS if kind in kinds or not kind)
            for at in _grid([ev.rng(s) for s in slots]):
                if head in d.labels:
                    lo, hi = (ev.bound_value(t) for t in d.labels[head])
                    table[at] = M.mpf(rng.randint(lo, hi)) if hi >= lo else M.mpf(lo)
                else:
                    table[at] = draw(rng)
            if "axis" in kinds:
                _normalize(table, kinds["axis"], "binary" in kinds, rng)
            point.tensors[head] = table
        for name in d.scalars:
            point.scalars[name] = M.mpf(round(rng.uniform(0.2, 1.5), 3))
        return point

    def _hypotheses(self) -> dict[str, dict[str, Any]]:
        """head -> {"binary": True, "nonnegative": True, "axis": the axis summing to one}."""
        out: dict[str, dict[str, Any]] = {}
        for kind, node in self.d.hypotheses:
            if kind in ("binary", "nonnegative"):
                base = node.base if isinstance(node, ast.Postfix) else node
                if not (isinstance(base, ast.Letter) and base.name in self.d.tensors):
                    raise Abstain("a hypothesis on something other than a declared quantity")
                out.setdefault(base.name, {})[kind] = True
                continue
            ops = [n for n in ast.walk(node) if isinstance(n, ast.BigOp)]
            var = E.bound_var(ops[0]) if len(ops) == 1 else None
            for p in ast.walk(node) if len(ops) == 1 else ():
                if isinstance(p, ast.Postfix) and isinstance(p.base, ast.Letter) and (
                        p.base.name in self.d.tensors):
                    names = [s.name if isinstance(s, ast.Letter) else None
                             for sub in p.subs for s in slots_of(sub)]
                    if var is None:
                        free = [n for n in names if n is not None]
                        var = ast.Letter(name=free[-1]) if len(free) == 1 else None
                    if isinstance(var, ast.Letter) and var.name in names:
                        out.setdefault(p.base.name, {})["axis"] = names.index(var.name)
                        break
            else:
                raise Abstain("an assumption other than \\sum_k y_k = 1")
        return out

    def _condition(self, point: Point, rels: list[ast.Rel]) -> bool:
        """Apply the block's conditions to ``point``; False when one cannot hold there."""
        ev, d = Evaluator(self.d, point), self.d
        for rel in rels:
            name = rel.lhs.name if isinstance(rel.lhs, ast.Letter) else None
            if rel.op != "=" or name is None:
                if ev.indicator(rel, E.Env()) == 0:
                    return False
            elif name in d.indices:
                point.free[name] = ev.index(rel.rhs, E.Env())  # type: ignore[arg-type]
            elif name not in d.sizes and _fits(value := ev.value(rel.rhs, E.Env()),  # type: ignore[arg-type]
                                               d.tensors.get(name)):
                cells = _grid([ev.rng(x) for x in d.tensors[name]])
                abstain_if(len(cells) != len(value.flat),
                           f"the literal value of {name} in a 'where' line")
                point.tensors[name] = dict(zip(cells, value.flat, strict=True))
            elif name not in d.sizes:
                if name in d.scalars and not is_arr(value):
                    point.scalars[name] = value
                point.literal[name] = value  # the bare name, in this block only
        return True

    # -- evaluation of a step -----------------------------------------------------------------
    def sides(self, step: Step, point: Point, lift: bool = True) -> tuple[Any, Any]:
        """The two members' values at ``point`` (a scalar beside a vector or matrix is read
        as its generic entry when its free indices, in written order, fit the axes)."""
        self.approx = False
        memo: dict = {}  # defined entries' values at this instance, shared by both members
        a, b = self._member(step, point, False, memo), self._member(step, point, True, memo)
        if is_arr(a) == is_arr(b) or not lift:
            return a, b
        flip = is_arr(a)
        s_node, m_node, m = (step.right, step.left, a) if flip else (step.left, step.right, b)
        free, other = (E.free_letters(n, self.d.indices) for n in (s_node, m_node))
        axes = [n for n, has in enumerate((m.rows, m.cols)) if has]
        if m.lit or len(free) != len(axes) or set(free) & set(other):
            raise Abstain("a scalar equated with a vector or matrix")
        ev0 = Evaluator(self.d, point)
        data: list[list[Any]] = [[None] * m.shape[1] for _ in range(m.shape[0])]
        for r, c in itertools.product(range(m.shape[0]), range(m.shape[1])):
            at = dict(point.free)
            for letter, ax in zip(free, axes, strict=True):
                lo, hi = ev0.rng(letter)
                if hi - lo + 1 != m.shape[ax]:
                    raise Abstain("a scalar whose indices do not fit the other side")
                at[letter] = lo + (r, c)[ax]
            data[r][c] = self._member(step, replace(point, free=at), flip, memo)
        lifted = E.Arr(data, m.rows, m.cols)
        return (m, lifted) if flip else (lifted, m)

    def _member(self, step: Step, point: Point, right: bool, memo: dict | None = None) -> Any:
        """The value of the step's right (or left) member at ``point``."""
        node, dirs, pos = (step.right, step.right_dirs, step.pos) if right else (
            step.left, step.left_dirs, step.pos - 1)
        primes = [self._parse(x.rest, f"prime {x.rest!r}") for x in dirs if x.keyword == "prime"]
        ev = step.evaluator(self.d, point, pos, {} if memo is None else memo)
        if primes:
            env = E.Env(prime=primes[-1])
        else:  # undeclared: the referee's own reading of the context (referee.primes)
            first = step.members[0]
            key = (first.line, first.col, len(step.members))
            if key not in self.own_primes:
                self.own_primes[key] = own_prime(step.members, self.text, self.d.text_names,
                                                 ev.derivative_parts)
            env = E.Env(prime=self.own_primes[key], inferred=self.own_primes[key] is not None)
        value = ev.value(node, env)
        self.approx |= ev.approx
        return value

    def agree(self, step: Step, seed: int = 0) -> tuple[str, str]:
        """("agree" | "disagree" | "abstain", detail) for a step the engine proved."""
        rng = random.Random(seed)
        rels = self._where(step.right_dirs)
        fixed, valid = self._fixed_sizes(rels), 0
        for sizes, spread in instances(sorted(self.d.sizes), rng):
            for attempt in range(6):
                point = self._point(rng, {**sizes, **fixed}, spread if attempt == 0 else RANDOM)
                try:
                    if not self._condition(point, rels):
                        continue
                    a, b = self.sides(step, point)
                except (E.Empty, *Undefined):
                    continue
                if not close(a, b, E.APPROX if self.approx else E.EXACT):
                    return "disagree", (f"the referee finds {_show(a)} vs {_show(b)} at "
                                        f"{_where_text(point)}")
                valid += 1
                break
        if valid < 2:
            return "abstain", "fewer than two instances where the step can be evaluated"
        return "agree", f"{valid} instances"

    def confirm(self, step: Step, cex: dict[str, Any]) -> tuple[str, str]:
        """("agree" | "disagree" | "abstain", detail) for a counterexample, evaluated as
        printed (sizes, indices and values only)."""
        d, rels = self.d, self._where(step.right_dirs)
        if cex.get("values") and inputs_only(step.left, step.right, d):
            return "abstain", ("a relation between the notes' inputs only: a property they "
                               "state of them, not refuted by other values")
        named = sorted(k for k in (cex.get("values") or {}) if k not in d.defs and (
            k in d.tensors or k in d.scalars) and named_in_text(self.text, k, frozenset(d.indices)
                                                             | frozenset(d.sizes)))
        if named:
            return "abstain", (f"the notes write {', '.join(named)} = ... (a definition the "
                               "referee does not read): a value given to it refutes nothing")
        labels = label_sums([*step.members, *(x.body for v in d.defs.values() for x in v)], d,
                            dict(cex.get("values") or {}))
        if labels:
            return "abstain", (f"{', '.join(labels)} is the target of a cross-entropy (a label "
                               "distribution) and the counterexample's values do not sum to one")
        m = written_size([step.left, step.right])
        bounds = summed_sizes([step.left, step.right,
                               *(x.body for v in d.defs.values() for x in v)], d)
        off = sorted(k for k, v in (cex.get("sizes") or {}).items() if k in bounds and v != m)
        if m is not None and off:
            return "abstain", (f"a member writes a sum out with {m} terms: the counterexample's "
                               f"{', '.join(off)} is not the size written out")
        sizes = {**dict.fromkeys(d.sizes, 2), **self._fixed_sizes(rels)}
        sizes.update({k: int(v) for k, v in (cex.get("sizes") or {}).items() if k in d.sizes})
        point = self._point(random.Random(0), sizes, 0)
        if "shapes" not in cex:
            point.tensors = {}  # only the values printed
        point.free.update({k: int(v) for k, v in (cex.get("indices") or {}).items()
                           if k in d.indices})
        ev = Evaluator(d, point)
        for k, v in (cex.get("values") or {}).items():
            if k in d.tensors:
                cells = _grid([ev.rng(s) for s in d.tensors[k]])
                flat = [M.mpf(x) for x in _flatten(v)]
                if len(flat) != len(cells):
                    raise Abstain(f"a counterexample value of {k} that does not fit its shape")
                point.tensors[k] = dict(zip(cells, flat, strict=True))
            elif k in d.scalars:
                point.scalars[k] = M.mpf(v)
            elif k[:1] == "d" and k[1:] in d.tensors:  # dz: a differential's direction
                cells = _grid([ev.rng(s) for s in d.tensors[k[1:]]])
                flat = [M.mpf(x) for x in _flatten(v)]
                if len(flat) != len(cells):
                    raise Abstain(f"a counterexample direction {k} that does not fit its shape")
                point.slopes.update({("d", Key("T", k[1:], at)): x
                                     for at, x in zip(cells, flat, strict=True)})
            elif k[:1] == "d" and k[1:] in d.scalars:
                point.slopes[("d", Key("S", k[1:], ()))] = M.mpf(v)
        for head in d.tensors:
            point.tensors.setdefault(head, _Inputs(head))
        if not self._condition(point, rels):
            return "disagree", "the counterexample does not satisfy the block's condition"
        try:
            a, b = self.sides(step, point, lift=False)
            if "shapes" in cex and (_count(a) == _count(b) or is_arr(a) == is_arr(b)):
                return ("disagree", f"the referee reads both sides with {_count(a)} entries") if (
                    _count(a) == _count(b)) else ("agree", "shapes differ")
            if "shapes" in cex or _count(a) != _count(b):  # a literal 3×3 against a 1×1
                try:
                    a, b = self.sides(step, point)
                except Abstain:
                    return "agree", "shapes differ"
                if "shapes" in cex:
                    return "disagree", ("the referee reads the scalar side as the generic "
                                        "entry of the other")
        except E.Ambiguous as exc:
            return "abstain", f"the notation is ambiguous at the counterexample: {exc}"
        except E.Empty:
            return "disagree", "the counterexample gives an index an empty range"
        except Undefined as exc:  # one side undefined (1/(K - K) = 0 is false): confirmed
            defined = 0
            for right in (False, True):
                try:
                    self._member(step, point, right)
                    defined += 1
                except Undefined:
                    pass
            return ("agree", "one side is undefined there") if defined == 1 else (
                "abstain", f"both sides cannot be evaluated there ({type(exc).__name__})")
        if close(a, b, E.APPROX if self.approx else E.EXACT):
            return "disagree", f"the referee finds both sides equal there: {_show(a)}"
        if not _printed_matches(a, b, cex):
            return "disagree", (f"the referee finds {_show(a)} vs {_show(b)}, not the printed "
                                f"{cex.get('lhs')} vs {cex.get('rhs')}")
        return "agree", "counterexample confirmed"


def _unknown(rec: dict[str, Any], note: str, **more: Any) -> dict[str, Any]:
    return {**{k: v for k, v in rec.items() if k != "counterexample"}, "verdict": "unknown",
            "note": note, **more}


def _engine(rec: dict[str, Any]) -> str:
    return "proved" if rec["verdict"] == "proved" else f"refuted with {rec.get('counterexample')}"


# ruling -> the record reported: a verdict stands only when the referee agrees
RULINGS: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "agree": lambda rec, detail: rec,
    "abstain": lambda rec, detail: _unknown(rec, f"not confirmed by the referee: {detail}"),
    "disagree": lambda rec, detail: _unknown(
        rec, f"internal disagreement: the engine says {_engine(rec)}; {detail}",
        disagreement=True)}


def gate(record: dict[str, Any], referee: Referee, step: Step) -> dict[str, Any]:
    """The verdict the referee lets stand (see the module docstring)."""
    verdict = record.get("verdict")
    if verdict not in ("proved", "refuted"):
        return record
    try:
        if referee.error:
            raise Abstain(referee.error)
        ruling, detail = referee.agree(step, seed=step.left.line * 1000 + step.left.col) if (
            verdict == "proved") else referee.confirm(step, record.get("counterexample") or {})
    except Abstain as exc:
        ruling, detail = "abstain", str(exc)
    except Exception as exc:  # the referee failing is an abstention, never a crash
        ruling, detail = "abstain", f"the referee failed ({type(exc).__name__}: {exc})"
    return RULINGS[ruling](record, detail)


def for_notes(directives: tuple[Directive, ...],
              dependent: dict[str, tuple[str, ...] | None] | None = None,
              text: str = "") -> Any:
    """The judge of one file's steps, as :mod:`derive.latex.verify` calls it
    (``dependent``: the quantities the notes differentiate but never define, each with the
    arguments it is written with or None; ``text``: the notes' text, whose prose may say
    what an undeclared prime differentiates by)."""
    referee = Referee(directives, text)
    referee.d.dependent = dict(dependent or {})

    def judge(record: dict[str, Any], left: ast.Node, right: ast.Node,
              left_dirs: tuple[Directive, ...], right_dirs: tuple[Directive, ...],
              members: tuple[ast.Node, ...], pos: int) -> dict[str, Any]:
        return gate(record, referee, Step(left, right, left_dirs, right_dirs, members, pos))

    judge.decls = referee.d  # type: ignore[attr-defined]  # a labelled name joins them
    return judge
