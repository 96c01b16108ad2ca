# Spec "Usage Examples" / Recording Task Execution: the reference code with only the import line changed.
from execlog.execution_log import record_task_execution
from pathlib import Path

# Record a task execution
task_run_id = record_task_execution(
    task_id="t_1A_profiling",
    task_type="profiling",
    success=True,
    execution_time=125.3,
    report_path=Path("DATA/reports/t_1A_profiling_report.json"),
    input_datasets={
        "customers": "DATA/raw/customers.csv",
        "products": "DATA/raw/products.csv"
    },
    output_artifacts=[
        # Path objects
        Path("DATA/processed/t_1A_profiling/output/field_statistics.json"),
        Path("DATA/processed/t_1A_profiling/output/profile_chart.png"),
        
        # Or dictionaries with metadata
        {
            "path": "DATA/processed/t_1A_profiling/output/summary.txt",
            "type": "text",
            "description": "Summary of profiling results"
        }
    ]
)

print(f"Task execution recorded with ID: {task_run_id}")
