"""The on-disk verdict cache: reused while engine source and forms are unchanged,
re-proved when either changes, ignored when corrupt, safe under concurrent writers,
and never trusted by ``derive kernels --check``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from derive.cli import main
from derive.errors import DeriveError
from derive.kernels import bundle, cache, generate, links

NAME = "grad_mean"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(links, "_RESULTS", {})
    return tmp_path


@pytest.fixture
def proofs(monkeypatch):
    """Count the engine's proofs of kernel links."""
    calls: list[str] = []
    real = links._prove

    def counting(link):
        calls.append(link.name)
        return real(link)

    monkeypatch.setattr(links, "_prove", counting)
    return calls


def _new_process(monkeypatch):
    monkeypatch.setattr(links, "_RESULTS", {})  # what a new process starts with


def test_a_proved_link_is_reused_by_a_new_process(proofs, monkeypatch):
    assert links.check(NAME).proved and proofs == [NAME]
    _new_process(monkeypatch)
    res = links.check(NAME)
    assert res.proved and proofs == [NAME], "taken from the disk, not proved again"
    assert "verdict cache" in res.verdict.note
    assert res.claim_verdict is not None and res.claim_verdict.status == "proved"


def test_a_changed_engine_source_proves_again(proofs, monkeypatch, tmp_path):
    src = tmp_path / "engine_extra.py"
    src.write_text("x = 1\n")
    real_sources = cache._sources
    monkeypatch.setattr(cache, "_sources", lambda: [*real_sources(), src])
    cache.engine_key.cache_clear()
    links.check(NAME)
    _new_process(monkeypatch)
    links.check(NAME)
    assert proofs == [NAME]
    src.write_text("x = 2\n")  # an edit to the engine
    cache.engine_key.cache_clear()
    _new_process(monkeypatch)
    links.check(NAME)
    assert proofs == [NAME, NAME]
    cache.engine_key.cache_clear()


def test_a_changed_form_proves_again_and_a_wrong_one_is_refused(proofs, monkeypatch):
    links.check(NAME)
    good = links.LINKS[NAME]
    wrong = links.Link(good.name, good.kernel, good.output, good.form * 2, good.indices,
                       good.target, good.claim, good.statement)  # same name, new form
    monkeypatch.setitem(links.LINKS, NAME, wrong)
    _new_process(monkeypatch)
    with pytest.raises(DeriveError, match=r"link 'grad_mean' .* is (refuted|unknown)"):
        links.require((wrong,))
    assert proofs == [NAME, NAME]
    _new_process(monkeypatch)  # not cached: refused again, by a new proof
    with pytest.raises(DeriveError):
        links.require((wrong,))
    assert proofs == [NAME, NAME, NAME]


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"\xff\xfe", b"[1, 2]",
                                     b'{"engine": "other", "links": {}}'])
def test_a_corrupt_or_foreign_file_is_ignored_and_replaced(proofs, monkeypatch, garbage):
    path = cache._path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(garbage)
    assert links.check(NAME).proved and proofs == [NAME]
    assert json.loads(path.read_text())["links"][NAME]["status"] == "proved"


def test_a_tampered_entry_is_ignored(proofs, monkeypatch):
    links.check(NAME)
    path = cache._path()
    data = json.loads(path.read_text())
    data["links"][NAME]["status"] = "refuted"  # only proved entries count
    data["module"] = "raise SystemExit('tampered')"  # its hash no longer matches
    path.write_text(json.dumps(data))
    _new_process(monkeypatch)
    assert links.check(NAME).proved and proofs == [NAME, NAME]
    assert cache.load()["module"] is None or "tampered" not in cache.load()["module"]


def test_the_generated_module_is_cached_with_its_hash(monkeypatch):
    bundle.reset()
    try:
        mod = bundle.module()
        text = cache.load()["module"]
        assert text == generate.internal_source() and hasattr(mod, "loss_and_grad")
        bundle.reset()
        monkeypatch.setattr(generate, "internal_source", lambda *a: pytest.fail("regenerated"))
        assert hasattr(bundle.module(), "loss_and_grad")  # from the cache
    finally:
        bundle.reset()


def test_kernels_check_always_proves_again(proofs, capsys):
    links.check(NAME)
    assert main(["kernels", "--check"]) == 0
    assert proofs.count(NAME) == 2 and len(set(proofs)) == len(links.LINKS)


def test_an_unwritable_cache_only_costs_time(proofs, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a folder should be
    assert links.check(NAME).proved


WRITER = textwrap.dedent(
    """
    import sys
    from derive.kernels import cache
    for i in range(40):
        cache.store(links={f"w{sys.argv[1]}_{i}": {"form": "f", "status": "proved",
                                                    "assumptions": []}})
        assert cache.load()["links"], "a read between writes sees a whole file"
    """
)


def test_concurrent_writers_leave_a_valid_file(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(w)], env=env,
                              stderr=subprocess.PIPE) for w in range(4)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read().decode()
    files = list((tmp_path / "derive").glob("kernels-*.json"))
    assert len(files) == 1 and not list((tmp_path / "derive").glob(".kernels-*"))
    data = json.loads(files[0].read_text())
    assert data["engine"] == cache.engine_key() and data["links"]  # whole and parsable


def test_the_engine_key_covers_the_engine_and_the_families():
    names = {(p.parent.name, p.name) for p in cache._sources()}
    assert ("algebra", "terms.py") in names and ("algebra", "sums.py") in names
    assert ("engine", "prover.py") in names
    assert ("models", "softmax.py") in names
