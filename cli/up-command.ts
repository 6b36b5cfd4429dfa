import { Command, InvalidArgumentError } from 'commander';
import { errorMessage } from '../shared/errors.js';
import { addCloudFlags } from './cloud-command.js';
import type { DemoThermostat } from './demo-thermostat.js';
import { parsePort } from './port-flag.js';
import { runUntilSignal } from './run-until-signal.js';
import { createProgress, showDemo, startHub, stderrLogTo, type UpFlags } from './up/index.js';

function edgeCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50) throw new InvalidArgumentError('must be a whole number from 0 to 50');
  return n;
}

/**
 * `outpost up`: the embedded hub on one machine, what `npm start` runs (docs/quickstart.md): the
 * cloud, then edges that join it with tokens of their own, each with its data under
 * `<data>/edges/<name>/` and its own containerd; then the demo (a Deployment, a DaemonSet on
 * every edge, the thermostat twin), a summary, and Ctrl-C. Ctrl-C stops the mapper, the edges and
 * the cloud and leaves pods and containerd running, as kubelet and K3s do; the next `up` adopts
 * them and `outpost reset` stops them.
 */
export function upCommand(): Command {
  const up = addCloudFlags(new Command('up').description('run the whole hub on this machine: the cloud, its edges and a demo (Ctrl-C stops it)'))
    .option('--edges <n>', 'how many edge nodes to run beside the cloud (default 1)', edgeCount, 1)
    .option('--metaserver-port <port>', 'MetaServer port of the first edge; the next edges take the ports after it (default 10550; 0 picks free ones)', parsePort)
    .option('--mqtt-port <port>', 'embedded MQTT broker port of the first edge; the next edges take the ports after it (default 1883; 0 picks free ones)', parsePort)
    .option('--no-demo', 'apply no demo: no web Deployment, edge-agent DaemonSet or thermostat')
    .option('--no-pods', 'edges run no pods (no containerd): metadata sync, MetaServer and device twins only');
  up.action(async (flags: UpFlags) => {
    await runUntilSignal(async (signal) => {
      const dataDir = flags.dataDir ?? '.outpost';
      const progress = createProgress();
      const logTo = stderrLogTo();
      const hub = await startHub(flags, dataDir, progress, signal, logTo);
      let thermostat: DemoThermostat | undefined;
      const demo = new AbortController();
      signal.addEventListener('abort', () => demo.abort(), { once: true });
      const shown = showDemo({ hub, flags, dataDir, progress, signal: demo.signal, logTo, onThermostat: (t) => (thermostat = t), write: (text) => process.stdout.write(text) }).catch(
        (err: unknown) => progress.note(`the demo did not come up: ${errorMessage(err)} (the hub runs on)`),
      );
      return async () => {
        demo.abort();
        await shown;
        await thermostat?.stop();
        await hub.stop();
        process.stdout.write(stoppedMessage(dataDir, { mapper: thermostat !== undefined, edges: hub.edges.length, pods: flags.pods && hub.edges.length > 0 }));
      };
    });
  });
  return up;
}

function stoppedMessage(dataDir: string, ran: { mapper: boolean; edges: number; pods: boolean }): string {
  const parts = [...(ran.mapper ? ['the demo mapper'] : []), ...(ran.edges > 0 ? ['the edge agents'] : []), 'the cloud'];
  const lines = ['', `Stopped ${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`}.`];
  if (ran.pods) {
    lines.push(
      "Pods keep running, with each edge's containerd, as they do when kubelet or K3s stops:",
      `  outpost up --data-dir ${dataDir}      adopts them again`,
      `  outpost reset --data-dir ${dataDir}   stops them and removes their containers, mounts and network`,
    );
  }
  return `${lines.join('\n')}\n`;
}
