"""An independent referee for ``derive verify``: a small evaluator of its own (no SymPy) that
reads the parse tree and the declarations, evaluates both sides of a step at concrete sizes
and values, and lets a verdict stand only when it agrees (see :mod:`derive.referee.gate`).

Importing this package installs it as the gate of :mod:`derive.latex.verify` (the ``derive``
package does so on import).
"""

from derive.latex import verify as _verify
from derive.referee.gate import Referee, Step, for_notes, gate

_verify.REFEREE = for_notes

__all__ = ["Referee", "Step", "for_notes", "gate"]
