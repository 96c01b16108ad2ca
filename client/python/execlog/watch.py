"""A running watch of the log's changes: an iterator that ends on close and raises on lag."""

from __future__ import annotations

import threading
from typing import Any, Iterator, Optional

import grpc

from execlog import _mapping as m
from execlog.errors import ExecLogError, WatchLaggedError, error_from
from execlog.models import ExecutionChange

__all__ = ["ExecutionWatch"]


class ExecutionWatch(Iterator[ExecutionChange]):
    """A running watch: iterate to get each :class:`ExecutionChange` as the server commits it.

    The iteration blocks until the next change and ends when :meth:`close` is
    called (from any thread, or by leaving the ``with`` block). A watch that
    reads too slowly is dropped by the server: the iteration then raises
    :class:`~execlog.errors.WatchLaggedError`, whose ``last_sequence`` is the
    last change delivered; read the missed runs from the history and watch again
    with ``after_sequence=e.last_sequence``.
    """

    def __init__(self, call: Any, after_sequence: Optional[int] = None) -> None:
        self._call = call
        self._closed = threading.Event()
        try:
            first = next(call)
        except grpc.RpcError as e:
            call.cancel()
            raise error_from(e, "watch") from e
        except StopIteration:
            raise ExecLogError("watch failed: the server ended the watch before it started",
                               code=grpc.StatusCode.INTERNAL) from None
        self.start_sequence: int = int(first.started.sequence)
        """The sequence of the last change committed before the watch began; later ones follow."""
        self.last_sequence: int = self.start_sequence
        """The sequence of the last change this watch delivered (``start_sequence`` before the first)."""
        self.after_sequence = after_sequence
        self.may_have_missed: bool = after_sequence is not None and after_sequence != self.start_sequence
        """True when resuming (``after_sequence``) and changes may have been committed in between
        (or the server restarted): read them from the history."""

    def __iter__(self) -> "ExecutionWatch":
        return self

    def __next__(self) -> ExecutionChange:
        while True:
            if self._closed.is_set():
                raise StopIteration
            try:
                message = next(self._call)
            except StopIteration:
                raise
            except grpc.RpcError as e:
                if self._closed.is_set() and e.code() == grpc.StatusCode.CANCELLED:
                    raise StopIteration from None
                error = error_from(e, "watch")
                if isinstance(error, WatchLaggedError) and "last_sequence" not in error.metadata:
                    error.last_sequence = self.last_sequence
                raise error from e
            kind = message.WhichOneof("event")
            if kind == "change":
                change = m.change(message.change)
                self.last_sequence = change.sequence
                return change
            if kind == "lagged":  # the failing status follows
                self.last_sequence = int(message.lagged.last_delivered_sequence)

    def close(self) -> None:
        """Ends the watch; an iteration blocked in another thread stops."""
        self._closed.set()
        self._call.cancel()

    def __enter__(self) -> "ExecutionWatch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
