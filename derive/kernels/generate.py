"""From the families' kernel rows to NumPy source: split the data term, lambdify, assemble.

A form ``c·T(X, Y) + R`` whose data term ``T`` contracts the N rows once
(``Xᵀ·F(X, Y)``, ``1ᵀ·F(X, Y)`` or ``trace(Yᵀ·F(X))`` with ``F`` row-wise) is a sum over
row blocks. :func:`split_rows` checks that structure, then :mod:`derive.kernels.fuse`
prints the block terms of one call variant as one fused, in-place pass over a row block
(``_block_*``) and ``lambdify`` the finishing map ``acc ↦ c·acc + R`` (``_finish_*``);
a form with no row quantity is printed whole (``_direct_*``, batched over leading axes).
The generated code ends with ``TABLE``, which maps each kernel and call variant to its
functions; :mod:`derive.kernels.driver` runs them. The
per-entry ``Sum`` form is never printed: only matrix forms are.

>>> src = module_source()
>>> "loss_and_grad = public(" in src and "import derive" not in src and "sympy" not in src
True
"""

from __future__ import annotations

import builtins
import dis
import inspect
import keyword
import re
import textwrap
import types
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

import derive.kernels.driver as driver
import derive.kernels.runtime as runtime
from derive.declare import validate
from derive.declare.spec import Kernel, Variant
from derive.errors import DeriveError
from derive.kernels.fuse import block_source
from derive.kernels.links import KERNELS, LINKS, form_key_of
from derive.kernels.matrix import (
    ElemExp,
    KernelPrinter,
    LogSoftmax,
    OneHot,
    Softmax,
    Vocabulary,
    _RowWise,
)

__all__ = ["GeneratedSource", "internal_source", "module_source", "split_rows"]


def _row_wise(e: sp.Expr, vocab: Vocabulary) -> bool:
    """Row r of ``e`` depends on row r of the row quantities only (and on the rest freely)."""
    rows = vocab.rows
    if not e.has(*rows):
        return e.shape[0] != vocab.count if isinstance(e, MatrixExpr) else True
    if e in rows or isinstance(e, OneHot):
        return True
    if isinstance(e, _RowWise):
        return _row_wise(e.arg, vocab)
    if isinstance(e, sp.HadamardPower):  # A∘A∘...: entry-wise, as A
        return not e.exp.has(*rows) and _row_wise(e.base, vocab)
    if isinstance(e, sp.MatAdd | sp.HadamardProduct):
        return all(_row_wise(a, vocab) or _broadcast_row(a, vocab) for a in e.args)
    if isinstance(e, sp.MatMul):
        _, mats = e.as_coeff_matrices()
        return _row_wise(mats[0], vocab) and not any(m.has(*rows) for m in mats[1:])
    return False


def _broadcast_row(e: sp.Expr, vocab: Vocabulary) -> bool:  # 1_N·bᵀ: the same row everywhere
    if isinstance(e, sp.MatMul):
        _, mats = e.as_coeff_matrices()
        return isinstance(mats[0], sp.OneMatrix) and not any(m.has(*vocab.rows) for m in mats)
    return False


def split_rows(form: sp.Expr, vocab: Vocabulary) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(c, T, R)`` with ``form = c·T + R``, ``T`` a sum over the N rows, ``R`` row-free.

    >>> import sympy as sp
    >>> from derive.kernels.matrix import Softmax, Vocabulary
    >>> N, D, K = sp.symbols("N D K", integer=True, positive=True)
    >>> X, W, Y = sp.MatrixSymbol("X", N, D), sp.MatrixSymbol("W", D, K), sp.MatrixSymbol("Y", N, K)
    >>> vocab = Vocabulary({}, (X, Y), N)
    >>> split_rows(X.T * (Softmax(X * W) - Y) / N + 2 * W, vocab)
    (1/N, X.T*(-Y + Softmax(X*W)), 2*W)
    """
    rows, count = vocab.rows, vocab.count
    terms = form.args if isinstance(form, sp.MatAdd | sp.Add) else (form,)
    data = [t for t in terms if t.has(*rows)]
    rest = [t for t in terms if not t.has(*rows)]
    if len(data) != 1:
        raise ValueError(f"expected one data term in {form}, found {len(data)}")
    term = data[0]
    if isinstance(term, MatrixExpr):
        coeff, mats = term.as_coeff_matrices()
        body, left, right = sp.MatMul(*mats), mats[0], sp.MatMul(*mats[1:])
    else:
        coeff, body = term.as_independent(*rows, as_Add=False)
        if not isinstance(body, sp.Trace) or not isinstance(body.arg, sp.MatMul):
            raise ValueError(f"data term {term} is not a trace of a product")
        _, mats = body.arg.as_coeff_matrices()
        if len(mats) == 2 and isinstance(mats[1], sp.Transpose):  # trace(A·Bᵀ) = trace(Bᵀ·A)
            mats = (mats[1], mats[0])
        left, right = mats[0], sp.MatMul(*mats[1:])
    # The rows meet only in the contraction Aᵀ·B over N; both sides must be row-wise.
    ones = isinstance(left, sp.OneMatrix) and left.shape == (1, count)
    if not (ones or (isinstance(left, sp.Transpose) and left.arg.shape[0] == count)):
        raise ValueError(f"data term {term} does not contract the N rows first")
    if not ((ones or _row_wise(left.arg, vocab)) and _row_wise(right, vocab)):
        raise ValueError(f"data term {term} mixes rows: it is not a sum over row blocks")
    zero = sp.ZeroMatrix(*form.shape) if isinstance(form, MatrixExpr) else sp.Integer(0)
    return coeff, body, (sp.Add(*rest) if rest and not isinstance(form, MatrixExpr)
                         else sp.MatAdd(*rest) if rest else zero)


def _share_log_softmax(exprs: list[sp.Expr]) -> list[sp.Expr]:
    """Print Softmax(A) as exp(LogSoftmax(A)) when LogSoftmax(A) is needed anyway."""
    logs = {e.arg for x in exprs for e in sp.preorder_traversal(x) if isinstance(e, LogSoftmax)}
    return [
        x.replace(
            lambda e: isinstance(e, Softmax) and e.arg in logs,
            lambda e: ElemExp(LogSoftmax(e.arg)),
        )
        for x in exprs
    ]


def _cse(exprs: list) -> tuple[list, list]:
    """SymPy's cse, but a one-hot matrix and a matrix of ones stay inline: they are printed
    as patterns (``A - Y``, ``trace(Yᵀ·A)``, ``1ᵀ·A`` a column sum), never as values of
    their own (a block does not know N)."""
    reps, reduced = sp.cse(exprs)
    kept: list = []
    for sym, val in reps:
        if isinstance(val, OneHot | sp.OneMatrix) or (
            isinstance(val, sp.Transpose | sp.MatMul) and val.has(OneHot) and len(val.args) <= 2
            and all(isinstance(a, OneHot) or a.is_number for a in val.args)
        ):
            kept = [(s, v.xreplace({sym: val})) for s, v in kept]
            reps = [(s, v.xreplace({sym: val})) for s, v in reps]
            reduced = [x.xreplace({sym: val}) for x in reduced]
        else:
            kept.append((sym, val))
    # Later replacements were rewritten in ``reps``; take their final values.
    final = dict(reps)
    return [(s, final[s]) for s, _ in kept], reduced


def _scalars(e: sp.Basic) -> set[sp.Symbol]:
    """Scalar symbols a printed expression reads (a matrix's sizes are not read)."""
    if isinstance(e, sp.Symbol):
        return {e}
    if isinstance(e, sp.MatrixSymbol | sp.OneMatrix | sp.ZeroMatrix | sp.Identity | OneHot):
        return set()
    return set().union(*(_scalars(a) for a in e.args))


def _matrices(exprs: list, vocab: Vocabulary) -> list[sp.MatrixSymbol]:
    """The family's matrix quantities the expressions read, in the vocabulary's order."""
    found = set().union(*(x.atoms(sp.MatrixSymbol) for x in exprs))
    return [m for m in vocab.indexed if m in found]


def _param(sym: sp.Basic) -> sp.Basic:
    # A name that is a Python keyword ("lambda") cannot be a parameter: printed as "lambda_".
    name = str(sym)
    if keyword.iskeyword(name):
        return sp.Symbol(name + "_", **sym.assumptions0)
    return sym


def _lambdify_source(name: str, args: list, exprs: list, *, batched: bool = False) -> str:
    printer = KernelPrinter({"fully_qualified_modules": True}, batched=batched)
    renames = {a: _param(a) for a in args if _param(a) is not a}
    exprs = [e.xreplace(renames) for e in exprs]
    args = [renames.get(a, a) for a in args]
    fn = sp.lambdify(args, exprs, modules="numpy", printer=printer, cse=_cse, dummify=False)
    src = inspect.getsource(fn)
    return src.replace("def _lambdifygenerated(", f"def {name}(", 1)


@dataclass(frozen=True)
class GeneratedSource:
    """The generated functions of one module, and the links they come from."""

    text: str
    link_names: tuple[str, ...]


def _tag(variant: Variant) -> str:
    words = [key if val is True else str(val) for key, val in variant if val is not False]
    return "_".join(words) or "all"


def _names(syms: list) -> tuple[str, ...]:
    return tuple(str(s) for s in syms)


def _row_sum_variant(kern: Kernel, variant: Variant, chunks: dict[str, str]) -> dict[str, str]:
    """Block and finish functions of one call variant; returns its table entry (as code)."""
    vocab = kern.vocabulary
    outputs = kern.running(variant)
    parts = [split_rows(o.form, vocab) for o in outputs]
    bodies = [body for _, body, _ in parts]
    enc = next((e for e in kern.encodings if ("encoding", e.name) in variant), None)
    row_args = [m for m in vocab.rows if any(b.has(m) for b in bodies)]
    if enc is not None:
        bodies = [b.xreplace({enc.symbol: enc.value}) for b in bodies]
        row_args = [enc.arg if m == enc.symbol else m for m in row_args]
    bodies = _share_log_softmax(bodies)
    shared = [m for m in _matrices(bodies, vocab) if m not in vocab.rows]
    shared += sorted(set().union(*(_scalars(b) for b in bodies)) - set(row_args), key=str)
    link_tag = _tag(tuple(kv for kv in variant if kv[0] != "encoding"))
    block = f"_block_{kern.name}__{_tag(variant)}"
    chunks[block], transposed = block_source(block, _names(row_args + shared), bodies)
    acc = [
        sp.MatrixSymbol(f"acc{p}", *b.shape) if isinstance(b, MatrixExpr) else sp.Symbol(f"acc{p}")
        for p, b in enumerate(bodies)
    ]
    finish_exprs = [c * a + r for (c, _, r), a in zip(parts, acc, strict=True)]
    free = _matrices(finish_exprs, vocab)
    free += sorted(set().union(*(_scalars(x) for x in finish_exprs)) - set(acc), key=str)
    finish = f"_finish_{kern.name}__{link_tag}"
    if finish not in chunks:
        chunks[finish] = _lambdify_source(finish, acc + free, finish_exprs)
    return {
        "block": block, "finish": finish, "rows": repr(_names(row_args)),
        "shared": repr(_names(shared)), "finish_args": repr(_names(free)),
        "count": repr(str(vocab.count)), "outputs": repr(tuple(o.output for o in outputs)),
        "transposed": repr(tuple(transposed)),
    }


def _direct_variant(kern: Kernel, variant: Variant, chunks: dict[str, str]) -> dict[str, str]:
    outputs = kern.running(variant)
    forms = [o.form for o in outputs]
    args = _matrices(forms, kern.vocabulary)
    args += sorted(set().union(*(_scalars(f) for f in forms)), key=str)
    name = f"_direct_{kern.name}__{_tag(variant)}"
    chunks[name] = _lambdify_source(name, args, forms, batched=True)
    return {"direct": name, "args": repr(_names(args)),
            "outputs": repr(tuple(o.output for o in outputs))}


def _kernels(names: list[str] | None = None) -> list[Kernel]:
    return [kern for name, (_, kern) in KERNELS.items() if names is None or name in names]


def generated_functions(kernels: list[str] | None = None) -> GeneratedSource:
    """Source of the generated functions of ``kernels`` (default: every family's) and of
    ``TABLE``, which indexes them."""
    chunks: dict[str, str] = {}
    table: list[str] = []
    for kern in _kernels(kernels):
        for variant in kern.variants():
            rows = any(o.form.has(*kern.vocabulary.rows) for o in kern.running(variant))
            make = _row_sum_variant if rows else _direct_variant
            entry = make(kern, variant, chunks)
            entry["links"] = repr(tuple(o.name for o in kern.linked(variant)))
            fields = ", ".join(f"{key!r}: {val}" for key, val in entry.items())
            table.append(f"    ({kern.name!r}, {variant!r}): {{{fields}}},")
    names = tuple(o.name for kern in _kernels(kernels) for o in kern.outputs)
    text = "\n\n".join(c.strip() for c in chunks.values())
    text += "\n\n\n# Each kernel's call variants and the generated functions that serve them.\n"
    text += "TABLE = {\n" + "\n".join(table) + "\n}"
    return GeneratedSource(text, names)


def _body(module: types.ModuleType) -> str:
    """A module's source without its docstring, ``from __future__`` and derive imports
    (the emitted module has its own header; the runtime comes first in it)."""
    src = inspect.getsource(module)
    src = re.sub(r'^""".*?"""\n', "", src, count=1, flags=re.S)
    return "".join(
        line for line in src.splitlines(keepends=True)
        if not line.startswith(("from __future__ ", "from derive", "import derive", "__all__"))
    )


def _binds(kernels: list[str] | None = None) -> str:
    """Each kernel's ``bind`` (copied from its family) and its public function."""
    out = []
    for kern in _kernels(kernels):
        src = inspect.getsource(kern.bind)
        src = src.replace(f"def {kern.bind.__name__}(", f"def _bind_{kern.name}(", 1)
        out.append(src.strip())
        out.append(f"{kern.name} = public(TABLE, {kern.name!r}, _bind_{kern.name})")
    return "\n\n\n".join(out)


def module_source(
    header: str = '"""Generated kernels (derive)."""\n', kernels: list[str] | None = None
) -> str:
    """The whole self-contained module: header, runtime, generated functions and their
    table, the driver, the public functions (of ``kernels``; default every family's)."""
    gen = generated_functions(kernels)
    return (
        header
        + _body(runtime)
        + "\n\n# --- Generated by lambdify from the proven matrix forms ---\n\n"
        + gen.text
        + "\n\n\n# --- Driver glue (derive/kernels/driver.py; the arithmetic is in the generated"
        + " code) ---\n"
        + _body(driver)
        + "\n\n# --- Public kernels: each family's bind function, then the kernel ---\n\n"
        + _binds(kernels)
        + "\n"
    )
# --------------------------------------------------------------------------------------
# The module derive itself runs (:mod:`derive.kernels.bundle` caches it): the emitted text
# plus each family's argument handling (``check``, ``params``, ``bind``), copied from the
# family so that a call from the cache needs neither SymPy nor the family modules.

# What copied argument handling may read besides its own family's functions.
_ALLOWED = {"numpy": "import numpy", "numbers": "import numbers",
            "math": "import math", "validate": "from derive.declare import validate",
            "DeriveError": "from derive.errors import DeriveError"}


def _allowed_object(name: str) -> object:
    import math
    import numbers

    import numpy

    return {"numpy": numpy, "numbers": numbers, "math": math, "validate": validate,
            "DeriveError": DeriveError}[name]


def _global_names(code: types.CodeType) -> set[str]:
    names = {ins.argval for ins in dis.get_instructions(code)
             if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _closure(fns: list) -> list:
    """``fns`` and the functions of their own module they read, in source order; a read
    of anything else but :data:`_ALLOWED` and builtins is an error (it would not exist
    where the copy runs)."""
    found: dict[str, types.FunctionType] = {}
    todo = list(fns)
    while todo:
        fn = todo.pop()
        if fn.__name__ in found:
            continue
        found[fn.__name__] = fn
        if fn.__code__.co_freevars:
            raise ValueError(
                f"{fn.__module__}.{fn.__qualname__} reads {fn.__code__.co_freevars[0]!r} from"
                " an enclosing function: a kernel's argument handling must be module-level")
        for name in sorted(_global_names(fn.__code__)):
            obj = fn.__globals__.get(name, getattr(builtins, name, None))
            if name in _ALLOWED and obj is _allowed_object(name):
                continue
            if name not in fn.__globals__ and hasattr(builtins, name):
                continue
            if isinstance(obj, types.FunctionType) and obj.__module__ == fn.__module__:
                todo.append(obj)
                continue
            raise ValueError(
                f"{fn.__module__}.{fn.__qualname__} reads {name!r}: a kernel's argument"
                f" handling may read only its module's functions, {', '.join(_ALLOWED)}"
            )
    return sorted(found.values(), key=lambda f: f.__code__.co_firstlineno)


def _family_sections(kernels: list[Kernel]) -> str:
    """One factory per family module returning its kernels' argument handling, then
    ``KERNEL_INFO`` (per kernel: ``bind``, ``check``, ``params``, ``rows``, ``finite``,
    ``logits``) and ``LINK_FORMS`` (each link's form key, as the verdict cache keeps it)."""
    by_module: dict[str, list[Kernel]] = {}
    for kern in kernels:
        by_module.setdefault(kern.bind.__module__, []).append(kern)
    out = ["import builtins as _builtins  # noqa: F401", *dict.fromkeys(_ALLOWED.values()), ""]
    out.append(_UNDENT)
    info = []
    for module, kerns in by_module.items():
        fns = [f for k in kerns for f in (k.bind, k.check, k.params) if f is not None]
        body = "\n\n".join(textwrap.dedent(inspect.getsource(f)).strip() for f in _closure(fns))
        factory = "_family_" + re.sub(r"\W", "_", module)
        ret = ", ".join(
            f"{k.name!r}: ({k.bind.__name__}, {k.check.__name__},"
            f" {k.params.__name__ if k.params else None})" for k in kerns)
        out.append(f"def {factory}():\n{textwrap.indent(body, '    ')}\n\n"
                   f"    return _undent({{{ret}}})\n")
        for k in kerns:
            info.append(
                f"    {k.name!r}: dict(zip(('bind', 'check', 'params'), {factory}_all[{k.name!r}]),"
                f" rows={k.rows!r}, finite={k.finite!r}, logits={k.logits!r}),")
        out.append(f"{factory}_all = {factory}()\n")
    out.append("KERNEL_INFO = {\n" + "\n".join(info) + "\n}\n")
    forms = {o.name: form_key_of(LINKS[o.name]) for k in kernels for o in k.outputs}
    out.append("LINK_FORMS = {\n" + "\n".join(f"    {n!r}: {f!r}," for n, f in forms.items())
               + "\n}\n")
    return "\n\n".join(out)


# Copied functions sit one level deeper (inside their family's factory): their docstrings
# are given back the indentation they had in the family module.
_UNDENT = '''def _undent(table):
    for fns in table.values():
        for fn in fns:
            if fn is not None and fn.__doc__:
                fn.__doc__ = fn.__doc__.replace("\\n    ", "\\n")
    return table
'''


def internal_source() -> str:
    """The module derive runs: :func:`module_source` (every family's kernels) and each
    family's argument handling (see :func:`_family_sections`)."""
    kernels = _kernels()
    return (module_source(kernels=[k.name for k in kernels])
            + "\n\n# --- Argument handling, copied from the families ---\n\n"
            + _family_sections(kernels))
