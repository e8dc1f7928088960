"""Mutation score of the proof engine (issue 8): plausible bugs the test suite must catch.

    python benchmarks/mutation.py [--only NAME ...] [--full]

Each mutation is one textual change to a file of the engine, the reader or the referee
(the table below). It is applied to a *copy* of the tree in a temporary directory (the
source is never touched, so Ctrl-C cannot leave it mutated), and the suite is run there
with ``pytest -x``: first the engine's own tests (soundness, algebra, prover, fuzzer,
examples), and, only if they all pass, the whole suite (``--full`` always runs the whole
suite). Prints one row per mutation: which test caught it, or SURVIVED. Exit 1 if any
mutation survived. Uses one process at a time (the machines are shared).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOCUSED = ["tests/test_bold_entries_and_sibling_sums.py", "tests/test_definitions_read.py",
           "tests/test_verify_startup.py", "tests/test_vector_functions.py",
           "tests/test_algebra_rules.py", "tests/test_ambiguity.py",
           "tests/test_ambiguity_calls.py",
           "tests/test_reader_dependence.py", "tests/test_constructs.py",
           "tests/test_construct_spellings.py",
           "tests/test_reader_soundness.py", "tests/test_reader_reasons.py",
           "tests/test_adversarial_notation.py",
           "tests/test_soundness.py", "tests/test_rational.py",
           "tests/test_algebra.py", "tests/test_prover.py", "tests/test_fuzz.py",
           "tests/test_examples.py", "tests/test_referee.py", "tests/test_referee_calls.py",
           "tests/test_ranges.py", "tests/test_implication_gate.py",
           "tests/test_undefined_derivatives.py", "tests/test_dotted_sums.py",
           "tests/test_derivative_notation.py", "tests/test_infer_shapes.py",
           "tests/test_inline_reading.py", "tests/test_reach.py"]

# (name, file, original text, mutated text): each original occurs exactly once
MUTATIONS = [
    ("a bold name beside its entries gets a size of its own", "derive/latex/infer.py",
     "and h not in sizes and not entries(h)", "and h not in sizes"),
    ("a sibling sum's letter counted as used outside a \\neq-sum", "derive/latex/ambiguity.py",
     "everywhere.count(name) - apart > inside.count(name)",
     "everywhere.count(name) > inside.count(name)"),
    ("a definition with a \\neq-sum inferred without the policy", "derive/latex/infer.py",
     "_NE_SUM.search(body) is None and not _reaching(", "not _reaching("),
    ("definition by inverse: log undone by log", "derive/latex/inverses.py",
     '"\\\\log": "\\\\exp",', '"\\\\log": "\\\\log",'),
    ("sum reach: a later use of the letter never seen", "derive/latex/sum_reach.py",
     "uses_free(t, name) for _, t in later)", "uses_free(t, name) for _, t in later[:0])"),
    ("sum reach: a definition meeting the point inferred", "derive/latex/sum_reach.py",
     "    return bool(met)", "    return False"),
    ("a definition's closing full stop kept", "derive/latex/infer_reading.py",
     '[[_STOP.sub("", _WRAPPERS', '[[_STOP.sub(".", _WRAPPERS'),
    ("an unread first definition claims nothing (inference)", "derive/latex/infer.py",
     "            claimed.add(shapes[line, col])", "            pass"),
    ("an unread first definition claims nothing (gate)", "derive/latex/definitions.py",
     "                          or ast.shape(left) in self.claimed):",
     "                          ):"),
    ("a definition written again is checked as a claim", "derive/latex/verify_gates.py",
     "again = self.sections.restates(left.node, right.node)", "again = None"),
    ("a display's definitions split at \\qquad not read", "derive/latex/infer_reading.py",
     "(), source=source, tolerant=True)", "(), source=source)"),
    ("a later section's definition not read per section", "derive/latex/infer.py",
     "redefined = _redefinitions(candidates, sections(notes)) if auto else []",
     "redefined = []"),
    ("δ-sum range check dropped", "derive/engine/algebra/sums.py",
     "ok = within(other, d)", "ok = True"),
    ("off-by-one in range containment", "derive/engine/algebra/terms.py",
     "_provably_le(hi, outer.hi)", "_provably_le(hi, outer.hi + 1)"),
    ("off-by-one in disjointness", "derive/engine/algebra/terms.py",
     "_provably_le(ahi + 1, blo)", "_provably_le(ahi, blo)"),
    ("sum key ignores the lower bound", "derive/engine/algebra/terms.py",
     "{d.name}∈[{_bkey(d.lo)},{_bkey(d.hi)}]", "{d.name}∈[{_bkey(d.hi)}]"),
    ("length of a possibly empty range", "derive/engine/algebra/sums.py",
     "if _provably_le(d.lo, d.hi + 1):", "if True:"),
    ("δ case split: a ≠ b branch dropped", "derive/engine/algebra/zero.py",
     "return is_zero(equal, rules) and is_zero(distinct, rules)",
     "return is_zero(equal, rules)"),
    ("δ between dummies of different ranges", "derive/engine/algebra/sums.py",
     "ok = other.lo == d.lo and other.hi == d.hi", "ok = True"),
    ("range question decided as written: a no taken as yes", "derive/engine/algebra/terms.py",
     "        return decided\n", "        return True\n"),
    ("range question: a linear form taken as negative somewhere", "derive/engine/algebra/terms.py",
     "return any(c < 0 for s, c in terms.items() if s != 1) or sum(terms.values()) < 0",
     "return any(c < 0 for s, c in terms.items() if s != 1) or sum(terms.values()) <= 0"),
    ("sizes compared by expansion: a difference taken as zero", "derive/latex/values.py",
     "return sp.expand(d) == 0", "return True"),
    ("sum of positives over a possibly empty range is positive", "derive/engine/algebra/terms.py",
     "nonempty = all(_provably_le(d.lo, d.hi) for d in self.dummies)", "nonempty = True"),
    ("log split without positivity", "derive/engine/algebra/powers.py",
     "if coeff > 0 and all(a.positive for a, _ in mono):", "if coeff > 0:"),
    ("assumption rule applied outside its range", "derive/engine/algebra/sums.py",
     "isinstance(t, Ix) and within(t, v)", "isinstance(t, Ix)"),
    ("user names not quoted (collide with generated)", "derive/engine/algebra/terms.py",
     "return name if _PLAIN.match(name) else json.dumps(name)", "return name"),
    ("δ_aa = 1 lost for integers", "derive/engine/algebra/terms.py",
     "    if a == b:\n        return ONE",
     "    if a == b and not isinstance(a, int):\n        return ONE"),
    ("δ ≠ case keeps inner deltas", "derive/engine/algebra/zero.py",
     "distinct = _without_delta(p, Delta(a, b))", "distinct = p"),
    ("spot check removed", "derive/engine/prover.py",
     "bad = search.spot_check()", "bad = None"),
    ("spot check at one size (all 2)", "derive/engine/prover.py",
     "{s: 1 + (p + t) % 4 for p, s in enumerate(self.sizes)} for t in range(4)",
     "{s: 2 for s in self.sizes} for t in range(1)"),
    ("unevaluable spot-check point skipped", "derive/engine/prover.py",
     'return {"cannot evaluate": f"cannot evaluate at {self._where(pt)}: {exc}"}', "continue"),
    ("counterexample not confirmed by SymPy's derivative", "derive/engine/prover.py",
     "or self._differ(vals[0], sym[0])", "or False"),
    ("finite-difference sign", "derive/engine/numeric.py",
     "return (fp - fm) / (2 * h)", "return (fm - fp) / (2 * h)"),
    ("numeric sum drops its last term", "derive/engine/numeric.py",
     "return math.fsum(self._sum(body, rest, {**env, var: v}) for v in range(a, b + 1))",
     "return math.fsum(self._sum(body, rest, {**env, var: v}) for v in range(a, b))"),
    ("numeric δ compares nothing", "derive/engine/numeric.py",
     "return 1.0 if self._index(e.args[0], env) == self._index(e.args[1], env) else 0.0",
     "return 1.0"),
    # issue 10: rational functions of exponentials, assumption kinds
    ("content out of a fractional power without positivity", "derive/engine/algebra/powers.py",
     "if content and not (e.denominator == 1 or _mono_positive(content)):", "if False:"),
    ("log of a quotient: numerator not known positive", "derive/engine/algebra/powers.py",
     "if _sum_positive(num) and all(atom.positive for atom, _ in den):",
     "if all(atom.positive for atom, _ in den):"),
    ("log of a quotient: denominator not known positive", "derive/engine/algebra/powers.py",
     "if _sum_positive(num) and all(atom.positive for atom, _ in den):",
     "if _sum_positive(num):"),
    ("log of a sum not known positive split by content", "derive/engine/algebra/powers.py",
     "    if _sum_positive(p):\n        content, q = _content(p)",
     "    if len(p) > 1:\n        content, q = _content(p)"),
    ("together: a term without the base not multiplied by it", "derive/engine/algebra/powers.py",
     "            if not any(a == atom for a, _ in mono):", "            if False:"),
    ("zero test: the numerator over a common denominator not checked",
     "derive/engine/algebra/zero.py",
     "return parts is not None and not parts[0]", "return parts is not None"),
    ("division accepted with a remainder", "derive/engine/algebra/zero.py",
     "        rest = poly_sub(rest, poly_mul(term, q))\n    return None",
     "        rest = poly_sub(rest, poly_mul(term, q))\n    return quotient"),
    ("sums over different ranges merged", "derive/engine/algebra/zero.py",
     "return tuple((_bkey(d.lo), _bkey(d.hi)) for d in atom.dummies)",
     "return len(atom.dummies)"),
    ("negative power of a quotient: denominator to the wrong power",
     "derive/engine/algebra/powers.py",
     "return poly_mul(poly_pow(num, e), _expand_den(den, -e))",
     "return poly_mul(poly_pow(num, e), _expand_den(den, e))"),
    ("integer range written out one term short", "derive/engine/algebra/sums.py",
     "for v in range(int(d.lo), int(d.hi) + 1):", "for v in range(int(d.lo), int(d.hi)):"),
    ("binary rule outside the declared shape", "derive/engine/algebra/assumptions.py",
     "and _inside(a, entry[a.base])", "and True"),
    ("literal-size elimination outside the declared shape", "derive/engine/algebra/assumptions.py",
     "or not all(r is None or within(q, r) for q, r in zip(idx, rule.ranges, strict=True))",
     "or False"),
    ("one-hot product along any axis", "derive/engine/algebra/assumptions.py",
     "for ax in entry[a.base].axes:", "for ax in range(len(a.idx)):"),
    # the rule registry (derive/engine/algebra/registry.py): side conditions of registered rules
    ("a symbolic power of a base not known positive", "derive/engine/algebra/convert.py",
     "    if not _is_positive(base):\n", "    if False:\n"),
    ("log of a product of factors not known positive", "derive/engine/algebra/convert.py",
     "        if not _is_positive(body):\n", "        if False:\n"),
    ("soft labels never drawn (one-hot rows only)", "derive/engine/prover.py",
     "if found is None and soft:", "if False:"),
    ("binary entries drawn as one-hot rows", "derive/engine/prover.py",
     "    if binary and total:", "    if binary:"),
    # issue 18: the reader's mechanisms (derive/latex) and dependent limits (engine)
    ("U+2212 minus not in the character table", "derive/latex/charmap.py",
     '"\\u2212": _MINUS, "\\u2010"', '"\\u2010"'),
    ("superscript characters read by NFKC (x² as x2)", "derive/latex/charmap.py",
     "script = _script(char) if char >= \"\\x80\" else None", "script = None"),
    ("no fault barrier around a step", "derive/latex/verify_verdicts.py",
     "        except Exception as exc:\n            reason = fault(exc)",
     "        except ZeroDivisionError as exc:\n            reason = fault(exc)"),
    ("double superscript read silently", "derive/latex/parser.py",
     "        _no_double_script(items)\n        base, sups = fold(",
     "        base, sups = fold("),
    ("derivative by θ_dk: its indices not free (no entrywise reading)",
     "derive/latex/values.py",
     "free = {sym for sym in free_with_derivatives(s.expr) if sym in ranges}",
     "free = {sym for sym in s.expr.free_symbols if sym in ranges}"),
    ("set sum keeps its upper limit", "derive/latex/elaborate_sums.py",
     "            if node.sup is not None:\n                raise MathIssue",
     "            if False:\n                raise MathIssue"),
    ("elements before \\ldots not checked to step evenly", "derive/latex/elaborate_sums.py",
     "sp.expand(e - first[0] - n * step) != 0 for n, e in enumerate(first)):",
     "False for n, e in enumerate(first)):"),
    ("a descending set read upward", "derive/latex/elaborate_sums.py",
     "                    return \"interval\", (last, first[0])\n                raise",
     "                    return \"interval\", (first[0], last)\n                raise"),
    ("a finite set counts a repeated element twice", "derive/latex/elaborate_sums.py",
     'return "finite", tuple(dict.fromkeys(elements))', 'return "finite", tuple(elements)'),
    ("empty range summed by Karr's convention", "derive/latex/elaborate_sums.py",
     "        if length.is_Integer and length <= 0:", "        if False:"),
    ("a bound index with a power read as the free letter", "derive/latex/elaborate_names.py",
     "        if not subs and args is None and head in env.bound:",
     "        if not subs and not sups and args is None and head in env.bound:"),
    ("cases: otherwise weighted 1 - Σ of overlapping rows", "derive/latex/elaborate_cases.py",
     "            rest = before\n",
     "            rest = sp.Integer(1) - sp.Add(*(w for _, w in conditioned))\n"),
    # issue 19: the ambiguity policy (derive/latex/ambiguity.py) and dependent quantities
    ("ambiguity policy: the first reading decides", "derive/latex/ambiguity.py",
     "    first = verdicts[0] if verdicts else \"unknown\"\n",
     "    first = verdicts[0] if verdicts else \"unknown\"\n    return first\n"),
    ("ambiguity policy: a \\neq-sum always binds its left letter", "derive/latex/ambiguity.py",
     "        if out_a and out_b:", "        if False:"),
    ("ambiguity policy: the context never decides", "derive/latex/ambiguity.py",
     "        if out_a and out_b:", "        if True:"),
    ("ambiguity policy: f(x), the context never decides a call or a product",
     "derive/latex/ambiguity.py",
     "function, value = bool(names & ctx.functions), bool(names & ctx.values)",
     "function, value = False, False"),
    ("ambiguity policy: an undecided f(x) read as a call only", "derive/latex/ambiguity.py",
     '(f"{spelt} a call", f"{spelt} a product")) == 1', '(f"{spelt} a call",)) == 1'),
    ("a differentiated quantity with no definition read as independent",
     "derive/latex/dependence.py", "            for base in sorted(_bases(d.expr) - by, key=str):",
     "            for base in ():"),
    ("a refutation of a quantity the notes define stands", "derive/latex/dependence.py",
     '    if verdict == "refuted":', '    if False:'),
    ("a condition the prose states beside a display ignored", "derive/latex/verify_gates.py",
     "        if cut is None:", "        if True:"),
    ("an equation beside an implication arrow refuted as an identity",
     "derive/latex/verify_gates.py",
     'if rec.get("verdict") != "refuted" or not chain.beside:', "if True:"),
    ("the implication arrow next to a chain not recorded", "derive/latex/parser.py",
     "                                 beside=arrow))", "                                 ))"),
    ("cases: overlapping rows proved under the first reading only",
     "derive/latex/verify_readings.py",
     'if all(r["verdict"] == "proved" for r in recs):', 'if recs[0]["verdict"] == "proved":'),
    ("cases: overlaps never found", "derive/latex/cases.py",
     "            overlaps.add(pair)", "            pass"),
    ("cases: rows that leave a gap read as 0 there", "derive/latex/elaborate_cases.py",
     "        if not others and not table.covered:", "        if False:"),
    ("cases: refuted at a point where two rows apply", "derive/latex/verify_common.py",
     "        if on > 1:\n            return False", "        if False:\n            return False"),
    # the construct registry (issue 19): a misread spelling that proves a false step
    ("registry: {\\bf x} read as x (a font that keeps the symbol dropped)",
     "derive/latex/constructs.py",
     '"bf": Construct("font", value="mathbf"),', '"bf": Construct("transparent"),'),
    ("\\quad before a term (no '=' after it) read as a separator", "derive/latex/tokens.py",
     "        if before and after:\n", "        if before:\n"),
    ("numeric sum binds the innermost index first", "derive/engine/numeric.py",
     "(var, lo, hi), rest = limits[-1], limits[:-1]\n        a, b = self._index(lo, env), "
     "self._index(hi, env)\n        # derive's",
     "(var, lo, hi), rest = limits[0], limits[1:]\n        a, b = self._index(lo, env), "
     "self._index(hi, env)\n        # derive's"),
    ("an enclosing index drawn as a size", "derive/engine/prover.py",
     "                scope.index_ranges) - bound", "                scope.index_ranges)"),
    # issue 18: the independent referee (derive/latex/referee/): each mutant must make the gate
    # disagree with a true verdict of the corpus or let a false one of its own tests stand
    # issue 18, third red team (tests/soundness/z*): conditions in words after a formula
    ("a condition in words after the formula read as a new equation", "derive/latex/tokens.py",
     'worded = kind == "TEXT" and _CONDITION_WORDS.match(tok.value) is not None',
     "worded = False"),
    ("a condition after \\qquad \\text{whenever} blanked as a remark", "derive/latex/chains.py",
     "keep = _CONDITION_REMARK.match(m.group()) or (",
     "keep = False or ("),
    ("two numbers side by side read as a product (1\\,000 as 1·000)", "derive/latex/tokens.py",
     'if out and out[-1].type == "NUM" and not (', "if False and not ("),
    ("a call's vector argument: the body reads the declared parameter's entries",
     "derive/latex/elaborate_names.py",
     "if subs and args is None and isinstance(base, ast.Letter) and base in env.values:",
     "if False:"),
    ("\\left without \\right read silently", "derive/latex/tokens.py",
     "    if lefts:  #", "    if False:  #"),
    ("referee: + read as - in its operator table", "derive/latex/referee/evaluate.py",
     "lambda x, y: x + sign * y", "lambda x, y: x - sign * y"),
    ("referee: a sum skips its last term", "derive/latex/referee/evaluate.py",
     "return var, list(range(lo, hi + 1)), conds", "return var, list(range(lo, hi)), conds"),
    ("referee: δ compares nothing", "derive/latex/referee/evaluate.py",
     "return M.mpf(int(self.index(subs[0], env) == self.index(subs[1], env)))",
     "return M.mpf(1)"),
    ("referee: derivative sign", "derive/latex/referee/evaluate.py",
     "return (up - down) / (2 * STEP)", "return (down - up) / (2 * STEP)"),
    ("referee: outer product transposed", "derive/latex/referee/evaluate.py",
     "return Arr([[x * y for y in b.flat] for x in a.flat], a.rows, b.cols)",
     "return Arr([[x * y for x in a.flat] for y in b.flat], a.rows, b.cols)"),
    ("referee: cases rows chosen without their conditions", "derive/latex/referee/evaluate.py",
     "hold = [v for v, c in node.rows if c is not None and self.indicator(c, env) == 1]",
     "hold = [v for v, c in node.rows if c is not None][:1]"),
    ("split-off term joined without the length check", "derive/engine/ranges.py",
     "if not _nonnegative(hi - lo + 1):", "if False:"),
    ("split-off term compared at the range's first index", "derive/engine/ranges.py",
     "zip((lo - 1, hi + 1), ends, strict=True)", "zip((lo, hi + 1), ends, strict=True)"),
    ("display math read before the character table", "derive/latex/chains.py",
     "body, spots = _normal_body(clean, start, end)", "body, spots = clean[start:end], None"),
    ("declarations read before the character table", "derive/latex/chains.py",
     "directives = [_normal_directive(d) for d in directives]", "directives = list(directives)"),
    ("referee: a let's memo ignores what other lets read", "derive/latex/referee/evaluate.py",
     "todo += self.d.defs.get(self.plain(n.name), [])", "todo += []"),
    ("referee: a let's memo ignores a central difference", "derive/latex/referee/evaluate.py",
     "held = (key, env.prime, frozenset(self.over.items()),", "held = (key, env.prime, 0,"),
    ("Leibniz numerator: its sign or numbers dropped", "derive/latex/elaborate_derivatives.py",
     "return V.scale(self.derivatives(node, body, wrts, env), factor)",
     "return self.derivatives(node, body, wrts, env)"),
    ("referee: Leibniz numerator's sign or numbers dropped", "derive/latex/referee/evaluate.py",
     "return scale(self.derivatives(scaled[0], scaled[1], env), lead[0])",
     "return self.derivatives(scaled[0], scaled[1], env)"),
    ("\\sum' read as \\sum (its prime ignored)", "derive/latex/parser.py",
     "        if primes:  #", "        if False:  #"),
    ("d/dz: a d the notes declare as a scalar read as upright",
     "derive/latex/elaborate_derivatives.py",
     "known for known in (self.decl.scalars, self.decl.tensors,",
     "known for known in (self.decl.tensors,"),
    ("referee: d/dz with a d the notes declare as a scalar", "derive/latex/referee/evaluate.py",
     "self.d.sizes, self.d.indices, self.d.tensors, self.d.scalars, self.d.defs))",
     "self.d.sizes, self.d.indices, self.d.tensors, self.d.defs))"),
    ("f' alone: not read at f's own parameter", "derive/latex/elaborate_calls.py",
     "bare = self._lagrange(item, (), env)  # f' alone", "bare = None  # f' alone"),
    ("referee: f' alone not read at f's own parameter", "derive/latex/referee/evaluate.py",
     "if env.prime is None and (bare := self.lagrange(item, (), env)) is not None:",
     "if False and (bare := self.lagrange(item, (), env)) is not None:"),
    ("\\sigma(1 - \\sigma): a function's own bare name inside read as a call",
     "derive/latex/ambiguity.py", "product = bare(group, names)", "product = False"),
    ("f(x)': the prime after a call's parentheses not moved onto the call",
     "derive/latex/ambiguity.py",
     "if not (isinstance(after, ast.Postfix) and after.primes and not after.sups):",
     "if True:"),
    ("f(x): a name written only before parentheses not decided a call",
     "derive/latex/ambiguity.py", "value = False  # both, but the file writes it only",
     "pass  # both, but the file writes it only"),
    ("referee: a call's matrix argument: the body reads the declared parameter's entries",
     "derive/latex/referee/evaluate.py",
     "if args is None and isinstance(node, ast.Postfix) and node.base in env.vals:",
     "if args is None and isinstance(node, ast.Postfix) and node.base in env.vals and not subs:"),
    ("referee: no edge sizes 1 and 2", "derive/latex/referee/gate.py",
     "return [(dict.fromkeys(names, 1), LOW), (dict.fromkeys(names, 2), HIGH),\n            ",
     "return ["),
    ("upright T superscript not read as the transpose", "derive/latex/tokens.py",
     "if key in UPRIGHT_MARKS and _is_superscript(out, text, arg.end()):", "if False:"),
    ("upright T read as the transpose outside a superscript", "derive/latex/tokens.py",
     "if key in UPRIGHT_MARKS and _is_superscript(out, text, arg.end()):",
     "if key in UPRIGHT_MARKS:"),
    ("a bare text argument takes a whole word", "derive/latex/tokens.py",
     '_BARE_CHAR = re.compile(r"\\s*([A-Za-z0-9])")',
     '_BARE_CHAR = re.compile(r"\\s*([A-Za-z0-9]+)")'),
    ("a word opening an equation not read as the name it defines", "derive/latex/tokens.py",
     "elif key == content and _defines_word(key, out, text, arg.end()):", "elif False:"),
    ("a word before '=' after other math read as a name", "derive/latex/tokens.py",
     'and (not out or out[-1].type in ("ROWSEP", "QUAD"))', "and True"),
    ("an equation after words on a \\quad line blanked as a remark", "derive/latex/chains.py",
     'head is not None and "=" in m.group()[head.end():])', "False)"),
    ("member texts cut after an annotation by its content's length",
     "derive/latex/infer_reading.py",
     "start = tok.start_pos + _spelled_length(text, tok)",
     "start = tok.start_pos + len(tok.value)"),
    ("referee: printed counterexample values not compared", "derive/latex/referee/gate.py",
     "return any(close(x, la, 1e-6) and close(y, lb, 1e-6) for x, y in pairs)", "return True"),
    ("bold shapes: a vector's length may be made 1", "derive/latex/infer_shapes.py",
     "if _ONE in (ra, rb):  # a name's own dimension made 1",
     "if False:  # a name's own dimension made 1"),
    ("bold shapes: a transpose does not swap", "derive/latex/infer_shapes.py",
     "return (base[1], base[0])", "return base"),
    ("bold shapes: a sum's terms not made one shape", "derive/latex/infer_shapes.py",
     "            self.unify(matrices[0][0], s[0], node)\n", ""),
    ("exp/log of a symbolic matrix read entry by entry", "derive/latex/values.py",
     "if a.rows is not None and a.cols is not None:", "if False:"),
    ("exp/log of a literal matrix read entry by entry", "derive/latex/values.py",
     "if 1 not in a.concrete.shape:", "if False:"),
    ("referee: exp/log of a matrix read entry by entry", "derive/latex/referee/evaluate.py",
     "1 not in v.shape if v.lit else v.rows == v.cols", "False"),
    ("a matrix plus a scalar broadcast", "derive/latex/values.py",
     "if vec.concrete is not None or (vec.rows is not None and vec.cols is not None):",
     "if vec.concrete is not None:"),
    ("scalar minus vector read as vector minus scalar", "derive/latex/values.py",
     "expr=num + sign * vec.expr if a.is_scalar else",
     "expr=vec.expr + sign * num if a.is_scalar else"),
    ("referee: a matrix plus a scalar broadcast", "derive/latex/referee/evaluate.py",
     'abstain_if(not _vector(a if is_arr(a) else b), "a matrix plus a scalar")', "pass"),
    ("a bracket list with dots read as a column", "derive/latex/elaborate_matrices.py",
     'cols=axis) if node.delim == "[" and not node.curly else', "cols=axis) if False else"),
    ("a list with dots: entries before the dots allowed", "derive/latex/elaborate_matrices.py",
     "if gaps != [1] or len(items) != 3:", "if gaps != [len(items) - 2]:"),
    ("referee: a bracket list with dots read as a column", "derive/latex/referee/evaluate.py",
     'if node.delim == "[" and not node.curly:\n            return Arr([vals], False, True)',
     "if False:\n            return Arr([vals], False, True)"),
    ("× or * between two vectors read as the inner product", "derive/latex/values.py",
     "    if is_vector(a) and is_vector(b):\n        raise MathIssue(f\"×",
     "    if False:\n        raise MathIssue(f\"×"),
    ("referee: × or * between two vectors read as the inner product",
     "derive/latex/referee/evaluate.py",
     'abstain_if(is_arr(a) and is_arr(b) and _vector(a) and _vector(b), "× or * of two vectors")',
     "pass"),
    ("division by a matrix read entry by entry", "derive/latex/values.py",
     "if not is_vector(b) or not (a.is_scalar or is_vector(a)):", "if False:"),
    ("referee: division by a matrix read entry by entry", "derive/latex/referee/evaluate.py",
     'abstain_if(not _vector(b) or (is_arr(a) and not _vector(a)), "division by a matrix")',
     "pass"),
    ("a broadcast vector equated with a scalar refuted on shape",
     "derive/latex/verify_verdicts.py",
     "if a.is_scalar != b.is_scalar and (a.broadcast or b.broadcast):", "if False:"),
    ("undefined quantity silently independent (no chain rule)",
     "derive/latex/undefined_derivatives.py",
     "moved = {q: q + eps * _move(q, var, dependent, arguments or {})",
     "moved = {q: q + 0 * _move(q, var, dependent, arguments or {})"),
    ("undefined derivative atom keyed without the variable's index",
     "derive/latex/undefined_derivatives.py",
     "tuple(var.indices) if isinstance(var, sp.Indexed) else ())", "())"),
    ("a failure on undefined derivatives refutes", "derive/latex/verify_verdicts.py",
     "if opaque and verdict.status != \"proved\":", "if opaque and verdict.status == \"x\":"),
    ("referee: an undefined quantity does not move with the variable",
     "derive/latex/referee/evaluate.py",
     "value += slope * dx", "value += 0 * slope"),
    ("undefined quantity written with arguments: chain through them dropped",
     "derive/latex/undefined_derivatives.py",
     "out += sp.Sum(_atom(q, a[0][e]) * _by(a[0][e], var, dependent), (e, a[1], a[2]))",
     "out += sp.Sum(_atom(q, a[0][e]) * _by(a[0][e], var, dependent), (e, a[1] + 1, a[2]))"),
    ("referee: arguments of an undefined quantity ignored", "derive/latex/referee/evaluate.py",
     "        if args is not None:\n            moves = []",
     "        if False:\n            moves = []"),
    ("dotted sum: terms before the dots not checked", "derive/latex/dotted_sums.py",
     "if any(_subst(first, numeral, ast.Num(text=str(int(numeral) + m))) != t",
     "if False and any(_subst(first, numeral, ast.Num(text=str(int(numeral) + m))) != t"),
    ("dotted sum: the last term may change another index", "derive/latex/dotted_sums.py",
     "and all(f == found[0] for f in found) and found[0] != ast.Num(text=numeral)):",
     "and found[0] != ast.Num(text=numeral)):"),
    ("an undefined name written bare not inferred a scalar", "derive/latex/infer.py",
     "    if bare:\n        emit(0, \"scalar\", \", \".join(bare))",
     "    if False:\n        emit(0, \"scalar\", \", \".join(bare))"),
    ("referee: a dotted sum skips its first term", "derive/latex/referee/evaluate.py",
     "for r in range(start, self.index(found[0], env) + 1):",
     "for r in range(start + 1, self.index(found[0], env) + 1):"),
    # issue 19: inline maths read as steps (derive/latex/inline_steps.py), one reading
    ("inline: a formula after a hypothesis word checked as a claim", "derive/latex/chains.py",
     "            if premise(text, start):\n", "            if False:\n"),
    ("inline: a step beside an inline premise read without it", "derive/latex/inline_steps.py",
     '                return None  # "if $p = \\\\sigma(z)$',
     '                pass  # "if $p = \\\\sigma(z)$'),
    ("inline: an event or index condition read as a step", "derive/latex/inline_steps.py",
     "    if any(_condition(a, b) for a, b in itertools.pairwise(sides)):\n        return False",
     "    if False:\n        return False"),
    ("inline: the sentence's condition dropped", "derive/latex/chains.py",
     "after = tuple(dict.fromkeys(after + around))", "after = tuple(after)"),
    ("inline: a definition also read by the display path", "derive/latex/infer.py",
     "if seg.continues or seg.inline:", "if seg.continues:"),
    ("a subscripted \\pi_k read as the constant", "derive/latex/definitions.py",
     "node.base.name in _INDEXED:", "node.base.name in ():"),
]


def _copy_tree(dst: str) -> None:
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", ".pytest_cache",
                                    "*.pdf", "*.egg-info", ".hypothesis")
    for name in os.listdir(ROOT):
        src = os.path.join(ROOT, name)
        if name in (".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis"):
            continue
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dst, name), ignore=ignore)
        else:
            shutil.copy2(src, os.path.join(dst, name))


def _pytest(tree: str, paths: list[str]) -> tuple[bool, str]:
    env = {**os.environ, "PYTHONPATH": tree, "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
           "-o", "addopts=-m 'not fuzz'", *paths]
    out = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", out.stdout, re.M)
    if out.returncode == 0:
        return False, ""
    if failed and "::" not in failed.group(1):  # an error collecting a file: say which
        why = re.search(r"^E +(.+)$", out.stdout, re.M)
        return True, f"{failed.group(1)} (collection: {why.group(1) if why else '?'})"
    return True, failed.group(1) if failed else f"exit {out.returncode}"


def run(mutation: tuple, full: bool) -> tuple[str, float]:
    name, rel, old, new = mutation
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="derive-mutant-") as tree:
        _copy_tree(tree)
        path = os.path.join(tree, rel)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        if text.count(old) != 1:
            raise SystemExit(f"mutation {name!r}: {old!r} occurs {text.count(old)} times in "
                             f"{rel}, expected once (the source changed: update the table)")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text.replace(old, new))
        for paths in ([] if full else [FOCUSED]) + [["tests"]]:
            caught, by = _pytest(tree, paths)
            if caught:
                return by, time.perf_counter() - start
    return "SURVIVED", time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="run the mutations whose name contains these")
    ap.add_argument("--full", action="store_true", help="always run the whole suite")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or any(o in m[0] for o in args.only)]
    # Unmutated, the focused tests must pass: else every mutant would look "caught" (a
    # missing dependency, e.g. run outside the project's environment, fails collection).
    with tempfile.TemporaryDirectory(prefix="derive-unmutated-") as tree:
        _copy_tree(tree)
        broken, by = _pytest(tree, FOCUSED)
    if broken:
        raise SystemExit(f"the focused tests fail without any mutation ({by}): fix that first")
    survived = 0
    print(f"{'mutation':58} {'file':18} {'caught by':60} s")
    for m in chosen:
        by, secs = run(m, args.full)
        survived += by == "SURVIVED"
        print(f"{m[0]:58} {os.path.basename(m[1]):18} {by:60} {secs:.0f}", flush=True)
    print(f"{len(chosen) - survived} of {len(chosen)} mutations caught")
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
