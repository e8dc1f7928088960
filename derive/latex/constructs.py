"""The construct registry: every LaTeX spelling derive reads, and what it means.

One table, :data:`REGISTRY`, maps a command name (without the backslash) to a
:class:`Construct`; :data:`ENVIRONMENTS` does the same for ``\\begin{..}`` names. The tokenizer
(:mod:`derive.latex.tokens`) consults it for every command it meets, so a new spelling of
something derive already understands is one entry here, in the spirit of markdown-it-py's
rule registry and sympy's ``_print_<Class>`` tables. The meanings:

``transparent``
    presentation only (spacing, size and style switches, ``\\nonumber``): it vanishes;
    ``arg`` says how many braced arguments vanish with it (``\\hspace{1em}``, ``\\label{..}``).
``unwrap``
    its braced argument is rows of the block, as in ``aligned`` (``\\eqalign{..}``).
``keep``
    a wrapper whose last braced argument is the math (``\\textcolor{red}{x}`` is ``x``).
``letter``
    a symbol that is a name (Greek letters and their variants, ``\\ell``, ``\\partial``).
``font``
    a font that keeps the symbol distinct (``\\mathbf{x}`` is a name of its own).
``text``
    a text-like argument: a function name, a one-letter symbol or an annotation.
``token``
    a grammar token: an operator, ``\\frac``, ``\\sum``, a known function.
``relation``
    a relation other than ``=`` (``\\le``, ``\\approx``, arrows): it separates two chains,
    whose ``=`` links are still checked; the link it makes is never a claim derive proves.
``unsupported``
    not read: the link around it is unknown, with ``reason`` saying what would make it
    readable.

>>> REGISTRY["quad"].meaning, REGISTRY["hspace"].args
('transparent', 1)
>>> lookup("varsigma").meaning
'letter'
>>> lookup("nosuchmacro").meaning
'unsupported'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ELEMENTWISE", "ENVIRONMENTS", "GRADIENTS", "IDENTITIES", "LABEL_WORDS",
           "LETTERWISE_FONTS", "LOG_BASES", "NUMBER_SETS", "REGISTRY", "UNKNOWN_OPERATORS",
           "UPRIGHT_MARKS", "Construct", "lookup", "names_with"]

SKIP_HINT = "mark the block with '% derive: skip <reason>'"
GENERIC_HINT = ("expected math such as \\frac, \\sum, \\log, \\exp, a Greek letter or a "
                "declared \\text{...} name; a macro of the notes' own needs its \\newcommand "
                "in the file")


@dataclass(frozen=True)
class Construct:
    """What one spelling means: ``meaning`` (see the module docstring), the grammar
    ``token`` it becomes (for ``token``/``letter``), the ``value`` that token carries when it
    is not the spelling itself, how many braced ``args`` it consumes, and for an unsupported
    construct the ``reason`` a user reads."""

    meaning: str
    token: str = ""
    value: str = ""
    args: int = 0
    reason: str = ""


def _many(names: str, construct: Construct) -> dict[str, Construct]:
    return dict.fromkeys(names.split(), construct)


_TRANSPARENT = Construct("transparent")
_LETTER = Construct("letter", "LETTER")
_RELATION = Construct("relation", "RELSEP")

#: arrows that join a premise to what follows from it ("2x - 4 = 0 \Rightarrow x = 2"): an
#: equation beside one may be an equation to solve or a hypothesis, not an identity, so its
#: failure as an identity is no refutation (derive.latex.verify_gates)
IMPLICATIONS = frozenset(
    "Rightarrow Longrightarrow implies iff impliedby Leftarrow Longleftarrow Leftrightarrow "
    "Longleftrightarrow rightarrow longrightarrow leftarrow longleftarrow leftrightarrow"
    .split())

REGISTRY: dict[str, Construct] = {
    # -- presentation: spacing, sizes, styles, numbering ------------------------------------
    # \quad between two equations separates them (derive.latex.tokens); in a term it is space
    **_many("quad qquad", Construct("transparent", token="QUAD")),
    **_many("displaystyle textstyle scriptstyle scriptscriptstyle nonumber notag "
            "therefore because cancel bcancel xcancel left right big Big bigg Bigg bigl "
            "bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm limits nolimits displaylimits "
            "underline small tiny scriptsize footnotesize normalsize large Large LARGE huge "
            "Huge rm it sf tt normalfont mathstrut strut enspace thinspace medspace thickspace "
            "negthinspace negmedspace negthickspace allowbreak relax", _TRANSPARENT),
    # their argument is no part of the formula: \phantom{x} is the room x takes, unseen
    **_many("hspace vspace phantom hphantom vphantom label tag mspace", Construct(
        "transparent", args=1)),
    # \color{red}{x} (MathJax: two arguments) or the switch \color{red} x (LaTeX)
    **_many("textcolor color", Construct("keep", args=2)),
    # plain TeX's aligned rows: \eqalign{ a &= b \\ &= c }
    **_many("eqalign eqalignno displaylines", Construct("unwrap")),
    # a frame around an equation: \boxed{a = b} is a = b
    **_many("boxed fbox", Construct("unwrap")),
    "colorbox": Construct("keep", args=2),
    "kern": Construct("transparent", value="dimen"),
    "mkern": Construct("transparent", value="dimen"),
    "mskip": Construct("transparent", value="dimen"),
    "hskip": Construct("transparent", value="dimen"),
    # -- names ------------------------------------------------------------------------------
    **_many("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa "
            "varkappa lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi "
            "varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
            "varGamma varDelta varTheta varLambda varXi varPi varSigma varUpsilon varPhi "
            "varPsi varOmega ell partial nabla prime top intercal", _LETTER),
    # an elision is one name the elaborator reads as "the terms in between"
    **_many("vdots cdots ldots ddots", _LETTER),
    "dots": Construct("letter", "LETTER", "\\ldots"),
    "dotsc": Construct("letter", "LETTER", "\\ldots"),
    "dotsb": Construct("letter", "LETTER", "\\cdots"),
    "dotsm": Construct("letter", "LETTER", "\\cdots"),
    "bigtriangledown": Construct("letter", "LETTER", "\\nabla"),
    "triangledown": Construct("letter", "LETTER", "\\nabla"),
    # fonts that keep the symbol a name of its own (\mathbf{x} is not x)
    **_many("mathbf boldsymbol bm vec mathbb mathcal mathit hat tilde bar", Construct("font")),
    # other decorations: each a name of its own (\overline{x} is neither x nor \bar{x}, and
    # \dot{x} is a name: derive never reads it as a time derivative)
    **_many("overline widehat widetilde dot ddot check breve acute grave", Construct("font")),
    "bf": Construct("font", value="mathbf"),  # {\bf x} is \mathbf{x}
    "bold": Construct("font", value="mathbf"),  # MathJax's \bold{x} is \mathbf{x}
    "pmb": Construct("font", value="boldsymbol"),
    # text-like: a function name, a one-letter symbol (^{\mathrm{T}}), or an annotation
    **_many("text textrm mathrm operatorname textit textbf mbox mathsf textsf texttt "
            "mathtt textnormal", Construct("text")),
    # -- grammar tokens ---------------------------------------------------------------------
    **_many("frac dfrac tfrac cfrac", Construct("token", "FRAC")),
    # plain TeX's infix fraction: {a \over b} is \frac{a}{b} (its braces are the fraction's
    # extent; derive.latex.tokens rewrites the group, or leaves the link unknown)
    "over": Construct("token", "OVER"),
    "sum": Construct("token", "SUM"), "prod": Construct("token", "PROD"),
    **_many("log ln exp", Construct("token", "FUNC")),
    **_many("cdot times ast", Construct("token", "MULOP")),
    "otimes": Construct("token", "OTIMES"), "odot": Construct("token", "ODOT"),
    **_many("neq ne", Construct("token", "NEQ")),
    "in": Construct("token", "IN"),
    # \langle u, v \rangle: an inner product
    "langle": Construct("token", "LANGLE"), "rangle": Construct("token", "RANGLE"),
    # "is defined as": an equation whose first member is a name defines it (derive.latex.infer)
    **_many("coloneqq triangleq equiv", Construct("token", "EQ")),
    "substack": Construct("token", "SUBSTACK"),
    **_many("overbrace underbrace", Construct("token", "OVERBRACE")),
    # -- relations other than '=': they separate chains ------------------------------------
    **_many("le leq ge geq lt gt leqslant geqslant approx propto sim simeq doteq to mapsto "
            "rightarrow Rightarrow longrightarrow Longrightarrow implies iff impliedby "
            "leftarrow Leftarrow Leftrightarrow leftrightarrow Longleftrightarrow "
            "longleftarrow Longleftarrow ll gg", _RELATION),
    # -- not read, with what would make the link readable ----------------------------------
    **_many("subset subseteq", Construct("unsupported", reason=(
        "set relations are not checked: " + SKIP_HINT))),
    **_many("pm mp", Construct("unsupported", reason=(
        "a sign written as ± is not read: write the two equations, or " + SKIP_HINT))),
    "sqrt": Construct("unsupported", reason=(
        "write the root as a power, z^{1/2}, or define it: "
        "\\newcommand{\\sqrt}[1]{(#1)^{1/2}}")),
    **_many("int iint oint", Construct("unsupported", reason=(
        "integrals are not checked: " + SKIP_HINT))),
    **_many("max min argmax argmin arg sup inf lim limsup liminf", Construct(
        "unsupported", reason="maxima, minima and limits are not checked: " + SKIP_HINT)),
    **_many("lVert rVert Vert", Construct("unsupported", reason="write a norm as \\| w \\|")),
    # |x|: an absolute value (derive.latex.tokens pairs the bars; a bar that pairs with
    # none stays the bar of p(y | x))
    "lvert": Construct("token", "ABSOPEN"), "rvert": Construct("token", "ABSCLOSE"),
    "vert": Construct("token", "MID"),
    "binom": Construct("unsupported", reason="binomial coefficients are not read: " + SKIP_HINT),
    "mathscr": Construct("unsupported", reason="write \\mathcal{X} for a script letter"),
}

#: decorated letters that are operators derive does not know, with what they are: a link
#: with one is unknown, naming it, never a product with a letter (``\\mathbb{E}[c] = c``
#: is true; read as a tensor E times c it would be refuted). The spelling is the
#: tokenizer's name for the decorated letter (derive.latex.tokens).
UNKNOWN_OPERATORS: dict[str, str] = {
    "\\mathbb{E}": "an expectation", "\\mathbb{P}": "a probability",
    "\\mathbb{V}": "a variance", "\\mathbb{Var}": "a variance",
    "\\mathbb{Cov}": "a covariance",
    # an upright E (\mathrm{E}, \operatorname{E}, \text{E}) right before its operand:
    # \mathrm{E}[x], \mathrm{E}_{x}[..]; alone (E = m c^2) it is the letter
    "\\mathrm{E}": "an expectation",
}

#: spellings of the identity matrix: bare, in a sum with a square matrix, the identity of its
#: size (derive.latex.identity); elsewhere, or declared by the notes, a name as any other
IDENTITIES: frozenset[str] = frozenset({"I", "\\mathbf{I}", "\\mathbb{I}",
                                        "\\boldsymbol{I}", "\\bm{I}"})

#: bold fonts, which TeX applies letter by letter: ``\\mathbf{\\beta^{(t)}}`` is
#: ``\\mathbf{\\beta}^{(t)}`` and ``\\bold{1_n^T}`` is ``\\mathbf{1}_n^T`` (derive.latex.tokens); an
#: accent (``\\hat``, ``\\bar``) covers all it holds, so ``\\hat{x^2}`` is not read so
LETTERWISE_FONTS: frozenset[str] = frozenset({"mathbf", "boldsymbol", "bm"})

#: words that, written in italics as the whole subscript of a symbol, label it: ``x_{max}``,
#: ``x_{\\max}``, ``\\tau_{base}``, ``y_{true}``, ``\\mathcal{L}_{KD}`` name a quantity of their
#: own, spelt as ``x_{\\text{max}}`` is (derive.latex.script_labels), never entry (m, a, x)
#: of an ``x`` nor a product of index letters. Only a whole word of this table is a label:
#: ``x_{ij}``, ``x_{nk}`` and a word not here keep their letters as indices. Two-letter
#: lower-case words are left out on purpose (``x_{in}`` is entry (i, n) of a matrix).
LABEL_WORDS: frozenset[str] = frozenset(
    "max min true pred new old train test val valid base target total init final prev next "
    "opt best mean avg dark hidden out output input soft hard student teacher ref "
    "KD CE KL NLL MSE LLM".split())

#: the number sets a formula is said to lie in: ``W = Q K^T \\in \\mathbb{R}^{n \\times n}`` after
#: a formula, at the top level of its member, states the space its value lies in, not a
#: claim derive checks: the membership (``\\in``, the set and its superscript) is a type
#: annotation and the formula before it is read alone (derive.latex.tokens). Any other set
#: after ``\\in`` (``y \\in \\{0, 1\\}``, ``t \\in [0, 1]``) is a condition, read as before.
NUMBER_SETS: dict[str, str] = {
    "\\mathbb{R}": "the real numbers", "\\mathbf{R}": "the real numbers",
    "\\mathbb{N}": "the natural numbers", "\\mathbb{Z}": "the integers",
    "\\mathbb{C}": "the complex numbers", "\\mathbb{Q}": "the rational numbers",
}

#: scalar functions that act entry by entry on a vector, as NumPy and deep-learning notes
#: write them: spelling -> the function (``\\exp(\\mathbf{x})`` is the vector of the
#: ``e^{x_i}``; ``e^{v}`` is spelt ``e^``). Only a vector (a column or a row) is read so: of a
#: matrix, ``\\exp(A)`` may be the matrix exponential and ``\\log A`` the matrix logarithm,
#: so those stay unknown. A power ``v^2`` of a vector is not here (elementwise or ``v^T v``).
ELEMENTWISE: dict[str, str] = {"\\exp": "exp", "e^": "exp", "\\log": "log", "\\ln": "log"}

#: functions that take a base as their subscript: ``\\log_2 x`` is ``\\log x / \\log 2``. The
#: base is read only when it is a number above 0 other than 1 (``\\log_b`` with a letter, or
#: ``\\log_1``, is unknown); ``\\ln_2`` and ``\\exp_2`` are errors (no such functions)
LOG_BASES: frozenset[str] = frozenset({"\\log"})

#: the gradient operator's spellings (after the tokenizer's: \\bigtriangledown is \\nabla):
#: ``\\nabla_w f`` is ``\\partial f / \\partial w``; ``\\nabla_w^2 f`` (or ``\\nabla^2_w f``) the
#: Hessian, the matrix of ``\\partial^2 f / \\partial w_i \\partial w_j`` (symmetric, so either
#: layout); without a subscript, ``\\nabla f(x)`` and ``\\nabla^2 f(x)`` are by the call's one
#: argument. ``\\nabla^2`` may also be the Laplacian (the Hessian's trace): a Hessian equated
#: with a scalar is never refuted on its shape
GRADIENTS: frozenset[str] = frozenset({"\\nabla"})

#: an upright letter alone in a superscript that is a mark, not a name: ``W^{\text{T}}``,
#: ``X^\mathrm{T}``, ``x^{\mathsf{T}}`` are the transpose ``^\top`` (an italic ``^T`` is
#: read as before: the transpose unless the notes declare a scalar T)
UPRIGHT_MARKS: dict[str, str] = {"T": "\\top"}

# environments: a grammar token pair, or transparent (its rows are chains of the block)
ENVIRONMENTS: dict[str, Construct] = {
    "cases": Construct("token", "CASES"),
    **_many("bmatrix pmatrix matrix", Construct("token", "BMATRIX")),
    **_many("aligned align align* equation equation* split gathered gather gather* multline "
            "multline* alignedat alignat alignat* eqnarray eqnarray* flalign flalign*",
            _TRANSPARENT),
}

_UNKNOWN = Construct("unsupported", reason=GENERIC_HINT)


def lookup(name: str) -> Construct:
    """The meaning of the command ``\\name`` (an unknown command is ``unsupported``)."""
    return REGISTRY.get(name, _UNKNOWN)


def names_with(meaning: str, token: str | None = None) -> frozenset[str]:
    """The command names of one ``meaning`` (and grammar ``token``), for code that needs
    the set: ``names_with("letter")`` are the symbol names.

    >>> "varsigma" in names_with("letter") and "quad" in names_with("transparent")
    True
    """
    return frozenset(n for n, c in REGISTRY.items()
                     if c.meaning == meaning and (token is None or c.token == token))
