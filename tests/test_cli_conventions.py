"""The conventions of the tools users run beside derive: exit codes (one test per code),
``--version``, Ctrl-C, ``--format github``, stdin, ``[tool.derive]``, the pytest plugin on
folders, progress only on a terminal, ``--help``. Exit codes, stdin and Ctrl-C are tested
through a subprocess, as a shell or CI sees them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from derive.cli import INTERRUPTED, main
from derive.latex.cli import ALL_PROVED, INPUT_ERROR, REFUTED, UNKNOWN

from .cpu_timing import cpu_seconds_of_group
from .source_tree import source_file

PROVED_NOTES = "% derive: scalar a\n$$ (a+1)^2 = a^2 + 2 a + 1 $$\n"
SLIP_NOTES = ("% derive: scalar a\n% derive: scalar b\n$$ (a+b)^2 = a^2 + 2 a b + b^2 $$\n"
              "$$ (a+b)^2 = a^2 + b^2 $$\n")
UNKNOWN_NOTES = "% derive: scalar a\n$$ (a+1)^2 = a^2 + 2 a + 1 $$\n$$ \\foo{a} = a $$\n"


def derive(*args: str, cwd=None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def notes(tmp_path):
    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


# --- exit codes: one test per code --------------------------------------------------------

def test_exit_0_when_every_step_is_proved(notes):
    out = derive("verify", notes("a.md", PROVED_NOTES))
    assert out.returncode == ALL_PROVED == 0, out.stdout + out.stderr
    assert "1 proved" in out.stdout


def test_exit_0_with_a_note_when_there_is_nothing_to_check(notes):
    out = derive("verify", notes("prose.md", "# Notes\n\nOnly prose, no maths.\n"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "note:" in out.stderr and "nothing to check" in out.stderr


def test_exit_1_when_a_step_is_refuted(notes):
    # an unknown beside the refuted step does not lower the code to 3
    out = derive("verify", notes("slip.md", SLIP_NOTES), notes("u.md", UNKNOWN_NOTES))
    assert out.returncode == REFUTED == 1, out.stdout + out.stderr
    assert "refuted" in out.stdout


def test_exit_3_when_only_unknown_steps_are_left(notes):
    out = derive("verify", notes("u.md", UNKNOWN_NOTES))
    assert out.returncode == UNKNOWN == 3, out.stdout + out.stderr
    assert "1 proved, 0 refuted, 1 unknown" in out.stdout


def test_exit_2_on_usage_or_input_error(notes, tmp_path):
    missing = derive("verify", str(tmp_path / "missing.md"))
    assert missing.returncode == INPUT_ERROR == 2
    assert missing.stderr.count("\n") == 1 and "file not found" in missing.stderr
    assert derive("verify", "--no-such-flag").returncode == 2


def test_the_readme_table_lists_every_code():
    text = source_file("README.md").read_text(encoding="utf-8")
    for code, word in ((0, "proved"), (1, "refuted"), (2, "error"), (3, "unknown"), (130, "C")):
        assert re.search(rf"^\| `{code}` \|.*{word}", text, re.M), code


# --- --version, --help --------------------------------------------------------------------

def test_version(capsys):
    from derive import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"derive {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


def test_help_says_what_each_command_and_a_bare_derive_do(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "``" not in text and "Command line:" not in text  # no leaked docstring
    assert "./reports/" in text and "bare `derive`" in text
    for command in ("check", "verify", "kernels", "bench", "report"):
        assert re.search(rf"^    {command} +\S", text, re.M), command
        with pytest.raises(SystemExit):
            main([command, "--help"])
        sub = capsys.readouterr().out
        description = sub.split("\n\n")[1]  # the paragraph after the usage
        assert not description.lstrip().startswith(("-h", "positional", "options")), command
        assert "``" not in sub, command


# --- Ctrl-C -----------------------------------------------------------------------------

SLOW = [
    ("derive",),  # the main job
    ("check", "--no-cache"),  # a warm proof cache answers in about a second
    ("kernels", "--check"),
    ("report", "--no-pdf", "--out", "r"),
    ("bench", "--no-extras", "--n", "20000", "--k", "10", "--rounds", "5"),
    ("verify", "--corpus", "-j", "2"),  # worker processes too
]


@pytest.mark.parametrize("command", SLOW, ids=lambda c: c[0])
def test_ctrl_c_exits_130_with_one_line(command, tmp_path):
    args = [] if command == ("derive",) else list(command)
    # a terminal's Ctrl-C signals the whole foreground process group: so does this test
    proc = subprocess.Popen([sys.executable, "-m", "derive", *args], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    # Ctrl-C once the command is at work: 1 s of its group's CPU (past its imports, about
    # 0.6 s, whatever the machine's load), at most 120 s. Not a fixed wall time: `check
    # --no-cache` takes about 3.5 s of CPU on a quiet machine, and a 3 s wait before the
    # signal made the test a race with the command's own end
    time.sleep(0.2)
    deadline = time.monotonic() + 120
    while (proc.poll() is None and time.monotonic() < deadline
           and cpu_seconds_of_group(proc.pid) < 1.0):
        time.sleep(0.05)
    assert proc.poll() is None, "the command ended before Ctrl-C: the test needs a slower one"
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == INTERRUPTED == 130, err
    assert err == "derive: interrupted (Ctrl-C)\n", err


def test_ctrl_c_inside_code_run_from_a_string_still_exits_130(tmp_path):
    """SymPy parses with eval, dataclasses are made with exec: an interrupt that leaves such
    code made ``python -m derive`` die by SIGINT (-2) after printing its line."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "__main__.py").write_text(
        "import derive.cli\n\n"
        "def interrupted(argv):\n"
        "    exec('import os, signal; os.kill(os.getpid(), signal.SIGINT); "
        "[0 for _ in range(10**8)]')\n\n"
        "derive.cli._run = interrupted\n"
        "raise SystemExit(derive.cli.main([]))\n")
    out = subprocess.run([sys.executable, "-m", "probe"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert (out.returncode, out.stderr) == (130, "derive: interrupted (Ctrl-C)\n")


# --- --format github --------------------------------------------------------------------

def test_format_github_annotates_refuted_and_unknown_steps(notes):
    slip, unk = notes("slip.md", SLIP_NOTES), notes("u.md", UNKNOWN_NOTES)
    out = derive("verify", "--format", "github", slip, unk)
    lines = out.stdout.splitlines()
    errors = [ln for ln in lines if ln.startswith("::error ")]
    warnings = [ln for ln in lines if ln.startswith("::warning ")]
    assert errors == [ln for ln in errors if ln.startswith(f"::error file={slip},line=4,col=")]
    assert len(errors) == 1 and "refuted" in errors[0] and "%0Acounterexample" in errors[0]
    assert len(warnings) == 1 and warnings[0].startswith(f"::warning file={unk},line=3,")
    assert not any("proved" in ln for ln in errors + warnings)
    assert out.returncode == 1


def test_json_and_format_json_agree_and_conflicting_formats_are_refused(notes):
    path = notes("a.md", PROVED_NOTES)
    def steps(*flags: str) -> list:
        return [{k: v for k, v in r.items() if k != "seconds"}
                for r in json.loads(derive("verify", *flags, path).stdout)]

    assert steps("--json") == steps("--format", "json") != []
    bad = derive("verify", "--json", "--format", "github", path)
    assert bad.returncode == 2 and "--json and --format github" in bad.stderr


# --- stdin --------------------------------------------------------------------------------

def test_stdin_is_read_as_markdown_by_default_and_named_stdin():
    out = derive("verify", "-", "--format", "json", stdin=SLIP_NOTES)
    assert out.returncode == 1, out.stderr
    assert "derive-stdin" not in out.stdout + out.stderr  # the temporary file never shows
    assert {r["file"] for r in json.loads(out.stdout)} == {"<stdin>"}
    explain = derive("verify", "--explain", "-", stdin="$$\\sum_{k=1}^{K} y_k = 1$$\n")
    assert explain.stdout.startswith("<stdin>: ") and "derive-stdin" not in explain.stdout


def test_stdin_as_tex_and_errors_name_stdin():
    tex = "% derive: scalar a\n\\[ (a+1)^2 = a^2 + 2 a + 1 \\]\n"
    assert derive("verify", "-", "--stdin-format", "tex", stdin=tex).returncode == 0
    bad = derive("verify", "-", stdin="% derive: \n$$ a = a $$\n")
    assert bad.returncode == 2 and bad.stderr.startswith("derive: error: <stdin>:1:"), bad.stderr


# --- [tool.derive] ------------------------------------------------------------------------

def test_tool_derive_gives_paths_and_defaults_and_flags_win(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "slip.md").write_text(SLIP_NOTES)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.derive]\npaths = ["notes"]\nformat = "github"\n')
    sub = tmp_path / "notes"  # looked up from the current folder upward
    out = derive("verify", cwd=sub)
    assert out.returncode == 1 and out.stdout.startswith("::error file="), out.stdout + out.stderr
    flag = derive("verify", "--format", "text", cwd=sub)
    assert "refuted" in flag.stdout and "::error" not in flag.stdout
    named = derive("verify", str(tmp_path / "notes" / "slip.md"), "--format", "json", cwd=sub)
    assert named.stdout.lstrip().startswith("[")


@pytest.mark.parametrize("table, key", [('pahts = ["notes"]', "pahts"), ("jobs = 0", "jobs"),
                                        ('format = "xml"', "format")])
def test_a_bad_tool_derive_key_names_the_key_and_the_file(tmp_path, table, key):
    (tmp_path / "pyproject.toml").write_text(f"[tool.derive]\n{table}\n")
    out = derive("verify", "x.md", cwd=tmp_path)
    assert out.returncode == 2
    assert f"'{key}'" in out.stderr and str(tmp_path / "pyproject.toml") in out.stderr
    assert out.stderr.count("\n") == 1


# --- the pytest plugin on folders ---------------------------------------------------------

def test_pytest_collects_the_notes_under_a_folder_given_on_the_command_line(tmp_path):
    folder = tmp_path / "notes" / "week1"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(PROVED_NOTES)
    (tmp_path / "notes" / "slip.tex").write_text(SLIP_NOTES)
    (tmp_path / "notes" / "README.md").write_text("Prose only.\n")  # collects nothing
    (tmp_path / "other.md").write_text(SLIP_NOTES)  # not under the folder given
    out = subprocess.run([sys.executable, "-m", "pytest", "notes", "-q", "-p",
                          "no:cacheprovider", "-o", "addopts="], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert "1 failed, 2 passed" in out.stdout, out.stdout + out.stderr
    assert "slip.tex::line4-chain2-step1" in out.stdout


# --- progress only on a terminal ----------------------------------------------------------

def test_bench_prints_progress_only_on_a_terminal(monkeypatch, capsys):
    import derive.kernels.bench as bench_module

    seen = []

    def fake_run(**kw):
        seen.append(kw["progress"])
        if kw["progress"]:
            kw["progress"]("round 1")
        raise SystemExit(0)

    monkeypatch.setattr(bench_module, "run", fake_run)
    for tty in (False, True):
        monkeypatch.setattr(sys.stderr, "isatty", lambda tty=tty: tty, raising=False)
        with pytest.raises(SystemExit):
            main(["bench", "--no-extras"])
    assert seen[0] is None and seen[1] is not None
    assert capsys.readouterr().err == "round 1\n"


# --- pre-commit ---------------------------------------------------------------------------

def test_pre_commit_hook_definition():
    text = source_file(".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: derive-verify$", text, re.M)
    assert re.search(r"^  entry: derive verify$", text, re.M)
    files = re.search(r"^  files: (.+)$", text, re.M).group(1).strip().strip("'\"")
    assert [bool(re.search(files, n)) for n in ("a.tex", "b.md", "c.ipynb", "d.py", "e.mdx")] \
        == [True, True, True, False, False]
