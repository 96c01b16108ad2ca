#!/usr/bin/env python3
"""A toy task runner on execlog (the installed Python package, native client).

Asks the server whether the task's dependencies have succeeded (one
CheckDependencies call, the spec's "Task Dependency Validation"), runs a task
that counts the lines of its inputs and writes them as JSON, and records the
run with its inputs and outputs; a failed task is recorded too.

usage: runner.py TASK_ID [--depends-on ID ...] [--input NAME=PATH ...] [--fail]
env:   EXECLOG_SERVER=host:port (default localhost:50051), EXECLOG_TLS_CA, EXECLOG_TLS_CERT,
       EXECLOG_TLS_KEY, EXECLOG_TLS_AUTHORITY, EXECLOG_TOKEN or EXECLOG_TOKEN_FILE (as the CLI);
       PROJECT_ROOT (default .), where the task reads and writes its files
exit:  0 ran and recorded, 1 task failed (recorded), 2 dependencies not satisfied, 3 execlog error
"""

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Dict, List

import execlog
from execlog import ExecLogClient, ExecLogError, OutputFile

logger = logging.getLogger("task_runner")


def dependencies_satisfied(log: ExecLogClient, dependencies: List[str]) -> bool:
    """The spec's assert_dependencies_completed, answered by the server in one call."""
    if not dependencies:
        return True
    report = log.check_dependencies(dependencies)
    for d in report.dependencies:
        if d.satisfied:
            logger.info("dependency %s: run %s at %s", d.task_id, d.latest_success.run_id,
                        d.latest_success.record_time.isoformat())
        else:
            logger.error("dependency %s: %s (%s)", d.task_id, d.state.value, d.message)
    return report.satisfied


def run_task(root: Path, task_id: str, inputs: Dict[str, str], fail: bool) -> List[OutputFile]:
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
    return [OutputFile(str(rel), "json", "Line counts of the inputs")]


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
        with execlog.connect() as log:
            if not dependencies_satisfied(log, args.depends_on):
                print(f"not running {args.task_id}: dependencies not satisfied", file=sys.stderr)
                return 2
            start = time.perf_counter()
            success, outputs = True, []
            try:
                outputs = run_task(root, args.task_id, inputs, args.fail)
            except Exception as e:  # noqa: BLE001 - the failure is recorded
                success = False
                logger.error("task %s failed: %s", args.task_id, e)
            run = log.record(args.task_id, "line-count", success=success, duration=time.perf_counter() - start,
                             report_path=Path("DATA/reports") / f"{args.task_id}_report.json",
                             inputs=inputs, outputs=outputs)
            print(f"recorded {args.task_id} run {run.run_id} success={success}")
            return 0 if success else 1
    except ExecLogError as e:
        print(f"execlog error: {e.reason or e.code}: {e}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
