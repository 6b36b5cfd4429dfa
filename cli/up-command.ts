import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { edgePaths } from '../edgecore/config.js';
import type { RunningEdge } from '../edgecore/main.js';
import { addCloudFlags, startCloud, type CloudFlags } from './cloud-command.js';
import { parsePort } from './port-flag.js';
import { startEdgeAgent } from './edge-command.js';
import { runUntilSignal } from './run-until-signal.js';
import { createToken } from './token-command.js';

interface UpFlags extends CloudFlags {
  edges: number;
  metaserverPort?: number;
}

const DEFAULT_METASERVER_PORT = 10550;

function edgeCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50) throw new InvalidArgumentError('must be a whole number from 0 to 50');
  return n;
}

/**
 * `outpost up`: the embedded hub on one machine, what `npm start` runs: the cloud, then edges
 * that join it with tokens of their own, each with its data under `<data>/edges/<name>/`.
 * Ctrl-C stops the edges, then the cloud. Pods run once edged lands; until then the edges sync
 * and report, and their MetaServers serve what they hold.
 */
export function upCommand(): Command {
  const up = addCloudFlags(new Command('up').description('run the whole hub on this machine: the cloud and its edges (Ctrl-C stops it)'))
    .option('--edges <n>', 'how many edge nodes to run beside the cloud (default 1)', edgeCount, 1)
    .option('--metaserver-port <port>', 'MetaServer port of the first edge; the next edges take the ports after it (default 10550; 0 picks free ones)', parsePort);
  up.action(async (flags: UpFlags) => {
    await runUntilSignal(async (signal) => {
      const dataDir = flags.dataDir ?? '.outpost';
      const cloud = await startCloud({ logLevel: 'warn', ...flags, dataDir }, signal);
      const edges: RunningEdge[] = [];
      const stopAll = async (): Promise<void> => {
        for (const edge of edges.reverse()) await edge.stop();
        await cloud.stop();
      };
      try {
        for (let i = 1; i <= flags.edges; i++) edges.push(await startUpEdge(flags, dataDir, cloud.bootstrapAddress, i, signal));
      } catch (err) {
        await stopAll();
        throw err;
      }
      process.stdout.write(summary(cloud.apiUrl, cloud.paths.kubeconfig, edges));
      return stopAll;
    });
  });
  return up;
}

async function startUpEdge(flags: UpFlags, dataDir: string, bootstrap: string, index: number, signal: AbortSignal): Promise<RunningEdge> {
  const nodeName = `edge-${index}`;
  // A node that joined on an earlier run has its credentials; only a new one needs a token.
  const joined = existsSync(edgePaths({ dataDir, nodeName }).configFile);
  const token = joined ? undefined : await createToken({ dataDir, ttl: 600, nodeName, description: 'outpost up' });
  const base = flags.metaserverPort ?? DEFAULT_METASERVER_PORT;
  return startEdgeAgent(
    {
      nodeName,
      dataDir,
      server: bootstrap,
      ...(token === undefined ? {} : { token }),
      metaserverPort: base === 0 ? 0 : base + index - 1,
      logLevel: flags.logLevel ?? 'warn',
    },
    signal,
  );
}

function summary(apiUrl: string, kubeconfig: string, edges: RunningEdge[]): string {
  const edgeLines = edges.map((edge, i) => `  edge-${i + 1}     MetaServer ${edge.metaserverUrl}   data ${edge.paths.edgeDir}`);
  return [
    '',
    `Outpost is up. The Kubernetes API is at ${apiUrl}`,
    ...(edges.length > 0 ? ['', 'Edge nodes (joined with their own tokens):', ...edgeLines] : []),
    '',
    'Next steps:',
    `  export KUBECONFIG=${kubeconfig}`,
    '  kubectl get nodes',
    '  kubectl get devicemodels,devices -A',
    ...(edges[0] !== undefined ? [`  kubectl --server ${edges[0].metaserverUrl} get pods -A    # what the edge holds, even offline`] : []),
    '',
    'Pods start on the edges once the runtime (edged) lands; the MQTT broker and a demo device follow.',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
