/**
 * The systemd unit of an Outpost agent, shaped like the units K3s' installer writes
 * (docs/install.md § The units). Type=exec, not notify: Outpost does not implement sd_notify.
 */
import { fail, ok, type Result } from '../../shared/errors.js';

export type ServiceRole = 'edge' | 'cloud';

export interface UnitSpec {
  role: ServiceRole;
  /** ExecStart's argv: the node binary, the CLI script, the command and its flags. */
  command: readonly string[];
  /** The environment file holding the secrets (read if present: `EnvironmentFile=-`). */
  envFile: string;
}

const DESCRIPTION: Record<ServiceRole, string> = {
  edge: 'Outpost edge agent (edgecore)',
  cloud: 'Outpost cloud (cloudcore)',
};

/** Characters ExecStart takes as they are; anything else is quoted. */
const PLAIN = /^[A-Za-z0-9_@+=:,./-]+$/;

/**
 * One ExecStart word (systemd.service(5) § Command lines): `%` is a specifier and `$` a variable
 * in every word, so both are doubled; a word with other characters goes in double quotes with
 * `\` and `"` escaped. Control characters cannot be written at all.
 */
export function quoteExecWord(word: string): Result<string, 'Invalid'> {
  if (/[\u0000-\u001f\u007f]/.test(word)) return fail('Invalid', `a command-line value holds a control character: ${JSON.stringify(word)}`);
  const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
  if (word !== '' && PLAIN.test(word)) return ok(escaped);
  return ok(`"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
}

export function renderUnit(spec: UnitSpec): Result<string, 'Invalid'> {
  const words: string[] = [];
  for (const word of spec.command) {
    const quoted = quoteExecWord(word);
    if (!quoted.ok) return quoted;
    words.push(quoted.value);
  }
  const edge = spec.role === 'edge';
  const lines = [
    '[Unit]',
    `Description=${DESCRIPTION[spec.role]}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
    '[Service]',
    'Type=exec',
    `EnvironmentFile=-${spec.envFile}`,
    // The edge's pods and the containerd it started outlive the agent, as with K3s' agent:
    // only the agent is stopped, and the next start adopts them (docs/architecture.md § Shutdown).
    ...(edge ? ['KillMode=process', 'Delegate=yes'] : []),
    'LimitNOFILE=1048576',
    ...(edge ? ['LimitNPROC=infinity', 'LimitCORE=infinity', 'TasksMax=infinity'] : []),
    'TimeoutStartSec=0',
    'Restart=always',
    'RestartSec=5s',
    `ExecStart=${words.join(' \\\n    ')}`,
    '',
  ];
  return ok(lines.join('\n'));
}
