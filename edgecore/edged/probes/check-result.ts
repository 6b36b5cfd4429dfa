/**
 * What one run of a probe or hook handler found, kubelet's probe.Result plus error
 * (pkg/probe/probe.go): success, warning (a success with something to say), failure, or an error
 * that says nothing about the container (the prober throws such a result away).
 */
export type CheckOutcome = { result: 'success' | 'warning' | 'failure'; output: string } | { result: 'error'; message: string };

export const success = (output = ''): CheckOutcome => ({ result: 'success', output });
export const failure = (output: string): CheckOutcome => ({ result: 'failure', output });
export const errored = (message: string): CheckOutcome => ({ result: 'error', message });
