"""How to reach an execlog server: one set of options for both layers of this package.

The settings and environment variables are the CLI's (``execlog --help``):

=====================  =========================  ===============================================
option                 environment variable       meaning
=====================  =========================  ===============================================
``target``             ``EXECLOG_SERVER``         ``host:port``, or ``host1:port,host2:port`` for
                                                  several servers of one log; default ``localhost:50051``
``tls_ca``             ``EXECLOG_TLS_CA``         PEM CA certificates to trust; turns TLS on
``tls_cert``           ``EXECLOG_TLS_CERT``       PEM client certificate (mutual TLS); turns TLS on
``tls_key``            ``EXECLOG_TLS_KEY``        PEM private key of ``tls_cert``
``tls_authority``      ``EXECLOG_TLS_AUTHORITY``  name to expect in the server's certificate
``token``              ``EXECLOG_TOKEN``          bearer token sent with every call
``token_file``         ``EXECLOG_TOKEN_FILE``     file holding the bearer token (wins over ``EXECLOG_TOKEN``)
=====================  =========================  ===============================================

TLS is used when a CA or a client certificate is given (or ``tls=True``, which
trusts the system's CAs); otherwise the channel is plaintext, and a token is
then only sent to a loopback address. Options given in code override the
environment. ``timeout`` (30 s) is the deadline of each ordinary call,
``long_timeout`` (1 hour) that of cleanup, validate, export and import.

Every channel carries the service config of all execlog clients
(``service_config.json``): ``round_robin`` over the servers the target names,
and UNAVAILABLE retried by gRPC (5 attempts, backoff 0.5 s doubling up to 5 s)
on reads, records (each sent with a run id made here), tracking and updates;
never on deletes, cleanups, imports or watches. A comma-separated target is
resolved here, when the channel opens: each host name is looked up once (a name
that cannot be looked up is left out, unless none can), and the channel gets
gRPC's own ``ipv4:``/``ipv6:`` list of the addresses. TLS then checks every
server's certificate under one name: ``tls_authority`` when given, else the
first host of the list, so the servers' certificates must all hold that name.
"""

from __future__ import annotations

import collections
import dataclasses
import ipaddress
import json
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, List, Mapping, Optional, Tuple, Union

import grpc

from execlog.errors import ExecLogError

__all__ = ["ConnectionOptions", "DEFAULT_TARGET", "DEFAULT_TIMEOUT", "DEFAULT_LONG_TIMEOUT", "SERVICE_CONFIG",
           "open_channel"]

DEFAULT_TARGET = "localhost:50051"
DEFAULT_TIMEOUT = 30.0
"""Seconds: the deadline of each ordinary call."""
DEFAULT_LONG_TIMEOUT = 3600.0
"""Seconds: the deadline of cleanup, validate, export and import."""

SERVICE_CONFIG: str = (Path(__file__).with_name("service_config.json")).read_text(encoding="utf-8")
"""The gRPC service config every channel gets (JSON): load balancing and the retry policy."""
_PER_RPC_RETRY_BUFFER = 4 * 1024 * 1024
"""Largest request kept for a retry (the server's default largest message); bigger ones are not retried."""
_HOST_PORT = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})")

_ENV = {
    "target": "EXECLOG_SERVER",
    "tls_ca": "EXECLOG_TLS_CA",
    "tls_cert": "EXECLOG_TLS_CERT",
    "tls_key": "EXECLOG_TLS_KEY",
    "tls_authority": "EXECLOG_TLS_AUTHORITY",
    "token": "EXECLOG_TOKEN",
    "token_file": "EXECLOG_TOKEN_FILE",
}
_PATHS = ("tls_ca", "tls_cert", "tls_key", "token_file")

PathArg = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class ConnectionOptions:
    """Where the server is, how to secure the channel, and the deadlines.

    Build it with :meth:`from_env` (the CLI's environment variables, then your
    overrides) or directly; :func:`execlog.connect` and
    ``execlog.execution_log.configure`` take it, or the same keywords.
    """

    target: str = DEFAULT_TARGET
    tls_ca: Optional[Path] = None
    tls_cert: Optional[Path] = None
    tls_key: Optional[Path] = None
    tls_authority: Optional[str] = None
    token: Optional[str] = field(default=None, repr=False)
    token_file: Optional[Path] = None
    tls: bool = False
    timeout: float = DEFAULT_TIMEOUT
    long_timeout: float = DEFAULT_LONG_TIMEOUT

    def __post_init__(self) -> None:
        for name in _PATHS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(os.fspath(value)))
        if not self.target:
            raise ValueError("the server address (target) is empty")
        if self.token is not None and self.token_file is not None:
            raise ValueError("give a token or a token file, not both")
        if self.tls_key is not None and self.tls_cert is None:
            raise ValueError("a TLS key (EXECLOG_TLS_KEY) needs its certificate (EXECLOG_TLS_CERT)")
        if self.tls_cert is not None and self.tls_key is None:
            raise ValueError("a client certificate (EXECLOG_TLS_CERT) needs its key (EXECLOG_TLS_KEY)")
        if self.timeout <= 0 or self.long_timeout <= 0:
            raise ValueError("timeouts must be positive numbers of seconds")

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None, **overrides: Any) -> "ConnectionOptions":
        """The options the environment gives (``os.environ`` unless ``env``), then ``overrides``.

        An override of ``None`` leaves the environment's value. An explicit
        ``token`` hides ``EXECLOG_TOKEN_FILE`` and an explicit ``token_file``
        hides ``EXECLOG_TOKEN``; from the environment alone, the file wins, as in the CLI.
        """
        source = os.environ if env is None else env
        values: dict = {}
        for name, variable in _ENV.items():
            raw = (source.get(variable) or "").strip()
            if raw:
                values[name] = raw
        unknown = set(overrides) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise TypeError(f"unknown connection options: {', '.join(sorted(unknown))}")
        given = {k: v for k, v in overrides.items() if v is not None}
        if "token" in given:
            values.pop("token_file", None)
        elif "token_file" in given or "token_file" in values:
            values.pop("token", None)
        values.update(given)
        return cls(**values)

    def replace(self, **changes: Any) -> "ConnectionOptions":
        """A copy with some options changed; a change to ``None`` is ignored."""
        given = {k: v for k, v in changes.items() if v is not None}
        if "token" in given:
            given.setdefault("token_file", None)
        if "token_file" in given:
            given.setdefault("token", None)
        merged = dataclasses.asdict(self)
        merged.update(given)
        return ConnectionOptions(**merged)

    @property
    def uses_tls(self) -> bool:
        """Whether the channel is TLS: a CA or a client certificate is given, or ``tls=True``."""
        return self.tls or self.tls_ca is not None or self.tls_cert is not None

    def bearer_token(self) -> Optional[str]:
        """The token to send: ``token``, or the contents of ``token_file`` (read now), or ``None``."""
        if self.token_file is not None:
            try:
                text = self.token_file.read_text(encoding="utf-8").strip()
            except OSError as e:
                raise ExecLogError(f"cannot read the token file {self.token_file}: {e.strerror or e}") from e
            if not text:
                raise ExecLogError(f"the token file {self.token_file} is empty")
            return text
        token = (self.token or "").strip()
        return token or None

    def channel_key(self) -> Tuple[Any, ...]:
        """What tells two channels apart: everything but the deadlines."""
        return (self.target, self.tls_ca, self.tls_cert, self.tls_key, self.tls_authority, self.token,
                self.token_file, self.tls)

    def open_channel(self) -> grpc.Channel:
        """A new channel as these options say; the caller closes it."""
        return open_channel(self)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise ExecLogError(f"cannot read the {what} {path}: {e.strerror or e}") from e


def server_list(target: str) -> List[Tuple[str, int]]:
    """The ``(host, port)`` entries of a comma-separated list of servers, in order (IPv6 hosts
    without brackets); ``ValueError`` names the first entry that is not ``host:port``."""
    entries = []
    for part in target.split(","):
        entry = part.strip()
        match = _HOST_PORT.fullmatch(entry)
        if not match or not 1 <= int(match.group(2)) <= 65535:
            why = "an address is empty" if not entry else "expected HOST:PORT"
            raise ValueError(f"bad server address {entry!r} in {target!r}: {why}")
        entries.append((match.group(1).strip("[]"), int(match.group(2))))
    return entries


def _list_target(target: str) -> Tuple[str, str]:
    """gRPC's own target for a list of servers (``ipv4:a:1,b:2`` or ``ipv6:[a]:1,[b]:2``), each
    host looked up now, and the first entry as written (the channel's authority)."""
    entries = server_list(target)
    addresses: List[Tuple[str, int]] = []
    failures = []
    for host, port in entries:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as e:
            failures.append(f"{host}: {e.strerror or e}")
            continue
        for family, _, _, _, sockaddr in infos:
            if family in (socket.AF_INET, socket.AF_INET6) and (sockaddr[0], port) not in addresses:
                addresses.append((sockaddr[0], port))
    if not addresses:
        raise ExecLogError(f"cannot look up any of the servers {target}: {'; '.join(failures)}",
                           code=grpc.StatusCode.UNAVAILABLE)
    if all(":" not in ip for ip, _ in addresses):
        resolved = "ipv4:" + ",".join(f"{ip}:{port}" for ip, port in addresses)
    else:  # IPv6, with IPv4 addresses mapped into it
        resolved = "ipv6:" + ",".join(f"[{ip if ':' in ip else '::ffff:' + ip}]:{port}" for ip, port in addresses)
    host, port = entries[0]
    return resolved, (f"[{host}]" if ":" in host else host) + f":{port}"


def is_loopback(target: str) -> bool:
    """Whether ``target`` names this machine (``localhost``, ``127.x.x.x``, ``::1``, a unix
    socket); for a comma-separated list, whether every server of it does."""
    if "," in target and not target.strip().startswith(("ipv4:", "ipv6:", "unix:")):
        return all(is_loopback(part) for part in target.split(","))
    t = target.strip()
    if t.startswith(("unix:", "unix-abstract:")):
        return True
    for scheme in ("dns:///", "dns:", "ipv4:", "ipv6:"):
        if t.startswith(scheme):
            t = t[len(scheme):]
            break
    if t.startswith("["):
        host = t[1:t.find("]")] if "]" in t else t[1:]
    elif t.count(":") == 1:
        host = t.rsplit(":", 1)[0]
    else:
        host = t
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _CallDetails(
    collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready",
                                            "compression")),
    grpc.ClientCallDetails,
):
    pass


class _BearerHeader(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                    grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds ``authorization: Bearer <token>`` to every call of a plaintext loopback channel.

    On TLS channels the token goes as call credentials instead
    (``grpc.access_token_call_credentials``), which gRPC only allows on secure channels.
    """

    def __init__(self, token: str) -> None:
        self._header = ("authorization", f"Bearer {token}")

    def _details(self, d: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        metadata: List[Tuple[str, Union[str, bytes]]] = list(d.metadata or ())
        metadata.append(self._header)
        return _CallDetails(d.method, d.timeout, metadata, getattr(d, "credentials", None),
                            getattr(d, "wait_for_ready", None), getattr(d, "compression", None))

    def intercept_unary_unary(self, continuation: Callable, client_call_details: grpc.ClientCallDetails,
                              request: Any) -> Any:
        return continuation(self._details(client_call_details), request)

    def intercept_unary_stream(self, continuation: Callable, client_call_details: grpc.ClientCallDetails,
                               request: Any) -> Any:
        return continuation(self._details(client_call_details), request)

    def intercept_stream_unary(self, continuation: Callable, client_call_details: grpc.ClientCallDetails,
                               request_iterator: Iterator[Any]) -> Any:
        return continuation(self._details(client_call_details), request_iterator)

    def intercept_stream_stream(self, continuation: Callable, client_call_details: grpc.ClientCallDetails,
                                request_iterator: Iterator[Any]) -> Any:
        return continuation(self._details(client_call_details), request_iterator)


def open_channel(options: ConnectionOptions) -> grpc.Channel:
    """Opens a channel to ``options.target``: TLS (with a client certificate) when the options
    say so, else plaintext; the bearer token on every call. Nothing is sent yet."""
    token = options.bearer_token()
    channel_options: List[Tuple[str, Any]] = [
        ("grpc.service_config", SERVICE_CONFIG),
        ("grpc.enable_retries", 1),
        ("grpc.per_rpc_retry_buffer_size", _PER_RPC_RETRY_BUFFER),
    ]
    target = options.target.strip()
    authority = options.tls_authority
    name = options.tls_authority
    if "," in target and not target.startswith(("ipv4:", "ipv6:")):
        try:
            target, first = _list_target(target)
        except ValueError as e:
            raise ExecLogError(str(e)) from e
        authority = authority or first
        name = name or server_list(options.target)[0][0]
    if authority:
        channel_options.append(("grpc.default_authority", authority))
    if not options.uses_tls:
        if token is not None and not is_loopback(options.target):
            raise ExecLogError(
                f"refusing to send the token in clear text to {options.target}: give the server's CA "
                "(EXECLOG_TLS_CA / tls_ca) to use TLS")
        channel = grpc.insecure_channel(target, options=channel_options)
        return grpc.intercept_channel(channel, _BearerHeader(token)) if token is not None else channel
    if name:
        channel_options.append(("grpc.ssl_target_name_override", name))
    credentials = grpc.ssl_channel_credentials(
        root_certificates=_read(options.tls_ca, "CA file") if options.tls_ca is not None else None,
        private_key=_read(options.tls_key, "TLS key") if options.tls_key is not None else None,
        certificate_chain=_read(options.tls_cert, "client certificate") if options.tls_cert is not None else None,
    )
    if token is not None:
        credentials = grpc.composite_channel_credentials(credentials, grpc.access_token_call_credentials(token))
    return grpc.secure_channel(target, credentials, options=channel_options)
