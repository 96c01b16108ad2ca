"""Each error reason of the contract, end to end against real servers.

Every status the server sends carries a google.rpc.ErrorInfo (domain
execlog.dev) and, for a field at fault, a google.rpc.BadRequest. The drop-in's
ExecutionLogError exposes them as ``code``, ``reason``, ``field`` and
``metadata``; ``execlog.errors.status_details`` gives the same values for calls
made through the generated stubs (used here where the drop-in has no way to
send the request, or where it answers None/False as the reference library does).
"""

import hashlib
import json
import uuid
from pathlib import Path

import grpc
import pytest

from execlog import errors
from execlog import execution_log as el_module
from execlog.errors import status_details
from execlog.execution_log import ExecutionLogError
from execlog.v1 import execution_log_pb2 as pb
from execlog.v1 import execution_log_pb2_grpc as pb_grpc

READER_TOKEN = "reader-token-for-tests"
WRITER_TOKEN = "writer-token-for-tests"


def tid(prefix="t"):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def record(el, task_id, **kw):
    args = dict(task_type="profiling", success=True, execution_time=1.0, report_path=Path("DATA/r.json"))
    args.update(kw)
    return el.record_task_execution(task_id, **args)


@pytest.fixture
def stub(server):
    with grpc.insecure_channel(server.address) as channel:
        yield pb_grpc.ExecutionLogServiceStub(channel)


def stub_error(call, request, **kw) -> errors.StatusDetails:
    """Calls a unary method (or drains a stream) through a stub; the details of the error it must raise."""
    with pytest.raises(grpc.RpcError) as info:
        result = call(request, timeout=30, **kw)
        if hasattr(result, "__iter__") and not hasattr(result, "ListFields"):
            list(result)
    return status_details(info.value)


def assert_error(e, code, reason, field, metadata):
    assert (e.code, e.reason, e.field, e.metadata) == (code, reason, field, metadata)


# ------------------------------------------------------------------ INVALID_ARGUMENT


def test_invalid_field(el):
    with pytest.raises(ExecutionLogError) as info:
        el.record_task_execution("", "profiling", True, 1.0, Path("DATA/r.json"))
    e = info.value
    assert_error(e, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_FIELD", "execution.task_id",
                 {"field": "execution.task_id"})
    assert "INVALID_FIELD" in str(e) and e.details in str(e)


def test_invalid_field_names_the_element_of_a_list(el):
    with pytest.raises(ExecutionLogError) as info:
        record(el, tid(), output_artifacts=["DATA/a.csv", {"path": "DATA/b.csv", "description": "x" * 5000}])
    assert_error(info.value, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_FIELD",
                 "execution.output_files[1].description", {"field": "execution.output_files[1].description"})


def test_path_outside_root(el):
    with pytest.raises(ExecutionLogError) as info:
        el.find_task_by_output("../elsewhere/out.csv")
    assert_error(info.value, grpc.StatusCode.INVALID_ARGUMENT, "PATH_OUTSIDE_ROOT", "path",
                 {"field": "path", "path": "../elsewhere/out.csv"})


def test_path_outside_root_in_a_record_and_an_update(el):
    with pytest.raises(ExecutionLogError) as info:
        record(el, tid(), report_path="/etc/report.json")
    assert_error(info.value, grpc.StatusCode.INVALID_ARGUMENT, "PATH_OUTSIDE_ROOT", "execution.report_path",
                 {"field": "execution.report_path", "path": "/etc/report.json"})

    run_id = record(el, tid())
    with pytest.raises(ExecutionLogError) as info:
        el.update_execution_record(run_id, {"input_files": [{"name": "x", "path": "../x.csv"}]})
    e = info.value
    assert (e.code, e.reason, e.field) == (grpc.StatusCode.INVALID_ARGUMENT, "PATH_OUTSIDE_ROOT",
                                           "execution.input_files[0].path")
    assert e.metadata == {"field": "execution.input_files[0].path", "path": "../x.csv"}


def test_invalid_page_token(stub):
    d = stub_error(stub.ListExecutions, pb.ListExecutionsRequest(page_size=1, page_token="not-a-token"))
    assert_error(d, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token", {"field": "page_token"})
    assert d.field_violations and d.field_violations[0][0] == "page_token"


def test_invalid_page_token_from_another_query(el, stub):
    t = tid()
    for _ in range(2):
        record(el, t)
    first = stub.ListExecutions(pb.ListExecutionsRequest(task_id=t, page_size=1), timeout=30)
    assert first.next_page_token
    d = stub_error(stub.ListExecutions, pb.ListExecutionsRequest(task_id=tid("other"), page_size=1,
                                                                 page_token=first.next_page_token))
    assert (d.code, d.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN")
    assert d.field == d.metadata["field"] and d.field


def test_run_too_large(server_factory):
    s = server_factory(args=["--max-run-bytes", "4096"])
    artifacts = [{"path": f"DATA/out/{i}.csv", "type": "csv", "description": "d" * 3000} for i in range(2)]
    with pytest.raises(ExecutionLogError) as info:
        el_module.record_task_execution(tid(), "profiling", True, 1.0, Path("DATA/r.json"),
                                        output_artifacts=artifacts, server=s.address)
    assert_error(info.value, grpc.StatusCode.INVALID_ARGUMENT, "RUN_TOO_LARGE", "execution",
                 {"field": "execution", "limit": "4096"})
    assert el_module.get_task_execution_history(server=s.address) == []


def test_unparsable_request(server):
    """Bytes that are no valid request: a string field holding malformed UTF-8."""
    with grpc.insecure_channel(server.address) as channel:
        get = channel.unary_unary("/execlog.v1.ExecutionLogService/GetExecution",
                                  request_serializer=None, response_deserializer=None)
        with pytest.raises(grpc.RpcError) as info:
            get(b"\x0a\x02\xc3\x28", timeout=30)  # field 1 (run_id), 2 bytes, not UTF-8
    d = status_details(info.value)
    assert_error(d, grpc.StatusCode.INVALID_ARGUMENT, "UNPARSABLE_REQUEST", "",
                 {"method": "execlog.v1.ExecutionLogService/GetExecution"})


# ------------------------------------------------------------------ NOT_FOUND


def test_run_not_found(el):
    missing = str(uuid.uuid4())
    with pytest.raises(ExecutionLogError) as info:
        el.get_execution_record(missing)
    assert_error(info.value, grpc.StatusCode.NOT_FOUND, "RUN_NOT_FOUND", "run_id",
                 {"field": "run_id", "run_id": missing})
    # where the reference library answers False, the drop-in still does
    assert el.update_execution_record(missing, {"success": False}) is False
    assert el.remove_execution_record(missing) is False


def test_run_not_found_through_the_stub(stub):
    missing = str(uuid.uuid4())
    d = stub_error(stub.DeleteExecution, pb.DeleteExecutionRequest(run_id=missing))
    assert_error(d, grpc.StatusCode.NOT_FOUND, "RUN_NOT_FOUND", "run_id", {"field": "run_id", "run_id": missing})


def test_task_has_no_run(el, stub):
    t = tid("never")
    d = stub_error(stub.GetLatestExecution, pb.GetLatestExecutionRequest(task_id=t))
    assert_error(d, grpc.StatusCode.NOT_FOUND, "TASK_HAS_NO_RUN", "task_id", {"field": "task_id", "task_id": t})
    d = stub_error(stub.TrackOutputFiles, pb.TrackOutputFilesRequest(task_id=t, paths=["DATA/x.csv"]))
    assert_error(d, grpc.StatusCode.NOT_FOUND, "TASK_HAS_NO_RUN", "task_id", {"field": "task_id", "task_id": t})
    # the drop-in answers None / False for it, as the reference library does
    assert el.find_latest_execution(t) is None
    assert el.track_input_files(t, ["DATA/x.csv"]) is False
    assert el.track_output_files(t, []) is False


def test_task_with_only_failed_runs_has_no_successful_run(el, stub):
    t = tid()
    record(el, t, success=False)
    d = stub_error(stub.GetLatestExecution, pb.GetLatestExecutionRequest(task_id=t, include_failed=False))
    assert (d.code, d.reason, d.metadata) == (grpc.StatusCode.NOT_FOUND, "TASK_HAS_NO_RUN",
                                             {"field": "task_id", "task_id": t})
    assert el.find_latest_execution(t) is None
    assert el.find_latest_execution(t, success_only=False)["task_id"] == t


def test_producer_not_found(el, stub):
    t = tid()
    d = stub_error(stub.FindOutputProducer, pb.FindOutputProducerRequest(path=f"DATA/{t}/./sub/../out.csv"))
    # the path in the metadata is the normalized one
    assert_error(d, grpc.StatusCode.NOT_FOUND, "PRODUCER_NOT_FOUND", "path",
                 {"field": "path", "path": f"DATA/{t}/out.csv"})
    assert el.find_task_by_output(f"DATA/{t}/out.csv") is None


# ------------------------------------------------------------------ ALREADY_EXISTS


def test_run_id_taken(el, stub):
    run_id = record(el, tid())
    other = pb.Execution(run_id=run_id, task_id=tid("other"), task_type="x", success=True)
    d = stub_error(stub.RecordExecution, pb.RecordExecutionRequest(execution=other))
    assert_error(d, grpc.StatusCode.ALREADY_EXISTS, "RUN_ID_TAKEN", "execution.run_id",
                 {"field": "execution.run_id", "run_id": run_id})


def test_run_id_taken_through_the_drop_in(el, monkeypatch):
    """The drop-in picks each run id itself; were one to repeat, the second record is refused, not merged."""
    fixed = uuid.uuid4()
    monkeypatch.setattr(el_module.uuid, "uuid4", lambda: fixed)
    first = record(el, tid())
    assert first == str(fixed)
    with pytest.raises(ExecutionLogError) as info:
        record(el, tid("second"))
    assert_error(info.value, grpc.StatusCode.ALREADY_EXISTS, "RUN_ID_TAKEN", "execution.run_id",
                 {"field": "execution.run_id", "run_id": first})


# ------------------------------------------------------------------ RESOURCE_EXHAUSTED


def test_import_too_large(server_factory, tmp_path):
    s = server_factory(args=["--max-import-bytes", "100"])
    log = tmp_path / "log.json"
    log.write_text(json.dumps({"executions": [], "padding": "x" * 200}))
    with pytest.raises(ExecutionLogError) as info:
        el_module.import_execution_log(log, merge=True, server=s.address)
    assert_error(info.value, grpc.StatusCode.RESOURCE_EXHAUSTED, "IMPORT_TOO_LARGE", "chunk",
                 {"field": "chunk", "limit": "100"})


def test_message_too_large_once_inflated(server_factory):
    """A compressed request under the limit that inflates over it."""
    s = server_factory(args=["--max-message-bytes", "65536"])
    big = pb.Execution(task_id=tid(), task_type="x", success=True)
    for i in range(40):
        big.output_files.add(path=f"DATA/out/{i}.csv", description="z" * 4000)
    with grpc.insecure_channel(s.address) as channel:
        d = stub_error(pb_grpc.ExecutionLogServiceStub(channel).RecordExecution,
                       pb.RecordExecutionRequest(execution=big), compression=grpc.Compression.Gzip)
    assert (d.code, d.reason, d.field) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE", "")
    assert d.metadata == {"limit": "65536"}


def test_response_too_large(server_factory):
    """Two tasks whose newest runs are each over half of what one answer may carry."""
    s = server_factory(args=["--max-run-bytes", str(3 * 1024 * 1024)])
    heavy = [{"path": f"DATA/out/{i}.csv", "type": "csv", "description": "h" * 4000} for i in range(450)]
    tasks = [tid("heavy"), tid("heavy")]
    for t in tasks:
        el_module.record_task_execution(t, "x", True, 1.0, Path("DATA/r.json"), output_artifacts=heavy,
                                        server=s.address)
    with grpc.insecure_channel(s.address, options=[("grpc.max_receive_message_length", 16 << 20)]) as channel:
        d = stub_error(pb_grpc.ExecutionLogServiceStub(channel).CheckDependencies,
                       pb.CheckDependenciesRequest(task_ids=tasks))
    assert_error(d, grpc.StatusCode.RESOURCE_EXHAUSTED, "RESPONSE_TOO_LARGE", "task_ids",
                 {"field": "task_ids", "limit": str(3 * 1024 * 1024)})


# ------------------------------------------------------------------ authentication and roles


@pytest.fixture
def auth_server(server_factory, tmp_path):
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"tokens": [
        {"name": "dashboard", "role": "reader", "sha256": hashlib.sha256(READER_TOKEN.encode()).hexdigest()},
        {"name": "ci", "role": "writer", "sha256": hashlib.sha256(WRITER_TOKEN.encode()).hexdigest()},
    ]}))
    return server_factory(args=["--auth-file", str(auth)])


def bearer(token):
    return (("authorization", f"Bearer {token}"),)


def test_unauthenticated(auth_server):
    # the drop-in sends no token
    with pytest.raises(ExecutionLogError) as info:
        el_module.find_latest_execution("t", server=auth_server.address)
    assert_error(info.value, grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED", "", {})
    # nor does a wrong one get further
    with grpc.insecure_channel(auth_server.address) as channel:
        d = stub_error(pb_grpc.ExecutionLogServiceStub(channel).GetLogInfo, pb.GetLogInfoRequest(),
                       metadata=bearer("not-a-known-token"))
    assert_error(d, grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED", "", {})


def test_role_too_low(auth_server):
    with grpc.insecure_channel(auth_server.address) as channel:
        stub = pb_grpc.ExecutionLogServiceStub(channel)
        assert stub.GetLogInfo(pb.GetLogInfoRequest(), metadata=bearer(READER_TOKEN), timeout=30).path
        run = pb.Execution(task_id=tid(), task_type="x", success=True)
        d = stub_error(stub.RecordExecution, pb.RecordExecutionRequest(execution=run), metadata=bearer(READER_TOKEN))
        assert_error(d, grpc.StatusCode.PERMISSION_DENIED, "ROLE_TOO_LOW", "",
                     {"role": "reader", "required": "writer"})
        d = stub_error(stub.DeleteExecution, pb.DeleteExecutionRequest(run_id=str(uuid.uuid4())),
                       metadata=bearer(WRITER_TOKEN))
        assert_error(d, grpc.StatusCode.PERMISSION_DENIED, "ROLE_TOO_LOW", "",
                     {"role": "writer", "required": "admin"})


# ------------------------------------------------------------------ UNAVAILABLE


def test_shutting_down_ends_a_watch(server_factory):
    s = server_factory()
    with grpc.insecure_channel(s.address) as channel:
        stub = pb_grpc.ExecutionLogServiceStub(channel)
        watch = stub.WatchExecutions(pb.WatchExecutionsRequest(), timeout=60)
        assert next(watch).WhichOneof("event") == "started"
        s.stop()
        with pytest.raises(grpc.RpcError) as info:
            for _ in watch:
                pass
    d = status_details(info.value)
    assert_error(d, grpc.StatusCode.UNAVAILABLE, "SHUTTING_DOWN", "", {})


# ------------------------------------------------------------------ errors that are not the server's


def test_the_clients_own_checks_have_no_code_nor_reason(el):
    with pytest.raises(ExecutionLogError) as info:
        el.update_execution_record(str(uuid.uuid4()), {"notes": object()})
    assert_error(info.value, None, "", "", {})
    with pytest.raises(ExecutionLogError) as info:
        el.export_execution_log(Path("x.xml"), format="xml")
    assert_error(info.value, None, "", "", {})


def test_an_unreachable_server_has_a_code_but_no_reason(monkeypatch):
    monkeypatch.setattr(el_module, "DEFAULT_RPC_TIMEOUT", 2.0)
    with pytest.raises(ExecutionLogError) as info:
        el_module.get_execution_record(str(uuid.uuid4()), server="127.0.0.1:1")
    e = info.value
    assert e.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    assert (e.reason, e.field, e.metadata) == ("", "", {})


def test_the_reasons_the_drop_in_branches_on_are_the_contracts():
    assert {"RUN_NOT_FOUND", "TASK_HAS_NO_RUN", "PRODUCER_NOT_FOUND"} <= errors.REASONS
    assert {el_module._NO_SUCH_RUN, el_module._NO_RUN_FOR_TASK, el_module._NO_PRODUCER} <= errors.REASONS


def test_status_details_of_something_that_is_no_call():
    d = status_details(ValueError("boom"))
    assert (d.code, d.message, d.reason, d.field, d.metadata) == (None, "boom", "", "", {})
