# Spec "Usage Examples" / Maintaining the Execution Log: the reference code with only the import line changed.
from execlog.execution_log import (
    cleanup_old_executions, validate_execution_log, 
    export_execution_log, import_execution_log
)
from pathlib import Path

# Validate the execution log
valid, errors = validate_execution_log()
if valid:
    print("Execution log is valid")
else:
    print(f"Execution log has {len(errors)} validation errors:")
    for error in errors:
        print(f"- {error}")

# Clean up old executions
removed_count, removed_ids = cleanup_old_executions(
    max_age_days=60,  # Keep records from last 60 days
    max_per_task=5,   # Keep at most 5 executions per task
    dry_run=True      # Just simulate, don't actually delete
)
print(f"Would remove {removed_count} old execution records")

# Actually perform the cleanup
removed_count, removed_ids = cleanup_old_executions(
    max_age_days=60,
    max_per_task=5,
    dry_run=False
)
print(f"Removed {removed_count} old execution records")

# Export the execution log
export_path = export_execution_log(
    output_path=Path("backup/execution_log_backup.json"),
    format="json"
)
print(f"Execution log exported to {export_path}")

# Export as CSV for analysis
csv_export_path = export_execution_log(
    output_path=Path("analysis/execution_log.csv"),
    format="csv"
)
print(f"Execution log exported as CSV to {csv_export_path}")

# Import from backup
success = import_execution_log(
    input_path=Path("backup/execution_log_backup.json"),
    merge=False  # Replace current log
)
if success:
    print("Execution log imported successfully")
else:
    print("Failed to import execution log")
