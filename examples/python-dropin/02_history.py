# Spec "Usage Examples" / Finding Task Execution History: the reference code with only the import line changed.
from execlog.execution_log import get_task_execution_history, find_latest_execution

# Get execution history for a specific task
history = get_task_execution_history(
    task_id="t_1A_profiling",
    limit=5,
    success_only=True
)

print(f"Found {len(history)} execution records")
for execution in history:
    print(f"Run: {execution['task_run_id']}")
    print(f"Time: {execution['timestamp']}")
    print(f"Duration: {execution['execution_time']} seconds")
    print("---")

# Find the most recent execution
latest = find_latest_execution(
    task_id="t_1A_profiling", 
    success_only=True
)

if latest:
    print(f"Latest execution: {latest['timestamp']}")
    print(f"Status: {'Success' if latest['success'] else 'Failed'}")
else:
    print("No executions found")
