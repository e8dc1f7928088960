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

__all__ = ["DEFINING_WORDS", "PROSE_DEFINES"]

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
