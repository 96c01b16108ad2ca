# Spec "Usage Examples" / Tracking Data Flow: the reference code with only the import line changed.
from execlog.execution_log import track_input_files, track_output_files, find_task_by_output
from pathlib import Path

# Track input files for a task
track_input_files(
    task_id="t_1A_profiling",
    file_paths=[
        "DATA/raw/customers.csv",
        "DATA/raw/products.csv"
    ]
)

# Track output files
track_output_files(
    task_id="t_1A_profiling",
    file_paths=[
        Path("DATA/processed/t_1A_profiling/output/field_statistics.json"),
        Path("DATA/processed/t_1A_profiling/output/profile_chart.png")
    ]
)

# Find task that produced a specific file
output_file = "DATA/processed/t_1A_profiling/output/field_statistics.json"
producing_task = find_task_by_output(output_file)

if producing_task:
    print(f"File was produced by task: {producing_task['task_id']}")
    print(f"Run at: {producing_task['timestamp']}")
else:
    print(f"No task found that produced {output_file}")
