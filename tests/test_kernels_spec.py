"""The kernels layer reads the families' declarations: no family named in it, no import
cycle, public functions and ``__all__`` derived from the rows, the driver's table."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import derive.kernels
from derive.declare.spec import ExprTarget, Kernel, Output, matches
from derive.kernels import api, driver, links
from derive.kernels.generate import module_source
from derive.models import FAMILIES

KERNELS_DIR = Path(derive.kernels.__file__).parent


@pytest.mark.parametrize("path", sorted(KERNELS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_the_kernels_layer_imports_no_family_module(path):
    families = {f"derive.models.{m.stem}" for m in (KERNELS_DIR.parent / "models").glob("*.py")}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    assert sorted(found & families) == []


@pytest.mark.parametrize("first", ["derive.declare.spec", "derive.models.softmax",
                                   "derive.models", "derive.kernels.api", "derive.kernels"])
def test_no_import_cycle_whatever_is_imported_first(first):
    code = (f"import {first}\nimport derive.kernels as k\n"
            "print(' '.join(k.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "loss_and_grad" in out.stdout.split()


def test_public_names_are_the_families_kernels():
    declared = {kern.name for fam in FAMILIES for kern in fam.kernels}
    assert set(api.KERNELS) == declared
    assert set(derive.kernels.__all__) == declared | {"check_report", "fd_error_curve",
                                                      "matrix_links"}
    for name in declared:
        fn = getattr(derive.kernels, name)
        assert fn.__name__ == name and fn.__doc__ == api.KERNELS[name].bind.__doc__
    with pytest.raises(AttributeError):
        derive.kernels.no_such_kernel  # noqa: B018


def test_every_row_has_a_link_and_every_variant_generated_code():
    src = module_source()
    for fam in FAMILIES:
        for kern in fam.kernels:
            assert f"{kern.name} = public(TABLE, {kern.name!r}" in src
            for row in kern.outputs:
                assert links.LINKS[row.name].family == fam.name
            for variant in kern.variants():
                assert repr((kern.name, variant)) in src


def test_a_row_of_another_kernel_is_refused():
    row = Output("r", "other", "value", sp.Integer(0), (1, 1), ExprTarget(lambda: sp.Integer(0)),
                 "0")
    with pytest.raises(ValueError, match="name another kernel"):
        Kernel("mine", lambda: None, lambda: {}, (row,), api.KERNELS["hvp"].vocabulary)


def test_variant_matching_and_the_gate_of_a_call():
    assert matches((("bias", True),), (("bias", True), ("encoding", "labels")))
    assert not matches((("bias", True),), (("bias", False),))
    assert not matches((("bias", True),), ())
    names = [link.name for link in links.gate_links("loss_and_grad", {
        "reduction": "sum", "bias": False, "encoding": "labels"})]
    assert names == ["loss_sum", "grad_sum"]


def test_the_driver_looks_calls_up_in_the_table_only():
    table = {("k", (("v", 1),)): {"direct": lambda a: [a.sum(axis=0, keepdims=True), a],
                                  "args": ("a",), "outputs": ("s", "a")}}
    s, a = driver.run(table, "k", ({"v": 1}, {"a": np.ones((2, 1))}, {"s": ()}))
    assert s == 2.0 and np.ndim(s) == 0 and a.shape == (2, 1)
    with pytest.raises(ValueError, match="no generated variant"):
        driver.run(table, "k", ({"v": 2}, {"a": np.ones(1)}, {}))
