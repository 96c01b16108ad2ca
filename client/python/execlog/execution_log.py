"""PAMOLA ``execution_log.py`` functions, backed by an execlog gRPC server.

Code written against ``pamola_core.utils.tasks.execution_log`` switches to
execlog by changing its import line only::

    # from pamola_core.utils.tasks.execution_log import record_task_execution
    from execlog.execution_log import record_task_execution

Every function has the reference library's name, parameters and return value.
Records come back as plain dicts shaped like the log file's ``executions``
entries. Each function also takes a keyword-only ``server`` ("host:port").
The connection comes from the CLI's environment variables (``EXECLOG_SERVER``,
default ``localhost:50051``; ``EXECLOG_TLS_CA``, ``EXECLOG_TLS_CERT``,
``EXECLOG_TLS_KEY``, ``EXECLOG_TLS_AUTHORITY``, ``EXECLOG_TOKEN``,
``EXECLOG_TOKEN_FILE``) unless :func:`configure` sets it in code, with the
same options as ``execlog.connect``. Ordinary calls have a 30 s deadline,
cleanup, validate, export and import one hour. The server owns the log file:
it normalizes and checks paths, and its errors are raised as
``ExecutionLogError`` (an ``execlog.ExecLogError``) carrying the gRPC status
code, the server's stable reason (``RUN_NOT_FOUND``, ``PATH_OUTSIDE_ROOT``...),
the request field at fault and the reason's metadata.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Protocol, Tuple, Union

import grpc
from google.protobuf import field_mask_pb2

from execlog.connection import ConnectionOptions
from execlog.errors import ExecLogError, status_details
from execlog.v1 import execution_log_pb2 as pb
from execlog.v1 import execution_log_pb2_grpc as pb_grpc

logger = logging.getLogger(__name__)

DEFAULT_SERVER = "localhost:50051"
DEFAULT_EXECUTION_LOG_PATH = "configs/execution_log.json"
DEFAULT_LOCK_TIMEOUT = 10
DEFAULT_RPC_TIMEOUT = float(os.environ.get("EXECLOG_TIMEOUT", "30"))
DEFAULT_LONG_TIMEOUT = 3600.0
IMPORT_CHUNK_SIZE = 64 * 1024

__all__ = [
    "ExecutionLogError",
    "ProgressManagerProtocol",
    "DEFAULT_EXECUTION_LOG_PATH",
    "DEFAULT_LOCK_TIMEOUT",
    "initialize_execution_log",
    "record_task_execution",
    "get_task_execution_history",
    "find_latest_execution",
    "find_task_by_output",
    "track_input_files",
    "track_output_files",
    "update_execution_record",
    "remove_execution_record",
    "cleanup_old_executions",
    "validate_execution_log",
    "export_execution_log",
    "import_execution_log",
    "get_execution_record",
    "set_server",
    "configure",
    "close",
]


class ExecutionLogError(ExecLogError):
    """Raised for execution log errors.

    ``code``: the gRPC status code (``grpc.StatusCode``) when the error came
    from the server or the connection, else ``None`` (the client refused the
    arguments itself).
    ``reason``: why the server refused, a value name of the contract's
    ``execlog.v1.ErrorReason`` (``"RUN_NOT_FOUND"``, ``"PATH_OUTSIDE_ROOT"``,
    ``"ROLE_TOO_LOW"``...); stable, so code may branch on it. ``""`` when the
    error did not come from the server (connection failures, a deadline that
    passed in the client, the client's own checks).
    ``field``: the request field at fault (``"execution.report_path"``), or ``""``.
    ``metadata``: the reason's metadata, a dict of str (``run_id``, ``task_id``,
    ``path``, ``limit``, ``role``, ``required``...); empty when none.
    ``details``: the server's message, for people; it may change between versions.
    """

    def __init__(self, message: str, code: Optional[grpc.StatusCode] = None, details: Optional[str] = None,
                 *, reason: str = "", field: str = "", metadata: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message, code=code, details=details, reason=reason, field=field, metadata=metadata)


class ProgressManagerProtocol(Protocol):
    """The progress manager interface of the reference library (all optional here)."""

    def create_operation_context(self, name: str, total: int, description: Optional[str] = None, **kwargs): ...

    def log_info(self, message: str) -> None: ...

    def log_warning(self, message: str) -> None: ...

    def log_error(self, message: str) -> None: ...

    def log_debug(self, message: str) -> None: ...


# --------------------------------------------------------------------------- connection

_lock = threading.Lock()
_channels: Dict[Tuple[Any, ...], Tuple[grpc.Channel, pb_grpc.ExecutionLogServiceStub]] = {}
_default_server: Optional[str] = None
_options: Optional[ConnectionOptions] = None


def set_server(address: Optional[str]) -> None:
    """Sets the default server address ("host:port") for calls without ``server``."""
    global _default_server
    _default_server = address


def configure(options: Optional[ConnectionOptions] = None, **settings: Any) -> None:
    """Sets how every function connects: ``options`` (default: the environment's, as
    ``ConnectionOptions.from_env()``) with ``settings`` on top, the keywords of
    ``execlog.connect`` (``target``, ``tls_ca``, ``tls_cert``, ``tls_key``,
    ``tls_authority``, ``token``, ``token_file``, ``tls``, ``timeout``,
    ``long_timeout``). ``configure()`` with nothing goes back to reading the
    environment at each call. Open channels are closed.
    """
    global _options
    if options is None and not settings:
        resolved = None
    else:
        resolved = (options or ConnectionOptions.from_env()).replace(**settings)
    close()
    _options = resolved


def _connection(server: Optional[str]) -> ConnectionOptions:
    base = _options
    if base is None:
        base = ConnectionOptions.from_env(timeout=DEFAULT_RPC_TIMEOUT)
    address = server or _default_server
    return base.replace(target=address) if address else base


def _stub(server: Optional[str]) -> pb_grpc.ExecutionLogServiceStub:
    options = _connection(server)
    key = options.channel_key()
    with _lock:
        entry = _channels.get(key)
        if entry is None:
            try:
                channel = options.open_channel()
            except ExecLogError as e:
                raise ExecutionLogError(str(e)) from e
            entry = (channel, pb_grpc.ExecutionLogServiceStub(channel))
            _channels[key] = entry
        return entry[1]


def _timeout() -> float:
    """The deadline of ordinary calls: the configured one, else ``DEFAULT_RPC_TIMEOUT``."""
    return _options.timeout if _options is not None else DEFAULT_RPC_TIMEOUT


def _long_timeout() -> float:
    """The deadline of cleanup, validate, export and import: one hour unless configured."""
    return _options.long_timeout if _options is not None else DEFAULT_LONG_TIMEOUT


def close() -> None:
    """Closes every channel this module opened."""
    with _lock:
        for channel, _ in _channels.values():
            channel.close()
        _channels.clear()


def _error(exc: grpc.RpcError, what: str) -> ExecutionLogError:
    """The error to raise for a failed call: its code, message, reason, field and metadata."""
    d = status_details(exc)
    name = d.code.name if d.code is not None else "UNKNOWN"
    if d.reason:
        name = f"{name} {d.reason}"
    return ExecutionLogError(f"{what} failed: {name}: {d.message}", code=d.code, details=d.message,
                             reason=d.reason, field=d.field, metadata=d.metadata)


# The reasons that mean "nothing matches" where the reference library returns
# None or False instead of raising: decided by the reason, not by NOT_FOUND
# alone, so that a status meaning something else is never taken for "absent".
_NO_RUN_FOR_TASK = "TASK_HAS_NO_RUN"
_NO_SUCH_RUN = "RUN_NOT_FOUND"
_NO_PRODUCER = "PRODUCER_NOT_FOUND"


# --------------------------------------------------------------------------- progress managers


def _pm_log(pm: Any, level: str, message: str) -> None:
    if pm is None:
        return
    fn = getattr(pm, f"log_{level}", None) or getattr(pm, "log_info", None)
    if callable(fn):
        try:
            fn(message)
        except Exception:  # a progress manager must never break the operation
            logger.debug("progress manager log_%s failed", level, exc_info=True)


class _ProgressRelay:
    """Feeds the server's progress events to a progress manager.

    Each stage of the server's operation becomes one operation context
    (``create_operation_context(name, total, description)``) advanced with
    ``update(n, postfix)``. Managers without ``create_operation_context`` get
    ``log_debug``/``log_info`` lines instead; managers with neither get nothing.
    """

    def __init__(self, pm: Any, operation: str):
        self.pm = pm
        self.operation = operation
        self._stack: Optional[contextlib.ExitStack] = None
        self._ctx: Any = None
        self._stage: Optional[str] = None
        self._done = 0

    def event(self, progress: "pb.Progress") -> None:
        if self.pm is None:
            return
        try:
            self._event(progress)
        except Exception:
            logger.debug("progress manager failed on %s", self.operation, exc_info=True)

    def _event(self, p: "pb.Progress") -> None:
        if p.stage != self._stage:
            self._close_stage()
            self._stage = p.stage
            self._done = 0
            create = getattr(self.pm, "create_operation_context", None)
            if callable(create):
                stack = contextlib.ExitStack()
                ctx = create(
                    name=f"{self.operation}:{p.stage}" if p.stage else self.operation,
                    total=int(p.total) if p.total > 0 else 0,
                    description=p.message or p.stage,
                )
                if hasattr(ctx, "__enter__"):
                    ctx = stack.enter_context(ctx)
                self._stack, self._ctx = stack, ctx
            else:
                _pm_log(self.pm, "info", f"{self.operation}: {p.stage}: {p.message}".rstrip(": "))
        delta = int(p.done) - self._done
        if delta > 0:
            self._done = int(p.done)
            update = getattr(self._ctx, "update", None)
            postfix = {"stage": p.stage, "done": int(p.done), "total": int(p.total)}
            if callable(update):
                update(delta, postfix)
            else:
                _pm_log(self.pm, "debug", f"{self.operation}: {p.stage} {p.done}/{p.total or '?'}")

    def _close_stage(self) -> None:
        if self._stack is not None:
            stack, self._stack, self._ctx = self._stack, None, None
            stack.close()

    def close(self) -> None:
        try:
            self._close_stage()
        except Exception:
            logger.debug("progress manager failed closing %s", self.operation, exc_info=True)


# --------------------------------------------------------------------------- conversions

def _ts_to_iso(ts) -> Optional[str]:
    """The run's time as the reference library writes it: ``datetime.now().isoformat()``.

    That is a naive ISO string in the caller's local time, so code written for
    the library can do ``datetime.now() - datetime.fromisoformat(ts)``; a
    zone-aware value would make that subtraction raise. ``None`` for an unset time.
    """
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    local = _dt.datetime.fromtimestamp(ts.seconds).replace(microsecond=ts.nanos // 1000)
    return local.isoformat()


def _to_timestamp(value: Any):
    from google.protobuf import timestamp_pb2

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        t = _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
    elif isinstance(value, _dt.datetime):
        t = value
    elif isinstance(value, str):
        try:
            t = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as e:
            raise ExecutionLogError(f"timestamp is not an ISO-8601 time: {value!r}") from e
    else:
        raise ExecutionLogError(f"unsupported timestamp value: {value!r}")
    if t.tzinfo is None:  # the reference library writes local time without a zone
        t = t.astimezone()
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(t.astimezone(_dt.timezone.utc).replace(tzinfo=None))
    return ts


def _is_integer_seconds(value: Any) -> bool:
    """Whether the caller passed an int, which the library writes as a JSON integer (``241``)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _to_duration(seconds: Any):
    from google.protobuf import duration_pb2

    try:
        value = float(seconds)
    except (TypeError, ValueError) as e:
        raise ExecutionLogError(f"execution_time must be a number of seconds, got {seconds!r}") from e
    d = duration_pb2.Duration()
    d.FromMicroseconds(round(value * 1_000_000))
    return d


def _execution_time(e: "pb.Execution") -> Union[int, float]:
    """``execution_time`` as recorded: an int when it was written as an integer, else a float."""
    if e.integer_execution_time:
        return int(e.duration.seconds)
    return e.duration.seconds + e.duration.nanos / 1e9


def _json_text(key: str, value: Any) -> str:
    """One extra key's value as the JSON text the contract carries.

    NaN and infinities are refused: they are not JSON, and the server would
    reject the whole call without saying which key held them.
    """
    try:
        return json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise ExecutionLogError(f"value of {key!r} cannot be stored as JSON: {e}") from e


def _json_value(key: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as e:
        raise ExecutionLogError(f"the server sent {key!r} as text that is not JSON: {text!r}") from e


def _with_extras(entry: Dict[str, Any], extra_fields) -> Dict[str, Any]:
    """``entry`` with the message's extra keys flattened in, as they sit in the log file."""
    for key in sorted(extra_fields):
        entry.setdefault(key, _json_value(key, extra_fields[key]))
    return entry


def _set_extras(target, item: Dict[str, Any], known: Iterable[str]) -> None:
    """Copies the keys of ``item`` beyond ``known`` into ``target.extra_fields`` as JSON text."""
    for key, value in item.items():
        if key not in known:
            target.extra_fields[str(key)] = _json_text(str(key), value)


def _record(e: "pb.Execution") -> Dict[str, Any]:
    """One run as a dict shaped like the log file's ``executions`` entry, extra keys included."""
    record = {
        "task_id": e.task_id,
        "task_type": e.task_type,
        "task_run_id": e.run_id,
        "timestamp": _ts_to_iso(e.record_time),
        "success": e.success,
        "execution_time": _execution_time(e),
        "report_path": e.report_path,
        "input_files": [_with_extras({"name": f.name, "path": f.path}, f.extra_fields) for f in e.input_files],
        "output_files": [
            _with_extras({"path": f.path, "type": f.type, "description": f.description}, f.extra_fields)
            for f in e.output_files
        ],
        "hostname": e.hostname,
    }
    return _with_extras(record, e.extra_fields)


_INPUT_KEYS = ("name", "path")
_OUTPUT_KEYS = ("path", "type", "description")


def _input_files(value: Any, keep_extra: bool = False) -> List["pb.InputFile"]:
    """``input_datasets`` ({name: path}) or a list of {name, path} dicts / paths.

    With ``keep_extra`` (updates), keys of a dict beyond name/path, such as the
    ``added_at`` that tracking writes, stay on the entry as the library keeps them.
    """
    if value is None:
        return []
    if isinstance(value, dict):
        return [pb.InputFile(name=str(k), path=str(v)) for k, v in value.items()]
    files = []
    for item in value:
        if isinstance(item, dict):
            f = pb.InputFile(name=str(item.get("name", "") or ""), path=str(item.get("path", "")))
            if keep_extra:
                _set_extras(f, item, _INPUT_KEYS)
        else:
            f = pb.InputFile(path=str(item))
        files.append(f)
    return files


def _output_file(item: Any, keep_extra: bool) -> "pb.OutputFile":
    """One output artifact typed as the library types it.

    A str/Path gets its suffix without the dot (``"a.JSON"`` -> ``"JSON"``,
    none -> ``""``); a dict without ``type`` gets ``"unknown"``; an artifact
    object its ``artifact_type``.
    """
    extras: Dict[str, Any] = {}
    if isinstance(item, dict):
        path = item.get("path", "")
        kind = item.get("type", "unknown")
        description = item.get("description", "")
        if keep_extra:
            extras = {k: v for k, v in item.items() if k not in _OUTPUT_KEYS}
    elif isinstance(item, (str, os.PathLike)):
        path, kind, description = item, Path(item).suffix.lstrip("."), ""
    elif hasattr(item, "path"):  # task artifact objects (path, artifact_type, description)
        path = getattr(item, "path")
        kind = getattr(item, "artifact_type", getattr(item, "type", ""))
        description = getattr(item, "description", "")
    else:
        raise ExecutionLogError(f"unsupported output artifact: {item!r}")
    f = pb.OutputFile(path=str(path), type="" if kind is None else str(kind),
                      description="" if description is None else str(description))
    _set_extras(f, extras, ())
    return f


def _output_files(value: Any, keep_extra: bool = False) -> List["pb.OutputFile"]:
    """``output_artifacts``: str/Path, dicts with path/type/description, or artifact objects."""
    if value is None:
        return []
    return [_output_file(item, keep_extra) for item in value]


def _host() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return ""


# --------------------------------------------------------------------------- the reference API


def initialize_execution_log(
    project_path: Optional[Path] = None,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> Path:
    """Makes sure the server's log exists and returns its path (on the server).

    The server owns the project root; ``project_path``, when given and
    different from the server's root, is only reported as a warning.
    """
    try:
        info = _stub(server).GetLogInfo(pb.GetLogInfoRequest(), timeout=_timeout())
    except grpc.RpcError as e:
        raise _error(e, "initialize_execution_log") from e
    if project_path is not None:
        try:
            same = Path(project_path).resolve() == Path(info.project_root).resolve()
        except OSError:
            same = False
        if not same:
            logger.warning("project_path %s differs from the server's project root %s", project_path, info.project_root)
    _pm_log(progress_manager, "info", f"Execution log at {info.path}")
    return Path(info.path)


def record_task_execution(
    task_id: str,
    task_type: str,
    success: bool,
    execution_time: float,
    report_path: Path,
    input_datasets: Optional[Dict[str, str]] = None,
    output_artifacts: Optional[List[Any]] = None,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> Optional[str]:
    """Records one run and returns its task run id (a UUID).

    ``execution_time`` is kept as given: an int is written as a JSON integer
    and read back as an int, as the library does. ``task_type`` may be empty.
    Output artifacts are typed as the library types them (see ``_output_file``).
    """
    seconds = execution_time if execution_time is not None else 0.0
    execution = pb.Execution(
        run_id=str(uuid.uuid4()),  # chosen here so that a retried call cannot record twice
        task_id=task_id or "",
        task_type=task_type or "",
        success=bool(success),
        duration=_to_duration(seconds),
        integer_execution_time=_is_integer_seconds(seconds),
        report_path=str(report_path) if report_path is not None else "",
        input_files=_input_files(input_datasets),
        output_files=_output_files(output_artifacts),
        hostname=_host(),
    )
    try:
        response = _stub(server).RecordExecution(
            pb.RecordExecutionRequest(execution=execution), timeout=_timeout()
        )
    except grpc.RpcError as e:
        raise _error(e, "record_task_execution") from e
    run_id = response.execution.run_id
    _pm_log(progress_manager, "info", f"Recorded execution of task {task_id} (run {run_id})")
    return run_id or None


def _history_pages(stub, task_id: Optional[str], success_only: bool, want: Optional[int]) -> Iterator["pb.Execution"]:
    """Yields runs newest first, a server page (at most 1000) at a time, until ``want`` or the end."""
    token = ""
    got = 0
    while want is None or got < want:
        page_size = 1000 if want is None else min(want - got, 1000)
        response = stub.ListExecutions(
            pb.ListExecutionsRequest(task_id=task_id or "", success_only=bool(success_only),
                                     page_size=page_size, page_token=token),
            timeout=_timeout(),
        )
        yield from response.executions
        got += len(response.executions)
        token = response.next_page_token
        if not token or not response.executions:
            return


def get_task_execution_history(
    task_id: Optional[str] = None,
    limit: Optional[int] = 10,
    success_only: bool = False,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """Returns up to ``limit`` runs, newest first, of one task or all tasks.

    ``limit`` slices the newest-first list as the library's ``executions[:limit]``
    does: ``None`` means every run, ``0`` none, and a negative limit drops that
    many of the oldest.
    """
    if limit is not None and limit == 0:
        return []
    want = limit if limit is not None and limit > 0 else None
    try:
        records = [_record(e) for e in _history_pages(_stub(server), task_id, success_only, want)]
    except grpc.RpcError as e:
        raise _error(e, "get_task_execution_history") from e
    records = records[:limit]
    _pm_log(progress_manager, "debug", f"Found {len(records)} execution records")
    return records


def find_latest_execution(
    task_id: str,
    success_only: bool = True,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> Optional[Dict[str, Any]]:
    """Returns the newest run of a task (by default the newest successful one), or None."""
    try:
        response = _stub(server).GetLatestExecution(
            pb.GetLatestExecutionRequest(task_id=task_id or "", include_failed=not success_only),
            timeout=_timeout(),
        )
    except grpc.RpcError as e:
        error = _error(e, "find_latest_execution")
        if error.reason == _NO_RUN_FOR_TASK:
            _pm_log(progress_manager, "debug", f"No execution found for task {task_id}")
            return None
        raise error from e
    return _record(response.execution)


def find_task_by_output(
    file_path: Union[str, Path],
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> Optional[Dict[str, Any]]:
    """Returns the newest run that listed ``file_path`` among its outputs, or None."""
    try:
        response = _stub(server).FindOutputProducer(
            pb.FindOutputProducerRequest(path=str(file_path)), timeout=_timeout()
        )
    except grpc.RpcError as e:
        error = _error(e, "find_task_by_output")
        if error.reason == _NO_PRODUCER:
            _pm_log(progress_manager, "debug", f"No task found that produced {file_path}")
            return None
        raise error from e
    return _record(response.execution)


def _track(rpc_name: str, request_type, what: str, task_id: str, file_paths, pm, server) -> bool:
    paths = [str(p) for p in (file_paths or [])]
    stub = _stub(server)
    try:
        if not paths:  # nothing to add: succeed when the task has a run, as the reference does
            stub.GetLatestExecution(
                pb.GetLatestExecutionRequest(task_id=task_id or "", include_failed=True), timeout=_timeout()
            )
        else:
            getattr(stub, rpc_name)(request_type(task_id=task_id or "", paths=paths), timeout=_timeout())
    except grpc.RpcError as e:
        error = _error(e, what)
        if error.reason == _NO_RUN_FOR_TASK:
            _pm_log(pm, "warning", f"No execution found for task {task_id}")
            return False
        raise error from e
    _pm_log(pm, "debug", f"Tracked {len(paths)} files for task {task_id}")
    return True


def track_input_files(
    task_id: str,
    file_paths: List[Union[str, Path]],
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> bool:
    """Adds input files to the task's newest run. False when the task has no run."""
    return _track("TrackInputFiles", pb.TrackInputFilesRequest, "track_input_files",
                  task_id, file_paths, progress_manager, server)


def track_output_files(
    task_id: str,
    file_paths: List[Union[str, Path]],
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> bool:
    """Adds output files to the task's newest run. False when the task has no run."""
    return _track("TrackOutputFiles", pb.TrackOutputFilesRequest, "track_output_files",
                  task_id, file_paths, progress_manager, server)


# spec key -> (mask path, converter onto the Execution message). The keys are
# the log file's; every other key of an update is an extra key of the run.
def _set_task_type(e, v): e.task_type = "" if v is None else str(v)
def _set_timestamp(e, v): e.record_time.CopyFrom(_to_timestamp(v))
def _set_success(e, v): e.success = bool(v)
def _set_report(e, v): e.report_path = "" if v is None else str(v)
def _set_inputs(e, v): e.input_files.extend(_input_files(v, keep_extra=True))
def _set_outputs(e, v): e.output_files.extend(_output_files(v, keep_extra=True))
def _set_hostname(e, v): e.hostname = "" if v is None else str(v)


def _set_duration(e, v):
    e.duration.CopyFrom(_to_duration(v))
    e.integer_execution_time = _is_integer_seconds(v)


_UPDATE_FIELDS = {
    "task_type": ("task_type", _set_task_type),
    "timestamp": ("record_time", _set_timestamp),
    "success": ("success", _set_success),
    "execution_time": ("duration", _set_duration),
    "report_path": ("report_path", _set_report),
    "input_files": ("input_files", _set_inputs),
    "output_files": ("output_files", _set_outputs),
    "hostname": ("hostname", _set_hostname),
}
_FIXED_KEYS = ("task_id", "task_run_id")


def _extra_mask_path(key: str) -> str:
    """The field-mask path of one extra key: ``extra_fields.KEY``, quoted in backticks
    when the key holds ``.`` or a backtick (a backtick inside is doubled)."""
    if "." in key or "`" in key:
        return "extra_fields.`" + key.replace("`", "``") + "`"
    return f"extra_fields.{key}"


def _update_request(task_run_id: str, updates: Dict[str, Any]) -> Tuple["pb.Execution", List[str]]:
    """The run message and mask paths for ``updates``: spec keys through their typed
    fields (and the server's checks), any other key as JSON text in ``extra_fields``."""
    execution = pb.Execution(run_id=task_run_id or "")
    mask: List[str] = []
    for key, value in (updates or {}).items():
        if key in _FIXED_KEYS:
            raise ExecutionLogError(f"update_execution_record: {key} cannot be changed")
        if not isinstance(key, str) or not key:
            raise ExecutionLogError(f"update_execution_record: keys must be non-empty strings, got {key!r}")
        if key in _UPDATE_FIELDS:
            path, setter = _UPDATE_FIELDS[key]
            setter(execution, value)
        else:
            execution.extra_fields[key] = _json_text(key, value)
            path = _extra_mask_path(key)
        if path not in mask:
            mask.append(path)
    return execution, mask


def update_execution_record(
    task_run_id: str,
    updates: Dict[str, Any],
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> bool:
    """Changes fields of a run, or adds keys to it. False when no run has that id.

    The log file's keys go through the server's checks: ``task_type``,
    ``timestamp`` (ISO string, datetime or epoch seconds), ``success``,
    ``execution_time`` (seconds; an int stays an int), ``report_path``,
    ``input_files`` (list of {name, path, ...} or a {name: path} dict),
    ``output_files`` (list of paths or {path, type, description, ...}) and
    ``hostname``. Any other key (``notes``, ``metrics``, ``tags``...) is set on
    the run as the library sets it, and comes back from every read; its value
    must be JSON-serialisable, else ``ExecutionLogError`` names the key.
    ``task_id`` and ``task_run_id`` cannot be changed and raise.
    """
    execution, mask = _update_request(task_run_id, updates)
    if not mask:
        return True
    try:
        _stub(server).UpdateExecution(
            pb.UpdateExecutionRequest(execution=execution, update_mask=field_mask_pb2.FieldMask(paths=mask)),
            timeout=_timeout(),
        )
    except grpc.RpcError as e:
        error = _error(e, "update_execution_record")
        if error.reason == _NO_SUCH_RUN:
            _pm_log(progress_manager, "warning", f"Execution record not found: {task_run_id}")
            return False
        raise error from e
    _pm_log(progress_manager, "debug", f"Updated execution record {task_run_id}")
    return True


def remove_execution_record(
    task_run_id: str,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> bool:
    """Removes a run. False when no run has that id."""
    try:
        _stub(server).DeleteExecution(pb.DeleteExecutionRequest(run_id=task_run_id or ""), timeout=_timeout())
    except grpc.RpcError as e:
        error = _error(e, "remove_execution_record")
        if error.reason == _NO_SUCH_RUN:
            _pm_log(progress_manager, "warning", f"Execution record not found: {task_run_id}")
            return False
        raise error from e
    _pm_log(progress_manager, "debug", f"Removed execution record {task_run_id}")
    return True


def get_execution_record(task_run_id: str, *, server: Optional[str] = None) -> Dict[str, Any]:
    """(execlog addition) Returns one run by id; ``ExecutionLogError`` (reason ``RUN_NOT_FOUND``) when unknown."""
    try:
        response = _stub(server).GetExecution(pb.GetExecutionRequest(run_id=task_run_id or ""), timeout=_timeout())
    except grpc.RpcError as e:
        raise _error(e, "get_execution_record") from e
    return _record(response.execution)


def _stream(call, operation: str, pm) -> Iterator[Any]:
    """Yields the non-progress events of a server stream, relaying progress to ``pm``."""
    relay = _ProgressRelay(pm, operation)
    try:
        for message in call:
            kind = message.WhichOneof("event")
            if kind == "progress":
                relay.event(message.progress)
            else:
                yield kind, getattr(message, kind)
    except grpc.RpcError as e:
        raise _error(e, operation) from e
    finally:
        relay.close()


_CLEANUP_RULES = {
    "old_and_beyond_count": pb.CLEANUP_RULE_OLD_AND_BEYOND_COUNT,
    "old_or_beyond_count": pb.CLEANUP_RULE_OLD_OR_BEYOND_COUNT,
}


def cleanup_old_executions(
    max_age_days: int = 30,
    max_per_task: int = 10,
    dry_run: bool = False,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    rule: str = "old_and_beyond_count",
    server: Optional[str] = None,
) -> Tuple[int, List[str]]:
    """Removes old runs; returns (number removed, removed task run ids).

    By default the library's rule: a run goes only when it is both older than
    ``max_age_days`` and beyond its task's newest ``max_per_task`` runs, so each
    task keeps its newest runs whatever their age and every run younger than
    the age stays (``max_per_task=0`` lets the age alone decide). A dry run
    names exactly the runs a real run removes.

    ``rule="old_or_beyond_count"`` (execlog addition) removes a run that is
    old *or* beyond the count instead; a task idle for longer than the age then
    loses every run, so it is only used when asked for by name.
    """
    if rule not in _CLEANUP_RULES:
        raise ExecutionLogError(f"Unsupported cleanup rule: {rule!r} (use {' or '.join(map(repr, _CLEANUP_RULES))})")
    request = pb.CleanupExecutionsRequest(
        max_age_days=int(max_age_days), max_runs_per_task=int(max_per_task), dry_run=bool(dry_run),
        rule=_CLEANUP_RULES[rule],
    )
    call = _stub(server).CleanupExecutions(request, timeout=_long_timeout())
    removed: List[str] = []
    for kind, value in _stream(call, "cleanup_old_executions", progress_manager):
        if kind == "removed_runs":
            removed.extend(value.run_ids)
        elif kind == "result":
            verb = "Would remove" if value.dry_run else "Removed"
            _pm_log(progress_manager, "info", f"{verb} {value.removed_count} execution records")
            return int(value.removed_count), removed
    raise ExecutionLogError("cleanup_old_executions failed: the server sent no result")


def _problem_text(p) -> str:
    where = " ".join(x for x in (
        f"run {p.run_id}" if p.run_id else "",
        f"task {p.task_id}" if p.task_id and not p.run_id else "",
        f"field {p.field}" if p.field else "",
    ) if x)
    return f"{where}: {p.message}" if where else p.message


def validate_execution_log(
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> Tuple[bool, List[str]]:
    """Checks the log; returns (valid, list of error messages)."""
    call = _stub(server).ValidateLog(pb.ValidateLogRequest(), timeout=_long_timeout())
    for kind, value in _stream(call, "validate_execution_log", progress_manager):
        if kind == "result":
            return bool(value.valid), [_problem_text(p) for p in value.problems]
    raise ExecutionLogError("validate_execution_log failed: the server sent no result")


# format -> (ExportFormat, default file suffix)
_FORMATS = {
    "json": (pb.EXPORT_FORMAT_JSON, "json"),
    "csv": (pb.EXPORT_FORMAT_CSV, "csv"),
    "csv_with_files": (pb.EXPORT_FORMAT_CSV_WITH_FILES, "csv"),
}


def export_execution_log(
    output_path: Optional[Path] = None,
    format: str = "json",
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    server: Optional[str] = None,
) -> Path:
    """Streams the log from the server into a local file and returns its path.

    ``format``: ``"json"`` (the log file), ``"csv"`` (the library's columns
    ``task_id,task_type,task_run_id,timestamp,success,execution_time,
    report_path,input_files_count,output_files_count,hostname``) or, as an
    execlog addition, ``"csv_with_files"`` (the files themselves instead of
    their counts). Without ``output_path`` the file is
    ``execution_log_export_<time>.<json|csv>`` in the current directory. The
    copy is checked against the server's SHA-256.
    """
    fmt = (format or "json").lower()
    if fmt not in _FORMATS:
        raise ExecutionLogError(f"Unsupported export format: {format} (use {', '.join(map(repr, _FORMATS))})")
    export_format, suffix = _FORMATS[fmt]
    if output_path is None:
        output_path = Path(f"execution_log_export_{_dt.datetime.now().strftime('%Y%m%d_%H%M%S')}.{suffix}")
    output_path = Path(output_path)
    try:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{output_path.name}.", dir=str(output_path.parent))
    except OSError as e:
        raise ExecutionLogError(f"export_execution_log failed: cannot write {output_path}: {e}") from e
    digest = hashlib.sha256()
    size = 0
    result = None
    try:
        with os.fdopen(fd, "wb") as out:
            call = _stub(server).ExportLog(pb.ExportLogRequest(format=export_format), timeout=_long_timeout())
            for kind, value in _stream(call, "export_execution_log", progress_manager):
                if kind == "chunk":
                    out.write(value.data)
                    digest.update(value.data)
                    size += len(value.data)
                elif kind == "result":
                    result = value
        if result is None:
            raise ExecutionLogError("export_execution_log failed: the server sent no result")
        if result.size_bytes != size or (result.sha256 and result.sha256 != digest.hexdigest()):
            raise ExecutionLogError(
                f"export_execution_log failed: received {size} bytes (sha256 {digest.hexdigest()}), "
                f"server sent {result.size_bytes} bytes (sha256 {result.sha256})"
            )
        os.replace(tmp_name, output_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _pm_log(progress_manager, "info", f"Exported {result.execution_count} execution records to {output_path}")
    return output_path


def _chunks(path: Path, options: "pb.ImportOptions") -> Iterable["pb.ImportLogRequest"]:
    yield pb.ImportLogRequest(options=options)
    with open(path, "rb") as f:
        while True:
            data = f.read(IMPORT_CHUNK_SIZE)
            if not data:
                return
            yield pb.ImportLogRequest(chunk=data)


def import_execution_log(
    input_path: Path,
    merge: bool = False,
    progress_manager: Optional[ProgressManagerProtocol] = None,
    *,
    source_root: Optional[Union[str, Path]] = None,
    server: Optional[str] = None,
) -> bool:
    """Uploads a log file (the JSON format) to the server: merge into or replace the log.

    ``source_root`` (execlog addition) is the absolute project root the log was
    written under: its absolute paths under that root are rebased onto the
    server's root, so a log moves between projects. Without it a log holding
    absolute paths outside the server's root is rejected whole.
    """
    input_path = Path(input_path)
    if not input_path.is_file():
        raise ExecutionLogError(f"Import file not found: {input_path}")
    options = pb.ImportOptions(
        mode=pb.IMPORT_MODE_MERGE if merge else pb.IMPORT_MODE_REPLACE,
        source_root="" if source_root is None else os.fspath(source_root),
    )
    call = _stub(server).ImportLog(_chunks(input_path, options), timeout=_long_timeout())
    for kind, value in _stream(call, "import_execution_log", progress_manager):
        if kind == "result":
            _pm_log(progress_manager, "info",
                    f"Imported {value.imported_count} execution records ({value.skipped_count} skipped)")
            return True
    return False
