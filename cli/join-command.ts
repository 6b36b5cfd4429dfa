/**
 * `outpost join`: only the bootstrap (pin the CA, get the node certificate, write
 * <E>/edges/<N>/config.yaml), for machines where a service manager starts the agent later.
 */
import { Command } from 'commander';
import { ensureEdgeCredentials } from '../edgecore/bootstrap/index.js';
import { createLogger } from '../shared/logging.js';
import { resolveJoinToken, TOKEN_HELP } from './join-token-source.js';

interface JoinFlags {
  server?: string;
  token?: string;
  tokenFile?: string;
  nodeName: string;
  dataDir: string;
  logLevel?: string;
}

export function joinCommand(): Command {
  return new Command('join')
    .description('join this machine to a cloud as an edge node (the agent is started separately)')
    .requiredOption('--node-name <name>', 'the node name (a lower-case DNS subdomain)')
    .option('--server <host[:port]>', 'the cloud\'s bootstrap endpoint (port 10002 by default)')
    .option('--token <token>', TOKEN_HELP.token)
    .option('--token-file <file>', TOKEN_HELP.tokenFile)
    .option('--data-dir <dir>', 'edge data directory', '.outpost')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent', 'warn')
    .action(async (flags: JoinFlags) => {
      const logger = createLogger({ component: `outpost-join/${flags.nodeName}`, level: flags.logLevel ?? 'warn' });
      const token = resolveJoinToken(flags);
      const creds = await ensureEdgeCredentials({
        dataDir: flags.dataDir,
        nodeName: flags.nodeName,
        ...(flags.server === undefined ? {} : { server: flags.server }),
        ...(token === undefined ? {} : { token }),
        logger,
      });
      console.log(`node ${flags.nodeName} has its certificate; configuration in ${creds.configFile}`);
      console.log(`start the agent with: outpost edge --node-name ${flags.nodeName} --data-dir ${flags.dataDir}`);
    });
}
