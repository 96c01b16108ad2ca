"""Python client for the execlog gRPC service.

Two layers share one way to connect (:class:`ConnectionOptions`: the CLI's
``EXECLOG_SERVER``, ``EXECLOG_TLS_CA``, ``EXECLOG_TLS_CERT``/``EXECLOG_TLS_KEY``,
``EXECLOG_TLS_AUTHORITY``, ``EXECLOG_TOKEN``/``EXECLOG_TOKEN_FILE``) and one
exception (:class:`ExecLogError`, with ``code``, ``reason``, ``field`` and
``metadata``):

- :func:`connect` opens the native client, :class:`ExecLogClient`: every
  operation of the contract with Python types (``execlog.models``), paging
  iterators, a watch iterator and progress callbacks;
- ``execlog.execution_log`` offers the functions of PAMOLA's
  ``execution_log.py`` with the same names, parameters and return values.

The generated stubs are ``execlog.v1.execution_log_pb2`` and
``execlog.v1.execution_log_pb2_grpc``; ``execlog.errors.status_details`` reads
the reason and field of any failed stub call.
"""

from execlog._version import __version__
from execlog.client import ExecLogClient, ExecutionWatch, ProgressCallback, connect
from execlog.connection import ConnectionOptions
from execlog.errors import ExecLogError, WatchLaggedError
from execlog.models import (
    Bucket, CleanupRule, DependencyState, Direction, ExportFormat, InputFile, Level, OutputFile, Progress,
    RawJson, Run,
)

__all__ = [
    "__version__", "connect", "ConnectionOptions", "ExecLogClient", "ExecutionWatch", "ProgressCallback",
    "ExecLogError", "WatchLaggedError", "Run", "InputFile", "OutputFile", "Progress", "RawJson",
    "DependencyState", "Direction", "Level", "Bucket", "CleanupRule", "ExportFormat",
]
