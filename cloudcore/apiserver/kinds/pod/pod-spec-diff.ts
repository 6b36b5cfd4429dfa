import { stringifyJson, equalJson } from '../../../../shared/json/index.js';
import { asObj } from '../../../../shared/k8s/object-access.js';

/** JSON names whose Go field names are not just capitalised (core.PodSpec, core.Container). */
const GO_NAMES: Readonly<Record<string, string>> = {
  dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', hostPID: 'HostPID', hostIPC: 'HostIPC', setHostnameAsFQDN: 'SetHostnameAsFQDN',
  os: 'OS', tty: 'TTY', hostIP: 'HostIP', podIP: 'PodIP',
};
const MAX_CHANGES = 10;

function goName(jsonName: string): string {
  return GO_NAMES[jsonName] ?? jsonName.charAt(0).toUpperCase() + jsonName.slice(1);
}

function shown(value: unknown): string {
  return value === undefined || value === null ? 'nil' : (stringifyJson(value) ?? 'nil');
}

function collect(prev: unknown, next: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_CHANGES * 2 || equalJson(prev, next)) return;
  const prevObj = asObj(prev);
  const nextObj = asObj(next);
  if (prevObj !== undefined && nextObj !== undefined) {
    for (const key of new Set([...Object.keys(prevObj), ...Object.keys(nextObj)])) collect(prevObj[key], nextObj[key], `${path}${path === '' ? '' : '.'}${goName(key)}`, out);
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next) && prev.length === next.length) {
    prev.forEach((item, i) => collect(item, next[i], `${path}[${i}]`, out));
    return;
  }
  out.push(`- \t${path}: ${shown(prev)},`, `+ \t${path}: ${shown(next)},`);
}

/**
 * What differs between two pod specs, laid out as the API server's `cmp.Diff` of core.PodSpec
 * that follows its "pod updates may not change fields" message (`-` the old value, `+` the new,
 * by Go field name), with values as JSON, e.g.
 * `  core.PodSpec{\n  \t... // 3 identical fields\n- \tNodeSelector: nil,\n+ \tNodeSelector: {"disk":"ssd"},\n  }`.
 */
export function podSpecDiff(prev: Record<string, unknown>, next: Record<string, unknown>, typeName = 'core.PodSpec'): string {
  const changes: string[] = [];
  collect(prev, next, '', changes);
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  const identical = [...keys].filter((k) => equalJson(prev[k], next[k])).length;
  return [`  ${typeName}{`, ...(identical > 0 ? [`  \t... // ${identical} identical fields`] : []), ...changes, '  }'].join('\n');
}
