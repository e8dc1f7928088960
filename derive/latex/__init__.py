"""Check LaTeX/Markdown/notebook derivations step by step: ``derive verify notes.tex``.

The reading pipeline, one stage per module, in the order a notes file goes through it:

1. **Source** (:mod:`.sources`): one reader per kind of file (``.tex``, ``.md``,
   ``.ipynb``), chosen by suffix, turns the text into :class:`.chains.Notes`: the
   ``% derive:`` lines and the display **blocks with their spans** (line:column, a
   notebook's cell), macros expanded (:mod:`.macros`), tags and per-line conditions split
   off (:mod:`.chains`). A new kind of source is one reader.
2. **Parse once** (:mod:`.blocks`): every block is tokenized (:mod:`.tokens`,
   :mod:`.charmap`) and parsed (:mod:`.parser`, syntax trees in :mod:`.ast`) once; every
   later stage reads those trees.
3. **Reading**: declarations the notes imply are inferred from the trees (:mod:`.infer`)
   and joined to those written by hand (:mod:`.declarations`: sizes, indices, tensors,
   ``let`` definitions as objects); chains are collected (``=``-continued blocks joined,
   ``where`` conditions attached: :mod:`.verify`); the elaborator (:mod:`.elaborate`,
   values in :mod:`.values`, scopes in :mod:`.scope`, ``cases`` in :mod:`.cases`) gives
   each member its meaning in SymPy.
4. **Claims**: each link of a chain is a step. A step that only introduces a symbol is a
   ``definition`` (:mod:`.definitions`); every other step goes to the proof engine
   (``derive.engine``), and a quantity the notes define but derive did not read is never
   silently independent (:mod:`.dependence`). The independent referee
   (:mod:`.referee`) lets a verdict stand only when it agrees.
5. **Results**: one record per step, typed as :class:`.step_result.StepResult` (span, the
   right member's line, verdict among :data:`derive.verdicts.VERDICTS`, reason, the formula
   as written and as read, counterexample, the engine's rule trace); ``as_dict()`` is the
   JSON record ``derive verify --json`` prints.
6. **Renderers** take the results and the text already read, and never parse again:
   terminal lines (:mod:`.terminal`), JSON (:mod:`.cli`), GitHub annotations
   (:mod:`.annotations`), annotated notebook (:mod:`.annotated_notebook`), annotated
   LaTeX/Markdown (``derive.report.notes``, ``derive.report.notes_md``), the corpus table
   (:mod:`.corpus`), the pytest plugin (:mod:`.pytest_plugin`).
"""
