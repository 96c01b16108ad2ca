"""Every function of execlog.execution_log against a real server."""

import contextlib
import csv
import datetime as dt
import json
import uuid
from pathlib import Path

import grpc
import pytest

from execlog import execution_log as el_module
from execlog.execution_log import ExecutionLogError


def tid(prefix="t"):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def record(el, task_id, success=True, **kw):
    args = dict(task_type="profiling", success=success, execution_time=1.25,
                report_path=Path(f"DATA/reports/{task_id}.json"))
    args.update(kw)
    return el.record_task_execution(task_id, **args)


# ------------------------------------------------------------------ record / read


def test_record_returns_uuid_and_record_has_spec_shape(el):
    t = tid()
    run_id = el.record_task_execution(
        task_id=t, task_type="ingestion", success=True, execution_time=45.2,
        report_path=Path(f"DATA/reports/{t}_report.json"),
        input_datasets={"customers": "DATA/raw/customers.csv"},
        output_artifacts=[
            Path(f"DATA/processed/{t}/a.json"),
            f"DATA/processed/{t}/b.png",
            {"path": f"DATA/processed/{t}/c.csv", "type": "csv", "description": "Processed customer data"},
        ],
    )
    assert str(uuid.UUID(run_id)) == run_id
    rec = el.find_latest_execution(t)
    assert set(rec) == {"task_id", "task_type", "task_run_id", "timestamp", "success", "execution_time",
                        "report_path", "input_files", "output_files", "hostname"}
    assert rec["task_run_id"] == run_id and rec["task_id"] == t and rec["task_type"] == "ingestion"
    assert rec["success"] is True and rec["execution_time"] == pytest.approx(45.2)
    assert rec["report_path"] == f"DATA/reports/{t}_report.json"
    assert rec["input_files"] == [{"name": "customers", "path": "DATA/raw/customers.csv"}]
    assert rec["output_files"] == [
        {"path": f"DATA/processed/{t}/a.json", "type": "json", "description": ""},
        {"path": f"DATA/processed/{t}/b.png", "type": "png", "description": ""},
        {"path": f"DATA/processed/{t}/c.csv", "type": "csv", "description": "Processed customer data"},
    ]
    assert rec["hostname"]
    when = dt.datetime.fromisoformat(rec["timestamp"])  # naive local time, as the library writes it
    assert abs((dt.datetime.now() - when).total_seconds()) < 120


def test_record_accepts_artifact_objects_and_absolute_paths_inside_root(el, server):
    class Artifact:
        def __init__(self, path):
            self.path, self.artifact_type, self.description = path, "json", "metrics"

    t = tid()
    run_id = record(el, t, output_artifacts=[Artifact(server.root / "DATA" / "m.json")])
    rec = el.get_execution_record(run_id)
    assert rec["output_files"] == [{"path": "DATA/m.json", "type": "json", "description": "metrics"}]


@pytest.mark.parametrize("bad", [
    dict(task_id=""),
    dict(report_path=Path("../outside.json")),
    dict(input_datasets={"x": "../x"}),
    dict(output_artifacts=["~/x.csv"]),
    dict(execution_time=-1.0),
])
def test_record_rejects_bad_input(el, bad):
    args = dict(task_id=tid(), task_type="profiling", success=True, execution_time=1.0,
                report_path=Path("DATA/r.json"))
    args.update(bad)
    with pytest.raises(ExecutionLogError) as info:
        el.record_task_execution(**args)
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert info.value.details and info.value.details in str(info.value)


def test_history_newest_first_limit_and_success_only(el):
    t = tid()
    ids = [record(el, t, success=(i % 2 == 0)) for i in range(5)]
    hist = el.get_task_execution_history(task_id=t, limit=10)
    assert [h["task_run_id"] for h in hist] == ids[::-1]
    assert [h["task_run_id"] for h in el.get_task_execution_history(task_id=t, limit=2)] == ids[:-3:-1]
    ok = el.get_task_execution_history(task_id=t, limit=10, success_only=True)
    assert [h["task_run_id"] for h in ok] == [ids[4], ids[2], ids[0]]
    assert el.get_task_execution_history(task_id=t, limit=0) == []
    assert el.get_task_execution_history(task_id=tid("none")) == []
    everything = el.get_task_execution_history(limit=1000)
    assert {h["task_run_id"] for h in hist} <= {h["task_run_id"] for h in everything}


def test_find_latest_execution_success_only_and_unknown(el):
    t = tid()
    good = record(el, t, success=True)
    bad = record(el, t, success=False)
    assert el.find_latest_execution(t)["task_run_id"] == good
    assert el.find_latest_execution(t, success_only=False)["task_run_id"] == bad
    assert el.find_latest_execution(tid("never")) is None


def test_find_task_by_output(el):
    t = tid()
    out = f"DATA/processed/{t}/out.csv"
    run_id = record(el, t, output_artifacts=[out])
    assert el.find_task_by_output(out)["task_run_id"] == run_id
    assert el.find_task_by_output(Path(out))["task_id"] == t
    assert el.find_task_by_output(f"DATA/processed/{t}/other.csv") is None


def test_find_task_by_output_path_traversal_raises(el):
    with pytest.raises(ExecutionLogError) as info:
        el.find_task_by_output("../x")
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "INVALID_ARGUMENT" in str(info.value)


# ------------------------------------------------------------------ track


def test_track_input_and_output_files(el):
    t = tid()
    run_id = record(el, t, input_datasets={"a": "DATA/raw/a.csv"})
    assert el.track_input_files(t, ["DATA/raw/a.csv", Path("DATA/raw/b.csv")]) is True
    assert el.track_output_files(t, [Path(f"DATA/out/{t}.json")]) is True
    rec = el.get_execution_record(run_id)
    assert [f["path"] for f in rec["input_files"]] == ["DATA/raw/a.csv", "DATA/raw/b.csv"]
    assert [f["path"] for f in rec["output_files"]] == [f"DATA/out/{t}.json"]
    assert el.find_task_by_output(f"DATA/out/{t}.json")["task_run_id"] == run_id
    assert el.track_input_files(t, []) is True


def test_track_unknown_task_returns_false_and_bad_path_raises(el):
    assert el.track_input_files(tid("never"), ["DATA/x.csv"]) is False
    assert el.track_output_files(tid("never"), ["DATA/x.csv"]) is False
    assert el.track_output_files(tid("never"), []) is False
    t = tid()
    record(el, t)
    with pytest.raises(ExecutionLogError):
        el.track_output_files(t, ["../../etc/passwd"])


# ------------------------------------------------------------------ update / remove


def test_update_execution_record_maps_spec_keys(el):
    t = tid()
    run_id = record(el, t)
    assert el.update_execution_record(run_id, {
        "timestamp": "2025-05-01T12:00:00+00:00",
        "execution_time": 99.5,
        "success": False,
        "report_path": "DATA/reports/new.json",
        "task_type": "anonymization",
        "hostname": "analysis-server",
        "input_files": [{"name": "customers", "path": "DATA/raw/customers.csv"}],
        "output_files": ["DATA/out/x.csv", {"path": "DATA/out/y.png", "type": "png", "description": "chart"}],
    }) is True
    rec = el.get_execution_record(run_id)
    utc_noon = dt.datetime(2025, 5, 1, 12, tzinfo=dt.timezone.utc)
    assert dt.datetime.fromisoformat(rec["timestamp"]) == utc_noon.astimezone().replace(tzinfo=None)
    assert rec["execution_time"] == pytest.approx(99.5)
    assert rec["success"] is False and rec["task_type"] == "anonymization"
    assert rec["report_path"] == "DATA/reports/new.json" and rec["hostname"] == "analysis-server"
    assert rec["input_files"] == [{"name": "customers", "path": "DATA/raw/customers.csv"}]
    assert rec["output_files"] == [{"path": "DATA/out/x.csv", "type": "csv", "description": ""},
                                   {"path": "DATA/out/y.png", "type": "png", "description": "chart"}]
    # a zone-less timestamp (the reference library's form) is local time
    el.update_execution_record(run_id, {"timestamp": dt.datetime(2025, 6, 1, 8, 30)})
    assert el.get_execution_record(run_id)["timestamp"] == "2025-06-01T08:30:00"


def test_update_execution_record_errors(el):
    t = tid()
    run_id = record(el, t)
    assert el.update_execution_record(str(uuid.uuid4()), {"success": False}) is False
    for bad in ({"task_id": "x"}, {"task_run_id": "x"}, {"notes": object()}, {"timestamp": "yesterday"}):
        with pytest.raises(ExecutionLogError):
            el.update_execution_record(run_id, bad)
    with pytest.raises(ExecutionLogError) as info:
        el.update_execution_record(run_id, {"report_path": "../x"})
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert el.get_execution_record(run_id)["report_path"] == f"DATA/reports/{t}.json"
    assert el.update_execution_record(run_id, {}) is True


def test_remove_execution_record(el):
    t = tid()
    first = record(el, t)
    second = record(el, t)
    assert el.remove_execution_record(second) is True
    assert el.find_latest_execution(t)["task_run_id"] == first
    assert el.remove_execution_record(second) is False
    with pytest.raises(ExecutionLogError) as info:
        el.get_execution_record(second)
    assert info.value.code == grpc.StatusCode.NOT_FOUND


def test_unknown_run_id_raises_where_a_record_is_required(el):
    with pytest.raises(ExecutionLogError) as info:
        el.get_execution_record("00000000-0000-0000-0000-000000000000")
    assert info.value.code == grpc.StatusCode.NOT_FOUND


# ------------------------------------------------------------------ initialize / validate


def test_initialize_execution_log_returns_server_path(el, server):
    path = el.initialize_execution_log()
    assert path == server.log_path
    assert path.is_file()
    assert el.initialize_execution_log(project_path=server.root) == server.log_path


def test_validate_execution_log(el):
    valid, errors = el.validate_execution_log()
    assert valid is True and errors == []


def test_validate_reports_problems_of_a_damaged_log(server_factory):
    from execlog import execution_log as el

    run = {"task_id": "t_1I", "task_type": "ingestion", "task_run_id": "f8a7d3e1-2b56-4c9a-8f7e-3d1a2b3c4d5e",
           "timestamp": "2025-05-01T12:00:00", "success": True, "execution_time": 45.2,
           "report_path": "DATA/reports/t_1I_report.json", "input_files": [], "output_files": [],
           "hostname": "analysis-server"}
    damaged = {"tasks": {}, "executions": [run, dict(run, timestamp="yesterday")],
               "timestamp": "2025-05-01T13:10:00", "version": "1.0.0", "last_modified": "2025-05-01T13:10:00"}
    s = server_factory(damaged)
    valid, errors = el.validate_execution_log(server=s.address)
    assert valid is False
    assert errors and all(isinstance(e, str) and e for e in errors)
    assert any("timestamp" in e for e in errors)


# ------------------------------------------------------------------ cleanup / export / import


def test_cleanup_old_executions(fresh_server):
    from execlog import execution_log as el

    addr = fresh_server.address
    t = "t_cleanup"
    ids = [el.record_task_execution(t, "x", True, 1.0, Path("r.json"), server=addr) for _ in range(4)]
    for day, run_id in enumerate(ids[:3], start=1):  # distinct ages: ids[2] is the newest old run
        el.update_execution_record(run_id, {"timestamp": f"2020-01-0{day}T00:00:00+00:00"}, server=addr)
    old = el.record_task_execution("t_old", "x", True, 1.0, Path("r.json"), server=addr)
    el.update_execution_record(old, {"timestamp": "2020-01-01T00:00:00+00:00"}, server=addr)

    # old and beyond the newest 2 of its task: ids[0..2] are old, ids[3] is the newest
    count, removed = el.cleanup_old_executions(max_age_days=30, max_per_task=2, dry_run=True, server=addr)
    assert count == 2 and set(removed) == {ids[0], ids[1]}
    assert len(el.get_task_execution_history(limit=100, server=addr)) == 5

    count, removed = el.cleanup_old_executions(max_age_days=30, max_per_task=2, server=addr)
    assert count == 2 and set(removed) == {ids[0], ids[1]}
    left = {h["task_run_id"] for h in el.get_task_execution_history(limit=100, server=addr)}
    assert left == {ids[3], ids[2], old}
    assert el.cleanup_old_executions(server=addr) == (0, [])
    with pytest.raises(ExecutionLogError):
        el.cleanup_old_executions(max_age_days=-1, server=addr)


def test_export_json_and_csv_then_import_replace_and_merge(fresh_server, tmp_path):
    from execlog import execution_log as el

    addr = fresh_server.address
    a = el.record_task_execution("t_a", "x", True, 2.5, Path("r.json"),
                                 input_datasets={"in": "DATA/in.csv"}, output_artifacts=["DATA/a.csv"], server=addr)
    exported = el.export_execution_log(tmp_path / "nested" / "backup.json", server=addr)
    assert exported == tmp_path / "nested" / "backup.json"
    data = json.loads(exported.read_text())
    assert [e["task_run_id"] for e in data["executions"]] == [a]
    assert data["tasks"]["t_a"]["last_task_run_id"] == a

    csv_path = el.export_execution_log(tmp_path / "log.csv", format="csv", server=addr)
    rows = list(csv.DictReader(csv_path.open()))
    assert len(rows) == 1 and rows[0]["task_run_id"] == a

    b = el.record_task_execution("t_b", "x", True, 1.0, Path("r.json"), server=addr)
    # replace: back to the exported state (b is gone)
    assert el.import_execution_log(exported, merge=False, server=addr) is True
    assert [h["task_run_id"] for h in el.get_task_execution_history(limit=10, server=addr)] == [a]
    # merge: b's export adds b, a is kept once
    b2 = el.record_task_execution("t_b", "x", True, 1.0, Path("r.json"), server=addr)
    both = el.export_execution_log(tmp_path / "both.json", server=addr)
    assert el.import_execution_log(exported, merge=False, server=addr) is True
    assert el.import_execution_log(both, merge=True, server=addr) is True
    ids = {h["task_run_id"] for h in el.get_task_execution_history(limit=10, server=addr)}
    assert ids == {a, b2} and b not in ids


def test_export_default_path_and_bad_format(el, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = el.export_execution_log()
    assert path.parent == Path(".") and path.suffix == ".json" and path.is_file()
    with pytest.raises(ExecutionLogError):
        el.export_execution_log(tmp_path / "x.xml", format="xml")


def test_import_errors_leave_the_log_untouched(fresh_server, tmp_path):
    from execlog import execution_log as el

    addr = fresh_server.address
    a = el.record_task_execution("t_a", "x", True, 1.0, Path("r.json"), server=addr)
    with pytest.raises(ExecutionLogError):
        el.import_execution_log(tmp_path / "missing.json", server=addr)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ExecutionLogError) as info:
        el.import_execution_log(broken, merge=False, server=addr)
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [h["task_run_id"] for h in el.get_task_execution_history(server=addr)] == [a]


def test_import_is_uploaded_in_chunks(fresh_server, tmp_path, monkeypatch):
    from execlog import execution_log as el

    addr = fresh_server.address
    for i in range(30):
        el.record_task_execution(f"t_{i % 3}", "x", True, 1.0, Path("r.json"),
                                 output_artifacts=[f"DATA/out/{i}.csv"], server=addr)
    exported = el.export_execution_log(tmp_path / "big.json", server=addr)
    monkeypatch.setattr(el_module, "IMPORT_CHUNK_SIZE", 512)
    assert exported.stat().st_size > 512 * 4
    assert el.import_execution_log(exported, merge=False, server=addr) is True
    assert len(el.get_task_execution_history(limit=100, server=addr)) == 30


# ------------------------------------------------------------------ connection / progress


def test_server_address_from_environment(server, monkeypatch):
    from execlog import execution_log as el

    monkeypatch.setattr(el, "_default_server", None)
    monkeypatch.setenv("EXECLOG_SERVER", server.address)
    assert el.initialize_execution_log() == server.log_path


def test_unreachable_server_raises_unavailable(monkeypatch):
    from execlog import execution_log as el

    monkeypatch.setattr(el, "DEFAULT_RPC_TIMEOUT", 2.0)
    with pytest.raises(ExecutionLogError) as info:
        el.find_latest_execution("t", server="127.0.0.1:1")
    assert info.value.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)

