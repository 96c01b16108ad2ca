"""The server's progress events reach progress managers of the spec's protocol."""

import contextlib
from pathlib import Path

import pytest

from execlog.execution_log import ExecutionLogError


class FullManager:
    """create_operation_context + update + log_* (the spec's ProgressManagerProtocol)."""

    def __init__(self):
        self.events = []

    @contextlib.contextmanager
    def create_operation_context(self, name, total, description=None, **kwargs):
        self.events.append(("enter", name, total, description))
        manager = self

        class Ctx:
            def update(self, n=1, postfix=None):
                manager.events.append(("update", name, n, dict(postfix or {})))

        yield Ctx()
        self.events.append(("exit", name))

    def log_info(self, message):
        self.events.append(("info", message))

    def log_debug(self, message):
        self.events.append(("debug", message))

    def log_warning(self, message):
        self.events.append(("warning", message))

    def log_error(self, message):
        self.events.append(("error", message))


class InfoOnly:
    def __init__(self):
        self.lines = []

    def log_info(self, message):
        self.lines.append(message)


class PlainContext:
    """create_operation_context returns an object that is not a context manager."""

    def __init__(self):
        self.updates = []

    def create_operation_context(self, name, total, description=None):
        outer = self

        class Bar:
            def update(self, n, postfix=None):
                outer.updates.append((name, n))

        return Bar()


class Broken:
    def create_operation_context(self, *a, **k):
        raise RuntimeError("boom")

    def log_info(self, message):
        raise RuntimeError("boom")


@pytest.fixture(scope="module")
def populated(server):
    from execlog import execution_log as el

    for i in range(12):
        el.record_task_execution(f"t_progress_{i % 3}", "x", True, 0.5, Path("r.json"),
                                 output_artifacts=[f"DATA/progress/{i}.csv"])
    return server


def contexts(events):
    return [e for e in events if e[0] == "enter"]


def test_export_progress_reaches_full_manager(el, populated, tmp_path):
    pm = FullManager()
    el.export_execution_log(tmp_path / "x.json", progress_manager=pm)
    entered = contexts(pm.events)
    assert entered, pm.events
    assert all(name.startswith("export_execution_log") for _, name, _, _ in entered)
    # every context opened is closed, in order
    opened = [e[1] for e in pm.events if e[0] == "enter"]
    closed = [e[1] for e in pm.events if e[0] == "exit"]
    assert opened == closed
    for _, name, total, _ in entered:
        done = sum(e[2] for e in pm.events if e[0] == "update" and e[1] == name)
        assert done >= 0 and (total == 0 or done <= total)
    assert any(e[0] == "update" for e in pm.events)
    assert any(e[0] == "info" and "Exported" in e[1] for e in pm.events)


def test_validate_and_cleanup_progress(el, populated):
    pm = FullManager()
    valid, errors = el.validate_execution_log(progress_manager=pm)
    assert valid, errors
    assert contexts(pm.events) and contexts(pm.events)[0][1].startswith("validate_execution_log")
    pm = FullManager()
    el.cleanup_old_executions(max_age_days=3650, max_per_task=1000, dry_run=True, progress_manager=pm)
    assert contexts(pm.events) and contexts(pm.events)[0][1].startswith("cleanup_old_executions")


def test_import_progress(el, fresh_server, tmp_path):
    from execlog import execution_log as m

    addr = fresh_server.address
    for i in range(5):
        m.record_task_execution("t_imp", "x", True, 0.5, Path("r.json"), server=addr)
    path = m.export_execution_log(tmp_path / "imp.json", server=addr)
    pm = FullManager()
    assert m.import_execution_log(path, merge=True, progress_manager=pm, server=addr)
    assert contexts(pm.events) and contexts(pm.events)[0][1].startswith("import_execution_log")


def test_managers_with_only_some_methods(el, populated, tmp_path):
    info = InfoOnly()
    el.export_execution_log(tmp_path / "a.json", progress_manager=info)
    assert any(line.startswith("export_execution_log") for line in info.lines)
    assert any("Exported" in line for line in info.lines)

    plain = PlainContext()
    el.validate_execution_log(progress_manager=plain)
    assert plain.updates and plain.updates[0][0].startswith("validate_execution_log")

    assert el.validate_execution_log(progress_manager=object())[0] is True
    assert el.export_execution_log(tmp_path / "b.json", progress_manager=Broken()).is_file()
    run_id = el.record_task_execution("t_pm", "x", True, 1.0, Path("r.json"), progress_manager=Broken())
    assert run_id


def test_unary_operations_log_to_the_manager(el):
    pm = FullManager()
    run_id = el.record_task_execution("t_pm_unary", "x", True, 1.0, Path("r.json"), progress_manager=pm)
    assert ("info", f"Recorded execution of task t_pm_unary (run {run_id})") in pm.events
    assert el.remove_execution_record("00000000-0000-0000-0000-000000000000", progress_manager=pm) is False
    assert any(e[0] == "warning" for e in pm.events)


def test_stream_error_still_closes_contexts(el, tmp_path):
    pm = FullManager()
    with pytest.raises(ExecutionLogError):
        el.cleanup_old_executions(max_age_days=-5, progress_manager=pm)
    opened = [e[1] for e in pm.events if e[0] == "enter"]
    closed = [e[1] for e in pm.events if e[0] == "exit"]
    assert opened == closed
