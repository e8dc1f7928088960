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
   ``let`` definitions as objects; a definition inferred from a display reuses that
   display's trees, :func:`.blocks.definition_trees`). The elaborator gives each member
   its meaning in SymPy: its entry point and leaves in :mod:`.elaborate`, one module per
   kind of construct: names, tensors and definitions (:mod:`.elaborate_names`), groups and
   matrices (:mod:`.elaborate_matrices`), fractions and derivatives
   (:mod:`.elaborate_derivatives`), ``cases`` (:mod:`.elaborate_cases`, tables in
   :mod:`.cases`), terms, products and calls (:mod:`.elaborate_calls`), sums over indices
   (:mod:`.elaborate_sums`); values in :mod:`.values`, scopes in :mod:`.scope`.
4. **Claims**: chains are collected (``=``-continued blocks joined, ``where`` conditions
   attached: :mod:`.step_chains`), and each link of a chain is a step, checked by the
   step loop of :mod:`.verify`. A step that only introduces a symbol is a ``definition``,
   a quantity the notes define but derive did not read is never silently independent,
   and the independent referee (:mod:`.referee`) lets a verdict stand only when it agrees:
   these gates are :mod:`.verify_gates` (with :mod:`.definitions`, :mod:`.dependence`).
   A step the context does not decide is checked under every reading
   (:mod:`.verify_readings`, :mod:`.ambiguity`); every other step's two members are
   compared concretely or by the proof engine (``derive.engine``) in
   :mod:`.verify_verdicts`; helpers they share are in :mod:`.verify_common`.
5. **Results**: one record per step (:func:`.verify.check_file` returns them with the
   file's text, read once), typed as :class:`.step_result.StepResult` at the API
   (span, the right member's line, verdict among :data:`derive.verdicts.VERDICTS`,
   reason, the formula as written and as read, counterexample, the engine's rule trace);
   ``as_dict()`` is the JSON record ``derive verify --json`` prints.
6. **Renderers** take the records and the text of that one run, and never read or parse
   the file again: terminal lines (:mod:`.terminal`), JSON (:mod:`.cli`), GitHub
   annotations (:mod:`.annotations`), annotated notebook (:mod:`.annotated_notebook`),
   annotated LaTeX/Markdown (``derive.report.notes``, ``derive.report.notes_md``), the
   corpus table (:mod:`.corpus`), the pytest plugin (:mod:`.pytest_plugin`).
"""
