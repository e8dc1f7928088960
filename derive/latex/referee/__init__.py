"""An independent referee for ``derive verify``: a small evaluator of its own (no SymPy) that
reads the parse tree and the declarations, evaluates both sides of a step at concrete sizes
and values, and lets a verdict stand only when it agrees (see :mod:`.gate`).

It imports only the reader's syntax (:mod:`derive.latex.ast`, :mod:`~derive.latex.parser`,
:mod:`~derive.latex.chains`), never the elaborator, the values or the engine.
"""

from derive.latex.referee.gate import Referee, Step, for_notes, gate

__all__ = ["Referee", "Step", "for_notes", "gate"]
