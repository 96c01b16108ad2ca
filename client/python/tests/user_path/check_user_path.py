#!/usr/bin/env python3
"""The user's path after `pip install execlog-*.whl`, run from outside the repository by
test-install.sh against a server with TLS and bearer tokens, connected only through the CLI's
variables (EXECLOG_SERVER, EXECLOG_TLS_CA, EXECLOG_TOKEN_FILE): a watch sees a run recorded
with a client run id (and its retry adds nothing), history, a server-side dependency check, an
export and an import with progress, a call without a token refused with UNAUTHENTICATED, and
the recorded run read back identically through the CLI (`execlog show RUN --json`).

usage: check_user_path.py CLI UPSTREAM_TASK   (exit 0 when every check passed)
"""

import io
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime
from importlib import metadata
from pathlib import Path

import execlog
from execlog import ConnectionOptions, DependencyState, ExecLogError, OutputFile

checks = []


def check(condition: bool, what: str) -> None:
    checks.append(what)
    if not condition:
        sys.exit(f"user-path: FAILED: {what}")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main() -> int:
    cli, upstream = sys.argv[1], sys.argv[2]
    package = Path(execlog.__file__).resolve()
    check("site-packages" in package.parts, f"execlog is the installed package ({package})")
    task = f"t_py_user_{uuid.uuid4().hex[:6]}"
    with execlog.connect() as log:
        check(log.info().server_version == metadata.version("execlog"), "the wheel's version is the server's")
        with log.watch(task) as watch:
            run_id = str(uuid.uuid4())
            outcome = log.record_with_outcome(
                task, "profiling", run_id=run_id, duration=12, report_path="DATA/reports/user.json",
                inputs={"counts": f"DATA/processed/{upstream}/output/line_counts.json"},
                outputs=[OutputFile(f"DATA/processed/{task}/profile.json", "json", "written from the venv")],
                extra_fields={"notes": "recorded by the installed package", "metrics": {"rows": 2}})
            retry = log.record_with_outcome(
                task, "profiling", run_id=run_id, duration=12, report_path="DATA/reports/user.json",
                inputs={"counts": f"DATA/processed/{upstream}/output/line_counts.json"},
                outputs=[OutputFile(f"DATA/processed/{task}/profile.json", "json", "written from the venv")],
                extra_fields={"notes": "recorded by the installed package", "metrics": {"rows": 2}})
            check(not outcome.already_recorded and retry.already_recorded and retry.run == outcome.run,
                  "a retried record with the same run id adds nothing")
            change = next(watch)
            check(change.kind.value == "RECORDED" and change.run == outcome.run, "the watch saw the recorded run")
        run = outcome.run
        history = list(log.history(task))
        check([r.run_id for r in history] == [run_id], "history lists the run once")
        check(any(r.task_id == upstream for r in log.history(limit=50)), "history holds the runner's runs")
        deps = log.check_dependencies([upstream, "t_py_never_ran"])
        check(not deps.satisfied and [d.state for d in deps.dependencies]
              == [DependencyState.SATISFIED, DependencyState.NEVER_RUN], "the server checked the dependencies")

        exported = io.BytesIO()
        export_progress = []
        result = log.export_log(exported, task_id=upstream, progress=export_progress.append)
        check(result.execution_count >= 1 and export_progress != [], "export streamed with progress")
        document = json.loads(exported.getvalue())
        imported_task = f"t_py_imported_{uuid.uuid4().hex[:6]}"
        entry = dict(document["executions"][0], task_id=imported_task, task_run_id=str(uuid.uuid4()))
        document["executions"] = [entry]
        document["tasks"] = {}
        import_progress = []
        imported = log.import_log(io.BytesIO(json.dumps(document).encode()), progress=import_progress.append)
        check(imported.imported_count == 1 and import_progress != [], "import merged one run with progress")
        check([r.task_id for r in log.history(imported_task)] == [imported_task], "the imported run is in history")

    anonymous = {k: v for k, v in os.environ.items() if k not in ("EXECLOG_TOKEN", "EXECLOG_TOKEN_FILE")}
    with execlog.connect(options=ConnectionOptions.from_env(anonymous)) as nobody:
        try:
            nobody.history(limit=1).__next__()
            check(False, "a call without a token is refused")
        except ExecLogError as e:
            check(e.reason == "UNAUTHENTICATED" and e.code is not None and e.code.name == "UNAUTHENTICATED",
                  "a call without a token is refused with reason UNAUTHENTICATED")

    shown = json.loads(subprocess.run([cli, "show", run_id, "--json"], check=True, capture_output=True, text=True,
                                      timeout=120).stdout)
    mine = run.to_dict()
    check(instant(shown.pop("timestamp")) == instant(mine.pop("timestamp")), "the CLI reads the same time")
    check(shown == mine, f"the CLI reads the run as recorded: {shown} != {mine}")
    print(f"user-path: {len(checks)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
