import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { OutpostError } from '../shared/errors.js';
import { createLogger } from '../shared/logging.js';
import { createEmbeddedContainerd, teardownContainerd } from '../edgecore/edged/containerd/index.js';
import { PAUSE_IMAGE } from '../edgecore/edged/images/index.js';
import { runningAgentOf } from './up/running-agent.js';

interface ResetFlags {
  dataDir: string;
  node?: string;
}

/**
 * `outpost reset`: what K3s' killall script does for its agent. `outpost edge` leaves pods and
 * containerd running when it stops (so they survive agent restarts); this stops every pod and the
 * containerd of each edge under the data directory and cleans up what they left on the host
 * (mounts, the CNI bridge, cgroups). edge.db and the credentials stay: the next `outpost edge`
 * starts every pod again from them.
 */
export function resetCommand(): Command {
  return new Command('reset')
    .description("stop every pod and the containerd of this data directory's edges (their data stays)")
    .option('--data-dir <dir>', 'data directory (default .outpost)', '.outpost')
    .option('--node <name>', 'only this edge')
    .action(async (flags: ResetFlags) => {
      const edgesDir = join(flags.dataDir, 'edges');
      const nodes = flags.node !== undefined ? [flags.node] : existsSync(edgesDir) ? readdirSync(edgesDir) : [];
      const logger = createLogger({ component: 'outpost-reset', level: 'warn' });
      const problems: string[] = [];
      for (const node of nodes) {
        if (!existsSync(join(edgesDir, node))) throw new OutpostError('NotFound', `no edge ${node} under ${edgesDir}`);
        // Checked for every edge before any teardown: a refused reset changes nothing.
        const agent = runningAgentOf(join(edgesDir, node));
        if (agent !== undefined) throw new OutpostError('Conflict', `the agent of ${node} still runs (pid ${agent}): stop \`outpost up\` or \`outpost edge\` first (Ctrl-C), or it starts the pods again`);
      }
      for (const node of nodes) {
        const edgeDir = join(edgesDir, node);
        // Never started: teardown only finds and stops what runs on this edge's config.
        const containerd = createEmbeddedContainerd({ edgeDir, podCidr: '10.42.0.0/24', pauseImage: PAUSE_IMAGE, logger });
        const result = await teardownContainerd(containerd);
        if (result.ok) console.log(`${node}: pods and containerd stopped`);
        else problems.push(`${node}: ${result.message}`);
      }
      if (problems.length > 0) throw new OutpostError('Internal', problems.join('\n'));
    });
}
