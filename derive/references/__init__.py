"""Hand-written NumPy references, one module per model family (same name as the family).

Each is written from the model's formulas, independently of derive's algebra, matrix
forms and printer; imports NumPy only. The generated kernels are checked against them
(``derive kernels --check``), the benchmarks time them as the "hand NumPy" a user would
write, and the tests check them against finite differences.
"""
