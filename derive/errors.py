"""The one exception type a user of derive ever sees."""

from __future__ import annotations


class DeriveError(Exception):
    """Bad input or an impossible request: the message says what was given,
    what was expected and, for text input, where (``file:line:column``).

    >>> raise DeriveError("unknown claim 'foo': expected one of softmax_jacobian, ...")
    Traceback (most recent call last):
    ...
    derive.errors.DeriveError: unknown claim 'foo': expected one of softmax_jacobian, ...
    """
