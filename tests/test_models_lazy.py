"""The families' catalogues are built on first use of ``FAMILIES``, not on import of
:mod:`derive.models` (the report's printer and the notes checker import
``derive.models.family`` and need no family)."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
import derive.models.family
from derive.models.family import Notation
print(sorted(m for m in sys.modules if m.startswith("derive.models.")))
from derive.models import FAMILIES, family
print(FAMILIES[0].name, family("poisson").name, "derive.models.poisson" in sys.modules)
"""


def test_importing_the_package_builds_no_family_and_first_use_finds_them_all():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["['derive.models.family']", "softmax poisson True"]


def test_an_unknown_attribute_is_still_an_attribute_error():
    import pytest

    import derive.models as models

    with pytest.raises(AttributeError, match="no attribute 'FAMILY'"):
        models.FAMILY  # noqa: B018
