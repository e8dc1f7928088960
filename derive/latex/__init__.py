"""Check LaTeX derivations step by step: ``derive verify notes.tex``.

Pipeline: :mod:`.chains` (blocks and ``% derive:`` lines) -> :mod:`.tokens` and
:mod:`.parser` (our own lark grammar) -> :mod:`.declarations` -> :mod:`.elaborate`
(SymPy) -> :mod:`.verify` (the proof engine, per step, each verdict gated by the
independent :mod:`.referee`).
"""
