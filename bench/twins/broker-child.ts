import { createEmbeddedBroker } from '../../edgecore/mqttbroker/index.js';
import { createStaticAccess } from '../../edgecore/mqttbroker/static-access.js';
import { createLogger } from '../../shared/logging.js';

/**
 * The embedded broker alone in its own process, as mosquitto runs in its own, so both are
 * measured the same way (`node broker-child.js USER PASSWORD`). It prints its URL as one JSON line
 * on stdout once it listens, and stops on SIGTERM.
 */
async function main(): Promise<void> {
  const [username, password] = process.argv.slice(2);
  if (username === undefined || password === undefined) throw new Error('usage: broker-child USER PASSWORD');
  const broker = createEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    access: createStaticAccess({ [username]: { kind: 'agent', password } }),
    logger: createLogger({ component: 'bench-broker', level: 'warn' }),
  });
  const abort = new AbortController();
  await broker.start(abort.signal);
  process.once('SIGTERM', () => {
    void broker.stop().then(() => {
      console.log(JSON.stringify({ stopped: true, counters: broker.counters() }));
      process.exitCode = 0;
    });
  });
  process.on('message', (message) => {
    if (message === 'counters') process.send?.({ counters: broker.counters() });
  });
  console.log(JSON.stringify({ url: broker.url() }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
