"""The native client's types: frozen dataclasses and string enums, never protobuf messages.

Why dataclasses rather than the generated messages: they carry Python types
(``datetime`` in UTC, ``timedelta``, ``None`` for "unset", tuples), compare
and print well, are complete for type checkers, and do not change when the
generated code does. The one mapping between them and the wire lives in
``execlog._mapping``; ``ExecLogClient.stub`` is there for the rare call that
needs the messages themselves.

Extra keys of a run (``notes``, ``metrics``...) travel as JSON texts:
``extra_json`` holds them exactly as stored, ``extra_fields`` decoded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, Dict, Generic, Iterator, Mapping, Optional, Tuple, TypeVar, Union

__all__ = [
    "InputFile", "OutputFile", "Run", "RecordOutcome", "TaskSummary", "Page", "DependencyState",
    "DependencyStatus", "DependencyReport", "Direction", "Level", "NodeKind", "LineageNode", "LineageEdge",
    "LineageGraph", "Bucket", "ExecutionStatistics", "StatisticsBucket", "TaskStatistics", "StatisticsReport",
    "ChangeKind", "ExecutionChange", "Progress", "CleanupRule", "CleanupResult", "ValidationProblem",
    "ValidationReport", "ExportFormat", "ExportResult", "ImportResult", "LogInfo", "RawJson", "iso_utc",
]

T = TypeVar("T")


class RawJson(str):
    """A JSON text to store as it is (``RawJson("0.30")`` keeps its digits), where a Python value is expected."""


def _decode(texts: Mapping[str, str]) -> Dict[str, Any]:
    return {k: json.loads(v) for k, v in texts.items()}


def iso_utc(t: Optional[datetime]) -> Optional[str]:
    """A time as the CLI's ``--json`` prints it (Java's ``Instant.toString()``): UTC, ``Z``,
    the fraction only when there is one, in groups of three digits."""
    if t is None:
        return None
    t = t.astimezone(timezone.utc)
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        fraction = f"{t.microsecond:06d}"
        text += "." + (fraction[:3] if fraction.endswith("000") else fraction)
    return text + "Z"


@dataclass(frozen=True)
class InputFile:
    """A file a run read: ``name`` is the dataset's name (defaults to the file name)."""

    path: str
    name: str = ""
    extra_json: Mapping[str, str] = field(default_factory=dict)

    @property
    def extra_fields(self) -> Dict[str, Any]:
        return _decode(self.extra_json)

    def to_dict(self) -> Dict[str, Any]:
        return {"name": self.name, "path": self.path, **self.extra_fields}


@dataclass(frozen=True)
class OutputFile:
    """A file a run wrote, with its kind (``csv``, ``png``...) and a description; both may be empty."""

    path: str
    type: str = ""
    description: str = ""
    extra_json: Mapping[str, str] = field(default_factory=dict)

    @property
    def extra_fields(self) -> Dict[str, Any]:
        return _decode(self.extra_json)

    def to_dict(self) -> Dict[str, Any]:
        return {"path": self.path, "type": self.type, "description": self.description, **self.extra_fields}


@dataclass(frozen=True)
class Run:
    """One recorded run of a task, as the server stores it.

    ``record_time`` is timezone-aware (UTC); ``duration`` has microsecond
    precision; ``integer_execution_time`` tells that the log file holds the
    duration as an integer (``241``), as the reference library writes a whole
    number its caller passed.
    """

    run_id: str
    task_id: str
    task_type: str
    record_time: Optional[datetime]
    success: bool
    duration: timedelta
    report_path: str
    input_files: Tuple[InputFile, ...]
    output_files: Tuple[OutputFile, ...]
    hostname: str
    extra_json: Mapping[str, str] = field(default_factory=dict)
    integer_execution_time: bool = False

    @property
    def execution_time(self) -> Union[int, float]:
        """The duration in seconds, as the log file's ``execution_time``: an int when recorded as one."""
        if self.integer_execution_time and self.duration.microseconds == 0:
            return self.duration.days * 86400 + self.duration.seconds
        return self.duration.total_seconds()

    @property
    def extra_fields(self) -> Dict[str, Any]:
        """The run's keys beyond the spec's ten, decoded from JSON."""
        return _decode(self.extra_json)

    def to_dict(self) -> Dict[str, Any]:
        """The run as the log file holds it, in the shape ``execlog show RUN --json`` prints:
        the spec's keys (``task_run_id``, ``timestamp`` in UTC ISO 8601, ``execution_time``
        in seconds...), then the extra keys as JSON values."""
        return {
            "task_run_id": self.run_id,
            "task_id": self.task_id,
            "task_type": self.task_type,
            "timestamp": iso_utc(self.record_time),
            "success": self.success,
            "execution_time": self.execution_time,
            "report_path": self.report_path,
            "input_files": [f.to_dict() for f in self.input_files],
            "output_files": [f.to_dict() for f in self.output_files],
            "hostname": self.hostname,
            **self.extra_fields,
        }


@dataclass(frozen=True)
class RecordOutcome:
    """What a record call did: the run as stored, and whether an earlier identical call had stored it."""

    run: Run
    already_recorded: bool


@dataclass(frozen=True)
class TaskSummary:
    """A task's entry in the log's ``tasks`` map: it describes the task's newest run."""

    task_id: str
    task_type: str
    last_record_time: Optional[datetime]
    last_success: bool
    last_report_path: str
    last_run_id: str
    run_count: int


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; ``next_page_token`` is empty on the last page."""

    items: Tuple[T, ...]
    next_page_token: str

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class DependencyState(str, Enum):
    """Whether and why a dependency is, or is not, satisfied."""

    SATISFIED = "SATISFIED"
    NEVER_RUN = "NEVER_RUN"
    FAILED = "FAILED"
    STALE = "STALE"
    OUTPUTS_MISSING = "OUTPUTS_MISSING"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class DependencyStatus:
    """The answer for one dependency; ``message`` explains the state to people."""

    task_id: str
    state: DependencyState
    latest_success: Optional[Run]
    latest: Optional[Run]
    message: str
    missing_output_paths: Tuple[str, ...] = ()

    @property
    def satisfied(self) -> bool:
        return self.state is DependencyState.SATISFIED


@dataclass(frozen=True)
class DependencyReport:
    """Whether every dependency is satisfied, and the answer for each, in the order asked."""

    satisfied: bool
    dependencies: Tuple[DependencyStatus, ...]

    @property
    def unsatisfied(self) -> Tuple[DependencyStatus, ...]:
        return tuple(d for d in self.dependencies if not d.satisfied)

    def __bool__(self) -> bool:
        return self.satisfied


class Direction(str, Enum):
    """Which way a lineage walk goes."""

    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"
    BOTH = "both"


class Level(str, Enum):
    """The grain of a lineage graph: one node per task, or per run."""

    TASK = "task"
    RUN = "run"


class NodeKind(str, Enum):
    TASK = "task"
    RUN = "run"
    FILE = "file"


@dataclass(frozen=True)
class LineageNode:
    """A node of a lineage graph: ``task`` for a task node, ``run`` for a run node, ``path`` for a file node."""

    id: str
    distance: int
    kind: NodeKind
    task: Optional[TaskSummary] = None
    run: Optional[Run] = None
    path: Optional[str] = None


@dataclass(frozen=True)
class LineageEdge:
    """Data flowed from ``source_node_id`` to ``target_node_id`` through the file ``path``."""

    source_node_id: str
    target_node_id: str
    path: str


@dataclass(frozen=True)
class LineageGraph:
    """The graph around the start node; ``truncated`` when the walk stopped at the node cap."""

    start_node_id: str
    nodes: Tuple[LineageNode, ...]
    edges: Tuple[LineageEdge, ...]
    truncated: bool

    def node(self, node_id: str) -> Optional[LineageNode]:
        return next((n for n in self.nodes if n.id == node_id), None)


class Bucket(str, Enum):
    """Width of the buckets of a statistics time series, aligned in UTC (weeks start on Monday)."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class ExecutionStatistics:
    """Figures over a set of runs; the durations are ``None`` when there are no runs."""

    run_count: int
    success_count: int
    success_rate: float
    mean_duration: Optional[timedelta]
    p50_duration: Optional[timedelta]
    p95_duration: Optional[timedelta]
    max_duration: Optional[timedelta]


@dataclass(frozen=True)
class StatisticsBucket:
    start_time: Optional[datetime]
    end_time: Optional[datetime]
    statistics: ExecutionStatistics


@dataclass(frozen=True)
class TaskStatistics:
    """Figures for one task (``task_id``), or over all selected runs (``task_id == ""``)."""

    task_id: str
    overall: ExecutionStatistics
    buckets: Tuple[StatisticsBucket, ...] = ()


@dataclass(frozen=True)
class StatisticsReport:
    """``total`` over every selected run (with the time series), and per task when no task was named."""

    total: TaskStatistics
    tasks: Tuple[TaskStatistics, ...]


class ChangeKind(str, Enum):
    RECORDED = "RECORDED"
    UPDATED = "UPDATED"
    REMOVED = "REMOVED"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class ExecutionChange:
    """One committed change of the log: the run as it now is (or as it was, when removed).

    ``sequence`` grows by one per change the server commits (filtered watches
    see gaps) and starts again at 1 when the server restarts.
    """

    kind: ChangeKind
    run: Run
    sequence: int


@dataclass(frozen=True)
class Progress:
    """Progress of a long operation: its stage and how many items are done (``total`` 0 when unknown)."""

    stage: str
    done: int
    total: int
    message: str


class CleanupRule(str, Enum):
    """Which runs a cleanup removes: the reference library's rule (both old and beyond the count),
    or the stricter one (old or beyond the count)."""

    OLD_AND_BEYOND_COUNT = "old_and_beyond_count"
    OLD_OR_BEYOND_COUNT = "old_or_beyond_count"


@dataclass(frozen=True)
class CleanupResult:
    removed_count: int
    removed_run_ids: Tuple[str, ...]
    dry_run: bool


@dataclass(frozen=True)
class ValidationProblem:
    run_id: str
    task_id: str
    field: str
    message: str


@dataclass(frozen=True)
class ValidationReport:
    valid: bool
    problems: Tuple[ValidationProblem, ...]
    checked_count: int


class ExportFormat(str, Enum):
    """The log file's JSON (importable), the reference library's CSV, or CSV with the files themselves."""

    JSON = "json"
    CSV = "csv"
    CSV_WITH_FILES = "csv_with_files"


@dataclass(frozen=True)
class ExportResult:
    """What an export sent: the runs, the bytes and their SHA-256 (checked by the client)."""

    execution_count: int
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class ImportResult:
    imported_count: int
    skipped_count: int
    execution_count: int
    dry_run: bool


@dataclass(frozen=True)
class LogInfo:
    """Where the log is on the server, how much it holds, and the server's version."""

    path: str
    project_root: str
    execution_count: int
    task_count: int
    size_bytes: int
    last_modified_time: Optional[datetime]
    create_time: Optional[datetime]
    version: str
    server_version: str
