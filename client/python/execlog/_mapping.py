"""The one mapping between the native client's types and the contract's messages."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import PurePath
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from google.protobuf import duration_pb2, timestamp_pb2

from execlog.models import (
    Bucket, ChangeKind, CleanupResult, CleanupRule, DependencyReport, DependencyState, DependencyStatus,
    Direction, ExecutionChange, ExecutionStatistics, ExportFormat, ImportResult, InputFile, Level, LineageEdge,
    LineageGraph, LineageNode, LogInfo, NodeKind, OutputFile, Progress, RawJson, Run, StatisticsBucket,
    StatisticsReport, TaskStatistics, TaskSummary, ValidationProblem, ValidationReport,
)
from execlog.v1 import execution_log_pb2 as pb

Seconds = Union[int, float, timedelta]
PathArg = Union[str, "os.PathLike[str]"]
Inputs = Union[Mapping[str, PathArg], Iterable[Union[InputFile, PathArg, Tuple[str, PathArg]]]]
Outputs = Iterable[Union[OutputFile, PathArg]]
TimeArg = Union[datetime, float, int]


# --------------------------------------------------------------------------- scalars

def timestamp(value: Optional[TimeArg]) -> Optional[timestamp_pb2.Timestamp]:
    """A datetime (naive means local time) or epoch seconds as a Timestamp; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a time must be a datetime or epoch seconds, not a bool")
    if isinstance(value, (int, float)):
        t = datetime.fromtimestamp(value, timezone.utc)
    elif isinstance(value, datetime):
        t = value if value.tzinfo is not None else value.astimezone()
    else:
        raise TypeError(f"a time must be a datetime or epoch seconds, not {type(value).__name__}")
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(t.astimezone(timezone.utc).replace(tzinfo=None))
    return ts


def time_of(ts: timestamp_pb2.Timestamp) -> Optional[datetime]:
    if ts.seconds == 0 and ts.nanos == 0:
        return None
    return datetime.fromtimestamp(ts.seconds, timezone.utc) + timedelta(microseconds=ts.nanos // 1000)


def duration(value: Seconds) -> duration_pb2.Duration:
    """Seconds (int, float) or a timedelta, to the microsecond, as a Duration."""
    if isinstance(value, bool):
        raise TypeError("a duration must be seconds or a timedelta, not a bool")
    d = duration_pb2.Duration()
    if isinstance(value, timedelta):
        d.FromTimedelta(value)
    else:
        d.FromMicroseconds(round(float(value) * 1_000_000))
    return d


def is_whole_seconds(value: Seconds) -> bool:
    """Whether the caller passed an int, which the log file then holds as a JSON integer."""
    return isinstance(value, int) and not isinstance(value, bool)


def timedelta_of(d: duration_pb2.Duration) -> timedelta:
    return timedelta(seconds=d.seconds, microseconds=d.nanos // 1000)


def optional_timedelta(message: Any, name: str) -> Optional[timedelta]:
    return timedelta_of(getattr(message, name)) if message.HasField(name) else None


def json_text(key: str, value: Any) -> str:
    """One extra key's value as JSON text; a RawJson is sent as it is."""
    if isinstance(value, RawJson):
        return str(value)
    try:
        return json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise ValueError(f"the value of {key!r} cannot be stored as JSON: {e}") from e


def json_texts(values: Optional[Mapping[str, Any]]) -> Dict[str, str]:
    return {str(k): json_text(str(k), v) for k, v in (values or {}).items()}


def path_text(value: PathArg) -> str:
    return os.fspath(value)


# --------------------------------------------------------------------------- runs

def input_files(value: Optional[Inputs]) -> List[pb.InputFile]:
    """``{name: path}``, or a list of InputFile, paths, or (name, path) pairs."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [pb.InputFile(name=str(k), path=path_text(v)) for k, v in value.items()]
    files = []
    for item in value:
        if isinstance(item, InputFile):
            files.append(pb.InputFile(name=item.name, path=item.path, extra_fields=dict(item.extra_json)))
        elif isinstance(item, tuple):
            name, path = item
            files.append(pb.InputFile(name=str(name), path=path_text(path)))
        else:
            files.append(pb.InputFile(path=path_text(item)))
    return files


def output_files(value: Optional[Outputs]) -> List[pb.OutputFile]:
    """A list of OutputFile or paths; a bare path gets its suffix as ``type`` (``a.csv`` -> ``csv``)."""
    if value is None:
        return []
    files = []
    for item in value:
        if isinstance(item, OutputFile):
            files.append(pb.OutputFile(path=item.path, type=item.type, description=item.description,
                                       extra_fields=dict(item.extra_json)))
        else:
            text = path_text(item)
            files.append(pb.OutputFile(path=text, type=PurePath(text).suffix.lstrip(".")))
    return files


def run(e: pb.Execution) -> Run:
    return Run(
        run_id=e.run_id,
        task_id=e.task_id,
        task_type=e.task_type,
        record_time=time_of(e.record_time),
        success=e.success,
        duration=timedelta_of(e.duration),
        report_path=e.report_path,
        input_files=tuple(InputFile(path=f.path, name=f.name, extra_json=dict(f.extra_fields))
                          for f in e.input_files),
        output_files=tuple(OutputFile(path=f.path, type=f.type, description=f.description,
                                      extra_json=dict(f.extra_fields)) for f in e.output_files),
        hostname=e.hostname,
        extra_json=dict(e.extra_fields),
        integer_execution_time=e.integer_execution_time,
    )


def optional_run(message: Any, name: str) -> Optional[Run]:
    return run(getattr(message, name)) if message.HasField(name) else None


def summary(t: pb.TaskSummary) -> TaskSummary:
    return TaskSummary(task_id=t.task_id, task_type=t.task_type, last_record_time=time_of(t.last_record_time),
                       last_success=t.last_success, last_report_path=t.last_report_path,
                       last_run_id=t.last_run_id, run_count=int(t.run_count))


def extra_mask_path(key: str) -> str:
    """The update-mask path of one extra key; a key holding ``.`` or a backtick goes in backticks."""
    if "." in key or "`" in key:
        return "extra_fields.`" + key.replace("`", "``") + "`"
    return f"extra_fields.{key}"


# --------------------------------------------------------------------------- other messages

_STATES = {
    pb.DEPENDENCY_STATE_SATISFIED: DependencyState.SATISFIED,
    pb.DEPENDENCY_STATE_NEVER_RUN: DependencyState.NEVER_RUN,
    pb.DEPENDENCY_STATE_FAILED: DependencyState.FAILED,
    pb.DEPENDENCY_STATE_STALE: DependencyState.STALE,
    pb.DEPENDENCY_STATE_OUTPUTS_MISSING: DependencyState.OUTPUTS_MISSING,
}


def dependencies(r: pb.CheckDependenciesResponse) -> DependencyReport:
    return DependencyReport(satisfied=r.satisfied, dependencies=tuple(
        DependencyStatus(task_id=d.task_id, state=_STATES.get(d.state, DependencyState.UNKNOWN),
                         latest_success=optional_run(d, "latest_success"), latest=optional_run(d, "latest"),
                         message=d.message, missing_output_paths=tuple(d.missing_output_paths))
        for d in r.dependencies))


DIRECTIONS = {Direction.UPSTREAM: pb.LINEAGE_DIRECTION_UPSTREAM, Direction.DOWNSTREAM: pb.LINEAGE_DIRECTION_DOWNSTREAM,
              Direction.BOTH: pb.LINEAGE_DIRECTION_BOTH}
LEVELS = {Level.TASK: pb.LINEAGE_LEVEL_TASK, Level.RUN: pb.LINEAGE_LEVEL_RUN}
BUCKETS = {Bucket.HOUR: pb.TIME_BUCKET_HOUR, Bucket.DAY: pb.TIME_BUCKET_DAY, Bucket.WEEK: pb.TIME_BUCKET_WEEK}
RULES = {CleanupRule.OLD_AND_BEYOND_COUNT: pb.CLEANUP_RULE_OLD_AND_BEYOND_COUNT,
         CleanupRule.OLD_OR_BEYOND_COUNT: pb.CLEANUP_RULE_OLD_OR_BEYOND_COUNT}
FORMATS = {ExportFormat.JSON: pb.EXPORT_FORMAT_JSON, ExportFormat.CSV: pb.EXPORT_FORMAT_CSV,
           ExportFormat.CSV_WITH_FILES: pb.EXPORT_FORMAT_CSV_WITH_FILES}
_KINDS = {pb.CHANGE_KIND_RECORDED: ChangeKind.RECORDED, pb.CHANGE_KIND_UPDATED: ChangeKind.UPDATED,
          pb.CHANGE_KIND_REMOVED: ChangeKind.REMOVED}


def lineage(r: pb.GetLineageResponse) -> LineageGraph:
    nodes = []
    for n in r.nodes:
        kind = n.WhichOneof("kind")
        if kind == "task":
            nodes.append(LineageNode(id=n.id, distance=n.distance, kind=NodeKind.TASK, task=summary(n.task)))
        elif kind == "run":
            nodes.append(LineageNode(id=n.id, distance=n.distance, kind=NodeKind.RUN, run=run(n.run)))
        else:
            nodes.append(LineageNode(id=n.id, distance=n.distance, kind=NodeKind.FILE, path=n.path))
    edges = tuple(LineageEdge(e.source_node_id, e.target_node_id, e.path) for e in r.edges)
    return LineageGraph(start_node_id=r.start_node_id, nodes=tuple(nodes), edges=edges, truncated=r.truncated)


def _figures(s: pb.ExecutionStatistics) -> ExecutionStatistics:
    return ExecutionStatistics(
        run_count=int(s.run_count), success_count=int(s.success_count), success_rate=s.success_rate,
        mean_duration=optional_timedelta(s, "mean_duration"), p50_duration=optional_timedelta(s, "p50_duration"),
        p95_duration=optional_timedelta(s, "p95_duration"), max_duration=optional_timedelta(s, "max_duration"))


def _task_statistics(t: pb.TaskStatistics) -> TaskStatistics:
    return TaskStatistics(task_id=t.task_id, overall=_figures(t.overall), buckets=tuple(
        StatisticsBucket(time_of(b.start_time), time_of(b.end_time), _figures(b.statistics)) for b in t.buckets))


def statistics(r: pb.GetTaskStatisticsResponse) -> StatisticsReport:
    return StatisticsReport(total=_task_statistics(r.total), tasks=tuple(_task_statistics(t) for t in r.tasks))


def change(c: pb.ExecutionChange) -> ExecutionChange:
    return ExecutionChange(kind=_KINDS.get(c.kind, ChangeKind.UNKNOWN), run=run(c.execution), sequence=int(c.sequence))


def progress(p: pb.Progress) -> Progress:
    return Progress(stage=p.stage, done=int(p.done), total=int(p.total), message=p.message)


def cleanup(r: pb.CleanupResult, removed: List[str]) -> CleanupResult:
    return CleanupResult(removed_count=int(r.removed_count), removed_run_ids=tuple(removed or r.removed_run_ids),
                         dry_run=r.dry_run)


def validation(r: pb.ValidationResult) -> ValidationReport:
    return ValidationReport(valid=r.valid, checked_count=int(r.checked_count), problems=tuple(
        ValidationProblem(run_id=p.run_id, task_id=p.task_id, field=p.field, message=p.message) for p in r.problems))


def imported(r: pb.ImportResult) -> ImportResult:
    return ImportResult(imported_count=int(r.imported_count), skipped_count=int(r.skipped_count),
                        execution_count=int(r.execution_count), dry_run=r.dry_run)


def info(r: pb.GetLogInfoResponse) -> LogInfo:
    return LogInfo(path=r.path, project_root=r.project_root, execution_count=int(r.execution_count),
                   task_count=int(r.task_count), size_bytes=int(r.size_bytes),
                   last_modified_time=time_of(r.last_modified_time), create_time=time_of(r.create_time),
                   version=r.version, server_version=r.server_version)
