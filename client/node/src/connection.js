'use strict';
// How to reach a server: the address, TLS (a CA to trust, a client certificate and key for mutual
// TLS, the name to expect in the server's certificate) and a bearer token, from the client's
// options and else from the environment variables the execlog CLI reads. Explicit options win.

const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');
const grpc = require('@grpc/grpc-js');

const DEFAULT_SERVER = 'localhost:50051';

/**
 * The gRPC service config of every execlog client (the same JSON in the Java and Python clients):
 * round_robin over the servers, and UNAVAILABLE retried (5 attempts, backoff 0.5 s doubling up to
 * 5 s) on reads, records (each sent with a run id made here), tracking and updates; never on
 * deletes, cleanups, imports or watches.
 */
const SERVICE_CONFIG = JSON.stringify(require('./service-config.json'));

/** Largest request kept for a retry (the server's default largest message); bigger ones are not retried. */
const PER_RPC_RETRY_BUFFER_BYTES = 4 * 1024 * 1024;

const LIST_SCHEME = 'execlog-list';
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/**
 * The entries of a comma-separated list of servers: [{host, port, authority}] in order, IPv6
 * hosts without brackets; throws a ConnectionError naming the first entry that is not host:port.
 */
function parseServerList(list) {
  return String(list).split(',').map((part) => {
    const entry = part.trim();
    const m = HOST_PORT.exec(entry);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      throw new ConnectionError(`bad server address '${entry}' in '${list}': ${entry ? 'expected HOST:PORT' : 'an address is empty'}`);
    }
    return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]), authority: entry };
  });
}

/**
 * Resolves `execlog-list:host1:port,host2:port` targets: each host name is looked up (again
 * whenever gRPC asks, after a connection failed) and becomes one endpoint of round_robin. A host
 * that cannot be looked up is left out while others resolve.
 */
class AddressListResolver {
  constructor(target, listener) {
    this.entries = parseServerList(target.path);
    this.listener = listener;
    this.pending = false;
    this.destroyed = false;
  }

  updateResolution() {
    if (this.pending) return;
    this.pending = true;
    this.destroyed = false;
    Promise.all(this.entries.map(({ host, port }) => dns.promises.lookup(host, { all: true })
      .then((found) => ({ addresses: found.map((a) => ({ host: a.address, port })) }), () => null)))
      .then((endpoints) => {
        this.pending = false;
        if (this.destroyed) return;
        const found = endpoints.filter(Boolean);
        if (found.length > 0) {
          this.listener({ ok: true, value: found }, {}, null, '');
        } else {
          this.listener({ ok: false, error: { code: grpc.status.UNAVAILABLE,
            details: `cannot look up any of the servers ${this.entries.map((e) => e.authority).join(',')}`,
            metadata: new grpc.Metadata() } }, {}, null, '');
        }
      });
  }

  destroy() {
    this.destroyed = true;
  }

  static getDefaultAuthority(target) {
    return parseServerList(target.path)[0].authority;
  }
}

grpc.experimental.registerResolver(LIST_SCHEME, AddressListResolver);

/**
 * gRPC's target for a list of servers: its own `ipv4:a:1,b:2` / `ipv6:[a]:1,[b]:2` when every
 * host is an IP literal of one family, else `execlog-list:...` (AddressListResolver).
 */
function listTarget(entries) {
  if (entries.every((e) => net.isIPv4(e.host))) return `ipv4:${entries.map((e) => `${e.host}:${e.port}`).join(',')}`;
  if (entries.every((e) => net.isIPv6(e.host))) return `ipv6:${entries.map((e) => `[${e.host}]:${e.port}`).join(',')}`;
  return `${LIST_SCHEME}:${entries.map((e) => e.authority).join(',')}`;
}

/** The environment variables, by option. */
const ENV = Object.freeze({
  server: 'EXECLOG_SERVER',
  tlsCa: 'EXECLOG_TLS_CA',
  tlsCert: 'EXECLOG_TLS_CERT',
  tlsKey: 'EXECLOG_TLS_KEY',
  tlsAuthority: 'EXECLOG_TLS_AUTHORITY',
  token: 'EXECLOG_TOKEN',
  tokenFile: 'EXECLOG_TOKEN_FILE',
});

class ConnectionError extends Error {}

function blankToNull(value) {
  if (value == null) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

/** An option given explicitly (even as null or '', which means "none"), else the variable's value. */
function pick(options, env, name) {
  if (options[name] !== undefined) return options[name];
  return blankToNull(env[ENV[name]]);
}

function read(file, what) {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new ConnectionError(`cannot read ${what} ${file}: ${err.message}`);
  }
}

/** A PEM given as a Buffer (its content) or a string (a file path). */
function pem(value, what) {
  if (value == null || value === '') return null;
  return Buffer.isBuffer(value) ? value : read(String(value), what);
}

/**
 * The connection the options and the environment describe:
 * {target, credentials, channelOptions, token, tls}.
 * Token: `token`, else the content of `tokenFile`, else $EXECLOG_TOKEN_FILE's content, else
 * $EXECLOG_TOKEN (the CLI's order). TLS is on when a CA or a client certificate is given, or with
 * `tls: true` (the system's CAs). `credentials` replaces the TLS settings (the token still applies).
 */
function resolveConnection(address, options = {}, env = process.env) {
  const server = blankToNull(address) || blankToNull(options.server) || blankToNull(env[ENV.server]) || DEFAULT_SERVER;
  let token;
  if (options.token !== undefined) token = blankToNull(options.token);
  else if (blankToNull(options.tokenFile)) token = blankToNull(read(options.tokenFile, 'the token file').toString('utf8'));
  else if (options.tokenFile === undefined && blankToNull(env[ENV.tokenFile])) {
    token = blankToNull(read(env[ENV.tokenFile], 'the token file ($EXECLOG_TOKEN_FILE)').toString('utf8'));
  } else token = blankToNull(env[ENV.token]);
  if (token && /[\r\n]/.test(token)) throw new ConnectionError('the token holds a line break');

  const ca = pick(options, env, 'tlsCa');
  const cert = pick(options, env, 'tlsCert');
  const key = pick(options, env, 'tlsKey');
  const authority = blankToNull(pick(options, env, 'tlsAuthority'));
  const channelOptions = {
    'grpc.service_config': SERVICE_CONFIG,
    'grpc.enable_retries': 1,
    'grpc.per_rpc_retry_buffer_size': PER_RPC_RETRY_BUFFER_BYTES,
    ...(options.channelOptions || {}),
  };
  let target = server;
  let name = authority;
  if (server.includes(',') && !/^(ipv4|ipv6|unix):/.test(server)) {
    const entries = parseServerList(server);
    target = listTarget(entries);
    if (!authority) {
      // One name for every server: TLS checks each certificate under the first host's name.
      channelOptions['grpc.default_authority'] = entries[0].authority;
      name = entries[0].host;
    }
  }
  let credentials = options.credentials;
  const tls = credentials ? undefined : Boolean(options.tls || ca || cert);
  if (!credentials) {
    if (cert && !key) throw new ConnectionError('a client certificate needs its key (tlsKey / EXECLOG_TLS_KEY)');
    if (key && !cert) throw new ConnectionError('a client key needs its certificate (tlsCert / EXECLOG_TLS_CERT)');
    credentials = tls
      ? grpc.credentials.createSsl(pem(ca, 'the CA file'), pem(key, 'the client key'), pem(cert, 'the client certificate'))
      : grpc.credentials.createInsecure();
  }
  if (authority) channelOptions['grpc.default_authority'] = authority;
  if (name) channelOptions['grpc.ssl_target_name_override'] = name;
  return { target, address: server, credentials, channelOptions, token, tls };
}

module.exports = { resolveConnection, parseServerList, ConnectionError, DEFAULT_SERVER, ENV, SERVICE_CONFIG };
