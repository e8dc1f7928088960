"""Text-level rewrites of notes files for the metamorphic tests (issue 18).

Every rewrite is a list of edits ``(start, end, new)`` at exact character offsets of the
file's text, all inside one display-math block (found here, independently of derive's
reader), outside comments and ``\\text{...}``. A rewrite either keeps the truth of every
step (``keep=True``: Unicode for ASCII, a renamed bound index, ``\\exp(...)`` for ``e^{...}``,
commuted factors, a sum split off its first term, a range written as a set) or changes the
value of the one member it edits (``keep=False``: a sign flipped, an index changed, a lower
limit changed, a factor doubled or dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Edit = tuple[int, int, str]


@dataclass(frozen=True)
class Rewrite:
    kind: str
    keep: bool
    edits: tuple[Edit, ...]
    block: tuple[int, int]  # offsets of the block's body
    what: str = ""  # the edited text, for messages
    first: int = field(default=0)  # offset of the first edit

    def apply(self, text: str) -> str:
        out, last = [], 0
        for start, end, new in sorted(self.edits):
            assert start >= last, "overlapping edits"
            out += [text[last:start], new]
            last = end
        return "".join(out) + text[last:]

    @property
    def ident(self) -> str:
        return f"{self.kind}@{self.first}"


_BLOCK = re.compile(
    r"\$\$(?P<dd>.*?)\$\$"
    r"|^[ \t]*\$(?P<sd>[^$\n]+)\$[ \t]*$"
    r"|\\\[(?P<br>.*?)\\\]"
    r"|\\begin\{(?P<env>equation\*?|align\*?|gather\*?|multline\*?|eqnarray\*?)\}"
    r"(?P<body>.*?)\\end\{(?P=env)\}",
    re.DOTALL | re.MULTILINE,
)
# text that is not mathematics: comments, \text{...}-like arguments, tags and labels
_OPAQUE = re.compile(
    r"(?<!\\)%[^\n]*"
    r"|\\(?:text|textrm|textbf|mbox|tag\*?|label|operatorname\*?|mathrm|DeclareMathOperator)"
    r"\s*\{[^{}]*\}"
    r"|\\begin\{[a-z]*\*?\}|\\end\{[a-z]*\*?\}"
)


def blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the body of every display-math block."""
    out = []
    for m in _BLOCK.finditer(text):
        name = next(g for g in ("dd", "sd", "br", "body") if m.group(g) is not None)
        out.append((m.start(name), m.end(name)))
    return out


def _opaque(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _OPAQUE.finditer(text, start, end)]


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in spans)


def _group_end(text: str, start: int) -> int:
    """Offset just past the brace group opening at ``text[start] == '{'``."""
    depth = 0
    for n in range(start, len(text)):
        if text[n] == "{" and text[n - 1] != "\\":
            depth += 1
        elif text[n] == "}" and text[n - 1] != "\\":
            depth -= 1
            if depth == 0:
                return n + 1
    return -1


# ----------------------------------------------------------------- keeping the truth
UNICODE = {
    r"\cdot": "·", r"\times": "×", r"\partial": "∂", r"\sum": "∑", r"\prod": "∏",
    r"\neq": "≠", r"\ne": "≠", r"\in": "∈", r"\ldots": "…", r"\dots": "…", r"\cdots": "⋯",
    r"\leq": "≤", r"\le": "≤", r"\geq": "≥", r"\ge": "≥",
}
GREEK = {r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\epsilon": "ε",
         r"\theta": "θ", r"\lambda": "λ", r"\mu": "μ", r"\pi": "π", r"\sigma": "σ",
         r"\tau": "τ", r"\phi": "φ", r"\omega": "ω", r"\Theta": "Θ", r"\Sigma": "Σ",
         r"\eta": "η", r"\xi": "ξ", r"\rho": "ρ", r"\nu": "ν", r"\psi": "ψ", r"\Phi": "Φ",
         r"\ell": "ℓ", r"\nabla": "∇"}


def _commands(text: str, start: int, end: int, table: dict[str, str], kind: str,
              opaque: list[tuple[int, int]]) -> list[Rewrite]:
    pattern = re.compile("|".join(re.escape(c) + r"(?![A-Za-z])"
                                  for c in sorted(table, key=len, reverse=True)))
    edits = []
    for m in pattern.finditer(text, start, end):
        if not _free(opaque, m.start(), m.end()):
            continue
        new = table[m.group()]
        if text[m.start() - 1].isalpha():  # \boldsymbol\theta: keep the command apart
            new = " " + new
        edits.append((m.start(), m.end(), new))
    return [Rewrite(kind, True, tuple(edits), (start, end), first=edits[0][0])] if edits else []


_MINUS = re.compile(r"(?<![-\\])-(?![->])")


def _minus(text: str, start: int, end: int, opaque: list[tuple[int, int]]) -> list[Rewrite]:
    edits = tuple((m.start(), m.end(), "\u2212") for m in _MINUS.finditer(text, start, end)
                  if _free(opaque, m.start(), m.end()))
    return [Rewrite("unicode-minus", True, edits, (start, end), first=edits[0][0])] if edits \
        else []


_E_POWER = re.compile(r"(?<![A-Za-z\\_^{])e\^")


def _exp(text: str, start: int, end: int, opaque: list[tuple[int, int]]) -> list[Rewrite]:
    out = []
    for m in _E_POWER.finditer(text, start, end):
        at = m.end()
        if at < end and text[at] == "{":
            close = _group_end(text, at)
            if close < 0 or close > end:
                continue
            arg = text[at + 1:close - 1]
        elif at < end and text[at].isalnum():
            close, arg = at + 1, text[at]
        else:
            continue
        if not _free(opaque, m.start(), close) or "&" in arg or "\\\\" in arg:
            continue
        out.append(Rewrite("exp", True, ((m.start(), close, rf"\exp\left({arg}\right)"),),
                           (start, end), text[m.start():close], m.start()))
    return out


# an entry: a letter or a Greek command with a subscript (and optional superscript)
_SCRIPT = r"(?:_\{[^{}]*\}|_[A-Za-z0-9])"
_ATOM = (r"(?:\\(?:sigma|theta|delta|alpha|beta|omega|phi|mu|lambda)|[a-zA-Z])"
         + _SCRIPT + r"(?:\^\{[^{}T]*\}|\^[0-9])?")
_PAIR = re.compile(rf"(?<![A-Za-z\\_^{{}}'])(?P<a>{_ATOM})(?P<sep>\s*(?:\\cdot\s*)?)"
                   rf"(?P<b>{_ATOM})(?![A-Za-z0-9'(\[^_]|\s*\\left|\s*\()")


def _commute(text: str, start: int, end: int, opaque: list[tuple[int, int]]) -> list[Rewrite]:
    out = []
    for m in _PAIR.finditer(text, start, end):
        before = text[max(start, m.start() - 40):m.start()]
        if re.search(r"\\(log|ln|exp|partial|nabla|mathrm\{d\}|frac\{d)|\bd\s*$", before[-12:]):
            continue  # an operator applies to the first factor
        if "T" in m.group("a") + m.group("b") or "top" in m.group("a") + m.group("b"):
            continue
        if not _free(opaque, m.start(), m.end()) or m.group("a") == m.group("b"):
            continue
        # the separator stays: w_k \cdot x_n is a dot product of vectors, x_n w_k is not
        new = m.group("b") + (m.group("sep") or " ") + m.group("a")
        out.append(Rewrite("commute", True, ((m.start(), m.end(), new),), (start, end),
                           m.group(), m.start()))
    return out


_SUM = re.compile(r"\\sum_\{(?P<v>[a-z])\s*=\s*1\}\^(?:\{(?P<u1>[A-Za-z])\}|(?P<u2>[A-Za-z]))")


def _as_set(text: str, start: int, end: int, opaque: list[tuple[int, int]]) -> list[Rewrite]:
    out = []
    for m in _SUM.finditer(text, start, end):
        upper = m.group("u1") or m.group("u2")
        # \sum_{k=1}^{k} ("size k", "index k"): k is the size only as the upper limit, so in
        # a set it would be the bound index itself; no set says the same
        if _free(opaque, m.start(), m.end()) and upper != m.group("v"):
            new = rf"\sum_{{{m.group('v')} \in \{{1, \ldots, {upper}\}}}}"
            out.append(Rewrite("as-set", True, ((m.start(), m.end(), new),), (start, end),
                               m.group(), m.start()))
    return out


def _letter(v: str) -> re.Pattern[str]:
    """The index letter ``v`` as a name of its own (not inside \\cmd or a longer word)."""
    return re.compile(rf"(?<![A-Za-z\\]){v}(?![A-Za-z])")


def _body_to_group_end(text: str, at: int, end: int) -> int:
    """End of a sum's body when it runs to the end of its enclosing group with no top-level
    ``+``, ``-``, ``=``, ``,``, ``&`` or ``\\\\`` (a product); else -1."""
    depth, n = 0, at
    while n < end:
        ch = text[n]
        if text.startswith(r"\left", n) or text.startswith(r"\right", n):
            return -1
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            if depth == 0:
                return n
            depth -= 1
        elif depth == 0 and (ch in "+-=,&\u2212" or text.startswith("\\\\", n)
                             or text.startswith(r"\sum", n)):
            return -1
        n += 1
    return -1


def _split_first(text: str, start: int, end: int,
                 opaque: list[tuple[int, int]]) -> list[Rewrite]:
    out = []
    for m in _SUM.finditer(text, start, end):
        stop = _body_to_group_end(text, m.end(), end)
        if stop < 0 or not _free(opaque, m.start(), stop):
            continue
        v, upper = m.group("v"), m.group("u1") or m.group("u2")
        body = text[m.end():stop]
        if not _letter(v).search(body) or not body.strip():
            continue
        first = _letter(v).sub("1", body)
        new = rf"\left({first} + \sum_{{{v}=2}}^{{{upper}}}{body}\right)"
        out.append(Rewrite("split-first", True, ((m.start(), stop, new),), (start, end),
                           text[m.start():stop], m.start()))
    return out


def _members(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block split at its top-level ``=`` (outside braces, brackets, environments)."""
    out, depth, last = [], 0, start
    for n in range(start, end):
        ch = text[n]
        if ch in "{([" and text[n - 1] != "\\":
            depth += 1
        elif ch in "})]" and text[n - 1] != "\\":
            depth -= 1
        elif ch == "=" and depth == 0:
            out.append((last, n))
            last = n + 1
    out.append((last, end))
    return out


_SUBSCRIPT_LETTERS = re.compile(r"_\{([a-z][a-z, ]*)\}")


def _occurrences(text: str, a: int, b: int, v: str) -> list[int]:
    """Offsets of the index letter ``v`` in ``text[a:b]``: as a name of its own, or one of
    the letters of a subscript list (``\\delta_{jk}``, ``y_{n,k}``)."""
    found = {m.start() for m in _letter(v).finditer(text, a, b)}
    for m in _SUBSCRIPT_LETTERS.finditer(text, a, b):
        found.update(m.start(1) + n for n, ch in enumerate(m.group(1)) if ch == v)
    return sorted(found)


def _rename(text: str, start: int, end: int, opaque: list[tuple[int, int]],
            spare: dict[str, list[str]]) -> list[Rewrite]:
    """Rename the bound index ``v`` of every sum in one member that binds it, to a spare
    letter of the same declared range that the block does not use. Only where ``v`` is
    bound in the member: every member of the block that writes ``v`` sums over it (so it
    is not a free index of the chain)."""
    out = []
    members = _members(text, start, end)
    used = {ch for ch in "abcdefghijklmnopqrstuvwxyz" if _occurrences(text, start, end, ch)}
    for v in sorted(spare):
        binder = re.compile(rf"\\(?:sum|prod)_(?:\{{{v}[=\s}}]|{v}(?![A-Za-z]))")
        holding = [(a, b) for a, b in members if _occurrences(text, a, b, v)]
        if not holding or not all(binder.search(text, a, b) for a, b in holding):
            continue
        new = next((w for w in spare[v] if w not in used), None)
        if new is None:
            continue
        for a, b in holding:
            edits = tuple((n, n + 1, new) for n in _occurrences(text, a, b, v)
                          if _free(opaque, n, n + 1))
            if edits:
                out.append(Rewrite("rename-bound", True, edits, (start, end),
                                   text[a:b].strip()[:60], edits[0][0]))
    return out


def spare_letters(text: str) -> dict[str, list[str]]:
    """For each declared index letter, the other letters declared with the same range."""
    groups: dict[str, list[str]] = {}
    sizes = {x.strip() for m in re.finditer(r"%\s*derive:\s*size\s+([A-Za-z ,]+)", text)
             for x in m.group(1).split(",")}
    for m in re.finditer(r"%\s*derive:\s*index\s+([a-z ,]+?)\s+in\s+(\S+)", text):
        letters = [x.strip() for x in m.group(1).split(",") if x.strip()]
        groups.setdefault(m.group(2), []).extend(letters)
    # a letter that is also a size ("size k", "index j, k in 1..k") is left alone
    return {v: [w for w in ls if w != v and w not in sizes] for ls in groups.values()
            for v in ls if v not in sizes}


# ----------------------------------------------------------------- breaking the truth
def _flip_sign(text: str, start: int, end: int, opaque: list[tuple[int, int]]) -> list[Rewrite]:
    """A binary + or - between terms at the top level of its group, flipped."""
    out = []
    for m in re.finditer(r"(?<=[\w})\]]) *(?P<op>[+-]) *(?=[\w\\({])", text[start:end]):
        at = start + m.start("op")
        if not _free(opaque, at, at + 1) or text[at - 1] in "_^":
            continue
        new = "-" if m.group("op") == "+" else "+"
        out.append(Rewrite("sign", False, ((at, at + 1, new),), (start, end),
                           text[max(start, at - 12):at + 12], at))
    return out


def _change_index(text: str, start: int, end: int, opaque: list[tuple[int, int]],
                  spare: dict[str, list[str]]) -> list[Rewrite]:
    """One subscript ``_j``/``_{j}`` of a declared index changed to another of its range."""
    out = []
    for m in re.finditer(r"_(?:\{(?P<a>[a-z])\}|(?P<b>[a-z])(?![A-Za-z]))", text[start:end]):
        v = m.group("a") or m.group("b")
        if not spare.get(v):
            continue
        at = start + m.start("a" if m.group("a") else "b")
        if not _free(opaque, at, at + 1):
            continue
        out.append(Rewrite("index", False, ((at, at + 1, spare[v][0]),), (start, end),
                           text[max(start, at - 10):at + 6], at))
    return out


def _change_limit(text: str, start: int, end: int,
                  opaque: list[tuple[int, int]]) -> list[Rewrite]:
    out = []
    for m in _SUM.finditer(text, start, end):
        one = text.index("1", m.start() + 6)
        if _free(opaque, m.start(), m.end()):
            out.append(Rewrite("limit", False, ((one, one + 1, "2"),), (start, end),
                               m.group(), one))
    return out


def _factor(text: str, start: int, end: int, opaque: list[tuple[int, int]]) -> list[Rewrite]:
    """An entry factor doubled (``2 x_i``) or, in a product of two entries, dropped."""
    out = []
    for m in _PAIR.finditer(text, start, end):
        if not _free(opaque, m.start(), m.end()):
            continue
        out.append(Rewrite("factor-doubled", False, ((m.start(), m.start(), "2 "),),
                           (start, end), m.group(), m.start()))
        out.append(Rewrite("factor-dropped", False, ((m.start(), m.start("b"), ""),),
                           (start, end), m.group(), m.start()))
    return out


KEEP_KINDS = ("unicode-minus", "unicode-symbols", "unicode-greek", "exp", "commute",
              "as-set", "split-first", "rename-bound")
BREAK_KINDS = ("sign", "index", "limit", "factor-doubled", "factor-dropped")


def rewrites(text: str) -> list[Rewrite]:
    """Every rewrite of every block of the notes ``text``."""
    spare = spare_letters(text)
    out: list[Rewrite] = []
    for start, end in blocks(text):
        opaque = _opaque(text, start, end)
        out += _minus(text, start, end, opaque)
        out += _commands(text, start, end, UNICODE, "unicode-symbols", opaque)
        out += _commands(text, start, end, GREEK, "unicode-greek", opaque)
        out += _exp(text, start, end, opaque)
        out += _commute(text, start, end, opaque)
        out += _as_set(text, start, end, opaque)
        out += _split_first(text, start, end, opaque)
        out += _rename(text, start, end, opaque, spare)
        out += _flip_sign(text, start, end, opaque)
        out += _change_index(text, start, end, opaque, spare)
        out += _change_limit(text, start, end, opaque)
        out += _factor(text, start, end, opaque)
    return out
