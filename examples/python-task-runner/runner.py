#!/usr/bin/python3
"""A toy task runner on execlog (Python client).

Checks that the task's dependencies have succeeded (find_latest_execution, as
the spec's TaskDependencyManager does), runs a task that writes a file, and
records the run with its inputs and outputs; a failed task is recorded too.

usage: runner.py TASK_ID [--depends-on ID ...] [--input NAME=PATH ...] [--fail]
env:   EXECLOG_SERVER=host:port (default localhost:50051), PROJECT_ROOT (default .)
exit:  0 ran and recorded, 1 task failed (recorded), 2 dependencies not satisfied, 3 execlog error
"""

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "client" / "python"))

from execlog.execution_log import ExecutionLogError, find_latest_execution, record_task_execution  # noqa: E402

logger = logging.getLogger("task_runner")


def dependencies_completed(dependencies) -> bool:
    """The spec's assert_dependencies_completed, on execlog."""
    for dependency_id in dependencies:
        try:
            latest = find_latest_execution(task_id=dependency_id, success_only=True)
            if not latest:
                logger.error("Dependency task %s has not been executed successfully", dependency_id)
                return False
            logger.info("Dependency %s: run %s at %s", dependency_id, latest["task_run_id"], latest["timestamp"])
        except Exception as e:  # noqa: BLE001 - as the reference does
            logger.error("Error checking dependency %s: %s", dependency_id, e)
            return False
    return True


def run_task(root: Path, task_id: str, inputs: dict, fail: bool) -> list:
    """The toy task: counts the lines of its inputs and writes them as JSON."""
    counts = {}
    for name, p in inputs.items():
        f = root / p
        counts[name] = len(f.read_text().splitlines()) if f.is_file() else 0
    if fail:
        raise RuntimeError("the task failed on purpose (--fail)")
    rel = Path("DATA/processed") / task_id / "output" / "line_counts.json"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(json.dumps({"task": task_id, "counts": counts}, indent=2))
    return [{"path": str(rel), "type": "json", "description": "Line counts of the inputs"}]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("task_id")
    ap.add_argument("--depends-on", nargs="*", default=[])
    ap.add_argument("--input", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--fail", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    root = Path(os.environ.get("PROJECT_ROOT", ".")).resolve()
    inputs = dict(item.split("=", 1) for item in args.input)
    try:
        if not dependencies_completed(args.depends_on):
            print(f"not running {args.task_id}: dependencies not satisfied", file=sys.stderr)
            return 2
        start = time.perf_counter()
        success, outputs = True, []
        try:
            outputs = run_task(root, args.task_id, inputs, args.fail)
        except Exception as e:  # noqa: BLE001 - the failure is recorded
            success = False
            logger.error("task %s failed: %s", args.task_id, e)
        run_id = record_task_execution(
            task_id=args.task_id,
            task_type="line-count",
            success=success,
            execution_time=time.perf_counter() - start,
            report_path=Path("DATA/reports") / f"{args.task_id}_report.json",
            input_datasets=inputs,
            output_artifacts=outputs,
        )
        print(f"recorded {args.task_id} run {run_id} success={success}")
        return 0 if success else 1
    except ExecutionLogError as e:
        print(f"execlog error: {e}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
