/**
 * The "bare skeleton" baseline, run as a child process by the edge-sync benchmark: a Node.js
 * process that loads the packages an `outpost edge` process loads (all of them, those named on
 * the command line, or none with --none) and none of Outpost's own code. Its RSS beside the edge's shows what
 * Outpost's code and data add. Running this file (not importing it) is what starts it: it is an
 * entry point, like bench/channel/hollow-edge-worker.ts. It prints "ready" once loaded, then idles.
 */
import { EDGE_LIBRARIES, isEdgeLibrary, LOAD_LIBRARY } from './edge-libraries.js';

// `--none` loads nothing: the floor of an ES-module entry point, against which each library is set.
const none = process.argv[2] === '--none';
const asked = none ? [] : process.argv.slice(2);
const unknown = asked.filter((name) => !isEdgeLibrary(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown libraries: ${unknown.join(', ')}\n`);
  process.exit(2);
}
const libraries = none ? [] : asked.length === 0 ? EDGE_LIBRARIES : asked.filter(isEdgeLibrary);
for (const name of libraries) await LOAD_LIBRARY[name]();
// Stay alive, idle, until the benchmark stops this process.
setInterval(() => {}, 1e9);
process.stdout.write('ready\n');
