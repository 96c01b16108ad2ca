"""Starts real execlog servers (the fat jar) for the tests.

EXECLOG_SERVER_JAR overrides the jar (default: server/target/execlog-server-*-all.jar).
EXECLOG_TEST_INSTALLED=1 (run-tests.sh sets it) runs the suite against the installed wheel:
the source tree is then kept off sys.path, and test_package checks where execlog came from.
"""

import atexit
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PY_ROOT = HERE.parent
REPO = PY_ROOT.parent.parent
INSTALLED = os.environ.get("EXECLOG_TEST_INSTALLED") == "1"
if not INSTALLED:
    sys.path.insert(0, str(PY_ROOT))


def script_env(**variables: str) -> dict:
    """The environment of a Python script a test runs with ``sys.executable``: the package it
    imports is the installed one, or, against the source tree, ``client/python`` on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXECLOG_") or k == "EXECLOG_SERVER_JAR"}
    paths = [] if INSTALLED else [str(PY_ROOT)]
    extra = variables.pop("PYTHONPATH", "")
    env["PYTHONPATH"] = os.pathsep.join(paths + ([extra] if extra else []))
    env.update(variables)
    return env


_jar_copy = None


def server_jar() -> str:
    """A private copy of the jar: a rebuild of server/target during the run cannot break the servers."""
    global _jar_copy
    if _jar_copy is None:
        jar = os.environ.get("EXECLOG_SERVER_JAR")
        if not jar:
            found = sorted(glob.glob(str(REPO / "server/target/execlog-server-*-all.jar")))
            if not found:
                pytest.exit("server jar missing: build it with `mvn -B -q -o install -DskipTests`", returncode=2)
            jar = found[-1]
        copy_dir = tempfile.mkdtemp(prefix="execlog-jar-")
        atexit.register(shutil.rmtree, copy_dir, True)
        _jar_copy = shutil.copy(jar, copy_dir)
    return _jar_copy


class ServerProcess:
    def __init__(self, root: Path, initial_log: dict = None, args=()):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        if initial_log is not None:
            (root / "configs").mkdir(exist_ok=True)
            (root / "configs" / "execution_log.json").write_text(__import__("json").dumps(initial_log, indent=2))
        self.port_file = root.parent / (root.name + ".port")
        self.log = open(root.parent / (root.name + ".server.log"), "wb")
        self.args = args
        self._spawn(0)

    def _spawn(self, port: int) -> None:
        if self.port_file.exists():
            self.port_file.unlink()
        java = os.environ.get("JAVA", "java")
        # The server reads EXECLOG_* too (EXECLOG_TLS_CERT is its own certificate there): none leaks in.
        env = {k: v for k, v in os.environ.items() if not k.startswith("EXECLOG_")}
        self.proc = subprocess.Popen(
            [java, "-jar", server_jar(), "--root", str(self.root), "--port", str(port), "--port-file",
             str(self.port_file), *map(str, self.args)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            if self.port_file.exists() and self.port_file.read_text().strip():
                break
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("server did not write its port within 30 s")
        self.port = int(self.port_file.read_text().strip())
        self.address = f"127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: the server dies at once, its connections close, nothing is flushed."""
        self.proc.kill()
        self.proc.wait()

    def restart(self) -> None:
        """Starts the server again on the same root and port (after :meth:`kill`)."""
        self._spawn(self.port)

    @property
    def log_path(self) -> Path:
        return self.root / "configs" / "execution_log.json"

    def stop(self) -> None:
        """SIGTERM now; the exit is awaited at the end of the session, so shutdowns overlap tests."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        _stopping.append(self)

    def stop_and_wait(self, timeout: float = 30) -> None:
        """SIGTERM and wait for the exit, so that the log file on disk is final."""
        self.stop()
        self.proc.wait(timeout=timeout)

    def reap(self) -> None:
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


_stopping = []


@pytest.fixture(scope="session", autouse=True)
def _reap_servers():
    yield
    for s in _stopping:
        s.reap()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One server for the whole session: tests use their own task ids."""
    s = ServerProcess(tmp_path_factory.mktemp("shared") / "project")
    from execlog import execution_log

    execution_log.set_server(s.address)
    yield s
    execution_log.close()
    s.stop()


@pytest.fixture
def fresh_server(tmp_path):
    """A server of its own, for tests that replace or clean the whole log."""
    s = ServerProcess(tmp_path / "project")
    yield s
    s.stop()


@pytest.fixture
def server_factory(tmp_path):
    """Starts servers on project roots of their own, optionally seeded with a log file
    and given extra command-line options (``args``)."""
    started = []

    def start(initial_log: dict = None, name: str = "project", args=()):
        s = ServerProcess(tmp_path / f"{name}{len(started)}", initial_log, args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def el(server):
    from execlog import execution_log

    return execution_log


# --------------------------------------------------------------------------- a secured server

TOKENS = {"reader": "reader-token-for-py-tests", "writer": "writer-token-for-py-tests",
          "admin": "admin-token-for-py-tests"}
CLIENT_SUBJECT = "CN=py-runner,O=Data"


class Pki:
    """A self-signed server certificate for ``execlog.test`` and ``localhost`` (not 127.0.0.1,
    so that the authority override can be tested), a self-signed client certificate, the
    tokens' auth file, and a file holding each token."""

    def __init__(self, d: Path):
        d.mkdir(parents=True, exist_ok=True)
        self.dir = d
        self.server_cert, self.server_key = d / "server.pem", d / "server.key"
        self.client_cert, self.client_key = d / "client.pem", d / "client.key"
        self._cert("/CN=localhost", "subjectAltName=DNS:localhost,DNS:execlog.test", self.server_cert, self.server_key)
        self._cert("/O=Data/CN=py-runner", "extendedKeyUsage=clientAuth", self.client_cert, self.client_key)
        self.token_files = {}
        for role, token in TOKENS.items():
            f = d / f"{role}.token"
            f.write_text(token + "\n")
            self.token_files[role] = f
        self.auth_file = d / "auth.json"
        self.auth_file.write_text(__import__("json").dumps({
            "tokens": [{"name": f"py-{role}", "role": role,
                        "sha256": __import__("hashlib").sha256(token.encode()).hexdigest()}
                       for role, token in TOKENS.items()],
            "certificates": [{"subject": CLIENT_SUBJECT, "name": "py-runner", "role": "writer"}],
        }))

    @staticmethod
    def _cert(subject: str, extension: str, cert: Path, key: Path) -> None:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", subject,
                        "-addext", extension, "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def secure_server(pki, tmp_path_factory):
    """One server with TLS and bearer tokens (reader, writer, admin) for the session; reached as
    ``localhost:PORT`` (``secure_server.secure_address``)."""
    s = ServerProcess(tmp_path_factory.mktemp("secure") / "project",
                      args=["--tls-cert", pki.server_cert, "--tls-key", pki.server_key, "--auth-file", pki.auth_file])
    s.secure_address = f"localhost:{s.port}"
    yield s
    s.stop()
