"""The native Python client of the execlog service: every operation of the contract.

::

    import execlog

    with execlog.connect() as log:        # EXECLOG_SERVER, EXECLOG_TLS_CA, EXECLOG_TOKEN...
        run = log.record("t_1I", "ingestion", duration=45.2,
                         inputs={"customers": "DATA/raw/customers.csv"},
                         outputs=["DATA/processed/customers.csv"])
        if log.check_dependencies(["t_1I"]).satisfied:
            ...

Every call has a deadline (``timeout``, 30 s; cleanup, validate, export and
import ``long_timeout``, 1 hour; each method also takes ``timeout=``), listings
follow page tokens, long operations report :class:`~execlog.models.Progress` to
a callback, and every failure raises :class:`~execlog.errors.ExecLogError`
with ``code``, ``reason``, ``field`` and ``metadata``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import tempfile
import uuid
from enum import Enum
from pathlib import Path
from typing import (
    IO, Any, Callable, Iterable, Iterator, List, Mapping, Optional, Sequence, Type, TypeVar, Union,
)

import grpc
from google.protobuf import field_mask_pb2

from execlog import _mapping as m
from execlog.connection import ConnectionOptions
from execlog.errors import ExecLogError, error_from
from execlog.models import (
    Bucket, CleanupResult, CleanupRule, DependencyReport, Direction, ExportFormat, ExportResult,
    ImportResult, Level, LineageGraph, LogInfo, Page, Progress, RecordOutcome, Run,
    StatisticsReport, TaskSummary, ValidationReport,
)
from execlog.v1 import execution_log_pb2 as pb
from execlog.v1 import execution_log_pb2_grpc as pb_grpc
from execlog.watch import ExecutionWatch

__all__ = ["ExecLogClient", "ExecutionWatch", "ProgressCallback", "connect"]

ProgressCallback = Callable[[Progress], None]
"""Called with each progress event of a long operation, on the calling thread."""

IMPORT_CHUNK_SIZE = 64 * 1024
MAX_PAGE_SIZE = 1000
E = TypeVar("E", bound=Enum)
R = TypeVar("R")


def _enum(kind: Type[E], value: Union[E, str]) -> E:
    """An enum member from itself, its value or its name (any case)."""
    if isinstance(value, kind):
        return value
    text = str(value).strip()
    for member in kind:
        if text.lower() in (str(member.value).lower(), member.name.lower()):
            return member
    choices = ", ".join(str(member.value) for member in kind)
    raise ValueError(f"{value!r} is not a {kind.__name__} ({choices})")


def _local_hostname() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return ""


def _no_progress(_: Progress) -> None:
    pass


class ExecLogClient:
    """A connection to one execlog server. Use :func:`execlog.connect` to open one.

    ``ExecLogClient(channel)`` wraps a channel the caller owns and closes;
    a client made by :func:`connect` owns its channel and closes it on
    :meth:`close` or at the end of a ``with`` block. Thread-safe: share one.
    """

    def __init__(self, channel: grpc.Channel, *, timeout: float = 30.0, long_timeout: float = 3600.0,
                 hostname: Optional[str] = None, _owned: bool = False) -> None:
        self._channel = channel
        self._owned = _owned
        self.stub = pb_grpc.ExecutionLogServiceStub(channel)
        """The generated stub, for calls that need the protobuf messages themselves (add ``timeout=``)."""
        self.timeout = float(timeout)
        self.long_timeout = float(long_timeout)
        self.hostname = _local_hostname() if hostname is None else hostname
        """Sent as the host of each recorded run that names none: this machine's name by default."""

    @classmethod
    def from_options(cls, options: ConnectionOptions, *, hostname: Optional[str] = None) -> "ExecLogClient":
        """Opens a channel as ``options`` say; the client owns it."""
        return cls(options.open_channel(), timeout=options.timeout, long_timeout=options.long_timeout,
                   hostname=hostname, _owned=True)

    def close(self) -> None:
        """Closes the channel if this client opened it; open watches end."""
        if self._owned:
            self._channel.close()

    def __enter__(self) -> "ExecLogClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def _call(self, operation: str, method: Callable[..., R], request: Any, timeout: Optional[float]) -> R:
        try:
            return method(request, timeout=self.timeout if timeout is None else timeout)
        except grpc.RpcError as e:
            raise error_from(e, operation) from e

    def _optional(self, operation: str, reasons: Sequence[str], method: Callable[..., R], request: Any,
                  timeout: Optional[float]) -> Optional[R]:
        try:
            return self._call(operation, method, request, timeout)
        except ExecLogError as e:
            if e.reason in reasons:
                return None
            raise

    def _stream(self, operation: str, call: Any, progress: Optional[ProgressCallback]) -> Iterator[Any]:
        """Yields ``(kind, value)`` of each non-progress event, handing progress to the callback.
        Leaving early (an exception, a break) cancels the call: nothing is changed then."""
        report = progress or _no_progress
        try:
            for message in call:
                kind = message.WhichOneof("event")
                if kind == "progress":
                    report(m.progress(message.progress))
                else:
                    yield kind, getattr(message, kind)
        except grpc.RpcError as e:
            raise error_from(e, operation) from e
        finally:
            call.cancel()

    @staticmethod
    def _no_result(operation: str) -> ExecLogError:
        return ExecLogError(f"{operation} failed: the server ended the stream without a result",
                            code=grpc.StatusCode.INTERNAL)

    # ------------------------------------------------------------------ runs

    def record(self, task_id: str, task_type: str, *, success: bool = True, duration: m.Seconds = 0.0,
               report_path: Optional[m.PathArg] = None, inputs: Optional[m.Inputs] = None,
               outputs: Optional[m.Outputs] = None, run_id: Optional[str] = None,
               record_time: Optional[m.TimeArg] = None, hostname: Optional[str] = None,
               extra_fields: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> Run:
        """Records one run and returns it as stored (spec: ``record_task_execution``).

        ``duration``: seconds or a timedelta; an int is stored as an integer, as
        the reference library does. ``inputs``: ``{name: path}`` or a list of
        paths, ``(name, path)`` pairs or :class:`InputFile`. ``outputs``: paths
        (typed by their suffix) or :class:`OutputFile`. ``run_id``: a fresh UUID
        unless given; send the same id again to retry safely (see
        :meth:`record_with_outcome`). ``record_time`` defaults to the server's
        clock, ``hostname`` to this machine's name. ``extra_fields``: keys beyond
        the spec's ten (``notes``, ``metrics``...), any JSON-serialisable values.
        """
        return self.record_with_outcome(
            task_id, task_type, success=success, duration=duration, report_path=report_path, inputs=inputs,
            outputs=outputs, run_id=run_id, record_time=record_time, hostname=hostname, extra_fields=extra_fields,
            timeout=timeout).run

    def record_with_outcome(self, task_id: str, task_type: str, *, success: bool = True,
                            duration: m.Seconds = 0.0, report_path: Optional[m.PathArg] = None,
                            inputs: Optional[m.Inputs] = None, outputs: Optional[m.Outputs] = None,
                            run_id: Optional[str] = None, record_time: Optional[m.TimeArg] = None,
                            hostname: Optional[str] = None, extra_fields: Optional[Mapping[str, Any]] = None,
                            timeout: Optional[float] = None) -> RecordOutcome:
        """Like :meth:`record`, also telling whether the run was already stored: a retry of the
        same ``run_id`` with the same content returns the stored run and adds nothing
        (``already_recorded``); the same id with other content fails with ``RUN_ID_TAKEN``."""
        execution = pb.Execution(
            run_id=run_id or str(uuid.uuid4()),
            task_id=task_id,
            task_type=task_type,
            success=bool(success),
            duration=m.duration(duration),
            integer_execution_time=m.is_whole_seconds(duration),
            report_path="" if report_path is None else m.path_text(report_path),
            input_files=m.input_files(inputs),
            output_files=m.output_files(outputs),
            hostname=self.hostname if hostname is None else hostname,
            extra_fields=m.json_texts(extra_fields),
        )
        when = m.timestamp(record_time)
        if when is not None:
            execution.record_time.CopyFrom(when)
        r = self._call("record", self.stub.RecordExecution, pb.RecordExecutionRequest(execution=execution), timeout)
        return RecordOutcome(run=m.run(r.execution), already_recorded=r.already_recorded)

    def get(self, run_id: str, *, timeout: Optional[float] = None) -> Run:
        """One run by its id; raises ``ExecLogError`` with reason ``RUN_NOT_FOUND`` when none has it."""
        return m.run(self._call("get", self.stub.GetExecution, pb.GetExecutionRequest(run_id=run_id), timeout).execution)

    def list_executions(self, task_id: Optional[str] = None, *, success_only: bool = False,
                        start: Optional[m.TimeArg] = None, end: Optional[m.TimeArg] = None, page_size: int = 0,
                        page_token: str = "", timeout: Optional[float] = None) -> Page[Run]:
        """One page of runs, newest first: of one task or all; ``start`` inclusive, ``end`` exclusive.
        ``page_size`` 0 means the server's default (100); pass the page's ``next_page_token`` to go on."""
        request = pb.ListExecutionsRequest(task_id=task_id or "", success_only=success_only, page_size=page_size,
                                           page_token=page_token)
        for name, value in (("start_time", start), ("end_time", end)):
            ts = m.timestamp(value)
            if ts is not None:
                getattr(request, name).CopyFrom(ts)
        r = self._call("history", self.stub.ListExecutions, request, timeout)
        return Page(items=tuple(m.run(e) for e in r.executions), next_page_token=r.next_page_token)

    def history_pages(self, task_id: Optional[str] = None, *, success_only: bool = False,
                      start: Optional[m.TimeArg] = None, end: Optional[m.TimeArg] = None, page_size: int = MAX_PAGE_SIZE,
                      page_token: str = "", timeout: Optional[float] = None) -> Iterator[Page[Run]]:
        """The pages of a history, fetched one at a time as the iteration goes, from ``page_token``
        (the first page when empty). Each page's ``next_page_token`` resumes after it."""
        token = page_token
        while True:
            page = self.list_executions(task_id, success_only=success_only, start=start, end=end,
                                        page_size=page_size, page_token=token, timeout=timeout)
            yield page
            token = page.next_page_token
            if not token:
                return

    def history(self, task_id: Optional[str] = None, *, success_only: bool = False,
                start: Optional[m.TimeArg] = None, end: Optional[m.TimeArg] = None, limit: Optional[int] = None,
                page_size: int = MAX_PAGE_SIZE, timeout: Optional[float] = None) -> Iterator[Run]:
        """Runs, newest first, at most ``limit`` (every run when ``None``), fetched a page at a time
        (spec: ``get_task_execution_history``)."""
        if limit is not None and limit <= 0:
            return
        got = 0
        for page in self.history_pages(task_id, success_only=success_only, start=start, end=end,
                                       page_size=min(page_size, limit) if limit else page_size, timeout=timeout):
            for item in page.items:
                yield item
                got += 1
                if limit is not None and got >= limit:
                    return

    def latest(self, task_id: str, *, include_failed: bool = False, timeout: Optional[float] = None) -> Optional[Run]:
        """The task's newest run, only successful ones unless ``include_failed``; ``None`` when it has none
        (spec: ``find_latest_execution``)."""
        r = self._optional("latest", ("TASK_HAS_NO_RUN",), self.stub.GetLatestExecution,
                           pb.GetLatestExecutionRequest(task_id=task_id, include_failed=include_failed), timeout)
        return None if r is None else m.run(r.execution)

    def producer(self, path: m.PathArg, *, timeout: Optional[float] = None) -> Optional[Run]:
        """The newest run that wrote the file; ``None`` when none did (spec: ``find_task_by_output``)."""
        r = self._optional("producer", ("PRODUCER_NOT_FOUND",), self.stub.FindOutputProducer,
                           pb.FindOutputProducerRequest(path=m.path_text(path)), timeout)
        return None if r is None else m.run(r.execution)

    def producers(self, path: m.PathArg, *, timeout: Optional[float] = None) -> List[Run]:
        """Every run that wrote the file, newest first (at most the server's page limit)."""
        r = self._optional("producers", ("PRODUCER_NOT_FOUND",), self.stub.FindOutputProducer,
                           pb.FindOutputProducerRequest(path=m.path_text(path), include_all=True), timeout)
        return [] if r is None else [m.run(e) for e in r.producers]

    def track_inputs(self, task_id: str, paths: Iterable[m.PathArg], *, timeout: Optional[float] = None) -> Run:
        """Adds input files to the task's newest run and returns it (``TASK_HAS_NO_RUN`` when none)."""
        request = pb.TrackInputFilesRequest(task_id=task_id, paths=[m.path_text(p) for p in paths])
        return m.run(self._call("track inputs", self.stub.TrackInputFiles, request, timeout).execution)

    def track_outputs(self, task_id: str, paths: Iterable[m.PathArg], *, timeout: Optional[float] = None) -> Run:
        """Adds output files to the task's newest run and returns it (``TASK_HAS_NO_RUN`` when none)."""
        request = pb.TrackOutputFilesRequest(task_id=task_id, paths=[m.path_text(p) for p in paths])
        return m.run(self._call("track outputs", self.stub.TrackOutputFiles, request, timeout).execution)

    def update(self, run_id: str, *, task_type: Optional[str] = None, record_time: Optional[m.TimeArg] = None,
               success: Optional[bool] = None, duration: Optional[m.Seconds] = None,
               report_path: Optional[m.PathArg] = None, inputs: Optional[m.Inputs] = None,
               outputs: Optional[m.Outputs] = None, hostname: Optional[str] = None,
               extra_fields: Optional[Mapping[str, Any]] = None, set_extra: Optional[Mapping[str, Any]] = None,
               remove_extra: Iterable[str] = (), timeout: Optional[float] = None) -> Run:
        """Changes the named fields of a run and returns it; the others stay (a field mask holds
        exactly the arguments given; ``None`` means "leave as is").

        ``extra_fields`` replaces all the run's extra keys; ``set_extra`` sets some
        (keeping the others) and ``remove_extra`` removes some. ``RUN_NOT_FOUND``
        for an unknown id.
        """
        execution = pb.Execution(run_id=run_id)
        mask: List[str] = []
        if task_type is not None:
            execution.task_type = task_type
            mask.append("task_type")
        if record_time is not None:
            execution.record_time.CopyFrom(m.timestamp(record_time))
            mask.append("record_time")
        if success is not None:
            execution.success = bool(success)
            mask.append("success")
        if duration is not None:
            execution.duration.CopyFrom(m.duration(duration))
            execution.integer_execution_time = m.is_whole_seconds(duration)
            mask.append("duration")
        if report_path is not None:
            execution.report_path = m.path_text(report_path)
            mask.append("report_path")
        if inputs is not None:
            execution.input_files.extend(m.input_files(inputs))
            mask.append("input_files")
        if outputs is not None:
            execution.output_files.extend(m.output_files(outputs))
            mask.append("output_files")
        if hostname is not None:
            execution.hostname = hostname
            mask.append("hostname")
        if extra_fields is not None:
            execution.extra_fields.update(m.json_texts(extra_fields))
            mask.append("extra_fields")
        for key, text in m.json_texts(set_extra).items():
            execution.extra_fields[key] = text
            mask.append(m.extra_mask_path(key))
        for key in remove_extra:
            mask.append(m.extra_mask_path(key))
        if not mask:
            raise ValueError("update: name at least one field to change")
        request = pb.UpdateExecutionRequest(execution=execution, update_mask=field_mask_pb2.FieldMask(paths=mask))
        return m.run(self._call("update", self.stub.UpdateExecution, request, timeout).execution)

    def delete(self, run_id: str, *, timeout: Optional[float] = None) -> Run:
        """Removes a run and returns it (``RUN_NOT_FOUND`` for an unknown id). Needs the admin role."""
        return m.run(self._call("delete", self.stub.DeleteExecution, pb.DeleteExecutionRequest(run_id=run_id),
                                timeout).execution)

    def list_tasks(self, *, page_size: int = 0, page_token: str = "", timeout: Optional[float] = None) -> Page[TaskSummary]:
        """One page of task summaries, ordered by task id."""
        r = self._call("tasks", self.stub.ListTasks, pb.ListTasksRequest(page_size=page_size, page_token=page_token),
                       timeout)
        return Page(items=tuple(m.summary(t) for t in r.tasks), next_page_token=r.next_page_token)

    def tasks(self, *, timeout: Optional[float] = None) -> List[TaskSummary]:
        """Every task summary (the log's ``tasks`` map), ordered by task id."""
        found: List[TaskSummary] = []
        token = ""
        while True:
            page = self.list_tasks(page_size=MAX_PAGE_SIZE, page_token=token, timeout=timeout)
            found.extend(page.items)
            token = page.next_page_token
            if not token:
                return found

    def check_dependencies(self, task_ids: Iterable[str], *, max_age: Optional[m.Seconds] = None,
                           require_latest_success: bool = False, newer_than_task: Optional[str] = None,
                           newer_than_run: Optional[str] = None, require_outputs_exist: bool = False,
                           timeout: Optional[float] = None) -> DependencyReport:
        """Whether each task has succeeded, checked by the server in one call (spec: "Task Dependency
        Validation"). ``max_age``: a newest success older than this is STALE. ``require_latest_success``:
        a failed newest run fails the dependency. ``newer_than_task``/``newer_than_run``: a success
        recorded before the asking task's newest run (or that run) is STALE. ``require_outputs_exist``:
        the outputs of the newest success must exist on the server's disk (else OUTPUTS_MISSING)."""
        if newer_than_task is not None and newer_than_run is not None:
            raise ValueError("check_dependencies: give newer_than_task or newer_than_run, not both")
        request = pb.CheckDependenciesRequest(task_ids=list(task_ids), require_latest_success=require_latest_success,
                                              require_outputs_exist=require_outputs_exist)
        if max_age is not None:
            request.max_age.CopyFrom(m.duration(max_age))
        if newer_than_task is not None:
            request.newer_than_task_id = newer_than_task
        if newer_than_run is not None:
            request.newer_than_run_id = newer_than_run
        return m.dependencies(self._call("check dependencies", self.stub.CheckDependencies, request, timeout))

    # ------------------------------------------------------------------ data flow and insight

    def lineage(self, *, task_id: Optional[str] = None, run_id: Optional[str] = None,
                path: Optional[m.PathArg] = None, direction: Union[Direction, str] = Direction.BOTH,
                depth: int = 0, level: Union[Level, str] = Level.TASK, max_nodes: int = 0,
                timeout: Optional[float] = None) -> LineageGraph:
        """The lineage graph around a task, a run or a file (exactly one): what it was made from
        (upstream), what was made from it (downstream) or both, per task or per run. ``depth`` 0
        means the server's default (5 hops); ``max_nodes`` 0 its maximum (10,000)."""
        starts = [(n, v) for n, v in (("task_id", task_id), ("run_id", run_id), ("path", path)) if v is not None]
        if len(starts) != 1:
            raise ValueError("lineage: give exactly one of task_id, run_id and path")
        request = pb.GetLineageRequest(direction=m.DIRECTIONS[_enum(Direction, direction)], depth=depth,
                                       level=m.LEVELS[_enum(Level, level)], max_nodes=max_nodes)
        name, value = starts[0]
        setattr(request, name, m.path_text(value) if name == "path" else value)
        return m.lineage(self._call("lineage", self.stub.GetLineage, request, timeout))

    def statistics(self, task_id: Optional[str] = None, *, start: Optional[m.TimeArg] = None,
                   end: Optional[m.TimeArg] = None, bucket: Union[Bucket, str, None] = None,
                   timeout: Optional[float] = None) -> StatisticsReport:
        """Run counts, success rates and duration figures of one task or all, over a window
        (``start`` inclusive, ``end`` exclusive), with a time series per ``bucket`` (hour, day, week)."""
        request = pb.GetTaskStatisticsRequest(task_id=task_id or "")
        if bucket is not None:
            request.bucket = m.BUCKETS[_enum(Bucket, bucket)]
        for name, value in (("start_time", start), ("end_time", end)):
            ts = m.timestamp(value)
            if ts is not None:
                getattr(request, name).CopyFrom(ts)
        return m.statistics(self._call("statistics", self.stub.GetTaskStatistics, request, timeout))

    def watch(self, task_id: Optional[str] = None, *, task_type: Optional[str] = None,
              success: Optional[bool] = None, after_sequence: Optional[int] = None,
              timeout: Optional[float] = None) -> ExecutionWatch:
        """Starts watching the log's changes and returns once the server has confirmed the watch:
        every change committed after this returns is delivered. Iterate over the
        :class:`ExecutionWatch`; close it (or leave its ``with`` block) to stop. No deadline
        unless ``timeout``.

        ``after_sequence``: the ``last_sequence`` of an earlier watch (from its
        :class:`~execlog.errors.WatchLaggedError` or ``last_sequence``) to resume from: the new
        watch's ``may_have_missed`` then tells whether changes were committed in between, which
        only the history has (the server does not replay them).
        """
        request = pb.WatchExecutionsRequest(task_id=task_id or "", task_type=task_type or "")
        if success is not None:
            request.success = success
        call = self.stub.WatchExecutions(request, timeout=timeout)
        return ExecutionWatch(call, after_sequence)

    def info(self, *, timeout: Optional[float] = None) -> LogInfo:
        """Where the log is, how many runs and tasks it holds, the server's version
        (spec: ``initialize_execution_log`` returns the path)."""
        return m.info(self._call("info", self.stub.GetLogInfo, pb.GetLogInfoRequest(), timeout))

    # ------------------------------------------------------------------ long operations

    def _long(self, timeout: Optional[float]) -> float:
        return self.long_timeout if timeout is None else timeout

    def cleanup(self, max_age_days: Optional[int] = None, max_runs_per_task: Optional[int] = None, *,
                rule: Union[CleanupRule, str] = CleanupRule.OLD_AND_BEYOND_COUNT, dry_run: bool = False,
                progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None) -> CleanupResult:
        """Removes old runs (spec: ``cleanup_old_executions``). By the reference library's rule a run goes
        only when both older than ``max_age_days`` (default 30) and beyond its task's newest
        ``max_runs_per_task`` (default 10); ``rule="old_or_beyond_count"`` removes either. A dry run
        names exactly the runs a real one removes. Needs the admin role."""
        request = pb.CleanupExecutionsRequest(dry_run=dry_run, rule=m.RULES[_enum(CleanupRule, rule)])
        if max_age_days is not None:
            request.max_age_days = max_age_days
        if max_runs_per_task is not None:
            request.max_runs_per_task = max_runs_per_task
        call = self.stub.CleanupExecutions(request, timeout=self._long(timeout))
        removed: List[str] = []
        for kind, value in self._stream("cleanup", call, progress):
            if kind == "removed_runs":
                removed.extend(value.run_ids)
            elif kind == "result":
                return m.cleanup(value, removed)
        raise self._no_result("cleanup")

    def validate(self, *, progress: Optional[ProgressCallback] = None,
                 timeout: Optional[float] = None) -> ValidationReport:
        """Checks the whole log for missing fields, bad values, duplicates and task summaries that
        disagree with the runs (spec: ``validate_execution_log``)."""
        call = self.stub.ValidateLog(pb.ValidateLogRequest(), timeout=self._long(timeout))
        for kind, value in self._stream("validate", call, progress):
            if kind == "result":
                return m.validation(value)
        raise self._no_result("validate")

    def export_log(self, destination: Union[m.PathArg, IO[bytes]], *,
                   format: Union[ExportFormat, str] = ExportFormat.JSON, task_id: Optional[str] = None,
                   progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None) -> ExportResult:
        """Streams the log (or one task's runs) into a file path or a binary file object, as JSON (the
        log file's format, importable), the library's CSV or CSV with the files (spec:
        ``export_execution_log``). The bytes are checked against the server's size and SHA-256; a path
        is written whole or not at all."""
        request = pb.ExportLogRequest(format=m.FORMATS[_enum(ExportFormat, format)], task_id=task_id or "")
        if hasattr(destination, "write"):
            return self._export(request, destination, progress, timeout)  # type: ignore[arg-type]
        target = Path(os.fspath(destination))  # type: ignore[arg-type]
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent))
        try:
            with os.fdopen(fd, "wb") as out:
                result = self._export(request, out, progress, timeout)
            os.replace(tmp, target)
            return result
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _export(self, request: pb.ExportLogRequest, out: IO[bytes], progress: Optional[ProgressCallback],
                timeout: Optional[float]) -> ExportResult:
        digest = hashlib.sha256()
        size = 0
        call = self.stub.ExportLog(request, timeout=self._long(timeout))
        for kind, value in self._stream("export", call, progress):
            if kind == "chunk":
                out.write(value.data)
                digest.update(value.data)
                size += len(value.data)
            elif kind == "result":
                if value.size_bytes != size or (value.sha256 and value.sha256 != digest.hexdigest()):
                    raise ExecLogError(f"export failed: received {size} bytes (sha256 {digest.hexdigest()}), the "
                                       f"server sent {value.size_bytes} (sha256 {value.sha256})",
                                       code=grpc.StatusCode.DATA_LOSS)
                return ExportResult(execution_count=int(value.execution_count), size_bytes=int(value.size_bytes),
                                    sha256=value.sha256)
        raise self._no_result("export")

    def import_log(self, source: Union[m.PathArg, IO[bytes]], *, replace: bool = False, dry_run: bool = False,
                   source_root: Optional[m.PathArg] = None, progress: Optional[ProgressCallback] = None,
                   timeout: Optional[float] = None) -> ImportResult:
        """Uploads a log file in the spec's JSON format (a path or a binary file object) and merges its
        runs in (runs already stored keep their stored version) or, with ``replace``, replaces the log
        with it (spec: ``import_execution_log``). The file is checked whole first: a rejected import
        changes nothing. ``source_root``: the absolute project root the file was written under; its
        absolute paths are rebased onto the server's root. Needs the admin role."""
        options = pb.ImportOptions(mode=pb.IMPORT_MODE_REPLACE if replace else pb.IMPORT_MODE_MERGE,
                                   dry_run=dry_run,
                                   source_root="" if source_root is None else m.path_text(source_root))
        with contextlib.ExitStack() as stack:
            if hasattr(source, "read"):
                stream: IO[bytes] = source  # type: ignore[assignment]
            else:
                try:
                    stream = stack.enter_context(open(os.fspath(source), "rb"))  # type: ignore[arg-type]
                except OSError as e:
                    raise ExecLogError(f"import failed: cannot read {source}: {e.strerror or e}") from e
            call = self.stub.ImportLog(_upload(options, stream), timeout=self._long(timeout))
            for kind, value in self._stream("import", call, progress):
                if kind == "result":
                    return m.imported(value)
        raise self._no_result("import")


def _upload(options: pb.ImportOptions, stream: IO[bytes]) -> Iterator[pb.ImportLogRequest]:
    yield pb.ImportLogRequest(options=options)
    while True:
        data = stream.read(IMPORT_CHUNK_SIZE)
        if not data:
            return
        yield pb.ImportLogRequest(chunk=data)


def connect(target: Optional[str] = None, *, options: Optional[ConnectionOptions] = None,
            tls_ca: Optional[m.PathArg] = None, tls_cert: Optional[m.PathArg] = None,
            tls_key: Optional[m.PathArg] = None, tls_authority: Optional[str] = None, token: Optional[str] = None,
            token_file: Optional[m.PathArg] = None, tls: Optional[bool] = None, timeout: Optional[float] = None,
            long_timeout: Optional[float] = None, hostname: Optional[str] = None) -> ExecLogClient:
    """Opens a client: ``options`` (default: :meth:`ConnectionOptions.from_env`, the CLI's
    environment variables) with the keywords given here on top. Use it in a ``with`` block,
    or call ``close()``."""
    base = options if options is not None else ConnectionOptions.from_env()
    resolved = base.replace(target=target, tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key,
                            tls_authority=tls_authority, token=token, token_file=token_file, tls=tls,
                            timeout=timeout, long_timeout=long_timeout)
    return ExecLogClient.from_options(resolved, hostname=hostname)
