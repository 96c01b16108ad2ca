"""The package as users get it: its version is the server's, and (in run-tests.sh) the suite
imports the installed wheel, which holds its generated stubs and its type marker."""

import re
from importlib import metadata
from pathlib import Path

import pytest

import execlog
from conftest import INSTALLED, PY_ROOT, REPO


def server_version() -> str:
    """The release version: the parent POM's, which the server and the CLI report."""
    pom = (REPO / "pom.xml").read_text()
    return re.search(r"<version>([^<]+)</version>", pom).group(1)


def test_the_package_version_is_the_servers():
    source = re.search(r'__version__ = "([^"]+)"', (PY_ROOT / "execlog/_version.py").read_text()).group(1)
    assert source == execlog.__version__ == server_version()
    pyproject = (PY_ROOT / "pyproject.toml").read_text()
    assert 'name = "execlog"' in pyproject and 'version = { attr = "execlog._version.__version__" }' in pyproject


def test_the_dependency_ranges_include_debian_12s_packages():
    pyproject = (PY_ROOT / "pyproject.toml").read_text()
    assert 'dependencies = ["grpcio>=1.51", "protobuf>=4.21,<6"]' in pyproject
    assert 'requires-python = ">=3.9"' in pyproject


@pytest.mark.skipif(not INSTALLED, reason="the suite runs against the source tree (EXECLOG_TEST_INSTALLED unset)")
def test_the_suite_runs_against_the_installed_wheel():
    package = Path(execlog.__file__).resolve().parent
    assert PY_ROOT not in package.parents, f"execlog imported from the source tree: {package}"
    assert "site-packages" in package.parts
    assert metadata.version("execlog") == server_version()
    requires = sorted(re.sub(r"[ ()]", "", r) for r in metadata.requires("execlog"))
    assert requires == ["grpcio>=1.51", "protobuf<6,>=4.21"]
    for name in ("py.typed", "v1/execution_log_pb2.py", "v1/execution_log_pb2.pyi", "v1/execution_log_pb2_grpc.py",
                 "v1/error_reason_pb2.py"):
        assert (package / name).is_file(), name
    from execlog.v1 import execution_log_pb2_grpc

    assert Path(execution_log_pb2_grpc.__file__).resolve().parent == package / "v1"
