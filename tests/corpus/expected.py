"""Expected verdict of every step of the corpus, decided by hand (and, for the derivative
claims and slips, by the NumPy finite-difference checks in tests/test_corpus.py), never by
running derive. Keyed by file prefix, then by the line of the step's right-hand member,
steps on one line in order: "p" a true step, "r" a false one (an author's slip), "-" not a
claim (an ellipsis). Why each "r" is false is in the file's header comment.
"""

P, R, N = "p", "r", "-"
EXPECTED: dict[str, dict[int, list[str]]] = {
    "01": {10: [P], 11: [P], 13: [P, P], 16: [P, P, P], 19: [P, P, P, P], 21: [P] * 6},
    "02": {11: [P, P], 13: [P], 15: [P], 17: [R, P], 19: [P], 22: [P] * 5, 25: [P] * 4,
           26: [P], 28: [R, R, P]},
    "03": {20: [P], 23: [P], 26: [P], 30: [P], 33: [P], 36: [P], 40: [P], 44: [P, P],
           48: [P]},
    "04": {8: [P], 10: [P, P, P], 12: [P, P], 15: [P, P], 17: [P]},
    "05": {9: [P], 12: [P] * 5, 15: [P, P], 17: [R]},
    "06": {8: [P], 10: [P], 13: [P, P], 16: [P, P]},
    "07": {10: [R], 11: [P, P, P], 13: [P]},
    "08": {15: [P, P, P]},
    "09": {14: [P], 16: [P], 18: [P], 20: [R]},
    "10": {12: [P], 14: [P], 16: [P, R]},
    "11": {16: [R]},
    "12": {13: [P], 14: [P], 16: [P], 17: [P]},
    "13": {11: [P], 15: [P], 19: [P], 20: [P], 25: [P], 26: [P], 27: [P], 28: [P], 29: [P],
           34: [P]},
    "14": {13: [P], 16: [P, P], 19: [R, R], 21: [P] * 7},
    "15": {10: [P, P], 12: [N, N]},
    "16": {17: [P, P, P, P], 18: [R, R], 19: [R]},
    "17": {11: [P, P], 14: [P]},
    "18": {13: [P], 14: [P]},
}
