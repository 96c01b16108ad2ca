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
// events, with a result() helper and an onProgress option; their deadline is
// 1 hour (longDeadlineMs), other calls' 30 s (deadlineMs). watch() resolves to an
// ExecutionWatch, an async iterator of changes. Connections (address, TLS,
// token) come from the options, else from the EXECLOG_* variables (connection.js).
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

const { resolveConnection, ConnectionError, DEFAULT_SERVER } = require('./connection');

// The contract as the package carries it: execlog/v1/*.proto, copied from the repository's
// proto/src/main/proto when the package is packed (scripts/copy-protos.js), and
// google/rpc/status.proto and error_details.proto, vendored from googleapis (Apache-2.0).
const DEFAULT_PROTO_ROOT = path.join(__dirname, 'protos');
const PROTO_FILE = 'execlog/v1/execution_log.proto';
const RPC_PROTO_ROOT = DEFAULT_PROTO_ROOT;
const DEFAULT_DEADLINE_MS = 30 * 1000;
const DEFAULT_LONG_DEADLINE_MS = 60 * 60 * 1000;
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

function loadPackage(protoRoot = DEFAULT_PROTO_ROOT) {
  if (!packages.has(protoRoot)) {
    if (!fs.existsSync(path.join(protoRoot, PROTO_FILE))) {
      throw new Error(`the contract ${PROTO_FILE} is missing under ${protoRoot}` +
        (protoRoot === DEFAULT_PROTO_ROOT ? ' (in a checkout, run `npm ci` or `npm run copy-protos` in client/node)' : ''));
    }
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
  'STORAGE_FAILURE', 'SHUTTING_DOWN', 'LOG_IN_USE', 'MAINTENANCE_RUNNING',
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
 * and last {type:'result', ...}. `result(onProgress)` drains it and resolves to the
 * result; an `onProgress` given to the operation is called for every progress
 * event either way. Errors are thrown as ExecLogError.
 */
class OperationStream {
  constructor(call, what, mapResult, onProgress) {
    this.call = call;
    this.what = what;
    this.mapResult = mapResult;
    this.onProgress = onProgress;
  }

  async *[Symbol.asyncIterator]() {
    // A cleanup sends the removed run ids in batches before its result.
    const removed = [];
    try {
      for await (const msg of this.call) {
        if (msg.event === 'progress') {
          const ev = toProgress(msg.progress);
          if (this.onProgress) this.onProgress(ev);
          yield ev;
        } else if (msg.event === 'chunk') yield { type: 'chunk', data: msg.chunk.data };
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
    if (!result) throw new ExecLogError(`${this.what} failed: the server sent no result`, { code: grpc.status.INTERNAL });
    return result;
  }

  /** Cancels the operation; a cleanup or import cancelled before its result changes nothing. */
  cancel() {
    this.call.cancel();
  }
}

const CHANGE_KINDS = { CHANGE_KIND_RECORDED: 'RECORDED', CHANGE_KIND_UPDATED: 'UPDATED', CHANGE_KIND_REMOVED: 'REMOVED' };

/**
 * A running watch (from `await client.watch()`): an async iterator of the log's
 * changes, {kind: 'RECORDED'|'UPDATED'|'REMOVED', sequence, run}, that runs until
 * close() (or a `break` out of `for await`). A watch has no deadline. When the
 * reader falls behind, the server drops it: the iteration throws an ExecLogError
 * with code RESOURCE_EXHAUSTED, reason WATCH_LAGGED and metadata.last_sequence,
 * the last change delivered (also `lastSequence`): read the runs after it from
 * history, then watch again with `afterSequence`.
 */
class ExecutionWatch {
  constructor(call, responses, startSequence, afterSequence) {
    this.call = call;
    this.responses = responses;
    /** The sequence of the last change committed before this watch began. */
    this.startSequence = startSequence;
    /** The sequence of the last change this watch delivered (startSequence before the first). */
    this.lastSequence = startSequence;
    /**
     * With `afterSequence`: whether changes were committed between it and this
     * watch's start (or the server restarted), which this watch does not carry.
     */
    this.gap = afterSequence == null ? false : startSequence !== Number(afterSequence);
    this.closed = false;
    this.iterator = this._changes();
  }

  async *_changes() {
    try {
      while (true) {
        const { value: msg, done } = await this.responses.next();
        if (done) return;
        if (msg.event === 'change') {
          const change = toChange(msg.change);
          this.lastSequence = change.sequence;
          yield change;
        } else if (msg.event === 'lagged') {
          this.lastSequence = Number(msg.lagged.last_delivered_sequence); // the failing status follows
        }
      }
    } catch (err) {
      if (this.closed && err?.code === grpc.status.CANCELLED) return;
      throw toError(err, 'watch');
    } finally {
      this.close();
    }
  }

  [Symbol.asyncIterator]() {
    return this.iterator;
  }

  /** The next change: {value, done}. */
  next() {
    return this.iterator.next();
  }

  /** Ends the watch; a pending `next()` resolves as done. */
  close() {
    if (!this.closed) {
      this.closed = true;
      this.call.cancel();
    }
  }

}

function toChange(c) {
  return { kind: CHANGE_KINDS[c.kind] || String(c.kind), sequence: Number(c.sequence), run: toRecord(c.execution) };
}

function secondsOrNull(d) {
  return d ? durationSeconds(d) : null;
}

function toStatistics(s) {
  return {
    run_count: Number(s?.run_count || 0),
    success_count: Number(s?.success_count || 0),
    success_rate: Number(s?.success_rate || 0),
    mean_duration: secondsOrNull(s?.mean_duration),
    p50_duration: secondsOrNull(s?.p50_duration),
    p95_duration: secondsOrNull(s?.p95_duration),
    max_duration: secondsOrNull(s?.max_duration),
  };
}

function toTaskStatistics(t) {
  return {
    task_id: t?.task_id || '',
    overall: toStatistics(t?.overall),
    buckets: (t?.buckets || []).map((b) => ({
      start_time: timestampToIso(b.start_time), end_time: timestampToIso(b.end_time), statistics: toStatistics(b.statistics),
    })),
  };
}

function toLineageNode(n) {
  const node = { id: n.id, distance: Number(n.distance), kind: n.kind };
  if (n.kind === 'task') node.task = toSummary(n.task);
  else if (n.kind === 'run') node.run = toRecord(n.run);
  else if (n.kind === 'path') node.path = n.path;
  return node;
}

/** 'upstream' | 'UPSTREAM' | 'LINEAGE_DIRECTION_UPSTREAM' -> the enum name. */
function enumName(prefix, value, names, what) {
  if (value == null || value === '') return `${prefix}UNSPECIFIED`;
  const name = String(value).toUpperCase().replace(/-/g, '_').replace(new RegExp(`^${prefix}`), '');
  if (!names.includes(name)) {
    throw invalid(`unknown ${what} ${JSON.stringify(value)}: use ${names.map((n) => n.toLowerCase()).join(', ')}`);
  }
  return prefix + name;
}

// ---------------------------------------------------------------- the client

class ExecLogClient {
  /**
   * @param {string} [address] host:port; default: options.server, $EXECLOG_SERVER, localhost:50051
   * @param {object} [options] tlsCa, tlsCert, tlsKey (paths or PEM Buffers), tlsAuthority, tls,
   *   token, tokenFile, credentials, channelOptions, deadlineMs (30 s), longDeadlineMs (1 h),
   *   protoRoot; see README.md. Unset ones come from the EXECLOG_* variables the CLI reads.
   */
  constructor(address, options = {}) {
    let conn;
    try {
      conn = resolveConnection(address, options);
    } catch (err) {
      if (err instanceof ConnectionError) throw new ExecLogError(err.message, { code: grpc.status.INVALID_ARGUMENT });
      throw err;
    }
    this.address = conn.address;
    this.tls = conn.tls;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.longDeadlineMs = options.longDeadlineMs ?? DEFAULT_LONG_DEADLINE_MS;
    this._token = conn.token;
    const pkg = loadPackage(options.protoRoot);
    this.stub = new pkg.ExecutionLogService(conn.target, conn.credentials, conn.channelOptions);
  }

  close() {
    this.stub.close();
  }

  /** Whether calls carry a bearer token. */
  get hasToken() {
    return Boolean(this._token);
  }

  /** The call metadata: the bearer token, when there is one. */
  _metadata() {
    const md = new grpc.Metadata();
    if (this._token) md.set('authorization', `Bearer ${this._token}`);
    return md;
  }

  _options(deadlineMs = this.deadlineMs) {
    return { deadline: new Date(Date.now() + deadlineMs) };
  }

  _longOptions(deadlineMs) {
    return this._options(deadlineMs ?? this.longDeadlineMs);
  }

  _unary(method, request, what = method) {
    return new Promise((resolve, reject) => {
      this.stub[method](request, this._metadata(), this._options(), (err, response) => {
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
  async record(run) {
    return (await this.recordWithOutcome(run)).run;
  }

  /**
   * Like record(), resolving to {run, already_recorded}: already_recorded is true
   * when a run with the same `runId` and content was stored before (a retry) and
   * nothing was added.
   */
  async recordWithOutcome({
    taskId, taskType, success = true, executionTime = 0, integerExecutionTime = false, reportPath = '',
    inputDatasets, outputArtifacts, hostname = os.hostname(), runId = crypto.randomUUID(), timestamp, extraFields,
  }) {
    const execution = {
      run_id: runId || crypto.randomUUID(), // never empty: a retry must find the run it may have stored
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
    return { run: toRecord(res.execution), already_recorded: Boolean(res.already_recorded) };
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

  /**
   * The newest run that wrote `filePath`, or null. With includeAll:
   * {record, producers (newest first), producers_truncated}.
   */
  async producer(filePath, { includeAll = false } = {}) {
    const res = await this._orNull(this._unary('FindOutputProducer',
      { path: String(filePath), include_all: includeAll }, 'producer'), ErrorReason.PRODUCER_NOT_FOUND);
    if (!res) return null;
    if (!includeAll) return toRecord(res.execution);
    return { record: toRecord(res.execution), producers: res.producers.map(toRecord),
      producers_truncated: Boolean(res.producers_truncated) };
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

  /** One page of task summaries, ordered by task id: {tasks, nextPageToken}. */
  async listTasks({ pageSize = 0, pageToken = '' } = {}) {
    const res = await this._unary('ListTasks', { page_size: pageSize, page_token: pageToken }, 'tasks');
    return { tasks: res.tasks.map(toSummary), nextPageToken: res.next_page_token };
  }

  /** Pagination helper: every task summary, ordered by task id, fetched page by page. */
  async *iterateTasks({ pageSize = 1000 } = {}) {
    let pageToken = '';
    do {
      const page = await this.listTasks({ pageSize, pageToken });
      yield* page.tasks;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** Every task summary, ordered by task id. */
  async tasks() {
    const out = [];
    for await (const t of this.iterateTasks()) out.push(t);
    return out;
  }

  /**
   * Whether each dependency task has succeeded: {satisfied, dependencies:
   * [{task_id, state: 'SATISFIED'|'NEVER_RUN'|'FAILED'|'STALE'|'OUTPUTS_MISSING', message,
   * latest_success, latest, missing_output_paths}]}. Options: maxAgeSeconds (an older
   * success is STALE), requireLatestSuccess (a failed newest run fails it),
   * newerThanTaskId / newerThanRunId (a success older than that task's newest run,
   * or that run, is STALE), requireOutputsExist (the success's outputs must exist on
   * the server's disk, else OUTPUTS_MISSING).
   */
  async checkDependencies(taskIds, {
    maxAgeSeconds, requireLatestSuccess = false, newerThanTaskId, newerThanRunId, requireOutputsExist = false,
  } = {}) {
    const req = { task_ids: taskIds, require_latest_success: requireLatestSuccess, require_outputs_exist: requireOutputsExist };
    if (maxAgeSeconds != null) req.max_age = toDuration(maxAgeSeconds);
    if (newerThanTaskId && newerThanRunId) throw invalid('checkDependencies: give newerThanTaskId or newerThanRunId, not both');
    if (newerThanTaskId) req.newer_than_task_id = String(newerThanTaskId);
    if (newerThanRunId) req.newer_than_run_id = String(newerThanRunId);
    const res = await this._unary('CheckDependencies', req, 'checkDependencies');
    return {
      satisfied: res.satisfied,
      dependencies: res.dependencies.map((d) => ({
        task_id: d.task_id,
        state: String(d.state).replace(/^DEPENDENCY_STATE_/, ''),
        message: d.message,
        latest_success: d.latest_success ? toRecord(d.latest_success) : null,
        latest: d.latest ? toRecord(d.latest) : null,
        missing_output_paths: d.missing_output_paths || [],
      })),
    };
  }

  /**
   * The lineage graph around a task, a run or a file (give one of taskId, runId,
   * path): direction 'upstream' | 'downstream' | 'both' (default), level 'task'
   * (default) | 'run', depth (hops, default 5, at most 50), maxNodes (default and
   * at most 10000). Resolves to {start_node_id, nodes: [{id, distance, kind:
   * 'task'|'run'|'path', task | run | path}], edges: [{source_node_id,
   * target_node_id, path}], truncated}.
   */
  async lineage({ taskId, runId, path: filePath, direction, level, depth = 0, maxNodes = 0 } = {}) {
    const starts = [taskId, runId, filePath].filter((v) => v != null && v !== '');
    if (starts.length !== 1) throw invalid('lineage: give exactly one of taskId, runId and path');
    const req = {
      direction: enumName('LINEAGE_DIRECTION_', direction, ['UPSTREAM', 'DOWNSTREAM', 'BOTH'], 'lineage direction'),
      level: enumName('LINEAGE_LEVEL_', level, ['TASK', 'RUN'], 'lineage level'),
      depth,
      max_nodes: maxNodes,
    };
    if (taskId) req.task_id = String(taskId);
    else if (runId) req.run_id = String(runId);
    else req.path = String(filePath);
    const r = await this._unary('GetLineage', req, 'lineage');
    return {
      start_node_id: r.start_node_id,
      nodes: r.nodes.map(toLineageNode),
      edges: r.edges.map((e) => ({ source_node_id: e.source_node_id, target_node_id: e.target_node_id, path: e.path })),
      truncated: Boolean(r.truncated),
    };
  }

  /**
   * Run counts, success rates and durations (in seconds; null when there are no
   * runs) over a time window (startTime, endTime), for one task (taskId) or all,
   * with a time series when `bucket` is 'hour', 'day' or 'week'. Resolves to
   * {total: {task_id, overall, buckets: [{start_time, end_time, statistics}]},
   * tasks: [{task_id, overall, buckets: []}] (all tasks only)}.
   */
  async statistics({ taskId = '', startTime, endTime, bucket } = {}) {
    const req = { task_id: taskId || '', bucket: enumName('TIME_BUCKET_', bucket, ['HOUR', 'DAY', 'WEEK'], 'time bucket') };
    if (startTime != null) req.start_time = toTimestamp(startTime);
    if (endTime != null) req.end_time = toTimestamp(endTime);
    const r = await this._unary('GetTaskStatistics', req, 'statistics');
    return { total: toTaskStatistics(r.total), tasks: r.tasks.map(toTaskStatistics) };
  }

  /**
   * Starts watching the log's changes (filters: taskId, taskType, success);
   * resolves to an ExecutionWatch once the server has confirmed the watch, so
   * every change committed after that is delivered. `afterSequence` (the
   * `lastSequence` of an earlier watch, or a WATCH_LAGGED error's
   * metadata.last_sequence) sets `gap` on the new watch when changes were
   * committed in between: the contract cannot replay them, so read them from
   * history. The watch has no deadline: close() it, or break out of `for await`.
   */
  async watch({ taskId = '', taskType = '', success, afterSequence } = {}) {
    const req = { task_id: taskId || '', task_type: taskType || '' };
    if (success != null) req.success = Boolean(success);
    const call = this.stub.WatchExecutions(req, this._metadata(), {});
    const responses = call[Symbol.asyncIterator]();
    let first;
    try {
      first = await responses.next();
    } catch (err) {
      call.cancel();
      throw toError(err, 'watch');
    }
    if (first.done || first.value.event !== 'started') {
      call.cancel();
      throw new ExecLogError('watch failed: the server did not confirm the watch', { code: grpc.status.INTERNAL });
    }
    return new ExecutionWatch(call, responses, Number(first.value.started.sequence), afterSequence);
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
  cleanup({ maxAgeDays, maxRunsPerTask, maxPerTask, dryRun = false, rule, onProgress, deadlineMs } = {}) {
    const request = { dry_run: dryRun, rule: toCleanupRule(rule) };
    if (maxAgeDays != null) request.max_age_days = maxAgeDays;
    if ((maxRunsPerTask ?? maxPerTask) != null) request.max_runs_per_task = maxRunsPerTask ?? maxPerTask;
    const call = this.stub.CleanupExecutions(request, this._metadata(), this._longOptions(deadlineMs));
    return new OperationStream(call, 'cleanup', (r, removed) => ({
      removed_count: r.removed_count, removed_run_ids: removed, dry_run: r.dry_run,
    }), onProgress);
  }

  /** Checks the log. Result: {valid, problems: [{run_id, task_id, field, message}], checked_count}. */
  validate({ onProgress, deadlineMs } = {}) {
    const call = this.stub.ValidateLog({}, this._metadata(), this._longOptions(deadlineMs));
    return new OperationStream(call, 'validate', (r) => ({
      valid: r.valid, problems: r.problems, checked_count: Number(r.checked_count),
    }), onProgress);
  }

  /**
   * Streams the log: progress, chunk ({data: Buffer}) and result events. Formats:
   * 'json' (the log file), 'csv' (the reference library's ten columns) and
   * 'csv_with_files' (the input and output files as columns).
   */
  export({ format = 'json', taskId = '', onProgress, deadlineMs } = {}) {
    const name = String(format).toLowerCase().replace(/-/g, '_');
    if (!Object.hasOwn(EXPORT_FORMATS, name)) {
      throw invalid(`unsupported export format: ${format} (use ${Object.keys(EXPORT_FORMATS).join(', ')})`);
    }
    const call = this.stub.ExportLog({ format: EXPORT_FORMATS[name], task_id: taskId }, this._metadata(),
      this._longOptions(deadlineMs));
    return new OperationStream(call, 'export', (r) => ({
      execution_count: Number(r.execution_count), size_bytes: Number(r.size_bytes), sha256: r.sha256,
    }), onProgress);
  }

  /** Exports into a local file (checked against the server's SHA-256); resolves to the result. */
  async exportToFile(filePath, { format = 'json', taskId = '', onProgress, deadlineMs } = {}) {
    await fs.promises.mkdir(path.dirname(path.resolve(filePath)), { recursive: true });
    const tmp = `${filePath}.part-${process.pid}`;
    const hash = crypto.createHash('sha256');
    const out = await fs.promises.open(tmp, 'w');
    let size = 0;
    let result;
    try {
      for await (const ev of this.export({ format, taskId, onProgress, deadlineMs })) {
        if (ev.type === 'chunk') {
          await out.write(ev.data);
          hash.update(ev.data);
          size += ev.data.length;
        } else if (ev.type === 'result') result = ev;
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
  import(source, {
    merge = false, dryRun = false, sourceRoot = '', chunkSize = IMPORT_CHUNK_SIZE, onProgress, deadlineMs,
  } = {}) {
    const call = this.stub.ImportLog(this._metadata(), this._longOptions(deadlineMs));
    const stream = new OperationStream(call, 'import', (r) => ({
      imported_count: Number(r.imported_count), skipped_count: Number(r.skipped_count),
      execution_count: Number(r.execution_count), dry_run: r.dry_run,
    }), onProgress);
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

const { status } = grpc;
/** The package's version: the server version it was released with. */
const { version: VERSION } = require('../package.json');

// Shorthand names only, so that ES modules can import each one by name.
module.exports = {
  ExecLogClient,
  ExecLogError,
  ErrorReason,
  ERROR_DOMAIN,
  ExecutionWatch,
  OperationStream,
  status,
  timestampToIso,
  toRecord,
  resolveConnection,
  DEFAULT_PROTO_ROOT,
  DEFAULT_SERVER,
  DEFAULT_DEADLINE_MS,
  DEFAULT_LONG_DEADLINE_MS,
  VERSION,
};
