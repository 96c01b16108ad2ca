"""The Python task runner and lineage examples against a real server."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, script_env

RUNNER = REPO / "examples" / "python-task-runner" / "runner.py"
LINEAGE = REPO / "examples" / "python-lineage" / "lineage.py"


def run(script, server, *args, cwd=None):
    env = script_env(EXECLOG_SERVER=server.address, PROJECT_ROOT=str(server.root))
    return subprocess.run([sys.executable, str(script), *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_task_runner_and_lineage_graph(fresh_server, tmp_path):
    from execlog import execution_log as el

    root = fresh_server.root
    (root / "DATA" / "raw").mkdir(parents=True)
    (root / "DATA" / "raw" / "customers.csv").write_text("a\nb\nc\n")

    r = run(RUNNER, fresh_server, "t_1P", "--depends-on", "t_1I")
    assert r.returncode == 2, r.stderr
    r = run(RUNNER, fresh_server, "t_1I", "--input", "customers=DATA/raw/customers.csv")
    assert r.returncode == 0, r.stderr
    assert (root / "DATA/processed/t_1I/output/line_counts.json").is_file()
    r = run(RUNNER, fresh_server, "t_1P", "--depends-on", "t_1I",
            "--input", "counts=DATA/processed/t_1I/output/line_counts.json")
    assert r.returncode == 0, r.stderr
    r = run(RUNNER, fresh_server, "t_1R", "--depends-on", "t_1I", "t_1P",
            "--input", "counts=DATA/processed/t_1P/output/line_counts.json")
    assert r.returncode == 0, r.stderr
    r = run(RUNNER, fresh_server, "t_bad", "--fail")
    assert r.returncode == 1

    producer = el.find_task_by_output("DATA/processed/t_1I/output/line_counts.json", server=fresh_server.address)
    assert producer["task_id"] == "t_1I" and producer["input_files"][0]["name"] == "customers"
    failed = el.find_latest_execution("t_bad", success_only=False, server=fresh_server.address)
    assert failed["success"] is False

    out = tmp_path / "graph" / "task_dependency_graph"
    r = run(LINEAGE, fresh_server, "--out", str(out))
    assert r.returncode == 0, r.stderr
    dot = out.with_suffix(".dot").read_text()
    assert '"t_1I" -> "t_1P"' in dot and '"t_1P" -> "t_1R"' in dot
    assert '"t_1I" -> "t_1R"' not in dot and '"t_bad"' in dot
    assert dot.count("->") == 2
    if shutil.which("dot"):
        assert out.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in out.with_suffix(".svg").read_text()
    else:
        assert "Graphviz `dot` not found" in r.stdout


def test_lineage_graph_builder_matches_the_spec_rules():
    sys.path.insert(0, str(LINEAGE.parent))
    import lineage

    history = [
        {"task_id": "b", "task_type": "p", "input_files": [{"path": "x"}], "output_files": [{"path": "y"}]},
        {"task_id": "a", "task_type": "i", "input_files": [], "output_files": [{"path": "x"}]},
        {"task_id": "a", "task_type": "i", "input_files": [{"path": "x"}], "output_files": [{"path": "x"}]},
        {"task_id": "c", "task_type": "q", "input_files": [{"path": "y"}, {"path": "x"}], "output_files": []},
    ]
    nodes, edges = lineage.build_graph(history)
    assert nodes == {"a": "i", "b": "p", "c": "q"}
    assert edges == {("a", "b"): ["x"], ("b", "c"): ["y"], ("a", "c"): ["x"]}
    assert 'label="a\\n(i)"' in lineage.to_dot(nodes, edges)
