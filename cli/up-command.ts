import { Command } from 'commander';
import { addCloudFlags, startCloud, type CloudFlags } from './cloud-command.js';
import { runUntilSignal } from './run-until-signal.js';

/**
 * `outpost up`: the embedded hub on one machine, what `npm start` runs. For now it runs the cloud
 * half; edges, the broker and a demo device join it as those parts land.
 */
export function upCommand(): Command {
  const up = addCloudFlags(new Command('up').description('run the whole hub on this machine (Ctrl-C stops it)'));
  up.action(async (flags: CloudFlags) => {
    await runUntilSignal(async (signal) => {
      const running = await startCloud({ logLevel: 'warn', ...flags }, signal);
      const kubeconfig = running.paths.kubeconfig;
      process.stdout.write(
        [
          '',
          `Outpost is up. The Kubernetes API is at ${running.apiUrl}`,
          '',
          'Next steps:',
          `  export KUBECONFIG=${kubeconfig}`,
          '  kubectl get namespaces',
          '  kubectl create deployment web --image=outpost.local/busybox:1',
          '',
          'Edge nodes, the MQTT broker and a demo device join this hub as those parts land (see README).',
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      return () => running.stop();
    });
  });
  return up;
}
