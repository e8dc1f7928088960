"""What a model family declares about its kernels, and what both sides use to read it.

A family (:mod:`derive.models`) declares its kernels with these types and the kernels layer
(:mod:`derive.kernels`) reads them; neither imports the other through here, and this
package imports neither (so families import nothing from the kernels):

* :mod:`derive.declare.matrix`: the matrix vocabulary (row-wise nodes, their entries);
* :mod:`derive.declare.spec`: the kernel rows (:class:`~derive.declare.spec.Output`,
  :class:`~derive.declare.spec.Kernel`);
* :mod:`derive.declare.validate`: argument checks of the public functions (NumPy only);
* :mod:`derive.declare.numeric`: independent numeric checks (NumPy only).

This ``__init__`` imports nothing, so the NumPy-only modules load without SymPy.
"""
