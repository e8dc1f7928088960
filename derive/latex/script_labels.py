"""Subscript labels: a word or a sign as the whole subscript names a symbol of its own.

TeX reads ``y_\\text{pred}`` as ``y_{\\text{pred}}`` (a script is one group), and notes write
``y_{\\text{pred}}``, ``x_{\\mathrm{new}}``, ``p_+``, ``p_{-}`` for quantities of their own:
never entry "pred" of a vector ``y`` (two such entries, ``y_{\\text{pred}}`` and
``y_{\\text{true}}``, could then be checked at one index and be equal), never a product of
the letters p, r, e, d. The tokenizer (:mod:`derive.latex.tokens`) folds the base and its label
into one name, spelt by :func:`word_label` or :func:`sign_label`; ``y_{\\text{pred}, i}`` is
entry i of that name. Inference (:mod:`derive.latex.infer`) gives such a name the kind of its
letter (:data:`LABEL_SUFFIX`: ``x_{\\text{new}}`` may be a scalar, as ``x`` may).

>>> word_label("y", "pred"), sign_label("p", "+")
('y_{\\\\text{pred}}', 'p_{+}')
>>> import re
>>> bool(re.fullmatch("x" + LABEL_SUFFIX, word_label("x", "old")))
True
"""

from __future__ import annotations

__all__ = ["LABEL_SUFFIX", "sign_label", "word_label"]

#: the label part of a folded name, as a regex: ``_{\\text{word}}`` or ``_{+}``/``_{-}``
LABEL_SUFFIX = r"_\{(?:\\text\{[A-Za-z]{2,}\}|[+-])\}"


def word_label(base: str, word: str) -> str:
    """The one name ``base`` labelled by an upright ``word`` (``\\text``, ``\\mathrm``,
    ``\\operatorname`` alike: one spelling)."""
    return f"{base}_{{\\text{{{word}}}}}"


def sign_label(base: str, sign: str) -> str:
    """The one name ``base`` labelled by a sign, ``p_+`` or ``p_{+}``."""
    return f"{base}_{{{sign}}}"
