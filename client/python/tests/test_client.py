"""The native client (execlog.connect / ExecLogClient) against real servers: the secured one
(TLS and tokens) for the whole contract, plaintext ones for what replaces or cleans a log."""

import io
import json
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import grpc
import pytest

import execlog
from execlog import ExecLogClient, ExecLogError, InputFile, OutputFile, RawJson, WatchLaggedError
from execlog.models import ChangeKind, DependencyState, NodeKind


def tid(prefix="t"):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def admin(secure_server, pki):
    with execlog.connect(secure_server.secure_address, tls_ca=pki.server_cert, token_file=pki.token_files["admin"],
                         hostname="py-host") as client:
        yield client


@pytest.fixture(scope="module")
def writer(secure_server, pki):
    with execlog.connect(secure_server.secure_address, tls_ca=pki.server_cert, token=TOKEN("writer")) as client:
        yield client


def TOKEN(role):
    from conftest import TOKENS

    return TOKENS[role]


# ------------------------------------------------------------------ record and read


def test_record_over_tls_with_a_token_reads_back_every_field(writer):
    task = tid("ingest")
    when = datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=timezone.utc)
    run = writer.record(task, "ingestion", success=True, duration=241, report_path=Path("DATA/reports/r.json"),
                        inputs={"customers": "DATA/raw/customers.csv"},
                        outputs=["DATA/processed/customers.csv",
                                 OutputFile("DATA/processed/summary.txt", "text", "Summary")],
                        record_time=when, hostname="runner-7",
                        extra_fields={"notes": "first load", "metrics": {"rows": 3}, "ratio": RawJson("0.30")})
    assert uuid.UUID(run.run_id)
    assert (run.task_id, run.task_type, run.success, run.record_time) == (task, "ingestion", True, when)
    assert run.execution_time == 241 and isinstance(run.execution_time, int) and run.integer_execution_time
    assert run.input_files == (InputFile("DATA/raw/customers.csv", "customers"),)
    assert [(f.path, f.type, f.description) for f in run.output_files] == [
        ("DATA/processed/customers.csv", "csv", ""), ("DATA/processed/summary.txt", "text", "Summary")]
    assert run.hostname == "runner-7" and run.report_path == "DATA/reports/r.json"
    assert run.extra_json == {"notes": '"first load"', "metrics": '{"rows":3}', "ratio": "0.30"}
    assert run.extra_fields == {"notes": "first load", "metrics": {"rows": 3}, "ratio": 0.3}
    assert writer.get(run.run_id) == run
    assert run.to_dict()["timestamp"] == "2026-03-01T12:30:15.250Z"


def test_record_sends_this_clients_hostname_and_a_float_duration(admin):
    run = admin.record(tid(), "profiling", duration=timedelta(seconds=1.5), success=False)
    assert (run.hostname, run.execution_time, run.success, run.integer_execution_time) == ("py-host", 1.5, False, False)
    assert run.record_time is not None and abs(run.record_time - datetime.now(timezone.utc)) < timedelta(minutes=5)


def test_record_is_idempotent_with_the_client_run_id(writer):
    task, run_id = tid(), str(uuid.uuid4())
    first = writer.record_with_outcome(task, "ingestion", run_id=run_id, duration=2, hostname="h")
    again = writer.record_with_outcome(task, "ingestion", run_id=run_id, duration=2, hostname="h")
    assert (first.already_recorded, again.already_recorded) == (False, True)
    assert again.run == first.run and first.run.run_id == run_id
    assert len(list(writer.history(task))) == 1
    with pytest.raises(ExecLogError) as info:
        writer.record(task, "other-type", run_id=run_id, duration=2, hostname="h")
    e = info.value
    assert (e.code, e.reason, e.metadata.get("run_id")) == (grpc.StatusCode.ALREADY_EXISTS, "RUN_ID_TAKEN", run_id)


def test_history_pages_follow_tokens_newest_first(writer):
    task = tid("hist")
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    ids = [writer.record(task, "t", record_time=base + timedelta(hours=i), success=i != 2).run_id for i in range(5)]
    newest_first = ids[::-1]
    first = writer.list_executions(task, page_size=2)
    assert [r.run_id for r in first] == newest_first[:2] and first.next_page_token
    pages = list(writer.history_pages(task, page_size=2))
    assert [len(p) for p in pages] == [2, 2, 1] and pages[-1].next_page_token == ""
    assert [r.run_id for p in pages for r in p] == newest_first
    resumed = next(writer.history_pages(task, page_size=2, page_token=first.next_page_token))
    assert [r.run_id for r in resumed] == newest_first[2:4]
    assert [r.run_id for r in writer.history(task, limit=3, page_size=2)] == newest_first[:3]
    assert [r.run_id for r in writer.history(task, success_only=True)] == [i for i in newest_first if i != ids[2]]
    window = writer.history(task, start=base + timedelta(hours=1), end=base + timedelta(hours=3))
    assert [r.run_id for r in window] == [ids[2], ids[1]]
    assert list(writer.history(task, limit=0)) == []


def test_latest_producer_and_tracking(writer):
    task = tid("prod")
    out = f"DATA/processed/{task}/out.csv"
    assert writer.latest(task) is None and writer.producer(out) is None and writer.producers(out) == []
    ok = writer.record(task, "t", outputs=[out])
    failed = writer.record(task, "t", success=False)
    assert writer.latest(task).run_id == ok.run_id
    assert writer.latest(task, include_failed=True).run_id == failed.run_id
    assert writer.producer(out).run_id == ok.run_id
    assert [r.run_id for r in writer.producers(out)] == [ok.run_id]
    tracked = writer.track_inputs(task, ["DATA/raw/a.csv"])
    assert tracked.run_id == failed.run_id and [f.path for f in tracked.input_files] == ["DATA/raw/a.csv"]
    assert "added_at" in tracked.input_files[0].extra_fields
    tracked = writer.track_outputs(task, [Path("DATA/out/b.json")])
    assert [f.path for f in tracked.output_files] == ["DATA/out/b.json"]
    with pytest.raises(ExecLogError) as info:
        writer.track_inputs(tid("none"), ["x.csv"])
    assert info.value.reason == "TASK_HAS_NO_RUN"


def test_update_changes_only_the_named_fields(writer):
    run = writer.record(tid(), "t", duration=1.25, report_path="DATA/r.json", extra_fields={"a": 1, "b.c": 2})
    updated = writer.update(run.run_id, success=False, duration=7, set_extra={"notes": "rerun"},
                            remove_extra=["b.c"])
    assert (updated.success, updated.execution_time, updated.report_path) == (False, 7, "DATA/r.json")
    assert updated.extra_fields == {"a": 1, "notes": "rerun"}
    assert updated.task_type == "t" and updated.record_time == run.record_time
    replaced = writer.update(run.run_id, extra_fields={}, task_type="u", outputs=["DATA/x.png"])
    assert (replaced.extra_fields, replaced.task_type, replaced.output_files[0].type) == ({}, "u", "png")
    with pytest.raises(ValueError):
        writer.update(run.run_id)
    with pytest.raises(ExecLogError) as info:
        writer.update(str(uuid.uuid4()), success=True)
    assert info.value.reason == "RUN_NOT_FOUND"


def test_delete_needs_admin_and_removes_the_run(admin, writer):
    run = writer.record(tid(), "t")
    with pytest.raises(ExecLogError) as info:
        writer.delete(run.run_id)
    e = info.value
    assert (e.code, e.reason, e.metadata) == (grpc.StatusCode.PERMISSION_DENIED, "ROLE_TOO_LOW",
                                              {"role": "writer", "required": "admin"})
    assert admin.delete(run.run_id) == run
    with pytest.raises(ExecLogError) as info:
        admin.get(run.run_id)
    e = info.value
    assert (e.code, e.reason, e.field, e.metadata) == (grpc.StatusCode.NOT_FOUND, "RUN_NOT_FOUND", "run_id",
                                                        {"field": "run_id", "run_id": run.run_id})
    assert str(e).startswith("get failed: NOT_FOUND RUN_NOT_FOUND: ")


def test_tasks_list_every_summary(writer):
    task = tid("sum")
    last = writer.record(task, "kind", success=False, report_path="DATA/r.txt")
    summary = next(t for t in writer.tasks() if t.task_id == task)
    assert (summary.task_type, summary.last_success, summary.last_run_id, summary.run_count,
            summary.last_report_path) == ("kind", False, last.run_id, 1, "DATA/r.txt")
    page = writer.list_tasks(page_size=1)
    assert len(page) == 1 and page.next_page_token


def test_check_dependencies_on_the_server(writer):
    done, broken, never = tid("done"), tid("broken"), tid("never")
    writer.record(done, "t")
    writer.record(broken, "t")
    writer.record(broken, "t", success=False)
    report = writer.check_dependencies([done, broken, never])
    assert not report.satisfied and not report
    assert [(d.task_id, d.state) for d in report.dependencies] == [
        (done, DependencyState.SATISFIED), (broken, DependencyState.SATISFIED), (never, DependencyState.NEVER_RUN)]
    strict = writer.check_dependencies([done, broken], require_latest_success=True)
    assert [d.state for d in strict.dependencies] == [DependencyState.SATISFIED, DependencyState.FAILED]
    assert strict.unsatisfied[0].latest.success is False and strict.unsatisfied[0].message
    assert writer.check_dependencies([done]).satisfied
    asker = tid("asker")
    writer.record(asker, "t")
    stale = writer.check_dependencies([done], newer_than_task=asker)
    assert stale.dependencies[0].state == DependencyState.STALE


def test_lineage_and_statistics(writer):
    up, down = tid("up"), tid("down")
    path = f"DATA/processed/{up}/out.csv"
    writer.record(up, "ingestion", outputs=[path], duration=2)
    writer.record(down, "profiling", inputs={"in": path}, duration=4)
    graph = writer.lineage(task_id=down, direction="upstream")
    assert graph.start_node_id == f"task:{down}" and not graph.truncated
    assert {n.id for n in graph.nodes} == {f"task:{down}", f"task:{up}"}
    assert graph.node(f"task:{up}").kind == NodeKind.TASK and graph.node(f"task:{up}").task.task_type == "ingestion"
    assert [(e.source_node_id, e.target_node_id, e.path) for e in graph.edges] == [(f"task:{up}", f"task:{down}", path)]
    runs = writer.lineage(path=path, direction=execlog.Direction.DOWNSTREAM, level="run")
    assert any(n.kind == NodeKind.RUN and n.run.task_id == down for n in runs.nodes)
    with pytest.raises(ValueError):
        writer.lineage(task_id=up, run_id="x")
    stats = writer.statistics(up, bucket="day")
    overall = stats.total.overall
    assert (overall.run_count, overall.success_rate, overall.max_duration) == (1, 1.0, timedelta(seconds=2))
    assert len(stats.total.buckets) == 1 and stats.tasks == ()
    everything = writer.statistics()
    assert any(t.task_id == down for t in everything.tasks)


def test_info_names_the_log_and_the_server_version(writer, secure_server):
    info = writer.info()
    assert Path(info.path) == secure_server.log_path and info.server_version == execlog.__version__


# ------------------------------------------------------------------ watch


def test_watch_sees_a_recorded_run_and_stops_on_close(writer):
    task = tid("watched")
    with writer.watch(task) as watch:
        assert watch.start_sequence >= 0 and watch.may_have_missed is False
        other = writer.record(tid("other"), "t")
        run = writer.record(task, "t")
        change = next(watch)
        assert (change.kind, change.run, watch.last_sequence) == (ChangeKind.RECORDED, run, change.sequence)
        assert change.sequence > watch.start_sequence and other.task_id != task
        writer.update(run.run_id, success=False)
        assert next(watch).kind == ChangeKind.UPDATED
        threading.Timer(0.3, watch.close).start()
        assert list(watch) == []  # blocks until closed from the other thread


def test_watch_resumed_from_a_sequence_says_whether_changes_may_be_missed(writer):
    task = tid("resume")
    with writer.watch(task) as first:
        writer.record(task, "t")
        last = next(first).sequence
    with writer.watch(task, after_sequence=last) as again:
        assert again.may_have_missed is (again.start_sequence != last)
    writer.record(tid(), "t")  # a change the next watch did not see
    with writer.watch(task, after_sequence=last) as later:
        assert later.may_have_missed is True and later.start_sequence > last


def test_a_slow_watcher_gets_watch_lagged_with_its_last_sequence(server_factory):
    small = server_factory(args=["--watch-queue-capacity", "2"])
    # The slow reader: its own connection with a small receive window (no BDP growth), so that the
    # changes it does not read back up on the server within a few messages.
    slow_channel = grpc.insecure_channel(small.address, options=[("grpc.http2.bdp_probe", 0),
                                                                 ("grpc.http2.lookahead_bytes", 65536)])
    with slow_channel, execlog.connect(small.address) as client:
        task = tid("lag")
        watch = ExecLogClient(slow_channel).watch(task, timeout=60)
        heavy = {"blob": "x" * 60_000}
        for _ in range(40):
            client.record(task, "t", extra_fields=heavy)
        seen = []
        with pytest.raises(WatchLaggedError) as info:
            for change in watch:
                seen.append(change.sequence)
        e = info.value
        assert (e.code, e.reason) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "WATCH_LAGGED")
        assert e.last_sequence == watch.last_sequence == int(e.metadata["last_sequence"])
        assert e.last_sequence == (seen[-1] if seen else watch.start_sequence)
        assert seen == list(range(watch.start_sequence + 1, e.last_sequence + 1)) and len(seen) < 40
        assert len(list(client.history(task))) == 40  # the history has every run, to catch up from
        with client.watch(task, after_sequence=e.last_sequence) as again:
            assert again.may_have_missed


# ------------------------------------------------------------------ long operations


def test_export_and_import_with_progress(fresh_server, tmp_path):
    with execlog.connect(fresh_server.address) as client:
        ids = {client.record(tid("exp"), "t", duration=i).run_id for i in range(3)}
        events = []
        result = client.export_log(tmp_path / "out" / "log.json", progress=events.append)
        exported = json.loads((tmp_path / "out" / "log.json").read_text())
        assert result.execution_count == 3 and {e["task_run_id"] for e in exported["executions"]} == ids
        assert result.size_bytes == (tmp_path / "out" / "log.json").stat().st_size and len(result.sha256) == 64
        assert events and all(isinstance(p, execlog.Progress) for p in events)
        buffer = io.BytesIO()
        csv_result = client.export_log(buffer, format="csv")
        assert buffer.getvalue().decode().splitlines()[0].startswith("task_id,task_type,task_run_id")
        assert csv_result.execution_count == 3

        merged_events = []
        merged = client.import_log(tmp_path / "out" / "log.json", progress=merged_events.append)
        assert (merged.imported_count, merged.skipped_count, merged.execution_count) == (0, 3, 3)
        assert merged_events
        extra = exported
        extra["executions"] = extra["executions"][:1]
        (tmp_path / "one.json").write_text(json.dumps(extra))
        dry = client.import_log(tmp_path / "one.json", replace=True, dry_run=True)
        assert dry.dry_run and client.info().execution_count == 3
        replaced = client.import_log(io.BytesIO((tmp_path / "one.json").read_bytes()), replace=True)
        assert (replaced.imported_count, replaced.execution_count) == (1, 1)
        with pytest.raises(ExecLogError) as info:
            client.import_log(io.BytesIO(b"{not json"), replace=True)
        assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT and client.info().execution_count == 1
        with pytest.raises(ExecLogError) as info:
            client.import_log(tmp_path / "missing.json")
        assert info.value.code is None


def test_validate_and_cleanup(fresh_server):
    with execlog.connect(fresh_server.address) as client:
        task = tid("clean")
        old = datetime.now(timezone.utc) - timedelta(days=40)
        ids = [client.record(task, "t", record_time=old + timedelta(minutes=i)).run_id for i in range(4)]
        events = []
        report = client.validate(progress=events.append)
        assert report.valid and report.checked_count == 4 and report.problems == () and events
        dry = client.cleanup(30, 1, dry_run=True)
        assert dry.dry_run and set(dry.removed_run_ids) == set(ids[:3]) and dry.removed_count == 3
        done = client.cleanup(max_age_days=30, max_runs_per_task=1, progress=events.append)
        assert set(done.removed_run_ids) == set(ids[:3]) and not done.dry_run
        assert [r.run_id for r in client.history(task)] == [ids[3]]
        stricter = client.cleanup(30, 1, rule=execlog.CleanupRule.OLD_OR_BEYOND_COUNT, dry_run=True)
        assert stricter.removed_run_ids == (ids[3],)
        with pytest.raises(ValueError):
            client.cleanup(rule="newest")


# ------------------------------------------------------------------ deadlines


class _Deadlines(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                 grpc.StreamStreamClientInterceptor):
    """Notes the deadline each call is made with (a real channel underneath)."""

    def __init__(self):
        self.seen = {}

    def _note(self, continuation, details, request):
        self.seen.setdefault(details.method.rsplit("/", 1)[-1], []).append(details.timeout)
        return continuation(details, request)

    intercept_unary_unary = intercept_unary_stream = intercept_stream_stream = _note


def test_each_call_has_a_deadline_long_operations_an_hour(fresh_server):
    recorder = _Deadlines()
    with grpc.insecure_channel(fresh_server.address) as channel:
        client = ExecLogClient(grpc.intercept_channel(channel, recorder))
        assert (client.timeout, client.long_timeout) == (30.0, 3600.0)
        client.info()
        client.validate()
        client.export_log(io.BytesIO())
        client.cleanup(dry_run=True)
        with client.watch() as w:
            assert w.start_sequence >= 0
        client.info(timeout=5)
    assert recorder.seen["GetLogInfo"] == [30.0, 5]
    assert {k: recorder.seen[k] for k in ("ValidateLog", "ExportLog", "CleanupExecutions")} == {
        "ValidateLog": [3600.0], "ExportLog": [3600.0], "CleanupExecutions": [3600.0]}
    assert recorder.seen["WatchExecutions"] == [None]
    with pytest.raises(ExecLogError) as info:
        execlog.connect(fresh_server.address, long_timeout=0.001).validate()
    assert info.value.code == grpc.StatusCode.DEADLINE_EXCEEDED and info.value.reason == ""
