import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { OutpostError } from '../shared/errors.js';
import { containerdLayout } from '../edgecore/edged/containerd/index.js';
import { importImageArchive } from '../edgecore/edged/images/index.js';

interface ImportFlags {
  dataDir: string;
  node?: string;
  runtimeEndpoint?: string;
}

/** The containerd socket of the edge in `<dataDir>/edges/<node>`, or of the only edge there. */
function edgeSocket(flags: ImportFlags): string {
  if (flags.runtimeEndpoint !== undefined) return flags.runtimeEndpoint.replace(/^unix:\/\//, '');
  const edgesDir = join(flags.dataDir, 'edges');
  const nodes = existsSync(edgesDir) ? readdirSync(edgesDir) : [];
  const node = flags.node ?? (nodes.length === 1 ? nodes[0] : undefined);
  if (node === undefined) {
    throw new OutpostError('ConfigInvalid', nodes.length === 0 ? `no edge under ${edgesDir}: give --data-dir of an edge` : `several edges under ${edgesDir} (${nodes.join(', ')}): name one with --node`);
  }
  const socket = containerdLayout(join(edgesDir, node)).socket;
  if (!existsSync(socket)) throw new OutpostError('Unavailable', `the containerd of edge ${node} is not running (no socket at ${socket}): start \`outpost edge\` first`);
  return socket;
}

/** `outpost image import FILE.tar`: loads an OCI or docker archive into an edge's runtime, for edges with no registry. */
export function imageCommand(): Command {
  const image = new Command('image').description("manage images in an edge's container runtime");
  image
    .command('import <archive>')
    .description('import an OCI or docker image archive (e.g. from `docker save`) into the edge\'s containerd')
    .option('--data-dir <dir>', 'the edge data directory (default .outpost)', '.outpost')
    .option('--node <name>', 'the edge node, when the data directory holds several')
    .option('--runtime-endpoint <endpoint>', 'a CRI runtime socket to import into instead (unix:///...)')
    .action(async (archive: string, flags: ImportFlags) => {
      if (!existsSync(archive)) throw new OutpostError('NotFound', `no such file: ${archive}`);
      const imported = await importImageArchive(edgeSocket(flags), archive);
      if (!imported.ok) throw new OutpostError(imported.code, imported.message);
      for (const name of imported.value) console.log(`imported ${name}`);
    });
  return image;
}
