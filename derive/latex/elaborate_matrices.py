"""The elaborator's brackets and matrices: groups, literal matrices and the patterns written
with dots (a column or a grid whose entries follow their first and last ones)."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.elaborate_common import (
    ELIDED,
    Env,
    _pattern_label,
    _substitute_label,
    _substitute_labels,
)
from derive.latex.values import Axis, MathIssue, Value, fresh_index, scalar

__all__ = ["MatrixRules"]


class MatrixRules:
    """Groups and matrices (a part of :class:`derive.latex.elaborate.Elaborator`)."""

    # -- compound nodes ---------------------------------------------------------------------
    def _n_group(self, node: ast.Group, env: Env) -> Value:
        if node.delim == "over" or (len(node.items) == 1 and node.delim in "({["):
            only = node.items[0]
            if isinstance(only, ast.Rel):  # [y = k], 1(y_i = k), \{y = k\}: an indicator
                return scalar(self.indicator(only, env))
            return self.value(only, env)
        if node.delim == "!":  # y!: the factorial of a scalar (Γ(y + 1) off the integers)
            return scalar(sp.factorial(self.scalar_of(node.items[0], env, "a factorial")))
        if node.delim == "langle":  # \langle u, v \rangle
            return self._inner(*(self.value(it, env) for it in node.items))
        if node.delim == ":":  # A:B, the Frobenius product of two like vectors or matrices
            return V.frobenius(*(self.value(it, env) for it in node.items))
        if node.delim in "([" and any(isinstance(it, ast.Letter) and it.name in ELIDED
                                      for it in node.items):
            return self._dotted_list(node, env)
        if node.delim == "[":
            vals = [self.value(it, env) for it in node.items]
            if not all(v.is_scalar for v in vals):
                raise MathIssue("a bracket list of non-scalars")
            return Value(concrete=sp.Matrix([[v.expr for v in vals]]))
        raise self.err(node, "a comma-separated list: expected it only as the arguments of a "
                       "declared function")

    def _dotted_list(self, node: ast.Group, env: Env) -> Value:
        """A vector written with dots, ``(x_1, \\ldots, x_n)``, ``[p_1 - y_1, \\ldots, p_n -
        y_n]^T``, ``\\{x_1, \\ldots, x_n\\}``: entry r is the first entry with its
        subscript 1 read as r, and the last entry must be that pattern at a declared size
        (x_n). A bracket ``[...]`` is a row (as ``[a,
        b]`` is), a parenthesis or a brace a column. Anything else (another form, entries
        written between the first and the dots, a list from entry 0, a last entry of another
        pattern, entries that are vectors) is a MathIssue naming why: the step stays unknown."""
        items = node.items
        gaps = [n for n, it in enumerate(items)
                if isinstance(it, ast.Letter) and it.name in ELIDED]
        if gaps != [1] or len(items) != 3:
            raise MathIssue("a list with \\ldots: expected the first entry, \\ldots, the last "
                            "entry, as in (x_1, \\ldots, x_n) (an entry written before the "
                            "dots, x_2, says the size is at least 2; derive proves for sizes "
                            "from 1)")
        first, last = items[0], items[-1]
        if _pattern_label(first, last, "0") is not None:
            raise MathIssue("a list with \\ldots from entry 0 (w_0, \\ldots, w_p): its "
                            "length p + 1 is not read")
        label = _pattern_label(first, last, "1")
        if not (isinstance(label, ast.Letter) and label.name in self.decl.sizes):
            raise MathIssue("a list with \\ldots whose last entry is not its first with the "
                            "subscript 1 replaced by a declared size (as x_1 and x_n): "
                            "the entries do not show one pattern")
        r = fresh_index("r")
        marker = ast.Letter(name=f"\\row{r}")
        inner = replace(env, bound={**env.bound, marker.name: r})
        cell = self.value(_substitute_label(first, marker), inner)  # type: ignore[arg-type]
        if not cell.is_scalar:
            raise MathIssue(f"a list with \\ldots whose entries are {cell.shape_text()}s: "
                            "expected numbers")
        axis = Axis(r, self.decl.sizes[label.name])
        return Value(cell.expr, cols=axis) if node.delim == "[" and not node.curly else Value(
            cell.expr, rows=axis)

    def _inner(self, u: Value, v: Value) -> Value:
        """``\\langle u, v \\rangle``: two scalars multiplied, or the entries of two vectors
        of one length multiplied and summed; anything else (matrices) is not read."""
        if u.is_scalar and v.is_scalar:
            return scalar(u.expr * v.expr)
        if u.concrete is not None or v.concrete is not None:
            mu, mv = V.materialize(u), V.materialize(v)
            if 1 in mu.shape and 1 in mv.shape and len(mu) == len(mv):
                return scalar(sum(a * b for a, b in zip(mu, mv, strict=True)))
        elif (u.rows is None) != (u.cols is None) and (v.rows is None) != (v.cols is None):
            like = v if (u.rows is None) == (v.rows is None) else V.transpose(v)
            return V.matmul(u, like, dot=True)
        raise MathIssue(f"\\langle a, b \\rangle of a {u.shape_text()} and a "
                        f"{v.shape_text()}: expected two vectors of one length or two scalars")

    def _n_matrix(self, node: ast.Matrix, env: Env) -> Value:
        if any(isinstance(c, ast.Letter) and c.name in ELIDED for r in node.rows for c in r):
            return self._pattern_column(node, env)
        rows = []
        for row in node.rows:
            cells: list[sp.Expr] = []
            for cell in row:
                v = self.value(cell, env)
                if v.is_scalar:
                    cells.append(v.expr)
                elif v.concrete is not None and v.concrete.rows == 1:
                    cells.extend(v.concrete)
                else:
                    raise MathIssue(f"a matrix cell holds a {v.shape_text()}")
            rows.append(cells)
        if len({len(r) for r in rows}) != 1:
            raise self.err(node, "matrix rows of different lengths: expected equal lengths")
        return Value(concrete=sp.Matrix(rows))

    def _pattern_column(self, node: ast.Matrix, env: Env) -> Value:
        """A column written ``[a_1; a_2; \\vdots; a_m]`` is the pattern it shows: row r is the
        first row with its subscript 1 read as r, and rows 2 and m must be that pattern at 2
        and at the size m. Each row may be a number or a column vector (laid as a row)."""
        rows = node.rows
        if any(len(r) != 1 for r in rows):
            return self._pattern_grid(node, env)
        cells = [r[0] for r in rows]
        gaps = [n for n, c in enumerate(cells) if isinstance(c, ast.Letter) and c.name in ELIDED]
        if len(gaps) != 1 or gaps[0] != len(cells) - 2 or gaps[0] < 1:
            raise MathIssue("a column with \\vdots: expected rows 1, 2, ..., then \\vdots, "
                            "then the last row")
        first, last = cells[0], cells[-1]
        label = _pattern_label(first, last)
        if label is None or not isinstance(label, ast.Letter) or label.name not in self.decl.sizes:
            shown = label.name if isinstance(label, ast.Letter) else "not a letter"
            raise MathIssue(f"the last row of a \\vdots column is labelled {shown}: expected "
                            "the first row with its subscript 1 replaced by a declared size")
        for k, cell in enumerate(cells[1 : gaps[0]], start=2):
            if _substitute_label(first, ast.Num(text=str(k))) != cell:
                raise MathIssue(f"row {k} of a \\vdots column does not follow the pattern of "
                                "row 1: the rows written do not show one pattern")
        size = self.decl.sizes[label.name]
        r = fresh_index("r")
        marker = ast.Letter(name=f"\\row{r}")
        pattern = _substitute_label(first, marker)
        inner = replace(env, bound={**env.bound, marker.name: r})
        cell_value = self.value(pattern, inner)  # type: ignore[arg-type]
        axis = Axis(r, size)
        if cell_value.is_scalar:
            return Value(cell_value.expr, rows=axis)
        if cell_value.rows is not None and cell_value.cols is None:
            return Value(cell_value.expr, rows=axis, cols=cell_value.rows)
        raise MathIssue(f"a \\vdots column whose rows are {cell_value.shape_text()}s")

    def _pattern_grid(self, node: ast.Matrix, env: Env) -> Value:
        """A matrix written with rows 1, 2, \\vdots, L and columns 1, 2, \\cdots, M: entry (r, c)
        is entry (1, 2) with its subscripts 1, 2 read as r, c, and when L = M the diagonal is
        entry (1, 1) with 1 read as r. Every written entry must be that pattern; else unknown.
        """
        def gap(c: ast.Node) -> bool:
            return isinstance(c, ast.Letter) and c.name in ELIDED

        rows = [r for r in node.rows]
        gaps = [n for n, r in enumerate(rows) if all(gap(c) for c in r)]
        written = [r for r in rows if not all(gap(c) for c in r)]
        shape_ok = (len(gaps) == 1 and gaps[0] == len(rows) - 2 and gaps[0] >= 2
                    and all(len(r) == len(written[0]) and len(r) >= 4 and gap(r[-2])
                            and not any(gap(c) for c in (*r[:-2], r[-1])) for r in written))
        if not shape_ok:
            raise MathIssue("a matrix of symbolic size: expected rows 1, 2, ..., \\vdots, "
                            "the last row, each with entries 1, 2, ..., \\cdots, the last one")
        a, b = len(written) - 1, len(written[0]) - 2  # rows and columns written before the dots
        off = written[0][1]
        last_row = _pattern_label(off, written[-1][1], "1")
        last_col = _pattern_label(off, written[0][-1], "2")
        for label in (last_row, last_col):
            if not (isinstance(label, ast.Letter) and label.name in self.decl.sizes):
                raise MathIssue("the last row or column of a matrix with dots is not labelled "
                                "by a declared size (entry (1, 2) with 1 or 2 replaced)")
        assert isinstance(last_row, ast.Letter) and isinstance(last_col, ast.Letter)
        square = last_row.name == last_col.name
        diag = written[0][0]

        def expected(li: ast.Node, lj: ast.Node) -> object:
            if square and li == lj:
                return _substitute_labels(diag, {"1": li})
            return _substitute_labels(off, {"1": li, "2": lj})

        row_labels: list[ast.Node] = [ast.Num(text=str(n)) for n in range(1, a + 1)]
        col_labels: list[ast.Node] = [ast.Num(text=str(n)) for n in range(1, b + 1)]
        row_labels.append(last_row)
        col_labels.append(last_col)
        for i, row in enumerate(written):
            cells = [*row[:-2], row[-1]]
            for j, cell in enumerate(cells):
                if expected(row_labels[i], col_labels[j]) != cell:
                    raise MathIssue(f"entry ({i + 1 if i < a else last_row.name}, "
                                    f"{j + 1 if j < b else last_col.name}) of a matrix with dots "
                                    "does not follow the pattern of entries (1, 1) and (1, 2)")
        r, c = fresh_index("r"), fresh_index("c")
        mr, mc = ast.Letter(name=f"\\row{r}"), ast.Letter(name=f"\\col{c}")
        inner = replace(env, bound={**env.bound, mr.name: r, mc.name: c})
        size_r, size_c = self.decl.sizes[last_row.name], self.decl.sizes[last_col.name]
        off_val = self.value(_substitute_labels(off, {"1": mr, "2": mc}), inner)
        entry = off_val.expr
        if square:
            diag_val = self.value(_substitute_labels(diag, {"1": mr}), inner)
            if not diag_val.is_scalar:
                raise MathIssue("a matrix with dots whose entries are not numbers")
            delta = sp.KroneckerDelta(r, c)
            entry = delta * diag_val.expr + (1 - delta) * off_val.expr
        if not off_val.is_scalar:
            raise MathIssue("a matrix with dots whose entries are not numbers")
        return Value(entry, rows=Axis(r, size_r), cols=Axis(c, size_c))
