"""Maths wherever people put it in Markdown: the delimiter table (derive.latex.sources.
delimiters, for raw HTML) and the Markdown reader's own delimiters (derive.latex.sources.
markdown). Each row: a text, and the formulas that must be read from it (line, body), or none.
Verdict rows decide their truth by evaluating both sides at numbers, not by derive."""

from __future__ import annotations

import itertools
import math

import pytest

import derive
from derive.errors import DeriveError
from derive.latex.sources import delimiters
from derive.latex.sources.markdown import read as read_md


def _read(text: str) -> list[tuple[int, str]]:
    return [(s.line, " ".join(s.text.split())) for s in read_md(text, "n.md").segments]


# (name, text, formulas read: (the line where the body starts, body))
READ = [
    # $$…$$ alone in its paragraph: a display
    ("dollars-alone", "Text.\n\n$$a = 2b$$\n", [(3, "a = 2b")]),
    # $$ on its own line right after a sentence (no blank line) opens a display
    ("dollars-interrupt", "The loss is\n$$\na = 2b\n$$\nwhere b is given.\n", [(2, "a = 2b")]),
    # ... but not when it closes a $$ opened earlier in that paragraph (kramdown's inline
    # maths over several lines): one formula, and no display left open
    ("dollars-close-pending", "Derivative: $$g(u) = 2u\n\\cdot u\n$$\n\nMore.\n",
     [(1, "g(u) = 2u \\cdot u")]),
    ("dollars-close-pending-then-display",
     "Derivative: $$g(u) =\n2u\n$$\nand\n$$\na = 2b\n$$\n", [(1, "g(u) = 2u"), (5, "a = 2b")]),
    # an even count before it (a closed $$…$$ earlier in the paragraph): it opens a display
    ("dollars-interrupt-after-inline", "With $$g = 2h$$ the loss is\n$$\na = 2b\n$$\n",
     [(1, "g = 2h"), (2, "a = 2b")]),
    # $$ wrapping an environment: the environment's body
    ("dollars-env", "The loss is\n$$\n\\begin{align}\na &= 2b \\\\\n&= b + b\n\\end{align}\n$$\n",
     [(3, "a &= 2b \\\\ &= b + b")]),
    ("bracket-env", "\\[\n\\begin{equation}\na = 2b\n\\end{equation}\n\\]\n", [(2, "a = 2b")]),
    # $$…$$ inside prose (kramdown's inline maths): a name or a condition is not read ...
    ("dollars-prose-name", "The $$i$$th output $$s(\\mathbf x)_i$$ is, where $$j \\neq i$$.\n", []),
    # ... an equation is
    ("dollars-prose-step", "Costs $$g = 2h$$ inline.\n", [(1, "g = 2h")]),
    # the other Markdown delimiters: $…$, \(…\), \[…\], a bare environment
    ("dollar-alone", "Text.\n\n$a = 2b$\n", [(3, "a = 2b")]),
    ("dollar-step", "so $a = 2b$ holds\n", [(1, "a = 2b")]),
    ("dollar-name", "the $x_i$ entry and $i = 1, \\dots, n$\n", []),
    ("paren-step", "so \\(a = 2b\\) holds\n", [(1, "a = 2b")]),
    ("paren-name", "the \\(x_i\\) entry\n", []),
    ("bracket", "so \\[a = 2b\\] holds\n", [(1, "a = 2b")]),
    ("bare-env", "Text.\n\n\\begin{align}\na &= 2b\n\\end{align}\n", [(3, "a &= 2b")]),
    ("bare-alignat", "Text.\n\n\\begin{alignat}{2}\na &= 2b\n\\end{alignat}\n", [(3, "a &= 2b")]),
    ("bare-flalign", "Text.\n\n\\begin{flalign*}\na &= 2b\n\\end{flalign*}\n", [(3, "a &= 2b")]),
    # raw HTML: MathJax's script tags
    ("script-display", '<script type="math/tex; mode=display">\na = 2b\n</script>\n',
     [(1, "a = 2b")]),
    ("script-display-aligned", '<script type="math/tex; mode=display"> \\begin{aligned}\n'
     'a &= 2b \\\\[1.6em]\n&= b + b\n\\end{aligned} </script>\n',
     [(1, "\\begin{aligned} a &= 2b \\\\[1.6em] &= b + b \\end{aligned}")]),
    ("script-inline-step", '<div><script type="math/tex">a = 2b</script> holds</div>\n',
     [(1, "a = 2b")]),
    ("script-inline-name", '<div>the <script type="math/tex">x_i</script> entry</div>\n', []),
    # a script tag inside a Markdown paragraph (CommonMark's inline HTML)
    ("paragraph-script-step", 'So <script type="math/tex">a = 2b</script> holds.\n', [(1, "a = 2b")]),
    ("paragraph-script-name", 'The <script type="math/tex">x_i</script> entry.\n', []),
    ("paragraph-script-display", 'So\n<script type="math/tex; mode=display">x_i</script> is.\n',
     [(2, "x_i")]),
    # raw HTML: \( \), \[ \], $$ $$ and environments
    ("html-paren", "<div>\n  \\(z=w x+b\\) \\(y=\\sigma(z)\\)\n</div>\n",
     [(2, "z=w x+b"), (2, "y=\\sigma(z)")]),
    ("html-paren-name", "<div>the weight \\(w\\) and \\(i = 1, \\dots, n\\)</div>\n", []),
    ("html-bracket", "<div>\\[a = 2b\\]</div>\n", [(1, "a = 2b")]),
    ("html-dollars", "<div>\n$$a = 2b$$\n</div>\n", [(2, "a = 2b")]),
    ("html-env", "<div>\n\\begin{equation}a = 2b\\end{equation}\n</div>\n", [(2, "a = 2b")]),
    # never read: code, escaped dollars, prices, HTML code/pre/comments, other scripts
    ("code-span", "Inline `$$a = 2b$$` and `\\(c = 2d\\)` code.\n", []),
    ("code-fence", "```\n$$a = 2b$$\n\\(c = 2d\\)\n```\n", []),
    ("html-code-fence", "```html\n<div>\\(a = 2b\\)</div>\n```\n", []),
    ("escaped", "It costs \\$5 and \\$6 = 11 total.\n", []),
    ("price", "It costs $5 and $6 today.\n", []),
    ("html-price", "<div>It costs $5 and $6 = $11 today.</div>\n", []),
    ("html-escaped", "<div>It costs \\$\\$5 = 5</div>\n", []),
    ("html-pre", "<pre>\\(a = 2b\\)</pre>\n", []),
    ("html-code", "<div><code>\\(a = 2b\\)</code></div>\n", []),
    ("html-comment", "<div><!-- \\(a = 2b\\) --></div>\n", []),
    ("html-script-js", "<script>\nvar s = '\\\\(a = 2b\\\\)';\n</script>\n", []),
]


@pytest.mark.parametrize("name,text,want", READ, ids=[r[0] for r in READ])
def test_what_is_read(name: str, text: str, want: list[tuple[int, str]]) -> None:
    assert _read(text) == want


# (name, text, the located message expected)
UNCLOSED = [
    ("html-paren", "Intro.\n\n<div>\\(a = 2b</div>\n", r"n\.md:3:6: .*'\\\\\(' .*'\\\\\)'"),
    ("html-script", '<div>\n<script type="math/tex">a = 2b\n</div>\n', r"n\.md:2:1: .*'</script>'"),
    ("html-dollars", "<div>$$a = 2b</div>\n", r"n\.md:1:6: .*'\$\$'"),
    ("html-env", "<div>\\begin{align}a = 2b</div>\n", r"n\.md:1:6: .*'\\\\end\{align\}'"),
    ("paragraph-script", 'So <script type="math/tex">a = 2b holds.\n', r"n\.md:1:4: .*'</script>'"),
    ("markdown-dollars", "The loss is\n$$\na = 2b\n", r"n\.md:2:1: display math '\$\$' is never"),
]


@pytest.mark.parametrize("name,text,pattern", UNCLOSED, ids=[r[0] for r in UNCLOSED])
def test_an_unclosed_delimiter_is_a_located_error(name: str, text: str, pattern: str) -> None:
    with pytest.raises(DeriveError, match=pattern):
        read_md(text, "n.md")


def test_the_table_has_one_row_per_delimiter_and_each_row_is_exercised() -> None:
    names = [d.name for d in delimiters.DELIMITERS]
    assert len(names) == len(set(names))
    seen = {f.delimiter for _, text, _ in READ if text.lstrip().startswith("<")
            for f in delimiters.scan(text) if isinstance(f, delimiters.Found)}
    assert seen == set(names)


def test_display_or_inline_as_the_table_says() -> None:
    got = [(f.delimiter, f.display) for f in delimiters.scan(
        '<p>\\(a\\) <script type="math/tex">b</script></p>\n$$c$$\n<p>x $$d$$ y \\[e\\]</p>'
        '<p>x <script type="math/tex; mode=display">f</script></p>')
        if isinstance(f, delimiters.Found)]
    assert got == [("paren", False), ("script-inline", False), ("double-dollar", True),
                   ("double-dollar", False), ("bracket", True), ("script-display", True)]


# --- verdicts: truth by evaluating both sides at numbers ------------------------------------

def _holds(lhs, rhs) -> bool:  # type: ignore[no-untyped-def]
    return all(math.isclose(lhs(a, b), rhs(a, b), rel_tol=1e-9, abs_tol=1e-9)
               for a, b in itertools.product((-1.5, 0.5, 2.0, 3.0), repeat=2))


# (name, text, the step's line, lhs, rhs as Python functions of (a, b))
VERDICTS = [
    ("script-true", '<script type="math/tex; mode=display">\n(a+b)^2 = a^2 + 2ab + b^2\n</script>\n',
     2, lambda a, b: (a + b) ** 2, lambda a, b: a * a + 2 * a * b + b * b),
    ("script-false", '<script type="math/tex; mode=display">\n(a+b)^2 = a^2 + b^2\n</script>\n',
     2, lambda a, b: (a + b) ** 2, lambda a, b: a * a + b * b),
    ("html-paren-true", "<div>so \\((a+b)(a-b) = a^2 - b^2\\) holds</div>\n",
     1, lambda a, b: (a + b) * (a - b), lambda a, b: a * a - b * b),
    ("html-paren-false", "<div>so \\((a+b)(a-b) = a^2 + b^2\\) holds</div>\n",
     1, lambda a, b: (a + b) * (a - b), lambda a, b: a * a + b * b),
    # a spaced line break \\[1.6em] continues the chain: the second step is (a+b)^2 = ...
    ("spaced-break-true", "$$\n\\begin{aligned}\n(a+b)^2 &= a^2 + 2ab + b^2 \\\\[1.6em]\n"
     "&= b^2 + 2ba + a^2\n\\end{aligned}\n$$\n",
     4, lambda a, b: a * a + 2 * a * b + b * b, lambda a, b: b * b + 2 * b * a + a * a),
    ("spaced-break-false", "$$\n\\begin{aligned}\n(a+b)^2 &= a^2 + 2ab + b^2 \\\\[2pt]\n"
     "&= b^2 + a^2\n\\end{aligned}\n$$\n",
     4, lambda a, b: a * a + 2 * a * b + b * b, lambda a, b: b * b + a * a),
    ("env-in-dollars-true", "The square is\n$$\n\\begin{align}\n(a+b)^2 &= a^2 + 2ab + b^2\n"
     "\\end{align}\n$$\n", 4, lambda a, b: (a + b) ** 2, lambda a, b: a * a + 2 * a * b + b * b),
    ("env-in-dollars-false", "The square is\n$$\n\\begin{align}\n(a+b)^2 &= a^2 + 2b\n"
     "\\end{align}\n$$\n", 4, lambda a, b: (a + b) ** 2, lambda a, b: a * a + 2 * b),
]


@pytest.mark.parametrize("name,text,line,lhs,rhs", VERDICTS, ids=[r[0] for r in VERDICTS])
def test_verdicts_match_brute_force(name: str, text: str, line: int, lhs, rhs) -> None:  # type: ignore[no-untyped-def]
    got = [(r.line, r.verdict) for r in derive.verify_text(text)]
    want = "proved" if _holds(lhs, rhs) else "refuted"
    assert (line, want) in got, got


# --- s(x)_i: an entry of a call, or a product ------------------------------------------------

ENTRY = [
    # undeclared s: the entry of a call is not read, so the step is never refuted as a product
    ("undeclared", "$$ s(\\mathbf x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}} $$\n", "unknown"),
    ("undeclared-offdiag", "$$ \\frac{\\partial s(\\mathbf x)_i}{\\partial x_j} = "
     "- s(\\mathbf x)_i s(\\mathbf x)_j $$\n", "unknown"),
    # a scalar declared by hand multiplies: c (x)_i = c x_i (truth: c*x_i == c*x_i)
    ("declared-scalar", "<!-- derive: size n\n index i in 1..n\n tensor x_i\n scalar c -->\n"
     "$$ c(x)_i = c x_i $$\n", "proved"),
    ("declared-scalar-false", "<!-- derive: size n\n index i in 1..n\n tensor x_i\n scalar c -->\n"
     "$$ c(x)_i = c + x_i $$\n", "refuted"),
]


@pytest.mark.parametrize("name,text,want", ENTRY, ids=[r[0] for r in ENTRY])
def test_entry_of_a_call(name: str, text: str, want: str) -> None:
    got = [r.verdict for r in derive.verify_text(text)]
    assert got and set(got) == {want}, got


def test_a_display_that_ends_a_paragraph_is_one_block_token() -> None:
    """dollarmath's block rule pushes its token even when the paragraph only asks whether
    it would match; the reader's wrapper drops that token and restores the line, so each
    display is one token at its own place (after the paragraph it ends)."""
    from derive.latex.sources.markdown import _parser

    for text, maps in [("The loss is\n$$\na = 2b\n$$\n", [[0, 1], [1, 4]]),
                       ("Derivative: $$g =\n2u\n$$\nand\n$$\na = 2b\n$$\n", [[0, 4], [4, 7]])]:
        tokens = _parser().parse(text)
        got = [t.map for t in tokens if t.type in ("paragraph_open", "math_block")]
        assert got == maps, (text, got)
