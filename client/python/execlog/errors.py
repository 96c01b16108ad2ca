"""What an execlog error status says beyond its code: reason, field and metadata.

Every status the execlog server sends carries, in its ``grpc-status-details-bin``
trailer, a serialized ``google.rpc.Status`` whose details hold a
``google.rpc.ErrorInfo`` (domain ``execlog.dev``; reason, a value name of the
contract's ``execlog.v1.ErrorReason`` such as ``RUN_NOT_FOUND``; metadata such
as ``run_id``, ``path`` or ``limit``) and, when one request field is at fault, a
``google.rpc.BadRequest`` naming it. :class:`ExecLogError` is the exception both
layers of this package raise, carrying them as ``code``, ``reason``, ``field``
and ``metadata`` (:class:`WatchLaggedError` adds ``last_sequence``);
:func:`status_details` reads the same values from any ``grpc.RpcError``, for
code calling the generated stubs::

    try:
        stub.GetExecution(request)
    except grpc.RpcError as e:
        d = status_details(e)
        if d.reason == "RUN_NOT_FOUND":
            print("no run", d.metadata["run_id"])

Debian's ``python3-grpcio`` ships no ``grpc_status`` and ``python3-protobuf`` no
``google.rpc``, so the three messages are declared here, field for field as in
googleapis' ``google/rpc/status.proto`` and ``error_details.proto``, in a
private descriptor pool: nothing is added to the default pool, so the package
``googleapis-common-protos`` installed beside this one cannot clash with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field as _field
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

import grpc
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

__all__ = ["DOMAIN", "STATUS_DETAILS_KEY", "REASONS", "StatusDetails", "status_details",
           "ExecLogError", "WatchLaggedError", "error_from"]

DOMAIN = "execlog.dev"
"""The ``ErrorInfo.domain`` of every reason the execlog server sends."""

STATUS_DETAILS_KEY = "grpc-status-details-bin"
"""The trailer that carries the serialized ``google.rpc.Status``."""


def _contract_reasons() -> FrozenSet[str]:
    try:
        from execlog.v1 import error_reason_pb2
    except ImportError:  # stubs generated before the contract had ErrorReason
        return frozenset()
    return frozenset(n for n in error_reason_pb2.ErrorReason.keys() if n != "ERROR_REASON_UNSPECIFIED")


REASONS = _contract_reasons()
"""Every reason of the contract's ``execlog.v1.ErrorReason`` (empty without its generated stub)."""


# --------------------------------------------------------------------------- google.rpc messages

def _message(name: str, *fields: Tuple[int, str, int, int, Optional[str]],
             nested: Sequence[Any] = (), map_entry: bool = False) -> Any:
    m = descriptor_pb2.DescriptorProto(name=name)
    for number, fname, ftype, label, type_name in fields:
        f = m.field.add(name=fname, number=number, type=ftype, label=label)
        if type_name:
            f.type_name = type_name
    m.nested_type.extend(nested)
    if map_entry:
        m.options.map_entry = True
    return m


_F = descriptor_pb2.FieldDescriptorProto
_ONE, _MANY = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED


def _pool() -> descriptor_pool.DescriptorPool:
    f = descriptor_pb2.FileDescriptorProto(
        name="execlog/python/google_rpc_subset.proto", package="google.rpc", syntax="proto3",
        dependency=["google/protobuf/any.proto"],
    )
    f.message_type.extend([
        _message("Status",
                 (1, "code", _F.TYPE_INT32, _ONE, None),
                 (2, "message", _F.TYPE_STRING, _ONE, None),
                 (3, "details", _F.TYPE_MESSAGE, _MANY, ".google.protobuf.Any")),
        _message("ErrorInfo",
                 (1, "reason", _F.TYPE_STRING, _ONE, None),
                 (2, "domain", _F.TYPE_STRING, _ONE, None),
                 (3, "metadata", _F.TYPE_MESSAGE, _MANY, ".google.rpc.ErrorInfo.MetadataEntry"),
                 nested=[_message("MetadataEntry",
                                  (1, "key", _F.TYPE_STRING, _ONE, None),
                                  (2, "value", _F.TYPE_STRING, _ONE, None),
                                  map_entry=True)]),
        _message("BadRequest",
                 (1, "field_violations", _F.TYPE_MESSAGE, _MANY, ".google.rpc.BadRequest.FieldViolation"),
                 nested=[_message("FieldViolation",
                                  (1, "field", _F.TYPE_STRING, _ONE, None),
                                  (2, "description", _F.TYPE_STRING, _ONE, None))]),
    ])
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(any_pb2.DESCRIPTOR.serialized_pb)
    pool.AddSerializedFile(f.SerializeToString())
    return pool


def _message_class(descriptor: Any) -> Any:
    get = getattr(message_factory, "GetMessageClass", None)  # protobuf >= 4.22
    if get is not None:
        return get(descriptor)
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


_POOL = _pool()
_Status = _message_class(_POOL.FindMessageTypeByName("google.rpc.Status"))
_ErrorInfo = _message_class(_POOL.FindMessageTypeByName("google.rpc.ErrorInfo"))
_BadRequest = _message_class(_POOL.FindMessageTypeByName("google.rpc.BadRequest"))


# --------------------------------------------------------------------------- reading a status


@dataclass(frozen=True)
class StatusDetails:
    """What a failed call's status says.

    ``code`` is the ``grpc.StatusCode`` (``None`` for an error that is no gRPC
    status); ``message`` the status message, for people; ``reason`` the
    ``ErrorInfo`` reason of domain ``execlog.dev`` (``""`` when the status has
    none, as for a connection failure or a deadline that passed in the client);
    ``metadata`` that ``ErrorInfo``'s metadata; ``field`` the request field at
    fault, from the ``BadRequest`` or else the ``field`` metadata (``""`` when
    none); ``field_violations`` every ``(field, description)`` of the ``BadRequest``.
    """

    code: Optional[grpc.StatusCode] = None
    message: str = ""
    reason: str = ""
    field: str = ""
    metadata: Dict[str, str] = _field(default_factory=dict)
    field_violations: Tuple[Tuple[str, str], ...] = ()


def _call(error: BaseException, name: str) -> Any:
    fn = getattr(error, name, None)
    if not callable(fn):
        return None
    try:
        return fn()
    except Exception:  # an RpcError that is no call (grpc raises a few) has nothing to say
        return None


def _status_bytes(trailers: Any) -> Optional[bytes]:
    for key, value in trailers or ():
        if key == STATUS_DETAILS_KEY:
            return value if isinstance(value, bytes) else None
    return None


def _type_name(type_url: str) -> str:
    return type_url.rsplit("/", 1)[-1]


def status_details(error: BaseException) -> StatusDetails:
    """The code, message, reason, field and metadata of a failed call.

    ``error`` is usually a ``grpc.RpcError`` raised by a stub; anything else
    (or a status without readable details) gives what it can, with
    ``reason == ""``. Details whose code differs from the call's are ignored,
    as ``grpc_status.rpc_status.from_call`` refuses them.
    """
    code = _call(error, "code")
    if not isinstance(code, grpc.StatusCode):
        code = None
    message = _call(error, "details")
    message = message if isinstance(message, str) else ("" if code is not None else str(error))
    raw = _status_bytes(_call(error, "trailing_metadata"))
    if raw is None or code is None:
        return StatusDetails(code=code, message=message)
    try:
        status = _Status.FromString(raw)
    except Exception:  # a damaged trailer: keep what the call itself says
        return StatusDetails(code=code, message=message)
    if status.code != code.value[0]:
        return StatusDetails(code=code, message=message)
    reason, metadata = "", {}
    violations: List[Tuple[str, str]] = []
    for detail in status.details:
        kind = _type_name(detail.type_url)
        try:
            if kind == "google.rpc.ErrorInfo" and not reason:
                info = _ErrorInfo.FromString(detail.value)
                if info.domain == DOMAIN:
                    reason, metadata = info.reason, dict(info.metadata)
            elif kind == "google.rpc.BadRequest":
                bad = _BadRequest.FromString(detail.value)
                violations.extend((v.field, v.description) for v in bad.field_violations)
        except Exception:  # one unreadable detail does not hide the others
            continue
    field = violations[0][0] if violations else metadata.get("field", "")
    return StatusDetails(code=code, message=message or status.message, reason=reason, field=field,
                         metadata=metadata, field_violations=tuple(violations))


# --------------------------------------------------------------------------- the exception


class ExecLogError(Exception):
    """The one exception of this package: a call failed, or the client refused its arguments.

    ``code``: the ``grpc.StatusCode`` (``None`` when the client refused the call
    itself, before anything was sent). ``reason``: the server's stable reason, a
    value name of the contract's ``execlog.v1.ErrorReason`` (``"RUN_NOT_FOUND"``,
    ``"PATH_OUTSIDE_ROOT"``, ``"UNAUTHENTICATED"``, ``"ROLE_TOO_LOW"``...); ``""``
    when the failure is not the server's (a connection failure, a deadline that
    passed in the client, the client's own checks). Branch on it, never on the
    message. ``field``: the request field at fault (``"execution.report_path"``)
    or ``""``. ``metadata``: the reason's metadata, a dict of str (``run_id``,
    ``task_id``, ``path``, ``limit``, ``role``, ``required``, ``last_sequence``...).
    ``details``: the server's message, for people; it may change between versions.
    ``field_violations``: every ``(field, description)`` of the status's ``BadRequest``.
    """

    def __init__(self, message: str, *, code: Optional[grpc.StatusCode] = None, reason: str = "",
                 field: str = "", metadata: Optional[Mapping[str, str]] = None, details: Optional[str] = None,
                 field_violations: Sequence[Tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.code: Optional[grpc.StatusCode] = code
        self.reason: str = reason or ""
        self.field: str = field or ""
        self.metadata: Dict[str, str] = dict(metadata) if metadata else {}
        self.details: str = details if details is not None else message
        self.field_violations: Tuple[Tuple[str, str], ...] = tuple(field_violations)


class WatchLaggedError(ExecLogError):
    """A watch read too slowly and the server dropped it (``RESOURCE_EXHAUSTED``, reason ``WATCH_LAGGED``).

    ``last_sequence`` is the sequence of the last change the watch delivered
    (its start sequence when none was): the changes after it were not
    delivered. Read what was missed from the history, then watch again.
    """

    def __init__(self, message: str, *, last_sequence: int, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.last_sequence: int = last_sequence


WATCH_LAGGED = "WATCH_LAGGED"


def error_from(error: BaseException, operation: str) -> ExecLogError:
    """The :class:`ExecLogError` for a failed call of ``operation`` (a ``grpc.RpcError`` as a rule).

    Its message names the operation, the code and the reason:
    ``get failed: NOT_FOUND RUN_NOT_FOUND: no run has this id``.
    """
    if isinstance(error, ExecLogError):
        return error
    d = status_details(error)
    name = d.code.name if d.code is not None else "UNKNOWN"
    if d.reason:
        name = f"{name} {d.reason}"
    message = f"{operation} failed: {name}: {d.message}"
    kwargs = dict(code=d.code, reason=d.reason, field=d.field, metadata=d.metadata, details=d.message,
                  field_violations=d.field_violations)
    if d.reason == WATCH_LAGGED:
        try:
            last = int(d.metadata.get("last_sequence", "0"))
        except ValueError:
            last = 0
        return WatchLaggedError(message, last_sequence=last, **kwargs)
    return ExecLogError(message, **kwargs)  # type: ignore[arg-type]
