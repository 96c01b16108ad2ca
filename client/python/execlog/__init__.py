"""Python client for the execlog gRPC service.

``execlog.execution_log`` offers the functions of PAMOLA's ``execution_log.py``
with the same names, parameters and return values, backed by an execlog server.
``execlog.errors`` reads the code, reason, field and metadata of any failed
call, for code that uses the generated stubs directly.

The generated stubs live in ``client/python/gen/execlog/v1`` (made by
``client/python/generate.sh``); they import themselves as ``execlog.v1``, so this
package extends its own search path with ``gen/execlog``. Set ``EXECLOG_PY_GEN``
to use stubs generated elsewhere.
"""

import os as _os

_here = _os.path.dirname(_os.path.abspath(__file__))
_gen = _os.environ.get("EXECLOG_PY_GEN") or _os.path.join(_os.path.dirname(_here), "gen")
_gen_pkg = _os.path.join(_gen, "execlog")
if _os.path.isdir(_gen_pkg) and _gen_pkg not in __path__:
    __path__.append(_gen_pkg)

__all__ = ["errors", "execution_log"]
