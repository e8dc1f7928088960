"""``derive bench``'s startup figures: the import excess compares imports that load the
same NumPy (``import derive.kernels`` is lazy and imports none), paired within a round."""

from __future__ import annotations

from derive.kernels import bench


def _fake(monkeypatch, cost):
    """``_wall`` and ``_first_call`` replaced: ``cost(name, first)`` ms for a process of
    import ``name``, ``first`` when it is the first process after a first call (the first
    of its round); the modules each import loads as the real ones do."""
    loads = {"numpy": {"numpy": True, "sympy": False},
             "derive_kernels": {"numpy": False, "sympy": False},
             "loss_and_grad": {"numpy": True, "sympy": False}}
    by_code = {code: name for name, code in bench.IMPORTS.items()}
    since = [0]

    def wall(code):
        since[0] += 1
        name = by_code[code]
        return cost(name, since[0] == 1), dict(loads[name])

    def first_call():
        since[0] = 0
        return {"import_ms": 1.0, "first_call_ms": 5.0, "sympy_imported": False}

    monkeypatch.setattr(bench, "_wall", wall)
    monkeypatch.setattr(bench, "_first_call", first_call)


def test_import_excess_is_ready_to_call_minus_numpy_not_the_lazy_import(monkeypatch):
    base = {"numpy": 100.0, "derive_kernels": 20.0, "loss_and_grad": 130.0}
    _fake(monkeypatch, lambda name, first: base[name])
    s = bench.startup(rounds=3)
    assert s["import_excess_ms"] == 30.0  # loss_and_grad − numpy, both load NumPy
    assert s["lazy_import_minus_numpy_ms"] == -80.0  # the old, meaningless subtraction
    assert s["imports"]["loss_and_grad"]["numpy_imported"] is True
    assert s["imports"]["derive_kernels"]["numpy_imported"] is False
    assert s["first_call_warm_cache"]["ms"] == 5.0
    text = "\n".join(bench._startup_lines(s))
    assert "from derive.kernels import loss_and_grad" in text and "import excess 30.0" in text


def test_import_excess_rotates_the_order_and_pairs_each_round(monkeypatch):
    # The first process of a round is 500 ms slower (caches the first call disturbed).
    # Rotating the order gives that place to each import in turn; always first, numpy
    # alone would pay it and the excess would come out -470 ms.
    base = {"numpy": 100.0, "derive_kernels": 20.0, "loss_and_grad": 130.0}
    _fake(monkeypatch, lambda name, first: base[name] + (500.0 if first else 0.0))
    s = bench.startup(rounds=3)
    assert s["import_excess_ms"] == 30.0
    assert s["python_c_import_numpy"] == {"ms": 100.0, "min_ms": 100.0, "max_ms": 600.0}


def test_the_compared_imports_load_what_the_excess_assumes():
    # Real processes: the ready-to-call import loads NumPy (as `import numpy` does) and,
    # with a warm verdict cache, no SymPy; `import derive.kernels` alone loads neither.
    bench._wall(bench.IMPORTS["loss_and_grad"])  # warms the verdict cache
    assert bench._wall(bench.IMPORTS["loss_and_grad"])[1] == {"numpy": True, "sympy": False}
    assert bench._wall(bench.IMPORTS["numpy"])[1] == {"numpy": True, "sympy": False}
    assert bench._wall(bench.IMPORTS["derive_kernels"])[1] == {"numpy": False, "sympy": False}
