"""Retries and several servers, against real server processes killed with SIGKILL.

Every channel carries the service config all execlog clients share: round robin over the servers
a comma-separated target names, and UNAVAILABLE retried on reads and records (never on deletes).
"""

import json
import threading
import time

import grpc
import pytest

import execlog
from conftest import REPO, TOKENS
from execlog import ExecLogError
from execlog.connection import SERVICE_CONFIG, server_list


def _count(address: str) -> int:
    with execlog.connect(address) as log:
        return log.info().execution_count


def test_service_config_is_the_one_every_client_carries():
    config = json.loads(SERVICE_CONFIG)
    node = REPO / "client" / "node" / "src" / "service-config.json"
    if node.exists():
        assert json.loads(node.read_text()) == config
    policy = config["methodConfig"][0]
    retried = {n["method"] for n in policy["name"]}
    assert {"RecordExecution", "GetExecution", "ListExecutions", "ExportLog"} <= retried
    assert not retried & {"DeleteExecution", "CleanupExecutions", "ImportLog", "WatchExecutions"}
    assert policy["retryPolicy"]["retryableStatusCodes"] == ["UNAVAILABLE"]
    assert config["loadBalancingConfig"] == [{"round_robin": {}}]


def test_server_list_bad_entry_names_it():
    assert server_list("a.internal:1, [::1]:2") == [("a.internal", 1), ("::1", 2)]
    with pytest.raises(ExecLogError, match="'b'.*expected HOST:PORT"):
        execlog.connect("127.0.0.1:1,b")


def test_two_servers_one_killed_reads_and_records_go_on_on_the_survivor(server_factory):
    a, b = server_factory(name="a"), server_factory(name="b")
    with execlog.connect(f"{a.address},{b.address}") as log:
        for _ in range(8):
            log.record("t_spread", "test")
        on_a, on_b = _count(a.address), _count(b.address)
        assert on_a + on_b == 8 and on_a > 0 and on_b > 0, (on_a, on_b)

        a.kill()
        ids = []
        for _ in range(10):
            ids.append(log.record("t_after", "test").run_id)
            log.info()
            log.tasks()

        assert _count(b.address) == on_b + 10
        assert [log.get(i).run_id for i in ids] == ids


def test_server_restarted_on_its_port_records_retry_and_no_run_is_stored_twice(server_factory):
    s = server_factory(name="restart")
    acknowledged, already, resent, failures = [], [], [], []
    stop = threading.Event()

    with execlog.connect(s.address, timeout=20) as log:
        def loop():
            try:
                import uuid
                while not stop.is_set():
                    run_id = str(uuid.uuid4())
                    while True:
                        try:
                            outcome = log.record_with_outcome("t_loop", "test", run_id=run_id)
                        except ExecLogError as e:
                            if e.code != grpc.StatusCode.UNAVAILABLE:
                                raise
                            resent.append(run_id)  # the restart outlasted gRPC's retries: same run again
                            continue
                        assert outcome.run.run_id == run_id
                        if outcome.already_recorded:
                            already.append(run_id)
                        acknowledged.append(run_id)
                        break
            except BaseException as e:  # reported by the test thread
                failures.append(e)

        thread = threading.Thread(target=loop)
        thread.start()
        _await(lambda: len(acknowledged) >= 20)
        s.kill()
        at_kill = len(acknowledged)
        s.restart()
        _await(lambda: len(acknowledged) >= at_kill + 20)
        stop.set()
        thread.join(60)
        assert not failures, failures

        stored = [r.run_id for r in log.history("t_loop", limit=100000)]
    assert len(stored) == len(set(stored)), "no run id twice"
    assert set(stored) == set(acknowledged), "every acknowledged run stored, nothing else"
    assert len(stored) == len(acknowledged), f"resent {len(resent)}, already recorded {len(already)}"


def test_server_killed_delete_fails_at_once_while_reads_retry(server_factory):
    s = server_factory(name="delete")
    with execlog.connect(s.address) as log:
        run = log.record("t_delete", "test")
        s.kill()

        start = time.monotonic()
        with pytest.raises(ExecLogError) as delete:
            log.delete(run.run_id)
        delete_seconds = time.monotonic() - start
        start = time.monotonic()
        with pytest.raises(ExecLogError) as get:
            log.get(run.run_id)
        get_seconds = time.monotonic() - start

    assert delete.value.code == grpc.StatusCode.UNAVAILABLE
    assert get.value.code == grpc.StatusCode.UNAVAILABLE
    # One attempt fails in milliseconds; five wait four random backoffs of up to 0.5, 1, 2 and 4 s
    # (below 0.3 s in all about once in 10,000 runs).
    assert delete_seconds < 0.3, delete_seconds
    assert get_seconds > 0.3, get_seconds


def test_tls_and_token_with_two_servers(pki, server_factory):
    tls = ["--tls-cert", pki.server_cert, "--tls-key", pki.server_key, "--auth-file", pki.auth_file]
    a, b = server_factory(name="tls-a", args=tls), server_factory(name="tls-b", args=tls)
    both = f"localhost:{a.port},localhost:{b.port}"
    with execlog.connect(both, tls_ca=pki.server_cert, token=TOKENS["writer"]) as log:
        for _ in range(6):
            log.record("t_tls", "test")
    counts = []
    for s in (a, b):
        with execlog.connect(f"localhost:{s.port}", tls_ca=pki.server_cert, token=TOKENS["reader"]) as log:
            counts.append(log.info().execution_count)
    assert sum(counts) == 6 and min(counts) > 0, counts


def _await(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
