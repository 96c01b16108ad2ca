'use strict';
// Promise-based client for execlog.v1.ExecutionLogService.
//
// Runs come back as plain objects shaped like the log file's `executions`
// entries (the same shape as the Python client's dicts): task_id, task_type,
// task_run_id, timestamp (ISO 8601 with offset), success, execution_time
// (float seconds), report_path, input_files [{name, path, extraFields}],
// output_files [{path, type, description, extraFields}], hostname; plus
// extraFields (the run's keys beyond the spec's ten, as parsed JSON values)
// and integerExecutionTime (whether the file holds execution_time as an integer).
// Long operations (cleanup, validate, export, import) return an
// OperationStream: an async iterator of {type: 'progress' | 'chunk' | 'result'}
// events, with a result() helper.
// Every rejection is an ExecLogError with code (the gRPC status number),
// reason (an ErrorReason name from the status' google.rpc.ErrorInfo, '' when
// none), field ('' when none) and metadata (the ErrorInfo's metadata).

const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const DEFAULT_SERVER = 'localhost:50051';
const DEFAULT_PROTO_ROOT = path.resolve(__dirname, '../../../proto/src/main/proto');
const PROTO_FILE = 'execlog/v1/execution_log.proto';
// google/rpc/status.proto and error_details.proto, vendored from googleapis (Apache-2.0).
const RPC_PROTO_ROOT = path.join(__dirname, 'protos');
const ERROR_DOMAIN = 'execlog.dev';
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const IMPORT_CHUNK_SIZE = 64 * 1024;

const UPDATE_FIELDS = {
  task_type: 'task_type',
  timestamp: 'record_time',
  success: 'success',
  execution_time: 'duration',
  report_path: 'report_path',
  input_files: 'input_files',
  input_datasets: 'input_files',
  output_files: 'output_files',
  output_artifacts: 'output_files',
  hostname: 'hostname',
};

// The spec's keys of a run; every other key of a run is an extra key.
const SPEC_KEYS = new Set(['task_id', 'task_type', 'task_run_id', 'timestamp', 'success', 'execution_time',
  'report_path', 'input_files', 'output_files', 'hostname']);

const CLEANUP_RULES = {
  old_and_beyond_count: 'CLEANUP_RULE_OLD_AND_BEYOND_COUNT',
  old_or_beyond_count: 'CLEANUP_RULE_OLD_OR_BEYOND_COUNT',
};

const EXPORT_FORMATS = {
  json: 'EXPORT_FORMAT_JSON',
  csv: 'EXPORT_FORMAT_CSV',
  csv_with_files: 'EXPORT_FORMAT_CSV_WITH_FILES',
};

const packages = new Map();

function loadPackage(protoRoot = process.env.EXECLOG_PROTO_ROOT || DEFAULT_PROTO_ROOT) {
  if (!packages.has(protoRoot)) {
    const def = protoLoader.loadSync(PROTO_FILE, {
      includeDirs: [protoRoot],
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      keepCase: true,
    });
    packages.set(protoRoot, grpc.loadPackageDefinition(def).execlog.v1);
  }
  return packages.get(protoRoot);
}

/**
 * Why the server refused a call: the value names of the contract's
 * execlog.v1.ErrorReason (proto/src/main/proto/execlog/v1/error_reason.proto),
 * as ExecLogError#reason carries them. Stable: never renamed or reused.
 * test/error_reasons.test.js holds this list equal to the proto enum.
 */
const ErrorReason = Object.freeze(Object.fromEntries([
  'INVALID_FIELD', 'PATH_OUTSIDE_ROOT', 'INVALID_PAGE_TOKEN', 'UNPARSABLE_REQUEST', 'RUN_TOO_LARGE',
  'RUN_NOT_FOUND', 'TASK_HAS_NO_RUN', 'PRODUCER_NOT_FOUND',
  'RUN_ID_TAKEN',
  'MESSAGE_TOO_LARGE', 'IMPORT_TOO_LARGE', 'RESPONSE_TOO_LARGE', 'DISK_FULL', 'WATCH_LAGGED',
  'STORAGE_FAILURE', 'SHUTTING_DOWN', 'LOG_IN_USE',
  'OPERATION_CANCELLED',
  'UNAUTHENTICATED', 'ROLE_TOO_LOW',
  'INTERNAL',
].map((name) => [name, name])));

/**
 * An error from the server, the connection or the client's own checks:
 * `code` is the numeric gRPC status (`codeName` its name), `reason` the
 * ErrorReason name the server gave ('' when none, as for errors raised before
 * anything is sent or by the connection), `field` the request field at fault
 * ('' when none), `metadata` the reason's details as a plain object ({run_id},
 * {path}, {limit}, ...), `domain` the reason's domain ('execlog.dev') and
 * `details` the server's message, meant for people.
 */
class ExecLogError extends Error {
  constructor(message, {
    code = grpc.status.UNKNOWN, details = message, reason = '', field = '', metadata = {}, domain = '', cause,
  } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = 'ExecLogError';
    this.code = code;
    this.codeName = statusName(code);
    this.reason = reason;
    this.field = field;
    this.metadata = metadata;
    this.domain = domain;
    this.details = details;
  }

  /**
   * The ExecLogError for any failure of a call, such as one made on
   * `client.stub` directly: its status details decoded as for the client's own
   * methods. `what` names the call in the message.
   */
  static from(err, what = 'call') {
    return toError(err, what);
  }
}

function statusName(code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || 'UNKNOWN';
}

let rpcTypes;

/** google.rpc.Status, ErrorInfo and BadRequest, loaded once from the vendored protos. */
function rpcType(name) {
  if (!rpcTypes) {
    const root = new protobuf.Root();
    root.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : path.join(RPC_PROTO_ROOT, target));
    root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
    rpcTypes = {
      Status: root.lookupType('google.rpc.Status'),
      ErrorInfo: root.lookupType('google.rpc.ErrorInfo'),
      BadRequest: root.lookupType('google.rpc.BadRequest'),
    };
  }
  return rpcTypes[name];
}

/**
 * The reason, domain, metadata and field a gRPC error's status details
 * (the grpc-status-details-bin trailer, a google.rpc.Status) carry: the
 * ErrorInfo of domain execlog.dev (else the first ErrorInfo), and the field
 * of the first BadRequest violation, else the ErrorInfo's `field` metadata.
 * A detail that cannot be read leaves the status itself intact.
 */
function statusDetails(err) {
  const out = { reason: '', domain: '', field: '', metadata: {} };
  const trailer = typeof err?.metadata?.get === 'function' ? err.metadata.get(STATUS_DETAILS_KEY)[0] : undefined;
  if (!trailer) return out;
  let status;
  try {
    status = rpcType('Status').decode(Buffer.isBuffer(trailer) ? trailer : Buffer.from(String(trailer), 'base64'));
  } catch {
    return out;
  }
  let info;
  let violation = '';
  for (const any of status.details || []) {
    const typeName = String(any.type_url).slice(String(any.type_url).lastIndexOf('/') + 1);
    try {
      if (typeName === 'google.rpc.ErrorInfo') {
        const decoded = rpcType('ErrorInfo').decode(any.value);
        if (!info || (info.domain !== ERROR_DOMAIN && decoded.domain === ERROR_DOMAIN)) info = decoded;
      } else if (typeName === 'google.rpc.BadRequest' && !violation) {
        violation = rpcType('BadRequest').decode(any.value).field_violations[0]?.field || '';
      }
    } catch {
      // an unreadable detail: skip it
    }
  }
  if (info) {
    out.reason = info.reason || '';
    out.domain = info.domain || '';
    out.metadata = { ...info.metadata };
  }
  out.field = violation || out.metadata.field || '';
  return out;
}

function toError(err, what) {
  if (err instanceof ExecLogError) return err;
  const code = typeof err?.code === 'number' ? err.code : grpc.status.UNKNOWN;
  const details = err?.details ?? err?.message ?? String(err);
  const { reason, domain, field, metadata } = statusDetails(err);
  const label = reason && reason !== statusName(code) ? `${statusName(code)} (${reason})` : statusName(code);
  return new ExecLogError(`${what} failed: ${label}: ${details}`,
    { code, details, reason, field, metadata, domain, cause: err });
}

// ---------------------------------------------------------------- conversions

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** Timestamp -> ISO 8601 in local time with offset; micros only when not 0 (as Python's isoformat). */
function timestampToIso(ts) {
  if (!ts) return null;
  const seconds = Number(ts.seconds || 0);
  const nanos = Number(ts.nanos || 0);
  if (seconds === 0 && nanos === 0) return null;
  const d = new Date(seconds * 1000);
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const micros = Math.floor(nanos / 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    (micros ? `.${pad(micros, 6)}` : '') +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Date, ISO string (zone-less = local time) or epoch seconds -> Timestamp. */
function toTimestamp(value) {
  let ms;
  let subMicros = 0;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') {
    const m = /\.(\d{4,9})/.exec(value);
    if (m) subMicros = Number(m[1].padEnd(9, '0').slice(3, 6));
    ms = Date.parse(value);
  }
  if (ms === undefined || Number.isNaN(ms)) {
    throw new ExecLogError(`not a time: ${JSON.stringify(value)}`, { code: grpc.status.INVALID_ARGUMENT });
  }
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6) + subMicros * 1000;
  return { seconds: String(seconds), nanos };
}

function toDuration(secondsFloat) {
  const v = Number(secondsFloat ?? 0);
  if (!Number.isFinite(v)) {
    throw new ExecLogError(`execution_time must be a number of seconds, got ${secondsFloat}`, {
      code: grpc.status.INVALID_ARGUMENT,
    });
  }
  const micros = Math.round(v * 1e6);
  const seconds = Math.trunc(micros / 1e6);
  return { seconds: String(seconds), nanos: (micros - seconds * 1e6) * 1000 };
}

function durationSeconds(d) {
  return d ? Number(d.seconds || 0) + Number(d.nanos || 0) / 1e9 : 0;
}

function invalid(message) {
  return new ExecLogError(message, { code: grpc.status.INVALID_ARGUMENT });
}

/** JSON.stringify's replacer that refuses what JSON cannot hold instead of silently dropping or nulling it. */
function strictJson(key, value) {
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`a ${typeof value} is not JSON`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
  return value;
}

/**
 * One extra key's value -> its JSON text, as the contract carries it.
 * @param {string} where what the value belongs to, for the error message
 */
function encodeExtraValue(key, value, where) {
  let text;
  try {
    text = JSON.stringify(value, strictJson);
  } catch (err) {
    throw invalid(`${where}: extra key ${JSON.stringify(key)} cannot be written as JSON: ${err.message}`);
  }
  if (text === undefined) {
    throw invalid(`${where}: extra key ${JSON.stringify(key)} cannot be written as JSON: ${String(value)} is not JSON`);
  }
  return text;
}

/** {key: value} -> {key: JSON text}; `undefined` values are left out. */
function encodeExtraFields(fields, where) {
  if (fields == null) return {};
  const proto = typeof fields === 'object' ? Object.getPrototypeOf(fields) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw invalid(`${where}: extraFields must be a plain object of keys to JSON values`);
  }
  const out = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) out[key] = encodeExtraValue(key, value, where);
  }
  return out;
}

/** {key: JSON text} from the server -> {key: parsed value}. */
function decodeExtraFields(map, where) {
  return Object.fromEntries(Object.entries(map || {}).map(([key, text]) => {
    try {
      return [key, JSON.parse(text)];
    } catch (err) {
      throw new ExecLogError(`${where}: the server sent extra key ${JSON.stringify(key)} as invalid JSON: ${text}`,
        { code: grpc.status.DATA_LOSS, cause: err });
    }
  }));
}

/** An Execution message -> the log file's record shape. */
function toRecord(e) {
  const where = `run ${e.run_id}`;
  return {
    task_id: e.task_id,
    task_type: e.task_type,
    task_run_id: e.run_id,
    timestamp: timestampToIso(e.record_time),
    success: e.success,
    execution_time: durationSeconds(e.duration),
    report_path: e.report_path,
    input_files: (e.input_files || []).map((f) => ({
      name: f.name, path: f.path, extraFields: decodeExtraFields(f.extra_fields, `${where} input ${f.path}`),
    })),
    output_files: (e.output_files || []).map((f) => ({
      path: f.path, type: f.type, description: f.description,
      extraFields: decodeExtraFields(f.extra_fields, `${where} output ${f.path}`),
    })),
    hostname: e.hostname,
    extraFields: decodeExtraFields(e.extra_fields, where),
    integerExecutionTime: Boolean(e.integer_execution_time),
  };
}

/** {name: path} map, or a list of {name, path, extraFields} / paths. */
function toInputFiles(value) {
  if (!value) return [];
  if (Array.isArray(value)) {
    return value.map((f) => {
      if (typeof f === 'string') return { name: '', path: f };
      const p = String(f.path);
      return { name: f.name || '', path: p, extra_fields: encodeExtraFields(f.extraFields, `input ${p}`) };
    });
  }
  return Object.entries(value).map(([name, p]) => ({ name, path: String(p) }));
}

/** Paths or {path, type, description, extraFields}; a bare path's type is its suffix. */
function toOutputFiles(value) {
  if (!value) return [];
  return value.map((f) => {
    const item = typeof f === 'string' ? { path: f } : f;
    const p = String(item.path);
    const type = item.type || item.artifact_type || path.extname(p).replace(/^\./, '').toLowerCase();
    return { path: p, type, description: item.description || '', extra_fields: encodeExtraFields(item.extraFields, `output ${p}`) };
  });
}

/** The update mask path of one extra key: `extra_fields.KEY`, backtick-quoted when KEY holds `.` or a backtick. */
function extraFieldPath(key) {
  return /[.`]/.test(key) ? `extra_fields.\`${key.replace(/`/g, '``')}\`` : `extra_fields.${key}`;
}

/** Execution time in seconds (+ whether to write it as a JSON integer) -> the Execution's fields. */
function toExecutionTime(seconds, integer) {
  if (integer && !Number.isInteger(Number(seconds))) {
    throw invalid(`integerExecutionTime needs a whole number of seconds, got ${seconds}`);
  }
  return { duration: toDuration(seconds), integer_execution_time: Boolean(integer) };
}

/** A rule name ('old_and_beyond_count', 'OLD-OR-BEYOND-COUNT', 'CLEANUP_RULE_...') -> the enum name. */
function toCleanupRule(rule) {
  if (rule == null || rule === '') return 'CLEANUP_RULE_UNSPECIFIED';
  const name = String(rule).toLowerCase().replace(/-/g, '_').replace(/^cleanup_rule_/, '');
  if (!CLEANUP_RULES[name]) {
    throw invalid(`unknown cleanup rule ${JSON.stringify(rule)}: use ${Object.keys(CLEANUP_RULES).join(' or ')}`);
  }
  return CLEANUP_RULES[name];
}

function toSummary(t) {
  return {
    task_id: t.task_id,
    task_type: t.task_type,
    last_execution: timestampToIso(t.last_record_time),
    last_success: t.last_success,
    last_report_path: t.last_report_path,
    last_task_run_id: t.last_run_id,
    run_count: Number(t.run_count),
  };
}

function toProgress(p) {
  return { type: 'progress', stage: p.stage, done: Number(p.done), total: Number(p.total), message: p.message };
}

// ---------------------------------------------------------------- streams

/**
 * A long operation's server stream: `for await (const ev of stream)` yields
 * {type:'progress', stage, done, total, message}, for export {type:'chunk', data},
 * and last {type:'result', ...}. Errors are thrown as ExecLogError.
 */
class OperationStream {
  constructor(call, what, mapResult) {
    this.call = call;
    this.what = what;
    this.mapResult = mapResult;
  }

  async *[Symbol.asyncIterator]() {
    // A cleanup sends the removed run ids in batches before its result.
    const removed = [];
    try {
      for await (const msg of this.call) {
        if (msg.event === 'progress') yield toProgress(msg.progress);
        else if (msg.event === 'chunk') yield { type: 'chunk', data: msg.chunk.data };
        else if (msg.event === 'removed_runs') removed.push(...msg.removed_runs.run_ids);
        else if (msg.event === 'result') yield { type: 'result', ...this.mapResult(msg.result, removed) };
      }
    } catch (err) {
      throw toError(err, this.what);
    }
  }

  /** Drains the stream; calls onProgress for each progress event; resolves to the result. */
  async result(onProgress) {
    let result;
    for await (const ev of this) {
      if (ev.type === 'progress' && onProgress) onProgress(ev);
      else if (ev.type === 'result') result = ev;
    }
    if (!result) throw new ExecLogError(`${this.what} failed: the server sent no result`);
    return result;
  }

  cancel() {
    this.call.cancel();
  }
}

// ---------------------------------------------------------------- the client

class ExecLogClient {
  /**
   * @param {string} [address] host:port; default $EXECLOG_SERVER or localhost:50051
   * @param {{deadlineMs?: number, protoRoot?: string, credentials?: object}} [options]
   */
  constructor(address, options = {}) {
    this.address = address || process.env.EXECLOG_SERVER || DEFAULT_SERVER;
    this.deadlineMs = options.deadlineMs ?? 30000;
    const pkg = loadPackage(options.protoRoot);
    this.stub = new pkg.ExecutionLogService(this.address, options.credentials || grpc.credentials.createInsecure());
  }

  close() {
    this.stub.close();
  }

  _options() {
    return { deadline: new Date(Date.now() + this.deadlineMs) };
  }

  _unary(method, request, what = method) {
    return new Promise((resolve, reject) => {
      this.stub[method](request, this._options(), (err, response) => {
        if (err) reject(toError(err, what));
        else resolve(response);
      });
    });
  }

  /** The promise's value, or null when it rejects with `reason` (a NOT_FOUND that means "none"). */
  async _orNull(promise, reason) {
    try {
      return await promise;
    } catch (err) {
      if (err.reason === reason) return null;
      throw err;
    }
  }

  /**
   * Records a run; resolves to the stored record. A fresh run id is chosen here,
   * so that retrying the same call cannot record twice. `extraFields` holds keys
   * beyond the spec's ten ({notes: 'x', metrics: {rows: 100}}), each value written
   * as JSON; with `integerExecutionTime` a whole `executionTime` is written as an
   * integer (`241`, not `241.0`).
   */
  async record({
    taskId, taskType, success = true, executionTime = 0, integerExecutionTime = false, reportPath = '',
    inputDatasets, outputArtifacts, hostname = os.hostname(), runId = crypto.randomUUID(), timestamp, extraFields,
  }) {
    const execution = {
      run_id: runId,
      task_id: taskId || '',
      task_type: taskType || '',
      success: Boolean(success),
      ...toExecutionTime(executionTime, integerExecutionTime),
      report_path: reportPath ? String(reportPath) : '',
      input_files: toInputFiles(inputDatasets),
      output_files: toOutputFiles(outputArtifacts),
      hostname: hostname || '',
      extra_fields: encodeExtraFields(extraFields, 'record'),
    };
    if (timestamp !== undefined && timestamp !== null) execution.record_time = toTimestamp(timestamp);
    const res = await this._unary('RecordExecution', { execution }, 'record');
    return toRecord(res.execution);
  }

  /** One run by id; rejects with reason RUN_NOT_FOUND (code NOT_FOUND) for an unknown id. */
  async get(runId) {
    return toRecord((await this._unary('GetExecution', { run_id: runId }, 'get')).execution);
  }

  /** One page: {records, nextPageToken}. */
  async listExecutions({ taskId = '', successOnly = false, startTime, endTime, pageSize = 0, pageToken = '' } = {}) {
    const req = { task_id: taskId || '', success_only: successOnly, page_size: pageSize, page_token: pageToken };
    if (startTime != null) req.start_time = toTimestamp(startTime);
    if (endTime != null) req.end_time = toTimestamp(endTime);
    const res = await this._unary('ListExecutions', req, 'history');
    return { records: res.executions.map(toRecord), nextPageToken: res.next_page_token };
  }

  /** Pagination helper: every matching run, newest first, fetched page by page. */
  async *iterateHistory(options = {}) {
    let pageToken = '';
    do {
      const page = await this.listExecutions({ ...options, pageToken });
      yield* page.records;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** Up to `limit` runs (default 10), newest first, of one task or all tasks. */
  async history({ limit = 10, ...options } = {}) {
    const out = [];
    if (limit <= 0) return out;
    for await (const rec of this.iterateHistory({ pageSize: Math.min(limit, 1000), ...options })) {
      out.push(rec);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The newest run of a task (by default the newest successful one), or null. */
  async latest(taskId, { successOnly = true } = {}) {
    const res = await this._orNull(this._unary('GetLatestExecution',
      { task_id: taskId, include_failed: !successOnly }, 'latest'), ErrorReason.TASK_HAS_NO_RUN);
    return res ? toRecord(res.execution) : null;
  }

  /** The newest run that wrote `filePath`, or null. With includeAll: {record, producers}. */
  async producer(filePath, { includeAll = false } = {}) {
    const res = await this._orNull(this._unary('FindOutputProducer',
      { path: String(filePath), include_all: includeAll }, 'producer'), ErrorReason.PRODUCER_NOT_FOUND);
    if (!res) return null;
    return includeAll ? { record: toRecord(res.execution), producers: res.producers.map(toRecord) } : toRecord(res.execution);
  }

  /** Adds input files to the task's newest run; resolves to the updated record. */
  async trackInputs(taskId, paths) {
    const res = await this._unary('TrackInputFiles', { task_id: taskId, paths: paths.map(String) }, 'trackInputs');
    return toRecord(res.execution);
  }

  /** Adds output files to the task's newest run; resolves to the updated record. */
  async trackOutputs(taskId, paths) {
    const res = await this._unary('TrackOutputFiles', { task_id: taskId, paths: paths.map(String) }, 'trackOutputs');
    return toRecord(res.execution);
  }

  /**
   * Changes fields of a run, given with the log file's keys (timestamp,
   * execution_time, success, report_path, task_type, hostname, input_files,
   * output_files), and its extra keys: `extraFields: {notes: 'x', old: undefined}`
   * sets `notes` and removes `old`, leaving other extra keys alone; with
   * `{replaceExtraFields: true}` the given keys replace all of them.
   * `integerExecutionTime: true` goes with a whole `execution_time`.
   * Resolves to the updated record.
   * @param {string} runId
   * @param {object} updates
   * @param {{replaceExtraFields?: boolean}} [options]
   */
  async update(runId, updates, { replaceExtraFields = false } = {}) {
    const { extraFields, integerExecutionTime, ...fields } = updates || {};
    const execution = { run_id: runId };
    const mask = [];
    for (const [key, value] of Object.entries(fields)) {
      const field = UPDATE_FIELDS[key];
      if (!field) {
        const hint = SPEC_KEYS.has(key) ? '' : `; set an extra key with extraFields: {${JSON.stringify(key)}: value}`;
        throw invalid(`update: field ${key} cannot be changed${hint}`);
      }
      switch (field) {
        case 'record_time': execution.record_time = toTimestamp(value); break;
        case 'duration': Object.assign(execution, toExecutionTime(value, integerExecutionTime)); break;
        case 'success': execution.success = Boolean(value); break;
        case 'input_files': execution.input_files = toInputFiles(value); break;
        case 'output_files': execution.output_files = toOutputFiles(value); break;
        default: execution[field] = value == null ? '' : String(value);
      }
      if (!mask.includes(field)) mask.push(field);
    }
    if (integerExecutionTime !== undefined && !mask.includes('duration')) {
      throw invalid('update: integerExecutionTime goes with execution_time');
    }
    if (extraFields !== undefined || replaceExtraFields) {
      execution.extra_fields = encodeExtraFields(extraFields, `update ${runId}`);
      if (replaceExtraFields) mask.push('extra_fields');
      else mask.push(...Object.keys(extraFields || {}).map(extraFieldPath));
    }
    const res = await this._unary('UpdateExecution', { execution, update_mask: { paths: mask } }, 'update');
    return toRecord(res.execution);
  }

  /** Removes a run; resolves to the removed record. */
  async remove(runId) {
    return toRecord((await this._unary('DeleteExecution', { run_id: runId }, 'remove')).execution);
  }

  /** Every task summary, ordered by task id. */
  async tasks() {
    const out = [];
    let pageToken = '';
    do {
      const res = await this._unary('ListTasks', { page_size: 1000, page_token: pageToken }, 'tasks');
      out.push(...res.tasks.map(toSummary));
      pageToken = res.next_page_token;
    } while (pageToken);
    return out;
  }

  /**
   * Whether each dependency task has succeeded: {satisfied, dependencies:
   * [{task_id, state: 'SATISFIED'|'NEVER_RUN'|'FAILED'|'STALE', message, latest_success, latest}]}.
   */
  async checkDependencies(taskIds, { maxAgeSeconds, requireLatestSuccess = false } = {}) {
    const req = { task_ids: taskIds, require_latest_success: requireLatestSuccess };
    if (maxAgeSeconds != null) req.max_age = toDuration(maxAgeSeconds);
    const res = await this._unary('CheckDependencies', req, 'checkDependencies');
    return {
      satisfied: res.satisfied,
      dependencies: res.dependencies.map((d) => ({
        task_id: d.task_id,
        state: String(d.state).replace(/^DEPENDENCY_STATE_/, ''),
        message: d.message,
        latest_success: d.latest_success ? toRecord(d.latest_success) : null,
        latest: d.latest ? toRecord(d.latest) : null,
      })),
    };
  }

  /** Where the log is and what it holds. */
  async info() {
    const r = await this._unary('GetLogInfo', {}, 'info');
    return {
      path: r.path,
      project_root: r.project_root,
      execution_count: Number(r.execution_count),
      task_count: Number(r.task_count),
      size_bytes: Number(r.size_bytes),
      last_modified: timestampToIso(r.last_modified_time),
      created: timestampToIso(r.create_time),
      version: r.version,
      server_version: r.server_version,
    };
  }

  /**
   * Removes old runs. By default by the reference library's rule: a run goes only
   * when it is both older than `maxAgeDays` (default 30) and beyond its task's
   * newest `maxRunsPerTask` (default 10; `maxPerTask` is the library's name), so a
   * task's newest runs stay whatever their age. `rule: 'old_or_beyond_count'`
   * removes a run when either holds. Result: {removed_count, removed_run_ids, dry_run}.
   */
  cleanup({ maxAgeDays, maxRunsPerTask, maxPerTask, dryRun = false, rule } = {}) {
    const request = { dry_run: dryRun, rule: toCleanupRule(rule) };
    if (maxAgeDays != null) request.max_age_days = maxAgeDays;
    if ((maxRunsPerTask ?? maxPerTask) != null) request.max_runs_per_task = maxRunsPerTask ?? maxPerTask;
    const call = this.stub.CleanupExecutions(request, this._options());
    return new OperationStream(call, 'cleanup', (r, removed) => ({
      removed_count: r.removed_count, removed_run_ids: removed, dry_run: r.dry_run,
    }));
  }

  /** Checks the log. Result: {valid, problems: [{run_id, task_id, field, message}], checked_count}. */
  validate() {
    const call = this.stub.ValidateLog({}, this._options());
    return new OperationStream(call, 'validate', (r) => ({
      valid: r.valid, problems: r.problems, checked_count: Number(r.checked_count),
    }));
  }

  /**
   * Streams the log: progress, chunk ({data: Buffer}) and result events. Formats:
   * 'json' (the log file), 'csv' (the reference library's ten columns) and
   * 'csv_with_files' (the input and output files as columns).
   */
  export({ format = 'json', taskId = '' } = {}) {
    const name = String(format).toLowerCase().replace(/-/g, '_');
    if (!Object.hasOwn(EXPORT_FORMATS, name)) {
      throw invalid(`unsupported export format: ${format} (use ${Object.keys(EXPORT_FORMATS).join(', ')})`);
    }
    const call = this.stub.ExportLog({ format: EXPORT_FORMATS[name], task_id: taskId }, this._options());
    return new OperationStream(call, 'export', (r) => ({
      execution_count: Number(r.execution_count), size_bytes: Number(r.size_bytes), sha256: r.sha256,
    }));
  }

  /** Exports into a local file (checked against the server's SHA-256); resolves to the result. */
  async exportToFile(filePath, { format = 'json', taskId = '', onProgress } = {}) {
    await fs.promises.mkdir(path.dirname(path.resolve(filePath)), { recursive: true });
    const tmp = `${filePath}.part-${process.pid}`;
    const hash = crypto.createHash('sha256');
    const out = await fs.promises.open(tmp, 'w');
    let size = 0;
    let result;
    try {
      for await (const ev of this.export({ format, taskId })) {
        if (ev.type === 'chunk') {
          await out.write(ev.data);
          hash.update(ev.data);
          size += ev.data.length;
        } else if (ev.type === 'progress' && onProgress) onProgress(ev);
        else if (ev.type === 'result') result = ev;
      }
      await out.close();
      const digest = hash.digest('hex');
      if (!result || result.size_bytes !== size || (result.sha256 && result.sha256 !== digest)) {
        throw new ExecLogError(`export failed: received ${size} bytes (sha256 ${digest}), server sent ` +
          `${result?.size_bytes} bytes (sha256 ${result?.sha256})`, { code: grpc.status.DATA_LOSS });
      }
      await fs.promises.rename(tmp, filePath);
      return { ...result, path: filePath };
    } catch (err) {
      await out.close().catch(() => {});
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Imports a log file (JSON format), uploaded in chunks. `source` is a path or
   * a Buffer. `sourceRoot` is the absolute project root the log was written
   * under: absolute paths under it are rebased onto the server's root.
   * Result: {imported_count, skipped_count, execution_count, dry_run}.
   */
  import(source, { merge = false, dryRun = false, sourceRoot = '', chunkSize = IMPORT_CHUNK_SIZE } = {}) {
    const call = this.stub.ImportLog(this._options());
    const stream = new OperationStream(call, 'import', (r) => ({
      imported_count: Number(r.imported_count), skipped_count: Number(r.skipped_count),
      execution_count: Number(r.execution_count), dry_run: r.dry_run,
    }));
    const upload = async () => {
      call.write({ options: {
        mode: merge ? 'IMPORT_MODE_MERGE' : 'IMPORT_MODE_REPLACE', dry_run: dryRun, source_root: String(sourceRoot || ''),
      } });
      const chunks = Buffer.isBuffer(source)
        ? (function* split() { for (let i = 0; i < source.length; i += chunkSize) yield source.subarray(i, i + chunkSize); })()
        : fs.createReadStream(source, { highWaterMark: chunkSize });
      for await (const chunk of chunks) {
        if (!call.write({ chunk })) await new Promise((resolve) => call.once('drain', resolve));
      }
      call.end();
    };
    upload().catch((err) => call.destroy(toError(err, 'import')));
    return stream;
  }
}

module.exports = {
  ExecLogClient,
  ExecLogError,
  ErrorReason,
  ERROR_DOMAIN,
  OperationStream,
  status: grpc.status,
  timestampToIso,
  toRecord,
  DEFAULT_PROTO_ROOT,
};
