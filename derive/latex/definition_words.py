"""The words that say "the formula after me defines a symbol", by language (data only).

"Let $a = b$", "令 $a = b$", "Soit $a = b$", "Sei $a = b$": an equation right after one of
these words introduces its left side (its verdict is ``definition``, even when the letter
had another meaning before: :func:`derive.latex.definitions.prose_defines`). A new language
or spelling is one entry of :data:`DEFINING_WORDS`; each entry is a regular expression for
one word or phrase, matched case-insensitively right before the maths (only spaces, commas
and colons between). Latin-script entries match whole words; the CJK entries carry their
own guards (``设`` but not ``假设``, "suppose": that is a premise, not a definition).

A sentence without such a word defines nothing by itself ("故 $a = b$", "so $a = b$": a
claim, checked when its left side already has a meaning).

>>> sorted(DEFINING_WORDS)[:3]
['Chinese', 'English', 'French']
>>> bool(PROSE_DEFINES.search("Soit $")), bool(PROSE_DEFINES.search("假设 $"))
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["CONDITION_WORDS", "DEFINING_WORDS", "PROSE_CONDITIONS", "PROSE_DEFINES"]

#: language -> the words (regular expressions) that announce a definition
DEFINING_WORDS: dict[str, tuple[str, ...]] = {
    "English": ("let", "define", "denote", "defining", "denoting"),
    "Chinese": ("令", "(?<!假)设", "(?<![笔标])记(?:为|作)?", "定义"),
    "French": ("soit", "soient", "posons", "notons", "on note", "définissons",
               "on définit"),
    "German": ("sei", "seien", "setze", "setzen wir", "definiere", "definieren wir",
               "bezeichne"),
    "Spanish": ("sea", "sean", "definimos", "denotamos", "denotemos", "llamemos"),
    "Italian": ("sia", "siano", "poniamo", "definiamo", "indichiamo"),
    "Portuguese": ("seja", "sejam", "definimos", "denotamos"),
    "Russian": ("пусть", "обозначим", "положим"),
}

_CJK = re.compile(r"[\u3000-\u9fff]")


def _alternative(word: str) -> str:
    """One word as a pattern: whole words for alphabetic scripts, as written for CJK."""
    return word if _CJK.search(word) else rf"\b{word}\b"


#: a defining word right before the maths (``$$``, ``$``, ``\[``, ``\(``, an environment)
PROSE_DEFINES = re.compile(
    "(?:" + "|".join(_alternative(w) for words in DEFINING_WORDS.values() for w in words)
    + r")[\s,:]*(?:\$\$|\$|\\\[|\\\(|\\begin\{[A-Za-z]+\*?\})?\s*$",
    re.IGNORECASE)


#: language -> the words that make the formula after them a condition, not a definition
#: ("If $a = 2b$ the loss vanishes", "For $x = y$", "Wenn $a = b$"): what follows holds
#: under it, and the name keeps its own meaning elsewhere
CONDITION_WORDS: dict[str, tuple[str, ...]] = {
    "English": ("if", "when", "whenever", "for", "assuming", "assume", "suppose", "supposing",
                "given", "provided", "unless", "once", "at", "assume that", "suppose that",
                "given that", "provided that", "if and only if", "iff"),
    "Chinese": ("若", "如果", "当", "假设"),
    "French": ("si", "lorsque", "quand", "pour", "supposons"),
    "German": ("wenn", "falls", "für", "sofern", "angenommen"),
    "Spanish": ("si", "cuando", "para", "supongamos"),
    "Italian": ("se", "quando", "per", "supponiamo"),
    "Portuguese": ("se", "quando", "para", "suponha"),
    "Russian": ("если", "когда", "при"),
}

#: a condition word right before inline maths (``$``, ``\\(``)
PROSE_CONDITIONS = re.compile(
    "(?:" + "|".join(_alternative(w) for words in CONDITION_WORDS.values() for w in words)
    + r")[\s,:]*(?:\$|\\\()?\s*$", re.IGNORECASE)
