// Type declarations of @execlog/client (src/index.js), written by hand: the client returns its own
// shapes (runs in the log file's shape, int64 as numbers, enum values without their prefix), which
// types generated from the .proto files would not describe. test/declarations.test.js holds every
// method of ExecLogClient and every export to a declaration here, and type-checks a program against
// the installed package with tsc.

/// <reference types="node" />

import type { ChannelCredentials, ChannelOptions, Client, status as grpcStatus } from '@grpc/grpc-js';

// ------------------------------------------------------------------ values

/** A JSON value, as extra keys hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A time: a Date, an ISO 8601 string (no offset: local time) or epoch seconds. */
export type TimeInput = Date | string | number;

/** A file a run read, as the log file holds it. */
export interface InputFile {
  name: string;
  path: string;
  /** The entry's keys beyond name and path (such as added_at). */
  extraFields: Record<string, JsonValue>;
}

/** A file a run wrote, as the log file holds it. */
export interface OutputFile {
  path: string;
  type: string;
  description: string;
  /** The entry's keys beyond path, type and description. */
  extraFields: Record<string, JsonValue>;
}

/** One run, in the shape of the log file's `executions` entries. */
export interface RunRecord {
  task_id: string;
  task_type: string;
  task_run_id: string;
  /** ISO 8601 with the local offset; null when unset. */
  timestamp: string | null;
  success: boolean;
  /** Seconds. */
  execution_time: number;
  report_path: string;
  input_files: InputFile[];
  output_files: OutputFile[];
  hostname: string;
  /** The run's keys beyond the spec's ten. */
  extraFields: Record<string, JsonValue>;
  /** Whether the file writes execution_time as an integer (241 rather than 241.0). */
  integerExecutionTime: boolean;
}

/** An input given to record(): a path, or a name, a path and extra keys. */
export type InputFileInput = string | { name?: string; path: string; extraFields?: Record<string, JsonValue> };

/** An output given to record(): a path (its type is its suffix), or a path with a type and description. */
export type OutputFileInput = string | {
  path: string;
  type?: string;
  artifact_type?: string;
  description?: string;
  extraFields?: Record<string, JsonValue>;
};

/** What record() takes. */
export interface NewRun {
  taskId: string;
  taskType: string;
  /** Default true. */
  success?: boolean;
  /** Seconds; default 0. */
  executionTime?: number;
  /** Write a whole executionTime as an integer. */
  integerExecutionTime?: boolean;
  reportPath?: string;
  /** {name: path}, or a list of inputs. */
  inputDatasets?: Record<string, string> | InputFileInput[];
  outputArtifacts?: OutputFileInput[];
  /** Default: this machine's host name. */
  hostname?: string;
  /** Default: a fresh UUID, so that retrying the same call cannot record twice. */
  runId?: string;
  /** Default: the server's clock. */
  timestamp?: TimeInput;
  extraFields?: Record<string, JsonValue | undefined>;
}

export interface RecordOutcome {
  run: RunRecord;
  /** True when the run had been stored before by an identical request; nothing was added. */
  already_recorded: boolean;
}

/** The fields update() can change, with the log file's keys. */
export interface RunUpdate {
  task_type?: string;
  timestamp?: TimeInput;
  success?: boolean;
  execution_time?: number;
  /** Goes with execution_time. */
  integerExecutionTime?: boolean;
  report_path?: string;
  input_files?: Record<string, string> | InputFileInput[];
  /** The library's name of input_files. */
  input_datasets?: Record<string, string> | InputFileInput[];
  output_files?: OutputFileInput[];
  /** The library's name of output_files. */
  output_artifacts?: OutputFileInput[];
  hostname?: string;
  /** Keys to set; a key given as undefined is removed. */
  extraFields?: Record<string, JsonValue | undefined>;
}

export interface HistoryFilter {
  /** Only runs of this task; default all tasks. */
  taskId?: string;
  successOnly?: boolean;
  /** Only runs recorded at or after this time. */
  startTime?: TimeInput;
  /** Only runs recorded before this time. */
  endTime?: TimeInput;
}

export interface HistoryPageQuery extends HistoryFilter {
  /** 0: the server's default, 100; at most 1000. */
  pageSize?: number;
  pageToken?: string;
}

export interface HistoryPage {
  records: RunRecord[];
  /** '' on the last page. */
  nextPageToken: string;
}

/** A task's summary: an entry of the log file's `tasks` map, describing its newest run. */
export interface TaskSummary {
  task_id: string;
  task_type: string;
  last_execution: string | null;
  last_success: boolean;
  last_report_path: string;
  last_task_run_id: string;
  run_count: number;
}

export interface TaskPage {
  tasks: TaskSummary[];
  nextPageToken: string;
}

export interface ProducersResult {
  /** The newest run that wrote the path. */
  record: RunRecord;
  /** Every run that wrote it, newest first. */
  producers: RunRecord[];
  /** True when more runs wrote it than `producers` holds. */
  producers_truncated: boolean;
}

export type DependencyState = 'SATISFIED' | 'NEVER_RUN' | 'FAILED' | 'STALE' | 'OUTPUTS_MISSING';

export interface DependencyOptions {
  /** A successful run older than this many seconds does not count (STALE). */
  maxAgeSeconds?: number;
  /** A failed newest run fails the dependency even after an earlier success. */
  requireLatestSuccess?: boolean;
  /** The asking task: a success recorded before its newest run is STALE. */
  newerThanTaskId?: string;
  /** A run: a success recorded before it is STALE. */
  newerThanRunId?: string;
  /** The success's output files must exist on the server's disk (else OUTPUTS_MISSING). */
  requireOutputsExist?: boolean;
}

export interface DependencyStatus {
  task_id: string;
  state: DependencyState;
  /** For people. */
  message: string;
  latest_success: RunRecord | null;
  latest: RunRecord | null;
  /** With requireOutputsExist: the outputs that do not exist. */
  missing_output_paths: string[];
}

export interface DependencyReport {
  /** True when every dependency is SATISFIED. */
  satisfied: boolean;
  dependencies: DependencyStatus[];
}

export type LineageDirection = 'upstream' | 'downstream' | 'both' | 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';
export type LineageLevel = 'task' | 'run' | 'TASK' | 'RUN';

export interface LineageQueryOptions {
  /** Default 'both'. */
  direction?: LineageDirection;
  /** Default 'task'. */
  level?: LineageLevel;
  /** Hops from the start; 0: the default, 5; at most 50. */
  depth?: number;
  /** 0: the default and maximum, 10000. */
  maxNodes?: number;
}

/** Where a lineage walk starts: exactly one of a task, a run and a file. */
export type LineageQuery = LineageQueryOptions & (
  | { taskId: string; runId?: undefined; path?: undefined }
  | { runId: string; taskId?: undefined; path?: undefined }
  | { path: string; taskId?: undefined; runId?: undefined });

interface LineageNodeBase {
  /** 'task:<task_id>', 'run:<run_id>' or 'file:<path>'. */
  id: string;
  /** Hops from the start node. */
  distance: number;
}

export type LineageNode =
  | (LineageNodeBase & { kind: 'task'; task: TaskSummary })
  | (LineageNodeBase & { kind: 'run'; run: RunRecord })
  | (LineageNodeBase & { kind: 'path'; path: string });

export interface LineageEdge {
  source_node_id: string;
  target_node_id: string;
  /** The file that links them. */
  path: string;
}

export interface LineageGraph {
  start_node_id: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the walk stopped at maxNodes before reaching depth. */
  truncated: boolean;
}

export type TimeBucket = 'hour' | 'day' | 'week' | 'HOUR' | 'DAY' | 'WEEK';

export interface StatisticsQuery {
  /** One task; default all tasks. */
  taskId?: string;
  startTime?: TimeInput;
  endTime?: TimeInput;
  /** The width of the time series' buckets; none without it. */
  bucket?: TimeBucket;
}

/** Figures over a set of runs; durations in seconds, null when there are no runs. */
export interface ExecutionStatistics {
  run_count: number;
  success_count: number;
  /** 0 to 1. */
  success_rate: number;
  mean_duration: number | null;
  p50_duration: number | null;
  p95_duration: number | null;
  max_duration: number | null;
}

export interface StatisticsBucket {
  start_time: string | null;
  end_time: string | null;
  statistics: ExecutionStatistics;
}

export interface TaskStatistics {
  /** '' for the figures over all selected tasks. */
  task_id: string;
  overall: ExecutionStatistics;
  /** Oldest first; only buckets with runs. */
  buckets: StatisticsBucket[];
}

export interface StatisticsReport {
  total: TaskStatistics;
  /** Per task, overall figures only (all tasks only). */
  tasks: TaskStatistics[];
}

export interface WatchFilter {
  taskId?: string;
  taskType?: string;
  /** Only successful (true) or failed (false) runs; default both. */
  success?: boolean;
  /** The lastSequence of an earlier watch: the new watch's `gap` says whether changes were missed. */
  afterSequence?: number | string;
}

export type ChangeKind = 'RECORDED' | 'UPDATED' | 'REMOVED';

export interface ExecutionChange {
  kind: ChangeKind;
  /** Grows by one with each change the server commits; restarts at 1 with the server. */
  sequence: number;
  /** The run as it now is (recorded, updated) or as it was (removed). */
  run: RunRecord;
}

export interface LogInfo {
  /** The log file on the server. */
  path: string;
  project_root: string;
  execution_count: number;
  task_count: number;
  size_bytes: number;
  last_modified: string | null;
  created: string | null;
  /** The file format version. */
  version: string;
  /** The server's own version. */
  server_version: string;
}

// ------------------------------------------------------------------ long operations

export interface ProgressEvent {
  type: 'progress';
  /** Such as 'scan', 'write' or 'parse'. */
  stage: string;
  done: number;
  /** 0 when not known in advance. */
  total: number;
  message: string;
}

export interface ChunkEvent {
  type: 'chunk';
  data: Buffer;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export interface LongOperationOptions {
  /** Called for every progress event. */
  onProgress?: ProgressCallback;
  /** Deadline in milliseconds; default the client's longDeadlineMs (1 hour). */
  deadlineMs?: number;
}

export type CleanupRule = 'old_and_beyond_count' | 'old_or_beyond_count' | 'CLEANUP_RULE_OLD_AND_BEYOND_COUNT'
  | 'CLEANUP_RULE_OLD_OR_BEYOND_COUNT';

export interface CleanupOptions extends LongOperationOptions {
  /** Default 30. */
  maxAgeDays?: number;
  /** Default 10. */
  maxRunsPerTask?: number;
  /** The library's name of maxRunsPerTask. */
  maxPerTask?: number;
  dryRun?: boolean;
  /** Default 'old_and_beyond_count', the library's rule. */
  rule?: CleanupRule;
}

export interface CleanupResult {
  type: 'result';
  removed_count: number;
  removed_run_ids: string[];
  dry_run: boolean;
}

export interface ValidationProblem {
  run_id: string;
  task_id: string;
  field: string;
  message: string;
}

export interface ValidationResult {
  type: 'result';
  valid: boolean;
  problems: ValidationProblem[];
  checked_count: number;
}

export type ExportFormat = 'json' | 'csv' | 'csv_with_files' | 'csv-with-files';

export interface ExportOptions extends LongOperationOptions {
  /** Default 'json'. */
  format?: ExportFormat;
  /** Only runs of this task. */
  taskId?: string;
}

export interface ExportResult {
  type: 'result';
  execution_count: number;
  size_bytes: number;
  /** Lowercase hex. */
  sha256: string;
}

export interface ImportOptions extends LongOperationOptions {
  /** Add to the log (true) or replace it (false, the default). */
  merge?: boolean;
  dryRun?: boolean;
  /** The absolute root the log was written under: absolute paths under it are rebased. */
  sourceRoot?: string;
  /** Bytes per uploaded message; default 64 KiB. */
  chunkSize?: number;
}

export interface ImportResult {
  type: 'result';
  imported_count: number;
  skipped_count: number;
  execution_count: number;
  dry_run: boolean;
}

/** A long operation's stream of events; the last is its result. */
export declare class OperationStream<R extends { type: 'result' }, E = ProgressEvent> implements AsyncIterable<E | R> {
  private constructor();
  [Symbol.asyncIterator](): AsyncIterator<E | R>;
  /** Drains the stream, calling onProgress for each progress event; resolves to the result. */
  result(onProgress?: ProgressCallback): Promise<R>;
  /** Cancels the operation. */
  cancel(): void;
}

/** A running watch: an async iterator of the log's changes. */
export declare class ExecutionWatch implements AsyncIterable<ExecutionChange> {
  private constructor();
  /** The sequence of the last change committed before the watch began. */
  readonly startSequence: number;
  /** The sequence of the last change delivered (startSequence before the first). */
  readonly lastSequence: number;
  /** With afterSequence: whether changes were committed between it and this watch's start. */
  readonly gap: boolean;
  readonly closed: boolean;
  [Symbol.asyncIterator](): AsyncIterator<ExecutionChange>;
  next(): Promise<IteratorResult<ExecutionChange, undefined>>;
  /** Ends the watch; a pending next() resolves as done. */
  close(): void;
}

// ------------------------------------------------------------------ connections and errors

export interface ConnectionOptions {
  /** host:port (or host1:port,host2:port), when the constructor's address is not given; else $EXECLOG_SERVER, else localhost:50051. */
  server?: string;
  /** CA certificates to trust (a PEM file's path or its content); turns TLS on. $EXECLOG_TLS_CA. */
  tlsCa?: string | Buffer | null;
  /** Client certificate for mutual TLS (path or content); turns TLS on. $EXECLOG_TLS_CERT. */
  tlsCert?: string | Buffer | null;
  /** The client certificate's private key (path or content). $EXECLOG_TLS_KEY. */
  tlsKey?: string | Buffer | null;
  /** The name to expect in the server's certificate. $EXECLOG_TLS_AUTHORITY. */
  tlsAuthority?: string | null;
  /** TLS with the system's CAs when no tlsCa is given. */
  tls?: boolean;
  /** Bearer token; null or '' for none (ignoring the environment). $EXECLOG_TOKEN. */
  token?: string | null;
  /** A file holding the bearer token. $EXECLOG_TOKEN_FILE (which wins over $EXECLOG_TOKEN). */
  tokenFile?: string | null;
  /** Channel credentials of your own, instead of the TLS options (the token is still sent). */
  credentials?: ChannelCredentials;
  /** More grpc-js channel options. */
  channelOptions?: ChannelOptions;
}

export interface ClientOptions extends ConnectionOptions {
  /** Deadline of ordinary calls in milliseconds; default 30000. */
  deadlineMs?: number;
  /** Deadline of cleanup, validate, export and import in milliseconds; default 3600000. */
  longDeadlineMs?: number;
  /** A folder holding execlog/v1/execution_log.proto to load instead of the package's copy. */
  protoRoot?: string;
}

export interface ResolvedConnection {
  /** gRPC's target: the address, or for a list of servers `ipv4:...`, `ipv6:...` or `execlog-list:...`. */
  target: string;
  /** The address as given: `host:port`, or `host1:port,host2:port`. */
  address: string;
  credentials: ChannelCredentials;
  channelOptions: ChannelOptions;
  token: string | null;
  /** Whether TLS is on; undefined with credentials of your own. */
  tls: boolean | undefined;
}

/** What a client with these arguments would connect to (the options, else the environment). */
export declare function resolveConnection(address?: string | null, options?: ConnectionOptions,
  env?: Record<string, string | undefined>): ResolvedConnection;

/** The names of execlog.v1.ErrorReason, each mapped to itself. */
export declare const ErrorReason: Readonly<{
  INVALID_FIELD: 'INVALID_FIELD';
  PATH_OUTSIDE_ROOT: 'PATH_OUTSIDE_ROOT';
  INVALID_PAGE_TOKEN: 'INVALID_PAGE_TOKEN';
  UNPARSABLE_REQUEST: 'UNPARSABLE_REQUEST';
  RUN_TOO_LARGE: 'RUN_TOO_LARGE';
  RUN_NOT_FOUND: 'RUN_NOT_FOUND';
  TASK_HAS_NO_RUN: 'TASK_HAS_NO_RUN';
  PRODUCER_NOT_FOUND: 'PRODUCER_NOT_FOUND';
  RUN_ID_TAKEN: 'RUN_ID_TAKEN';
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE';
  IMPORT_TOO_LARGE: 'IMPORT_TOO_LARGE';
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE';
  DISK_FULL: 'DISK_FULL';
  WATCH_LAGGED: 'WATCH_LAGGED';
  STORAGE_FAILURE: 'STORAGE_FAILURE';
  SHUTTING_DOWN: 'SHUTTING_DOWN';
  LOG_IN_USE: 'LOG_IN_USE';
  MAINTENANCE_RUNNING: 'MAINTENANCE_RUNNING';
  OPERATION_CANCELLED: 'OPERATION_CANCELLED';
  UNAUTHENTICATED: 'UNAUTHENTICATED';
  ROLE_TOO_LOW: 'ROLE_TOO_LOW';
  INTERNAL: 'INTERNAL';
}>;

export type ErrorReasonName = keyof typeof ErrorReason;

/** The google.rpc.ErrorInfo domain of execlog's errors. */
export declare const ERROR_DOMAIN: 'execlog.dev';

/** Every failure of the client: the gRPC status, and the server's reason, field and metadata. */
export declare class ExecLogError extends Error {
  constructor(message: string, init?: {
    code?: number; details?: string; reason?: string; field?: string; metadata?: Record<string, string>;
    domain?: string; cause?: unknown;
  });
  readonly name: 'ExecLogError';
  /** The gRPC status number (status.NOT_FOUND is 5). */
  code: grpcStatus;
  /** The status' name, such as 'NOT_FOUND'. */
  codeName: string;
  /** An ErrorReason name; '' when the status carries none. */
  reason: ErrorReasonName | '';
  /** The request field at fault; '' when none. */
  field: string;
  /** The reason's details: run_id, path, limit, role, required, last_sequence, ... */
  metadata: Record<string, string>;
  /** 'execlog.dev' when the server gave a reason. */
  domain: string;
  /** The server's message, for people. */
  details: string;
  /** The ExecLogError of any failure of a call, such as one made on client.stub. */
  static from(err: unknown, what?: string): ExecLogError;
}

/** The gRPC status codes. */
export declare const status: typeof grpcStatus;

/** A Timestamp message as ISO 8601 in local time with offset; null when unset. */
export declare function timestampToIso(ts: { seconds?: string | number; nanos?: number } | null | undefined): string | null;

/** An execlog.v1.Execution message (as loaded with keepCase, longs as strings) as a RunRecord. */
export declare function toRecord(execution: object): RunRecord;

/** The folder of the .proto files the package carries (execlog/v1, google/rpc). */
export declare const DEFAULT_PROTO_ROOT: string;
/** 'localhost:50051'. */
export declare const DEFAULT_SERVER: string;
/** 30000. */
export declare const DEFAULT_DEADLINE_MS: number;
/** 3600000. */
export declare const DEFAULT_LONG_DEADLINE_MS: number;
/** The package's version, which is the server version it was released with. */
export declare const VERSION: string;

// ------------------------------------------------------------------ the client

export declare class ExecLogClient {
  /** Connects to address (else options.server, $EXECLOG_SERVER, localhost:50051); unset options come from EXECLOG_*. */
  constructor(address?: string | null, options?: ClientOptions);
  /** host:port. */
  readonly address: string;
  /** Whether the channel uses TLS (undefined with credentials of your own). */
  readonly tls: boolean | undefined;
  /** Whether calls carry a bearer token. */
  readonly hasToken: boolean;
  deadlineMs: number;
  longDeadlineMs: number;
  /** The grpc-js stub, for calls made directly (ExecLogError.from maps their errors). */
  stub: Client & Record<string, any>;
  /** Closes the channel. */
  close(): void;

  /** Records a run; resolves to the stored record. */
  record(run: NewRun): Promise<RunRecord>;
  /** Records a run; resolves to it and whether it had already been recorded. */
  recordWithOutcome(run: NewRun): Promise<RecordOutcome>;
  /** One run; rejects with reason RUN_NOT_FOUND when unknown. */
  get(runId: string): Promise<RunRecord>;
  /** One page of runs, newest first. */
  listExecutions(query?: HistoryPageQuery): Promise<HistoryPage>;
  /** Every matching run, newest first, fetched page by page. */
  iterateHistory(query?: HistoryFilter & { pageSize?: number }): AsyncGenerator<RunRecord, void, undefined>;
  /** Up to limit runs (default 10), newest first. */
  history(query?: HistoryFilter & { limit?: number; pageSize?: number }): Promise<RunRecord[]>;
  /** The newest (by default successful) run of a task, or null. */
  latest(taskId: string, options?: { successOnly?: boolean }): Promise<RunRecord | null>;
  /** The newest run that wrote the file, or null. */
  producer(path: string, options?: { includeAll?: false }): Promise<RunRecord | null>;
  /** Every run that wrote the file, or null when none did. */
  producer(path: string, options: { includeAll: true }): Promise<ProducersResult | null>;
  producer(path: string, options: { includeAll?: boolean }): Promise<RunRecord | ProducersResult | null>;
  /** Adds input files to the task's newest run. */
  trackInputs(taskId: string, paths: string[]): Promise<RunRecord>;
  /** Adds output files to the task's newest run. */
  trackOutputs(taskId: string, paths: string[]): Promise<RunRecord>;
  /** Changes fields of a run; with replaceExtraFields the given extra keys replace all of them. */
  update(runId: string, updates: RunUpdate, options?: { replaceExtraFields?: boolean }): Promise<RunRecord>;
  /** Removes a run; resolves to it. */
  remove(runId: string): Promise<RunRecord>;
  /** One page of task summaries, by task id. */
  listTasks(query?: { pageSize?: number; pageToken?: string }): Promise<TaskPage>;
  /** Every task summary, fetched page by page. */
  iterateTasks(query?: { pageSize?: number }): AsyncGenerator<TaskSummary, void, undefined>;
  /** Every task summary, by task id. */
  tasks(): Promise<TaskSummary[]>;
  /** Whether each dependency task has succeeded, under the given conditions. */
  checkDependencies(taskIds: string[], options?: DependencyOptions): Promise<DependencyReport>;
  /** The lineage graph around a task, a run or a file. */
  lineage(query: LineageQuery): Promise<LineageGraph>;
  /** Run counts, success rates and durations, overall and per time bucket. */
  statistics(query?: StatisticsQuery): Promise<StatisticsReport>;
  /** Starts watching; resolves once the server has confirmed the watch. */
  watch(filter?: WatchFilter): Promise<ExecutionWatch>;
  /** Where the log is and what it holds. */
  info(): Promise<LogInfo>;

  /** Removes old runs (by default the library's rule: old and beyond the count). */
  cleanup(options?: CleanupOptions): OperationStream<CleanupResult>;
  /** Checks the log. */
  validate(options?: LongOperationOptions): OperationStream<ValidationResult>;
  /** Streams the log: progress, chunks, result. */
  export(options?: ExportOptions): OperationStream<ExportResult, ProgressEvent | ChunkEvent>;
  /** Exports into a file, checked against the server's SHA-256. */
  exportToFile(filePath: string, options?: ExportOptions): Promise<ExportResult & { path: string }>;
  /** Imports a log file (a path or its bytes) in the JSON format. */
  import(source: string | Buffer, options?: ImportOptions): OperationStream<ImportResult>;
}
