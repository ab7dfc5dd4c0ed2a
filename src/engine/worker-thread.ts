/**
 * A worker thread's entry (bundled as dist/worker.js by scripts/build.mjs): runs its part of the
 * load with the same LoadRun as a single-threaded run, posts each interval's figures as it takes
 * them, and its metrics when the run ends. The main thread (worker-fleet.ts) decides when to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { snapshotInterval, snapshotMetrics } from '../metrics/metrics-snapshot.js';
import { ProtocolStats } from '../protocol/protocol-profile.js';
import { LoadRun } from './load-run.js';
import type { FromWorker, ToWorker, WorkerInput } from './worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('worker-thread.js runs only as a worker thread');
const input = workerData as WorkerInput;
const post = (message: FromWorker): void => port.postMessage(message);
const protocol =
  input.protocol === undefined ? undefined : { ...input.protocol, stats: new ProtocolStats() };

let seq = 0;
const run = new LoadRun({
  target: input.target,
  config: input.config,
  plan: input.plan,
  protocol,
  onInterval: ({ figures, ctx, final, generatorSaturated }) =>
    post({
      type: 'interval',
      seq: seq++,
      final,
      figures: snapshotInterval(figures),
      ctx,
      generatorSaturated,
    }),
});
port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') run.stop(message.reason);
  else run.hardStop();
});
run.start();
const result = await run.done;
const stats = protocol?.stats;
post({
  type: 'done',
  result: {
    metrics: snapshotMetrics(result.metrics),
    startedAtMs: result.startedAt.getTime(),
    endedAtMs: result.endedAt.getTime(),
    activeDurationSecs: result.activeDurationSecs,
    stopReason: result.stopReason,
    inFlightAtStop: result.inFlightAtStop,
    protocolVersion: result.protocolVersion,
    serverInfo: result.serverInfo,
    noSessionDetail: result.noSessionDetail,
    generator: result.generator,
    redirect: input.target.learnt.redirect,
    protocolStats:
      stats === undefined
        ? null
        : {
            inputRounds: stats.inputRounds,
            tasks: stats.tasks,
            taskPolls: stats.taskPolls,
            versionRetries: stats.versionRetries,
            answered: stats.answered,
            unanswered: stats.unanswered,
          },
  },
});
