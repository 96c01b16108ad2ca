"""Connecting as the CLI does: the EXECLOG_* variables and options, TLS, mutual TLS, the authority
override and bearer tokens, for both layers, against real secured servers."""

import uuid
from pathlib import Path

import grpc
import pytest

import execlog
from conftest import TOKENS, ServerProcess
from execlog import ConnectionOptions, ExecLogError
from execlog import execution_log as el


def test_options_from_the_environment_and_overrides(tmp_path):
    env = {"EXECLOG_SERVER": "db.example:7000", "EXECLOG_TLS_CA": "/ca.pem", "EXECLOG_TLS_CERT": "/c.pem",
           "EXECLOG_TLS_KEY": "/c.key", "EXECLOG_TLS_AUTHORITY": "execlog.test", "EXECLOG_TOKEN": "t0"}
    o = ConnectionOptions.from_env(env)
    assert (o.target, o.tls_ca, o.tls_cert, o.tls_key, o.tls_authority, o.token) == (
        "db.example:7000", Path("/ca.pem"), Path("/c.pem"), Path("/c.key"), "execlog.test", "t0")
    assert o.uses_tls and (o.timeout, o.long_timeout) == (30.0, 3600.0)
    assert "t0" not in repr(o)
    # From the environment alone the token file wins, as in the CLI; an explicit token wins over both.
    with_file = ConnectionOptions.from_env({**env, "EXECLOG_TOKEN_FILE": "/tok"})
    assert (with_file.token, with_file.token_file) == (None, Path("/tok"))
    explicit = ConnectionOptions.from_env({**env, "EXECLOG_TOKEN_FILE": "/tok"}, token="t1", target="h:1")
    assert (explicit.token, explicit.token_file, explicit.target) == ("t1", None, "h:1")
    assert ConnectionOptions.from_env({}) == ConnectionOptions()
    assert not ConnectionOptions().uses_tls and ConnectionOptions().target == "localhost:50051"
    with pytest.raises(ValueError):
        ConnectionOptions(tls_cert=Path("/c.pem"))  # a certificate without its key
    with pytest.raises(TypeError):
        ConnectionOptions.from_env({}, tls_cafile="/x")


def test_a_token_is_never_sent_in_clear_text_to_another_host():
    with pytest.raises(ExecLogError) as info:
        execlog.connect("db.example:7000", options=ConnectionOptions(), token="secret")
    assert "clear text" in str(info.value) and "secret" not in str(info.value)


def test_without_a_token_the_secured_server_says_unauthenticated(secure_server, pki):
    with execlog.connect(secure_server.secure_address, options=ConnectionOptions(tls_ca=pki.server_cert)) as c:
        with pytest.raises(ExecLogError) as info:
            c.info()
    e = info.value
    assert (e.code, e.reason) == (grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED")


def test_a_reader_token_may_read_but_not_record(secure_server, pki):
    with execlog.connect(secure_server.secure_address, options=ConnectionOptions(tls_ca=pki.server_cert),
                         token=TOKENS["reader"]) as c:
        assert c.info().server_version == execlog.__version__
        with pytest.raises(ExecLogError) as info:
            c.record("t_reader", "t")
    assert (info.value.reason, info.value.metadata) == ("ROLE_TOO_LOW", {"role": "reader", "required": "writer"})


def test_plaintext_to_a_tls_server_fails_without_a_reason(secure_server):
    # A failed handshake is UNAVAILABLE, which gRPC retries (5 attempts, each waiting for a new
    # connection): the call fails after several seconds, within the default 30 s deadline.
    with execlog.connect(secure_server.secure_address, options=ConnectionOptions(), timeout=30) as c:
        with pytest.raises(ExecLogError) as info:
            c.info()
    assert info.value.code == grpc.StatusCode.UNAVAILABLE and info.value.reason == ""


def test_the_authority_override_names_the_certificates_host(secure_server, pki):
    address = f"127.0.0.1:{secure_server.port}"  # the certificate names localhost and execlog.test only
    base = ConnectionOptions(tls_ca=pki.server_cert, token=TOKENS["reader"], timeout=30)  # retried: see above
    with execlog.connect(address, options=base) as c:
        with pytest.raises(ExecLogError) as info:
            c.info()
    assert info.value.code == grpc.StatusCode.UNAVAILABLE
    with execlog.connect(address, options=base, tls_authority="execlog.test") as c:
        assert c.info().server_version == execlog.__version__


def test_mutual_tls_with_a_mapped_client_certificate(pki, tmp_path):
    s = ServerProcess(tmp_path / "mtls", args=["--tls-cert", pki.server_cert, "--tls-key", pki.server_key,
                                               "--tls-client-ca", pki.client_cert, "--auth-file", pki.auth_file])
    try:
        env = {"EXECLOG_SERVER": f"localhost:{s.port}", "EXECLOG_TLS_CA": str(pki.server_cert),
               "EXECLOG_TLS_CERT": str(pki.client_cert), "EXECLOG_TLS_KEY": str(pki.client_key)}
        with execlog.connect(options=ConnectionOptions.from_env(env)) as c:
            run = c.record("t_mtls", "ingestion")  # the certificate's subject is mapped to the writer role
            assert c.get(run.run_id).task_id == "t_mtls"
            with pytest.raises(ExecLogError) as info:
                c.delete(run.run_id)
            assert info.value.metadata == {"role": "writer", "required": "admin"}
        with execlog.connect(f"localhost:{s.port}", options=ConnectionOptions(tls_ca=pki.server_cert),
                             token=TOKENS["admin"], timeout=30) as no_cert:  # retried: see above
            with pytest.raises(ExecLogError) as info:
                no_cert.info()
            assert info.value.code == grpc.StatusCode.UNAVAILABLE
    finally:
        s.stop()


def test_the_drop_in_connects_from_the_environment(secure_server, pki, monkeypatch):
    monkeypatch.setattr(el, "_default_server", None)
    monkeypatch.setenv("EXECLOG_SERVER", secure_server.secure_address)
    monkeypatch.setenv("EXECLOG_TLS_CA", str(pki.server_cert))
    monkeypatch.setenv("EXECLOG_TOKEN_FILE", str(pki.token_files["writer"]))
    task = f"t_env_{uuid.uuid4().hex[:6]}"
    try:
        run_id = el.record_task_execution(task, "ingestion", True, 3, Path("DATA/r.json"))
        assert el.find_latest_execution(task)["task_run_id"] == run_id
        with pytest.raises(el.ExecutionLogError) as info:
            el.remove_execution_record(run_id)
        assert isinstance(info.value, ExecLogError) and info.value.reason == "ROLE_TOO_LOW"
        monkeypatch.delenv("EXECLOG_TOKEN_FILE")
        with pytest.raises(el.ExecutionLogError) as info:
            el.find_latest_execution(task)
        assert info.value.reason == "UNAUTHENTICATED"
    finally:
        el.close()


def test_the_drop_in_configured_in_code(secure_server, pki, monkeypatch):
    monkeypatch.setattr(el, "_default_server", None)
    for name in ("EXECLOG_SERVER", "EXECLOG_TLS_CA", "EXECLOG_TOKEN", "EXECLOG_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    el.configure(target=secure_server.secure_address, tls_ca=pki.server_cert, token=TOKENS["admin"],
                 long_timeout=120)
    try:
        task = f"t_cfg_{uuid.uuid4().hex[:6]}"
        run_id = el.record_task_execution(task, "ingestion", True, 1.5, Path("DATA/r.json"))
        assert el.get_execution_record(run_id)["execution_time"] == 1.5
        valid, _ = el.validate_execution_log()
        assert valid
        assert el.remove_execution_record(run_id) is True
    finally:
        el.configure()
        el.close()
