/**
 * What `outpost edge` and `outpost join` do before anything else: make sure this node has a
 * usable certificate. First start: join with the token. Later starts: use what is on disk, and
 * renew it when it is past its rotation point. An expired certificate needs a token made for the
 * node (any token works, since an expired name is free); the node keeps its name and its data.
 */
import { resolve } from 'node:path';
// Light modules only: @peculiar/x509 loads when a certificate is actually made (join, renewal).
import { ensurePrivateDir } from '../../certs/files.js';
import { certificateWindow, rotationDeadline } from '../../certs/rotation.js';
import { OutpostError, type ErrorCode, type Result } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import { bootstrapUrl } from './bootstrap-client.js';
import { edgePaths, type EdgePaths } from './edge-paths.js';
import { readEdgeConfigFile, writeEdgeConfigFile } from './edge-config-file.js';
import { joinCloud, renewCertificate } from './join-cloud.js';
import { loadNodeCredentials, saveNodeCredentials, type NodeCredentials } from './node-credentials.js';

export interface EnsureEdgeCredentialsOptions {
  dataDir: string;
  nodeName: string;
  /** HOST[:PORT] of the bootstrap endpoint; needed to join, otherwise taken from config.yaml. */
  server?: string;
  token?: string;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
}

export interface EdgeCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
  hubUrl: string;
  configFile: string;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function orThrow<T>(result: Result<T>, context?: string): T {
  if (result.ok) return result.value;
  throw new OutpostError(result.code as ErrorCode, context === undefined ? result.message : `${context}: ${result.message}`);
}

export async function ensureEdgeCredentials(options: EnsureEdgeCredentialsOptions): Promise<EdgeCredentials> {
  const { nodeName, logger } = options;
  const now = options.now ?? (() => new Date());
  if (!NODE_NAME.test(nodeName) || nodeName.length > 236) {
    throw new OutpostError('Invalid', `node name "${nodeName}" must be a lower-case DNS subdomain (a-z, 0-9, "-" and ".") of at most 236 characters`);
  }
  const paths = edgePaths(options.dataDir, nodeName);
  await ensurePrivateDir(paths.edgeDir);
  await ensurePrivateDir(paths.pkiDir);
  const server = options.server === undefined ? undefined : orThrow(bootstrapUrl(options.server));
  const config = await readEdgeConfigFile(paths);
  if (!config.ok && config.code === 'Invalid') throw new OutpostError('ConfigInvalid', config.message);
  const stored = await loadNodeCredentials(paths);
  if (!stored.ok && stored.code === 'Invalid') logger.warn({ reason: stored.message }, 'node credentials are unusable; a join is needed');

  const notAfter = stored.ok ? certificateWindow(stored.value.certPem).notAfter : undefined;
  if (stored.ok && config.ok && notAfter !== undefined && notAfter > now()) {
    if (options.token !== undefined) logger.info({ node: nodeName }, 'already joined: the token is not needed and was not used');
    const renewalServer = server ?? config.value.settings.bootstrapServer;
    const credentials = renewalServer === undefined ? stored.value : await renewIfDue(paths, renewalServer, stored.value, nodeName, logger, now(), options.random);
    return { ...credentials, hubUrl: config.value.settings.hubUrl, configFile: paths.configFile };
  }

  if (options.token === undefined) {
    if (notAfter !== undefined) {
      throw new OutpostError(
        'Unauthorized',
        `the certificate of node ${nodeName} expired at ${notAfter.toISOString()}: create a token for it on the cloud ` +
          `(outpost token create --node-name ${nodeName}) and start again with --token; the node keeps its name and data`,
      );
    }
    throw new OutpostError('Invalid', `node ${nodeName} has not joined yet (nothing in ${paths.pkiDir}): give --server and --token (from \`outpost token create\`)`);
  }
  const joinServer = server ?? (config.ok ? config.value.settings.bootstrapServer : undefined);
  if (joinServer === undefined) throw new OutpostError('Invalid', 'joining needs --server HOST[:PORT] (the cloud\'s bootstrap endpoint, port 10002 by default)');
  const joined = orThrow(await joinCloud(joinServer, options.token, nodeName), `node ${nodeName} could not join ${joinServer}`);
  await saveNodeCredentials(paths, joined.credentials);
  await writeEdgeConfigFile(
    paths,
    { nodeName, dataDir: resolve(options.dataDir), bootstrapServer: joinServer, hubUrl: joined.hubUrl },
    config.ok ? config.value.raw : undefined,
  );
  logger.info({ node: nodeName, notAfter: certificateWindow(joined.credentials.certPem).notAfter, hub: joined.hubUrl }, 'node joined the cloud');
  return { ...joined.credentials, hubUrl: joined.hubUrl, configFile: paths.configFile };
}

/** Renews at start when past the rotation point; a failed renewal is logged and the old pair kept. */
async function renewIfDue(paths: EdgePaths, server: string, current: NodeCredentials, nodeName: string, logger: Logger, now: Date, random?: () => number): Promise<NodeCredentials> {
  const deadline = rotationDeadline(certificateWindow(current.certPem), random);
  if (now < deadline) return current;
  const renewed = await renewCertificate(server, current, nodeName);
  if (!renewed.ok) {
    logger.warn({ node: nodeName, reason: renewed.message }, 'certificate renewal at start failed; using the current certificate');
    return current;
  }
  await saveNodeCredentials(paths, renewed.value);
  logger.info({ node: nodeName, notAfter: certificateWindow(renewed.value.certPem).notAfter }, 'node certificate renewed');
  return renewed.value;
}
