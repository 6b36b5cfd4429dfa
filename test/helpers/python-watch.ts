import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DEBIAN_PYTHON } from './python.js';

/** One line the Python watcher printed: a list it made, an event it saw, or a dropped connection. */
export type PythonWatchLine =
  | { kind: 'list'; rv: string; items: { name: string; rv: string; data: Record<string, string> }[] }
  | { kind: 'event'; type: 'ADDED' | 'MODIFIED' | 'DELETED'; name: string; rv: string; data: Record<string, string> }
  | { kind: 'gone'; rv: string }
  | { kind: 'disconnected'; error: string };

export interface PythonWatch {
  lines: PythonWatchLine[];
  output(): string;
  stop(): Promise<void>;
}

/**
 * A long-lived watch of a namespace's ConfigMaps written as a Python user writes it: list once,
 * then `watch.Watch().stream(v1.list_namespaced_config_map, ns, resource_version=rv)`, tracking
 * the last resourceVersion seen; on a dropped connection or a server that is down it waits a
 * moment and watches again from that resourceVersion; only a 410 Gone makes it list again.
 * Every list and event is printed as one JSON line.
 */
const SCRIPT = `
import json, sys, time
import urllib3
from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
v1 = client.CoreV1Api()

def emit(**fields):
    print(json.dumps(fields), flush=True)

def relist():
    while True:
        try:
            listed = v1.list_namespaced_config_map(ns)
        except (urllib3.exceptions.HTTPError, OSError, client.exceptions.ApiException) as e:
            emit(kind='disconnected', error=type(e).__name__)
            time.sleep(0.2)
            continue
        items = [{'name': c.metadata.name, 'rv': c.metadata.resource_version, 'data': c.data or {}} for c in listed.items]
        emit(kind='list', rv=listed.metadata.resource_version, items=items)
        return listed.metadata.resource_version

rv = relist()
while True:
    try:
        for event in watch.Watch().stream(v1.list_namespaced_config_map, ns, resource_version=rv):
            obj = event['object']
            rv = obj.metadata.resource_version
            emit(kind='event', type=event['type'], name=obj.metadata.name, rv=rv, data=obj.data or {})
    except client.exceptions.ApiException as e:
        if e.status == 410:
            emit(kind='gone', rv=rv)
            rv = relist()
            continue
        emit(kind='disconnected', error='ApiException %s' % e.status)
        time.sleep(0.2)
    except (urllib3.exceptions.HTTPError, OSError) as e:
        emit(kind='disconnected', error=type(e).__name__)
        time.sleep(0.2)
`;

export function startPythonWatch(kubeconfig: string, namespace: string): PythonWatch {
  const child = spawn(DEBIAN_PYTHON, ['-u', '-c', SCRIPT, kubeconfig, namespace], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: PythonWatchLine[] = [];
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  createInterface(child.stdout).on('line', (line) => {
    output += `${line}\n`;
    lines.push(JSON.parse(line) as PythonWatchLine);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    lines,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
