'use strict';
// How to reach a server: the address, TLS (a CA to trust, a client certificate and key for mutual
// TLS, the name to expect in the server's certificate) and a bearer token, from the client's
// options and else from the environment variables the execlog CLI reads. Explicit options win.

const fs = require('node:fs');
const grpc = require('@grpc/grpc-js');

const DEFAULT_SERVER = 'localhost:50051';

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
  const target = blankToNull(address) || blankToNull(options.server) || blankToNull(env[ENV.server]) || DEFAULT_SERVER;
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
  const channelOptions = { ...(options.channelOptions || {}) };
  let credentials = options.credentials;
  const tls = credentials ? undefined : Boolean(options.tls || ca || cert);
  if (!credentials) {
    if (cert && !key) throw new ConnectionError('a client certificate needs its key (tlsKey / EXECLOG_TLS_KEY)');
    if (key && !cert) throw new ConnectionError('a client key needs its certificate (tlsCert / EXECLOG_TLS_CERT)');
    credentials = tls
      ? grpc.credentials.createSsl(pem(ca, 'the CA file'), pem(key, 'the client key'), pem(cert, 'the client certificate'))
      : grpc.credentials.createInsecure();
  }
  if (authority) {
    channelOptions['grpc.ssl_target_name_override'] = authority;
    channelOptions['grpc.default_authority'] = authority;
  }
  return { target, credentials, channelOptions, token, tls };
}

module.exports = { resolveConnection, ConnectionError, DEFAULT_SERVER, ENV };
