#!/usr/bin/env python3
"""Draws the task dependency graph from execlog's history.

The spec's "Task Pipeline Visualization" (networkx + matplotlib) done with the
standard library: an edge goes from the task that wrote a file to each task
that read it. Writes DOT and, when Graphviz's `dot` is on PATH, renders it.

usage: lineage.py [--out task_dependency_graph] [--formats png,svg] [--limit 1000]
env:   EXECLOG_SERVER=host:port (default localhost:50051), and the CLI's EXECLOG_TLS_* and
       EXECLOG_TOKEN / EXECLOG_TOKEN_FILE for a secured server
needs: the execlog package (pip install execlog-*.whl, see client/python/README.md)
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from execlog.execution_log import get_task_execution_history


def build_graph(history):
    """Nodes {task_id: task_type} and edges {(producer, consumer): [paths]}, as in the spec."""
    nodes, edges = {}, {}
    producers = {}
    for execution in history:
        nodes.setdefault(execution["task_id"], execution["task_type"])
        for output_file in execution.get("output_files", []):
            producers.setdefault(output_file.get("path", ""), set()).add(execution["task_id"])
    for execution in history:
        task_id = execution["task_id"]
        for input_file in execution.get("input_files", []):
            input_path = input_file.get("path", "")
            for producer in sorted(producers.get(input_path, ())):
                if producer != task_id:
                    paths = edges.setdefault((producer, task_id), [])
                    if input_path not in paths:
                        paths.append(input_path)
    return nodes, edges


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _q(text: str) -> str:
    return '"' + _esc(text) + '"'


def to_dot(nodes, edges) -> str:
    lines = ["digraph task_dependencies {", "  rankdir=LR;", '  label="Task Dependency Graph";',
             "  node [shape=box, style=filled, fillcolor=lightblue];"]
    for task_id in sorted(nodes):
        label = f"{_esc(task_id)}\\n({_esc(nodes[task_id])})"
        lines.append(f"  {_q(task_id)} [label=\"{label}\"];")
    for (producer, consumer), paths in sorted(edges.items()):
        label = "\\n".join(_esc(Path(p).name) for p in paths)
        lines.append(f"  {_q(producer)} -> {_q(consumer)} [label=\"{label}\"];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Draw the task dependency graph from execlog history")
    ap.add_argument("--out", default="task_dependency_graph", help="output path without extension")
    ap.add_argument("--formats", default="png,svg", help="formats to render with Graphviz's dot")
    ap.add_argument("--limit", type=int, default=1000)
    args = ap.parse_args(argv)

    history = get_task_execution_history(limit=args.limit)
    nodes, edges = build_graph(history)
    dot_path = Path(args.out).with_suffix(".dot")
    dot_path.parent.mkdir(parents=True, exist_ok=True)
    dot_path.write_text(to_dot(nodes, edges))
    print(f"{len(nodes)} tasks, {len(edges)} dependencies -> {dot_path}")
    dot = shutil.which("dot")
    if not dot:
        print("Graphviz `dot` not found: apt-get install -y graphviz to render PNG/SVG")
        return 0
    for fmt in [f for f in args.formats.split(",") if f]:
        target = Path(args.out).with_suffix("." + fmt)
        subprocess.run([dot, f"-T{fmt}", str(dot_path), "-o", str(target)], check=True)
        print(f"rendered {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
