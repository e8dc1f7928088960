"""An independent referee for ``derive verify``: a small evaluator of its own (no SymPy) that
reads the parse tree and the declarations, evaluates both sides of a step at concrete sizes
and values, and lets a verdict stand only when it agrees (see :mod:`derive.referee.gate`)."""

from derive.referee.gate import Referee, Step, gate

__all__ = ["Referee", "Step", "gate"]
