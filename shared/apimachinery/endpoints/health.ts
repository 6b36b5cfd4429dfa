import type { ServerResponse } from 'node:http';

/**
 * /healthz, /livez and /readyz as kube-apiserver serves them (its healthz package; docs/kubectl.md
 * § Health), for both API servers: each is a list of named checks. `ok` when all pass; `?verbose` lists every check
 * (`[+]ping ok`) and ends with `livez check passed`; a failing check makes the answer 500 with
 * its `[-]name failed: reason withheld` line and `… check failed`; `?exclude=name` skips one;
 * `/livez/ping` runs one check alone.
 */
export interface HealthCheck {
  name: string;
  check: () => boolean;
}

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

const ALWAYS = (): boolean => true;

/**
 * The checks of each endpoint: kube-apiserver's `ping` and `log`, then the server's own
 * (`extra`, on all three), and for readyz only `readyOnly` (the datastore's `etcd`) and `shutdown`,
 * which fails once the server is stopping.
 */
export function healthChecks(
  ready: () => boolean,
  extra: readonly HealthCheck[] = [],
  readyOnly: readonly HealthCheck[] = [],
): Record<HealthEndpoint, HealthCheck[]> {
  const base: HealthCheck[] = [
    { name: 'ping', check: ALWAYS },
    { name: 'log', check: ALWAYS },
    ...extra,
  ];
  return { healthz: base, livez: base, readyz: [...base, ...readyOnly, { name: 'shutdown', check: ready }] };
}

/** `/livez/ping` → ['livez', 'ping']; undefined for any other path. */
export function healthPath(path: string): { endpoint: HealthEndpoint; checkPath: string } | undefined {
  const m = /^\/(healthz|livez|readyz)(?:\/(.*))?$/.exec(path);
  return m === null ? undefined : { endpoint: m[1] as HealthEndpoint, checkPath: m[2] ?? '' };
}

function write(res: ServerResponse, code: number, body: string): true {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

/** Answers `/<endpoint>[/<check>]`; `checkPath` is what follows the endpoint ('' for all checks). */
export function serveHealth(res: ServerResponse, endpoint: HealthEndpoint, checks: readonly HealthCheck[], checkPath: string, query: URLSearchParams): true {
  if (checkPath !== '') {
    const one = checks.find((c) => c.name === checkPath);
    if (one === undefined) return write(res, 404, '404 page not found\n');
    return one.check() ? write(res, 200, 'ok') : write(res, 500, `internal server error: ${one.name} failed\n`);
  }
  const excluded = new Set(query.getAll('exclude').flatMap((v) => v.split(',')));
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (excluded.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    const passed = c.check();
    failed ||= !passed;
    lines.push(passed ? `[+]${c.name} ok` : `[-]${c.name} failed: reason withheld`);
  }
  if (failed) return write(res, 500, `${lines.join('\n')}\n${endpoint} check failed\n`);
  if (!query.has('verbose')) return write(res, 200, 'ok');
  return write(res, 200, `${lines.join('\n')}\n${endpoint} check passed\n`);
}
