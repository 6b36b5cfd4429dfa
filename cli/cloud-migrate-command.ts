import { Command } from 'commander';
import { createLogger } from '../shared/logging.js';
import { cloudPaths } from '../cloudcore/main.js';
import { migrateSqliteCluster } from '../cloudcore/migrate/index.js';
import { openStore } from '../cloudcore/storage/index.js';
import { loadCloudConfig, type CloudFlags } from './cloud-command.js';

/** The flags that pick and reach the datastore, repeated in the command printed at the end. */
const DATASTORE_FLAGS: ReadonlyArray<[keyof CloudFlags, string]> = [
  ['datastoreEndpoint', '--datastore-endpoint'],
  ['datastoreCafile', '--datastore-cafile'],
  ['datastoreCertfile', '--datastore-certfile'],
  ['datastoreKeyfile', '--datastore-keyfile'],
  ['datastorePrefix', '--datastore-prefix'],
];

/**
 * `outpost cloud migrate` (docs/datastore.md § Moving a cluster from SQLite to etcd): the stopped
 * SQLite cluster of --data-dir into the etcd of --datastore-endpoint (and its TLS flags, which
 * belong to `outpost cloud` and are read from the parent's options).
 */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('copy a stopped SQLite cluster (--data-dir) into etcd (--datastore-endpoint), then start it there')
    .option('--force', 'empty the target datastore prefix first if it already holds keys')
    .action(async (opts: { force?: boolean }, command: Command) => {
      const flags = command.optsWithGlobals() as CloudFlags;
      if (flags.datastoreEndpoint === undefined) command.error('error: migrate needs --datastore-endpoint etcd://host:port[,…]: the etcd to move the cluster into');
      const config = await loadCloudConfig({ ...flags, logLevel: flags.logLevel ?? 'warn' });
      const logger = createLogger({ component: 'migrate', level: config.logLevel });
      const { store } = await openStore(config, cloudPaths(config.dataDir), logger);
      // An unreachable etcd is retried with a log line each time (docs/datastore.md § Choosing etcd):
      // Ctrl-C ends the wait, or the copy; state.db is only read, so only the target can be partial.
      const onSignal = (signal: NodeJS.Signals): void => {
        console.error(`error: interrupted (${signal}); the etcd target may hold part of the cluster: run migrate again with --force`);
        process.exit(130);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const signal = new AbortController().signal;
      let reported = 0;
      const result = await migrateSqliteCluster({
        dataDir: config.dataDir,
        target: store,
        force: opts.force === true,
        signal,
        logger,
        onProgress: (copied) => {
          if (copied - reported < 5_000) return;
          reported = copied;
          console.log(`copied ${copied} keys…`);
        },
      });
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (!result.ok) command.error(`error: ${result.message}`);
      const { keys, removed, sourceRevision } = result.value;
      const again = DATASTORE_FLAGS.flatMap(([field, flag]) => (flags[field] === undefined ? [] : [flag, String(flags[field])]));
      console.log(
        [
          `copied ${keys} keys from ${cloudPaths(config.dataDir).stateDb} (revision ${sourceRevision}) into etcd${removed > 0 ? ` (after removing ${removed} keys it held)` : ''}; verified key by key`,
          'every resourceVersion has changed: clients relist (a watch resumed from an old one gets 410 Gone)',
          `start it with: outpost cloud --data-dir ${config.dataDir} ${again.join(' ')}`,
        ].join('\n'),
      );
    });
}
