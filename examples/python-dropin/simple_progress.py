"""A tiny stand-in for PAMOLA's ``create_task_progress_manager`` (same protocol).

It prints what it is told on stderr, so the drop-in examples run without
pamola_core installed. With PAMOLA installed, keep PAMOLA's own import instead.
"""

import contextlib
import logging
import sys
from typing import Any, Dict, Optional


class _Operation:
    def __init__(self, name: str, total: int, description: Optional[str]):
        self.name, self.total, self.description, self.done = name, total, description, 0

    def update(self, n: int = 1, postfix: Optional[Dict[str, Any]] = None) -> None:
        self.done += n
        extra = f" {postfix}" if postfix else ""
        print(f"  [{self.name}] {self.done}/{self.total or '?'}{extra}", file=sys.stderr)


class SimpleProgressManager:
    def __init__(self, task_id: str, task_type: str, logger: logging.Logger, total_operations: int = 0):
        self.task_id, self.task_type, self.logger = task_id, task_type, logger
        self.total_operations = total_operations

    @contextlib.contextmanager
    def create_operation_context(self, name: str, total: int, description: Optional[str] = None, **_: Any):
        print(f"> {name}: {description or ''}", file=sys.stderr)
        yield _Operation(name, total, description)
        print(f"< {name}", file=sys.stderr)

    def log_info(self, message: str) -> None:
        print(f"  info: {message}", file=sys.stderr)

    def log_warning(self, message: str) -> None:
        print(f"  warning: {message}", file=sys.stderr)

    def log_error(self, message: str) -> None:
        print(f"  error: {message}", file=sys.stderr)

    def log_debug(self, message: str) -> None:
        self.logger.debug(message)

    def close(self) -> None:
        print(f"progress of {self.task_id} closed", file=sys.stderr)


def create_task_progress_manager(task_id: str, task_type: str, logger: logging.Logger, total_operations: int = 0):
    return SimpleProgressManager(task_id, task_type, logger, total_operations)
