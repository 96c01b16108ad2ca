"""Code written for the reference library keeps working on execlog (issue: drop-in fidelity).

Each test pins one behaviour of PAMOLA's ``execution_log.py`` that scripts
depend on, against a real server: naive local timestamps, execution times as
recorded, ``limit=None``, artifact typing, extra keys on runs and file entries,
the library's cleanup rule, its CSV columns and moving a log between projects.
"""

import csv
import datetime as dt
import json
import time
import uuid
from pathlib import Path

import grpc
import pytest

from conftest import PY_ROOT
from execlog.execution_log import ExecutionLogError

LIBRARY_CSV_HEADER = ("task_id,task_type,task_run_id,timestamp,success,execution_time,"
                      "report_path,input_files_count,output_files_count,hostname")
FILES_CSV_HEADER = ("task_run_id,task_id,task_type,timestamp,success,execution_time,"
                    "report_path,hostname,input_files,output_files")


def tid(prefix="t"):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def record(el, task_id, **kw):
    args = dict(task_type="profiling", success=True, execution_time=1.25,
                report_path=Path(f"DATA/reports/{task_id}.json"))
    args.update(kw)
    return el.record_task_execution(task_id, **args)


def library_run(task_id, when, **kw):
    """One ``executions`` entry as the reference library writes it."""
    run = {"task_id": task_id, "task_type": "profiling", "task_run_id": str(uuid.uuid4()),
           "timestamp": when.isoformat(), "success": True, "execution_time": 1.5,
           "report_path": f"DATA/reports/{task_id}.json", "input_files": [], "output_files": [],
           "hostname": "analysis-server"}
    run.update(kw)
    return run


def library_log(runs):
    now = dt.datetime.now().isoformat()
    return {"tasks": {}, "executions": runs, "timestamp": now, "version": "1.0.0", "last_modified": now}


@pytest.fixture
def local_zone(monkeypatch):
    """Runs the test in a zone other than the machine's (UTC here), so local time is visible."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# ------------------------------------------------------------------ point 6: what the library returns


def test_timestamps_are_naive_local_iso_strings_like_datetime_now(el, local_zone):
    t = tid()
    out = f"DATA/out/{t}.csv"
    run_id = record(el, t, output_artifacts=[out])
    reads = [el.get_execution_record(run_id), el.find_latest_execution(t), el.find_task_by_output(out),
             el.get_task_execution_history(task_id=t)[0]]
    for rec in reads:
        when = dt.datetime.fromisoformat(rec["timestamp"])
        assert when.tzinfo is None, rec["timestamp"]
        age = dt.datetime.now() - when  # the library's users do this arithmetic
        assert dt.timedelta(0) <= age < dt.timedelta(minutes=2), rec["timestamp"]

    el.update_execution_record(run_id, {"timestamp": "2025-06-01T08:30:00.123456"})
    assert el.get_execution_record(run_id)["timestamp"] == "2025-06-01T08:30:00.123456"
    el.update_execution_record(run_id, {"timestamp": "2025-05-01T12:00:00+00:00"})
    assert el.get_execution_record(run_id)["timestamp"] == "2025-05-01T17:30:00"


def test_execution_time_comes_back_as_recorded(el):
    t = tid()
    whole = record(el, t, execution_time=241)
    fractional = record(el, t, execution_time=2.0)
    got = el.get_execution_record(whole)["execution_time"]
    assert got == 241 and type(got) is int
    got = el.get_execution_record(fractional)["execution_time"]
    assert got == 2.0 and type(got) is float

    el.update_execution_record(fractional, {"execution_time": 7})
    got = el.find_latest_execution(t)["execution_time"]
    assert got == 7 and type(got) is int
    el.update_execution_record(fractional, {"execution_time": 7.25})
    got = el.get_task_execution_history(task_id=t, limit=1)[0]["execution_time"]
    assert got == 7.25 and type(got) is float


def test_integer_execution_time_is_an_integer_in_the_log_file(server_factory):
    from execlog import execution_log as el

    s = server_factory()
    whole = el.record_task_execution("t_int", "x", True, 241, Path("r.json"), server=s.address)
    fractional = el.record_task_execution("t_int", "x", True, 241.0, Path("r.json"), server=s.address)
    s.stop_and_wait()
    runs = {e["task_run_id"]: e for e in json.loads(s.log_path.read_text())["executions"]}
    assert type(runs[whole]["execution_time"]) is int and runs[whole]["execution_time"] == 241
    assert type(runs[fractional]["execution_time"]) is float


def test_limit_none_returns_every_run_and_negative_limits_slice(el):
    t = tid()
    ids = [record(el, t) for _ in range(12)]
    assert len(el.get_task_execution_history(task_id=t)) == 10
    everything = el.get_task_execution_history(task_id=t, limit=None)
    assert [h["task_run_id"] for h in everything] == ids[::-1]
    assert [h["task_run_id"] for h in el.get_task_execution_history(task_id=t, limit=-2)] == ids[:1:-1]
    assert el.get_task_execution_history(task_id=t, limit=0) == []


def test_artifacts_are_typed_as_the_library_types_them(el):
    t = tid()
    run_id = record(el, t, output_artifacts=[
        {"path": f"DATA/out/{t}/a.csv"},
        {"path": f"DATA/out/{t}/b.csv", "type": "table", "description": "rows"},
        f"DATA/out/{t}/c.JSON",
        Path(f"DATA/out/{t}/Makefile"),
    ])
    assert [(f["type"], f["description"]) for f in el.get_execution_record(run_id)["output_files"]] == [
        ("unknown", ""), ("table", "rows"), ("JSON", ""), ("", ""),
    ]


def test_empty_task_type_is_accepted(el):
    t = tid()
    run_id = el.record_task_execution(t, "", True, 1.0, Path("DATA/r.json"))
    assert el.get_execution_record(run_id)["task_type"] == ""


# ------------------------------------------------------------------ point 3: extra keys are first-class


def test_update_sets_extra_keys_and_spec_keys_together_and_every_read_returns_them(el):
    t = tid()
    out = f"DATA/out/{t}.csv"
    run_id = record(el, t, output_artifacts=[out])
    metrics = {"rows": 100, "ratio": 0.3, "columns": ["a", "b"], "ok": True, "none": None}
    assert el.update_execution_record(run_id, {
        "notes": "looks good", "metrics": metrics, "tags": ["nightly"], "success": False,
        "a.b": 1, "odd`key": "x",
    }) is True

    reads = [el.get_execution_record(run_id), el.find_latest_execution(t, success_only=False),
             el.find_task_by_output(out), el.get_task_execution_history(task_id=t)[0]]
    for rec in reads:
        assert rec["success"] is False
        assert rec["notes"] == "looks good" and rec["metrics"] == metrics and rec["tags"] == ["nightly"]
        assert rec["a.b"] == 1 and rec["odd`key"] == "x"
    assert el.find_latest_execution(t) is None  # success went through its typed field

    el.update_execution_record(run_id, {"notes": "second look"})
    rec = el.get_execution_record(run_id)
    assert rec["notes"] == "second look" and rec["metrics"] == metrics


def test_extra_keys_are_written_to_the_log_file_as_json(server_factory):
    from execlog import execution_log as el

    s = server_factory()
    run_id = el.record_task_execution("t_notes", "x", True, 1.0, Path("r.json"), server=s.address)
    el.update_execution_record(run_id, {"notes": "looks good", "metrics": {"rows": 241, "ratio": 0.25}},
                               server=s.address)
    s.stop_and_wait()
    (run,) = json.loads(s.log_path.read_text())["executions"]
    assert run["notes"] == "looks good"
    assert run["metrics"] == {"rows": 241, "ratio": 0.25} and type(run["metrics"]["rows"]) is int


def test_extra_keys_of_a_library_written_log_are_returned(server_factory):
    from execlog import execution_log as el

    run = library_run("t_lib", dt.datetime.now() - dt.timedelta(hours=1), notes="from the library",
                      operator="ana", input_files=[{"path": "DATA/raw/a.csv", "added_at": "2025-05-01T12:00:00"}])
    s = server_factory(library_log([run]))
    rec = el.get_execution_record(run["task_run_id"], server=s.address)
    assert rec["notes"] == "from the library" and rec["operator"] == "ana"
    assert rec["input_files"][0]["added_at"] == "2025-05-01T12:00:00"


def test_a_spec_key_failing_its_check_changes_nothing(el):
    t = tid()
    run_id = record(el, t)
    with pytest.raises(ExecutionLogError) as info:
        el.update_execution_record(run_id, {"notes": "x", "report_path": "../outside.json"})
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "notes" not in el.get_execution_record(run_id)


@pytest.mark.parametrize("value", [object(), float("nan"), {"when": dt.datetime(2025, 1, 1)}])
def test_a_value_that_is_not_json_raises_naming_the_key(el, value):
    run_id = record(el, tid())
    with pytest.raises(ExecutionLogError) as info:
        el.update_execution_record(run_id, {"notes": "kept out", "payload": value})
    assert "'payload'" in str(info.value)
    assert "notes" not in el.get_execution_record(run_id)


def test_tracked_files_carry_added_at_and_file_extras_survive_an_update(el):
    # added_at is written by the server, which owns the file: naive, in the server's local time
    # (here the machine's, as the test's client shares it)
    t = tid()
    run_id = record(el, t, input_datasets={"a": "DATA/raw/a.csv"})
    assert el.track_input_files(t, ["DATA/raw/b.csv"]) is True
    assert el.track_output_files(t, [f"DATA/out/{t}.json"]) is True
    rec = el.get_execution_record(run_id)
    assert "added_at" not in rec["input_files"][0]  # recorded, not tracked: the library adds none
    for entry in (rec["input_files"][1], rec["output_files"][0]):
        added = dt.datetime.fromisoformat(entry["added_at"])
        assert added.tzinfo is None
        assert abs(dt.datetime.now() - added) < dt.timedelta(minutes=2)
    assert rec["output_files"][0]["type"] == "json"

    inputs = rec["input_files"] + [{"name": "c", "path": "DATA/raw/c.csv", "checksum": "sha256:00"}]
    el.update_execution_record(run_id, {"input_files": inputs})
    assert el.get_execution_record(run_id)["input_files"] == inputs


# ------------------------------------------------------------------ point 1: the library's cleanup rule


def test_cleanup_keeps_what_the_library_keeps(server_factory):
    from execlog import execution_log as el

    now = dt.datetime.now()
    idle = [library_run("t_idle", now - dt.timedelta(days=45, minutes=i)) for i in range(12)]
    daily = [library_run("t_daily", now - dt.timedelta(days=i, hours=1)) for i in range(40)]
    s = server_factory(library_log(idle + daily))
    addr = s.address
    expected = {r["task_run_id"] for r in idle[10:] + daily[30:]}

    count, dry_ids = el.cleanup_old_executions(dry_run=True, server=addr)
    assert count == 12 and set(dry_ids) == expected
    count, ids = el.cleanup_old_executions(server=addr)
    assert count == 12 and sorted(ids) == sorted(dry_ids)
    left = {h["task_run_id"] for h in el.get_task_execution_history(limit=None, server=addr)}
    assert left == {r["task_run_id"] for r in idle[:10] + daily[:30]}

    count, ids = el.cleanup_old_executions(max_age_days=20, max_per_task=0, server=addr)
    assert set(ids) == {r["task_run_id"] for r in idle[:10] + daily[20:30]} and count == 20


def test_the_stricter_cleanup_rule_is_only_used_by_name(server_factory):
    from execlog import execution_log as el

    now = dt.datetime.now()
    idle = [library_run("t_idle", now - dt.timedelta(days=45, minutes=i)) for i in range(3)]
    recent = [library_run("t_recent", now - dt.timedelta(minutes=i)) for i in range(3)]
    s = server_factory(library_log(idle + recent))
    addr = s.address

    assert el.cleanup_old_executions(max_per_task=2, dry_run=True, server=addr) == (1, [idle[2]["task_run_id"]])
    count, ids = el.cleanup_old_executions(max_per_task=2, rule="old_or_beyond_count", server=addr)
    assert count == 4 and set(ids) == {r["task_run_id"] for r in idle + recent[2:]}
    with pytest.raises(ExecutionLogError):
        el.cleanup_old_executions(rule="everything", server=addr)


# ------------------------------------------------------------------ point 2: the library's CSV


def test_csv_export_has_the_library_columns_and_files_layout_by_name(server_factory, tmp_path, monkeypatch):
    from execlog import execution_log as el

    monkeypatch.chdir(tmp_path)

    s = server_factory()
    addr = s.address
    ok = el.record_task_execution("t_csv", "x", True, 241, Path("DATA/r.json"),
                                  input_datasets={"in": "DATA/in.csv"}, server=addr)
    failed = el.record_task_execution("t_csv", "x", False, 1.5, Path("DATA/r.json"),
                                      output_artifacts=["DATA/a.csv", "DATA/b.csv"], server=addr)

    text = el.export_execution_log(tmp_path / "log.csv", format="csv", server=addr).read_bytes().decode()
    assert text.split("\r\n")[0] == LIBRARY_CSV_HEADER
    rows = list(csv.reader(text.splitlines()))[1:]
    assert [(r[2], r[4], r[5], r[7], r[8]) for r in rows] == [(ok, "True", "241", "1", "0"),
                                                            (failed, "False", "1.5", "0", "2")]
    assert dt.datetime.fromisoformat(rows[0][3])

    files = el.export_execution_log(tmp_path / "files.csv", format="csv_with_files", server=addr)
    lines = files.read_text().splitlines()
    assert lines[0] == FILES_CSV_HEADER
    by_run = {r["task_run_id"]: r for r in csv.DictReader(lines)}
    assert by_run[ok]["input_files"] == "in=DATA/in.csv"
    assert by_run[failed]["output_files"] == "DATA/a.csv;DATA/b.csv"

    default = el.export_execution_log(format="csv_with_files", server=addr)
    assert default.suffix == ".csv" and default.read_text().splitlines()[0] == FILES_CSV_HEADER


# ------------------------------------------------------------------ point 7: moving a log between projects


def test_import_rebases_absolute_paths_from_another_project(server_factory, tmp_path):
    from execlog import execution_log as el

    old_root = tmp_path / "old-project"
    old_root.mkdir()
    run = library_run("t_moved", dt.datetime.now(), report_path=str(old_root / "DATA/reports/r.json"),
                      input_files=[{"name": "raw", "path": str(old_root / "DATA/raw/a.csv")}],
                      output_files=[{"path": str(old_root / "DATA/out/b.csv"), "type": "csv", "description": ""}])
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(library_log([run])))
    s = server_factory()
    addr = s.address
    kept = el.record_task_execution("t_here", "x", True, 1.0, Path("DATA/r.json"), server=addr)

    with pytest.raises(ExecutionLogError):
        el.import_execution_log(moved, merge=True, server=addr)
    assert [h["task_run_id"] for h in el.get_task_execution_history(limit=None, server=addr)] == [kept]
    with pytest.raises(ExecutionLogError) as info:
        el.import_execution_log(moved, merge=True, source_root="old-project", server=addr)
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT

    assert el.import_execution_log(moved, merge=True, source_root=old_root, server=addr) is True
    rec = el.get_execution_record(run["task_run_id"], server=addr)
    assert rec["report_path"] == "DATA/reports/r.json"
    assert rec["input_files"] == [{"name": "raw", "path": "DATA/raw/a.csv"}]
    assert [f["path"] for f in rec["output_files"]] == ["DATA/out/b.csv"]
    assert el.find_task_by_output("DATA/out/b.csv", server=addr)["task_run_id"] == run["task_run_id"]


# ------------------------------------------------------------------ point 8: the differences are written down


def test_readme_links_the_page_of_deliberate_differences():
    readme = (PY_ROOT / "README.md").read_text()
    assert "](../../docs/library-differences.md)" in readme
    assert (PY_ROOT / "../../docs/library-differences.md").resolve().is_file()
