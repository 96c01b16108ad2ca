# Spec "Usage Examples" / Integration with Progress Manager: the reference code with only the import lines changed.
# The spec's snippet calls get_task_execution_history without importing it; the import line adds it.
# PAMOLA's progress manager is stood in for by simple_progress.py (same protocol).
from execlog.execution_log import record_task_execution, get_task_execution_history
from simple_progress import create_task_progress_manager
from pathlib import Path
import logging

# Set up logger
logger = logging.getLogger("task.example")

# Create progress manager
progress_manager = create_task_progress_manager(
    task_id="t_1A",
    task_type="profiling",
    logger=logger,
    total_operations=3
)

# Record task execution with progress tracking
with progress_manager.create_operation_context(
    name="record_execution",
    total=1,
    description="Recording task execution"
) as progress:
    
    task_run_id = record_task_execution(
        task_id="t_1A",
        task_type="profiling",
        success=True,
        execution_time=125.3,
        report_path=Path("DATA/reports/t_1A_report.json"),
        input_datasets={"customers": "DATA/raw/customers.csv"},
        output_artifacts=[Path("DATA/processed/t_1A/output/results.json")],
        progress_manager=progress_manager  # Pass the progress manager
    )
    
    progress.update(1, {"status": "completed", "task_run_id": task_run_id})

# Get execution history with progress tracking
with progress_manager.create_operation_context(
    name="get_history",
    total=1,
    description="Getting execution history"
) as progress:
    
    history = get_task_execution_history(
        task_id="t_1A",
        limit=5,
        progress_manager=progress_manager
    )
    
    progress.update(1, {"status": "completed", "count": len(history)})

# Clean up progress manager when done
progress_manager.close()
