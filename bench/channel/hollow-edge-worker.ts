import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../shared/errors.js';
import { runEchoClients, runTlsStorm } from './baseline-clients.js';
import { DialLimiter } from './dial-limiter.js';
import { workerConfigSchema, type EdgeEvent, type WorkerCommand, type WorkerMessage } from './fleet-messages.js';
import { HollowEdge } from './hollow-edge.js';
import { issueNodeCredentials } from './node-certificates.js';

/**
 * Entry point of one hollow-edge worker process (forked by fleet.ts with an IPC channel): it
 * hosts many hollow edges, each with its own node certificate, and runs the baseline clients with
 * the same credentials. It exits when told to stop or when its parent goes away.
 */
const FLUSH_EVERY_MS = 20;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = workerConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const started = performance.now();
  const creds = await issueNodeCredentials(config);
  if (!creds.ok) {
    send({ t: 'error', message: creds.message });
    process.exit(1);
  }
  const limiter = new DialLimiter(config.dialConcurrency);
  let pending: EdgeEvent[] = [];
  const flush = setInterval(() => {
    if (pending.length === 0) return;
    send({ t: 'events', events: pending });
    pending = [];
  }, FLUSH_EVERY_MS);
  let mode: 'backoff' | 'hold' = 'backoff';
  const held = new Set<HollowEdge>();
  const edges = creds.value.map(
    (c) =>
      new HollowEdge({
        nodeName: c.nodeName,
        secureContext: c.secureContext,
        report: (event) => pending.push(event),
        schedule: (dial) => void limiter.run(dial),
        reconnectMode: () => mode,
        onHeld: (edge) => held.add(edge),
      }),
  );
  const contexts = creds.value.map((c) => c.secureContext);

  const onCommand = async (command: WorkerCommand): Promise<void> => {
    switch (command.c) {
      case 'connect':
        edges.forEach((edge, k) => edge.start(command.hubUrls[k % command.hubUrls.length] ?? ''));
        return;
      case 'policy':
        mode = command.mode;
        return;
      case 'release': {
        const parked = [...held];
        held.clear();
        for (const edge of parked) edge.release();
        return;
      }
      case 'echo':
        send({ t: 'echoDone', ...(await runEchoClients({ url: command.url, contexts, limiter, roundTrips: command.roundTrips, frameBytes: command.frameBytes })) });
        return;
      case 'storm':
        send({ t: 'stormDone', ...(await runTlsStorm({ host: command.host, port: command.port, contexts, limiter })) });
        return;
      case 'stop':
        for (const edge of edges) edge.stop();
        clearInterval(flush);
        process.exit(0);
    }
  };
  process.on('message', (command: WorkerCommand) => {
    onCommand(command).catch((err: unknown) => send({ t: 'error', message: `${command.c}: ${errorMessage(err)}` }));
  });
  // The parent gone (crashed, killed) means nobody will ever say stop: leave with it.
  process.on('disconnect', () => process.exit(0));
  send({ t: 'ready', edges: edges.length, certMs: performance.now() - started });
}

main().catch((err: unknown) => {
  send({ t: 'error', message: errorMessage(err) });
  process.exit(1);
});
