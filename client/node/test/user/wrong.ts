// Must fail to type-check: each marked line misuses the API.
import { ExecLogClient } from '@execlog/client';

async function main(): Promise<void> {
  const client = new ExecLogClient();
  await client.record({ taskType: 'x' }); // error: taskId is required
  const seconds: string = (await client.get('id')).execution_time; // error: a number
  await client.lineage({ taskId: 't', runId: 'r' }); // error: one start only
  await client.statistics({ bucket: 'month' }); // error: not a bucket
  await client.recordd({ taskId: 't', taskType: 'x' }); // error: no such method
  console.log(seconds);
}
main();
