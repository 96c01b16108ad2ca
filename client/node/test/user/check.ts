// Type-checked with tsc --noEmit against the installed package's declarations.
import {
  ExecLogClient, ExecLogError, ErrorReason, ExecutionWatch, VERSION, status,
  type RunRecord, type LineageGraph, type StatisticsReport, type DependencyReport, type ExecutionChange,
  type ProgressEvent, type ImportResult, type ClientOptions,
} from '@execlog/client';

async function main(): Promise<void> {
  const options: ClientOptions = { tlsCa: 'ca.pem', tlsAuthority: 'localhost', tokenFile: 'ci.token', deadlineMs: 5000 };
  const client = new ExecLogClient('localhost:50051', options);
  const run: RunRecord = await client.record({
    taskId: 't_1I', taskType: 'ingestion', executionTime: 1.5, inputDatasets: { customers: 'DATA/raw/c.csv' },
    outputArtifacts: ['DATA/out.csv', { path: 'DATA/chart.png', type: 'png', description: 'chart' }],
    extraFields: { notes: 'typed', metrics: { rows: 3 } },
  });
  const seconds: number = run.execution_time;
  const { already_recorded }: { already_recorded: boolean } = await client.recordWithOutcome({ taskId: 't', taskType: 'x' });
  const page = await client.listExecutions({ taskId: 't_1I', pageSize: 2 });
  const next: string = page.nextPageToken;
  for await (const r of client.iterateHistory({ pageSize: 100 })) console.log(r.task_run_id);
  const latest: RunRecord | null = await client.latest('t_1I', { successOnly: false });
  const producers = await client.producer('DATA/out.csv', { includeAll: true });
  if (producers) console.log(producers.producers_truncated, producers.producers.length);
  const deps: DependencyReport = await client.checkDependencies(['t_1I'], { maxAgeSeconds: 3600, requireOutputsExist: true });
  if (deps.dependencies[0].state === 'OUTPUTS_MISSING') console.log(deps.dependencies[0].missing_output_paths);
  const graph: LineageGraph = await client.lineage({ taskId: 't_1I', direction: 'downstream', level: 'run', depth: 3 });
  for (const node of graph.nodes) {
    if (node.kind === 'run') console.log(node.run.task_run_id);
    else if (node.kind === 'task') console.log(node.task.run_count);
    else console.log(node.path);
  }
  const stats: StatisticsReport = await client.statistics({ taskId: 't_1I', bucket: 'day', startTime: new Date() });
  const p95: number | null = stats.total.overall.p95_duration;
  const watch: ExecutionWatch = await client.watch({ taskId: 't_1I', afterSequence: 3 });
  for await (const change of watch) {
    const c: ExecutionChange = change;
    if (c.kind === 'RECORDED') break;
  }
  console.log(watch.lastSequence, watch.gap);
  const progress: ProgressEvent[] = [];
  const imported: ImportResult = await client.import('log.json', { merge: true, onProgress: (p) => progress.push(p) }).result();
  for await (const ev of client.export({ format: 'csv' })) if (ev.type === 'chunk') console.log(ev.data.length);
  const cleaned = await client.cleanup({ maxAgeDays: 30, dryRun: true, rule: 'old_or_beyond_count' }).result();
  const valid: boolean = (await client.validate({ deadlineMs: 60000 }).result()).valid;
  try {
    await client.get('x');
  } catch (err) {
    if (err instanceof ExecLogError && err.reason === ErrorReason.RUN_NOT_FOUND && err.code === status.NOT_FOUND) {
      console.log(err.field, err.metadata.run_id);
    }
  }
  console.log(VERSION, seconds, already_recorded, next, latest, p95, imported.imported_count, cleaned.removed_run_ids, valid);
  client.close();
}

main().catch(() => process.exit(1));
