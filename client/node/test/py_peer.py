"""The Python side of the cross-language test: prints records as JSON.

usage: py_peer.py record TASK_ID | py_peer.py get RUN_ID
EXECLOG_SERVER names the server; PYTHONPATH must hold client/python.
"""
import json
import sys
from pathlib import Path

from execlog import execution_log as el

command, arg = sys.argv[1], sys.argv[2]
if command == "record":
    run_id = el.record_task_execution(
        task_id=arg, task_type="profiling", success=True, execution_time=125.3,
        report_path=Path(f"DATA/reports/{arg}_report.json"),
        input_datasets={"customers": "DATA/raw/customers.csv", "products": "DATA/raw/products.csv"},
        output_artifacts=[Path(f"DATA/processed/{arg}/output/field_statistics.json"),
                          {"path": f"DATA/processed/{arg}/output/summary.txt", "type": "text",
                           "description": "Summary of profiling results"}],
    )
    print(json.dumps(el.get_execution_record(run_id)))
elif command == "get":
    print(json.dumps(el.get_execution_record(arg)))
elif command == "latest":
    print(json.dumps(el.find_latest_execution(arg, success_only=False)))
else:
    sys.exit(f"unknown command {command}")
