/**
 * `outpost service install|uninstall edge|cloud`: runs an agent as a systemd service, as K3s'
 * installer does (docs/install.md). The install subcommands take the agent's own flags, defined
 * once in edge-command.ts / cloud-command.ts, so a bad flag fails the install, not the service.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { OutpostError } from '../shared/errors.js';
import type { CloudFlags } from './cloud-command.js';
import type { EdgeFlags } from './edge-command.js';
import {
  DEFAULT_ENV_DIR, DEFAULT_UNIT_DIR, loadAgentRole, planService, readGivenFlags, realSystemctlDeps,
  removeServiceFiles, runSystemctl, servicePaths, writeServiceFiles,
  type AgentRole, type ServiceLocations, type ServicePlan, type ServiceRole, type SystemctlDeps,
} from './service/index.js';

interface ServiceFlags {
  unitDir: string;
  envDir: string;
  dryRun?: boolean;
  /** commander's negation of --no-systemctl. */
  systemctl: boolean;
}

const SERVICE_ATTRIBUTES = new Set(['unitDir', 'envDir', 'dryRun', 'systemctl']);

/** The CLI script this process runs, with symlinks resolved (npm's bin link is one). */
function cliScript(): string {
  return realpathSync(fileURLToPath(new URL('./outpost.js', import.meta.url)));
}

function addLocationFlags(command: Command): Command {
  return command
    .option('--unit-dir <dir>', 'where the unit goes', DEFAULT_UNIT_DIR)
    .option('--env-dir <dir>', 'where the environment file (mode 0600) goes', DEFAULT_ENV_DIR)
    .option('--no-systemctl', 'only write (or remove) the files; run no systemctl');
}

/** The argument tokens after `service install <role>` on this process's command line. */
function tokensAfter(argv: readonly string[], words: readonly string[]): string[] {
  for (let i = 0; i + words.length <= argv.length; i++) {
    if (words.every((w, j) => argv[i + j] === w)) return argv.slice(i + words.length);
  }
  return [];
}

/** The unit's EnvironmentFile= and `systemctl enable PATH` need absolute paths. */
function absoluteLocations(flags: ServiceFlags): ServiceLocations {
  return { unitDir: resolve(flags.unitDir), envDir: resolve(flags.envDir) };
}

function printPlan(plan: ServicePlan, flags: ServiceFlags): void {
  console.log(`# ${plan.unitFile}`);
  console.log(plan.unit);
  console.log(`# ${plan.envFile} (mode 0600; secrets masked)`);
  console.log(plan.envMasked);
  console.log(`# then: ${enableSteps(plan, flags).map((args) => `systemctl ${args.join(' ')}`).join(' && ')}`);
}

function enableSteps(plan: ServicePlan, flags: ServiceFlags): string[][] {
  // A unit outside the search path is enabled by its path: systemctl links it in.
  return [['daemon-reload'], ['enable', '--now', resolve(flags.unitDir) === DEFAULT_UNIT_DIR ? plan.unitName : plan.unitFile]];
}

export interface ServiceCommandOptions {
  /** The command line the subcommand's own tokens are read from. */
  argv?: readonly string[];
  systemctl?: SystemctlDeps;
  /** ExecStart's program and script; default: this Node.js and this CLI script. */
  program?: () => readonly string[];
}

interface InstallContext {
  role: ServiceRole;
  agent: AgentRole;
  command: Command;
  argv: readonly string[];
  deps: SystemctlDeps;
  program: () => readonly string[];
}

async function install({ role, agent, command, argv, deps, program }: InstallContext, flags: ServiceFlags & EdgeFlags & CloudFlags): Promise<void> {
  const given = readGivenFlags(command.options, tokensAfter(argv, ['service', 'install', role]));
  if (!given.ok) throw new OutpostError('ConfigInvalid', given.message);
  const agentFlags = given.value.filter((f) => !SERVICE_ATTRIBUTES.has(f.attribute));
  const context = { cwd: process.cwd(), env: process.env };
  const prepared = await agent.prepare(flags, agentFlags, context);
  if (!prepared.ok) throw new OutpostError('ConfigInvalid', prepared.message);
  const locations = absoluteLocations(flags);
  const plan = planService({ role, program: program(), flags: prepared.value.flags, env: prepared.value.env, locations });
  if (!plan.ok) throw new OutpostError('ConfigInvalid', plan.message);
  if (flags.dryRun === true) {
    printPlan(plan.value, flags);
    return;
  }
  const written = await writeServiceFiles(plan.value);
  if (!written.ok) throw new OutpostError(written.code, written.message);
  console.log(`wrote ${plan.value.unitFile}`);
  console.log(`wrote ${plan.value.envFile} (mode 0600${prepared.value.env.length === 0 ? '' : `: ${prepared.value.env.map((e) => e.name).join(', ')}`})`);
  for (const note of prepared.value.notes) console.log(`using ${note}`);
  if (!flags.systemctl) {
    console.log(`not enabled (--no-systemctl): systemctl daemon-reload && systemctl enable --now ${plan.value.unitName}`);
    return;
  }
  const outcome = runSystemctl(enableSteps(plan.value, flags), deps);
  if (outcome.state === 'failed') throw new OutpostError('Unavailable', `${outcome.command} failed: ${outcome.output}`);
  if (outcome.state === 'no-systemd') {
    console.log(`not enabled: ${outcome.reason}.`);
    console.log(`The files are written; on a host booted with systemd run: systemctl daemon-reload && systemctl enable --now ${plan.value.unitName}`);
    return;
  }
  console.log(`enabled and started ${plan.value.unitName}; follow it with: journalctl -u ${plan.value.unitName} -f`);
}

async function uninstall(role: ServiceRole, flags: ServiceFlags, deps: SystemctlDeps): Promise<void> {
  const paths = servicePaths(role, absoluteLocations(flags));
  if (flags.systemctl) {
    // A unit that is not installed cannot be disabled: that is what uninstall wants anyway.
    const stopped = runSystemctl([['disable', '--now', paths.unitName]], deps);
    if (stopped.state === 'failed') console.log(`${stopped.command}: ${stopped.output} (removing the files anyway)`);
    if (stopped.state === 'no-systemd') console.log(`not disabled: ${stopped.reason}`);
  }
  const removed = await removeServiceFiles([paths.unitFile, paths.envFile]);
  for (const file of removed) console.log(`removed ${file}`);
  if (removed.length === 0) console.log(`${paths.unitName} was not installed (no ${paths.unitFile})`);
  if (flags.systemctl) {
    const reloaded = runSystemctl([['daemon-reload']], deps);
    if (reloaded.state === 'failed') throw new OutpostError('Unavailable', `${reloaded.command} failed: ${reloaded.output}`);
  }
  console.log('the data directory is kept (outpost reset removes an edge\'s pods and data)');
}

function installCommand(context: Omit<InstallContext, 'command'>): Command {
  const { role, agent } = context;
  const command = new Command(role).description(`write the outpost-${role} systemd unit running \`outpost ${role}\` with these flags, and enable it`);
  for (const option of agent.options) command.addOption(option);
  addLocationFlags(command).option('--dry-run', 'print the unit and the environment file (secrets masked) instead of writing them');
  return command.action(async (flags: ServiceFlags & EdgeFlags & CloudFlags) => install({ ...context, command }, flags));
}

/** `service install edge|cloud` loads only that agent's code; anything else (help) loads both. */
function rolesToLoad(argv: readonly string[]): ServiceRole[] {
  const role = argv[2] === 'service' && argv[3] === 'install' ? argv[4] : undefined;
  return role === 'edge' || role === 'cloud' ? [role] : ['edge', 'cloud'];
}

export async function serviceCommand(options: ServiceCommandOptions = {}): Promise<Command> {
  const argv = options.argv ?? process.argv;
  const deps = options.systemctl ?? realSystemctlDeps;
  const program = options.program ?? (() => [process.execPath, cliScript()]);
  const service = new Command('service').description('run the edge or the cloud as a systemd service');
  const installs = new Command('install').description('write a systemd unit and its environment file, then enable and start it');
  for (const role of rolesToLoad(argv)) installs.addCommand(installCommand({ role, agent: await loadAgentRole(role), argv, deps, program }));
  const uninstalls = new Command('uninstall').description('stop and disable a service, and remove its unit and environment file');
  for (const role of ['edge', 'cloud'] as const) {
    uninstalls.addCommand(addLocationFlags(new Command(role).description(`remove outpost-${role}.service`)).action(async (flags: ServiceFlags) => uninstall(role, flags, deps)));
  }
  return service.addCommand(installs).addCommand(uninstalls);
}
