/**
 * `outpost kubeconfig create NAME --group G …`: a kubeconfig for a new user, through the
 * CertificateSigningRequest API with admin.kubeconfig (docs/users.md).
 */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { parseDuration, writeFileAtomic, SECRET_FILE_MODE } from '../certs/index.js';
import { OutpostError } from '../shared/errors.js';
import { adminKubeconfigPath, openAdminApi } from './admin-api-client.js';
import { createUserKubeconfig } from './user-kubeconfig.js';

interface CreateFlags {
  group: string[];
  ttl?: number;
  output?: string;
  dataDir?: string;
  kubeconfig?: string;
  timeout: number;
}

/** Kubernetes' minimum for spec.expirationSeconds. */
const MIN_TTL_SECONDS = 600;

function duration(min: number) {
  return (value: string): number => {
    const parsed = parseDuration(value);
    if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
    if (parsed.value < min) throw new InvalidArgumentError(`must be at least ${min} seconds`);
    return parsed.value;
  };
}

function collect(value: string, previous: string[]): string[] {
  if (value === '') throw new InvalidArgumentError('a group may not be empty');
  return [...previous, value];
}

/** The user name becomes the certificate's CN and part of the request's name (no '/' or '%'). */
function userName(value: string): string {
  if (value === '' || /[/%\s]/.test(value)) throw new InvalidArgumentError('must be non-empty, without "/", "%" or spaces');
  return value;
}

export async function createKubeconfig(name: string, flags: CreateFlags): Promise<void> {
  const dataDir = flags.dataDir ?? '.outpost';
  if (flags.kubeconfig === undefined && !existsSync(dataDir)) {
    throw new OutpostError('NotFound', `data directory ${dataDir} does not exist: pass the cloud's --data-dir (or --kubeconfig with an admin kubeconfig)`);
  }
  const api = await openAdminApi(flags.kubeconfig ?? adminKubeconfigPath(dataDir));
  const text = await createUserKubeconfig(api, {
    name,
    groups: flags.group,
    ...(flags.ttl === undefined ? {} : { ttlSeconds: flags.ttl }),
    timeoutMs: flags.timeout * 1000,
  });
  if (flags.output === undefined) {
    process.stdout.write(text);
    return;
  }
  // It holds a private key: 0600, written atomically.
  await writeFileAtomic(flags.output, text, SECRET_FILE_MODE);
  console.error(`kubeconfig for user "${name}" written to ${flags.output}`);
}

export function kubeconfigCommand(): Command {
  const kubeconfig = new Command('kubeconfig').description('make kubeconfigs for users');
  kubeconfig
    .command('create')
    .argument('<name>', 'the user name (the certificate\'s CN)', userName)
    .description('make a key and a client certificate for user NAME (signed through a CertificateSigningRequest) and print a kubeconfig')
    .option('--group <group>', 'a group of the user (repeatable)', collect, [])
    .option('--ttl <duration>', 'how long the certificate is valid (e.g. 720h; at least 10m; default: the signer maximum, 1 year)', duration(MIN_TTL_SECONDS))
    .option('--output <file>', 'write the kubeconfig to this file (mode 0600) instead of stdout')
    .option('--data-dir <dir>', 'the cloud data directory whose admin.kubeconfig to use (default .outpost)')
    .option('--kubeconfig <file>', 'an admin kubeconfig (overrides --data-dir)')
    .option('--timeout <duration>', 'how long to wait for the certificate', duration(1), 30)
    .action(async (name: string, flags: CreateFlags) => {
      await createKubeconfig(name, flags);
    });
  return kubeconfig;
}
