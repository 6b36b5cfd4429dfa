/**
 * The channel.k8s.io remote command protocol (k8s.io/apimachinery pkg/util/remotecommand,
 * KEP-4006): over a websocket, every binary message is one channel byte then the bytes. v4 is
 * what containerd 1.6's streaming server speaks; v5 adds channel 255, "close": [255, channel]
 * half-closes a channel (the client's stdin reached its end).
 */
import { z } from 'zod';

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const PROTOCOL_V5 = 'v5.channel.k8s.io';
export const PROTOCOL_V4 = 'v4.channel.k8s.io';

export function encodeChannelFrame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

/** A message's channel and bytes; undefined for an empty message (wsstream skips those too). */
export function decodeChannelFrame(message: Buffer): { channel: number; data: Buffer } | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0] ?? 0, data: message.subarray(1) };
}

/** metav1.Status as sent on the error channel: only the fields the protocol gives meaning to. */
const errorChannelStatus = z.object({
  status: z.enum(['Success', 'Failure']),
  message: z.string().optional(),
  reason: z.string().optional(),
  details: z.object({ causes: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional() }).optional(),
});

/** What an exec ended with: an exit code (0 = Success), or a failure that is no exit code. */
export type ExecOutcome = { exitCode: number } | { error: string };

/**
 * Reads the error channel's Status as client-go's v4 error decoder does: Success is 0;
 * reason NonZeroExitCode with a cause of reason ExitCode carries the code in its message.
 */
export function parseErrorChannel(text: string): ExecOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { error: `the runtime sent an unreadable exec status (${err instanceof Error ? err.message : String(err)}): ${text.slice(0, 200)}` };
  }
  const parsed = errorChannelStatus.safeParse(json);
  if (!parsed.success) return { error: `the runtime sent an unexpected exec status: ${text.slice(0, 200)}` };
  const status = parsed.data;
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number.parseInt(cause?.message ?? '', 10);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: status.message ?? 'the command failed' };
}

/**
 * The error channel's Status for an outcome, as kubelet's streaming server writes it
 * (remotecommand/exec.go): kubectl prints "command terminated with exit code N" and exits N.
 */
export function errorChannelStatusText(outcome: ExecOutcome, command: string[]): string {
  if ('error' in outcome) return JSON.stringify({ metadata: {}, status: 'Failure', message: outcome.error, reason: 'InternalError', details: { causes: [{ message: outcome.error }] } });
  if (outcome.exitCode === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${outcome.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(outcome.exitCode) }] },
  });
}
