"""Check LaTeX/Markdown/notebook derivations step by step: ``derive verify notes.tex``.

The reading pipeline, one stage per module, in the order a notes file goes through it:

1. **Source** (:mod:`.sources`): one reader per kind of file (``.tex``, ``.md``,
   ``.ipynb``), chosen by suffix, turns the text into :class:`.chains.Notes`: the
   ``% derive:`` lines and the display **blocks with their spans** (line:column, a
   notebook's cell), macros expanded (:mod:`.macros`), tags and per-line conditions split
   off (:mod:`.chains`). A new kind of source is one reader.
2. **Parse once** (:mod:`.blocks`): every block is tokenized (:mod:`.tokens`,
   :mod:`.charmap`; every spelling derive reads and what it means: the construct
   registry, :mod:`.constructs`) and parsed (:mod:`.parser`, syntax trees in :mod:`.ast`;
   scripts and superscripts: :mod:`.scripts`, :mod:`.superscripts`) once; every later
   stage reads those trees. Errors point into the file (:mod:`.errors`).
3. **Reading**: declarations the notes imply are inferred from the trees (:mod:`.infer`:
   the facts of the trees, :mod:`.infer_facts`; what else it reads, :mod:`.infer_reading`;
   which equations are definitions, :mod:`.infer_candidates`; definitions and domains the
   prose states, :mod:`.prose`, :mod:`.prose_domains`) and joined to those written by hand
   (:mod:`.declarations`: sizes, indices, tensors,
   ``let`` definitions as objects; a definition inferred from a display reuses that
   display's trees, :func:`.blocks.definition_trees`). The elaborator gives each member
   its meaning in SymPy: its entry point and leaves in :mod:`.elaborate`, one module per
   kind of construct: names, tensors and definitions (:mod:`.elaborate_names`), groups and
   matrices (:mod:`.elaborate_matrices`), fractions and derivatives
   (:mod:`.elaborate_derivatives`), ``cases`` (:mod:`.elaborate_cases`, tables in
   :mod:`.cases`), terms, products and calls (:mod:`.elaborate_calls`), sums over indices
   (:mod:`.elaborate_sums`), what they share (:mod:`.elaborate_common`); values in
   :mod:`.values`, scopes in :mod:`.scope`.
4. **Claims**: chains are collected (``=``-continued blocks joined, ``where`` conditions
   attached: :mod:`.step_chains`; a block's conditions as objects: :mod:`.conditions`),
   and each link of a chain is a step, checked by the step loop of :mod:`.verify` (one
   reading of the file, or one per span where its sections give a letter two meanings:
   :mod:`.section_readings`). Each member's notation is first made explicit where the
   context decides (:mod:`.ambiguity`: a registry of points, such as which letter a
   ``\\neq``-sum binds, a bare superscript as a power or a label (:mod:`.labels`), ``f(x)``
   as a call or a product); a step whose members meet a point the context does not decide is checked
   under every reading (:mod:`.verify_readings`): proved or refuted only when they agree.
   Every other step's two members are compared concretely or by the proof engine
   (``derive.engine``) in :mod:`.verify_verdicts`. Around the verdict, gates: a step
   that only introduces a symbol is a ``definition``, a quantity the notes define but
   derive did not read is never silently independent, the independent referee
   (:mod:`.referee`) lets a verdict stand only when it agrees, a counterexample that
   breaks a condition the prose states, or other data than the author's, is no
   refutation (:mod:`.verify_gates`, with :mod:`.definitions`, :mod:`.dependence`,
   :mod:`.side_conditions`, :mod:`.concrete_data`). Helpers they share
   (assumptions, scope, the exact-zero test) are in :mod:`.verify_common`.
5. **Results**: the checker makes one :class:`.step_result.StepResult` per step: its span
   (file, a notebook's cell, the right member's line and column), verdict (among
   :data:`derive.verdicts.VERDICTS`), reason, the formula as written and as read, the
   counterexample of a refuted step, the readings of an ambiguous one, the engine's rule
   trace; the formula as read is canonical LaTeX (:mod:`.as_read`). A gate never edits a
   result: it derives a new one (``evolve``).
   :func:`.verify.check_file` returns a :class:`.verify.Checked`: the results, the file's
   text (read once) and what inference added. A StepResult is also a read-only mapping of
   its JSON record (``r["verdict"]``); ``as_dict()`` is what ``derive verify --json``
   prints.
6. **Renderers** take the results and the text of that one run, and never read or parse
   the file again: terminal lines and ``--explain`` (:mod:`.terminal`, :mod:`.cli`), JSON
   (:mod:`.cli`), GitHub annotations (:mod:`.annotations`), annotated notebook
   (:mod:`.annotated_notebook`), annotated LaTeX/Markdown (``derive.report.notes``,
   ``derive.report.notes_md``), the corpus table (:mod:`.corpus`), the pytest plugin
   (:mod:`.pytest_plugin`), the Python API (``derive.api``).
"""
