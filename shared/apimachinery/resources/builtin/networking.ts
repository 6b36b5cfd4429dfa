import { asObj, objArray, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { formatLabelSelector, readLabelSelector } from '../label-selector-text.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** kubectl's formatHosts: the first three hosts, "*" when no rule names one. */
function formatHosts(rules: Record<string, unknown>[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && str(rule.host) !== '') hosts.push(str(rule.host));
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** loadBalancerStatusStringer: IPs and host names; cut at 16 characters unless wide. */
export function loadBalancerText(loadBalancer: unknown): string {
  const addresses = objArray(asObj(loadBalancer)?.ingress).flatMap((i) => [str(i.ip), str(i.hostname)]).filter((s) => s !== '');
  const text = addresses.join(',');
  return text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

/** networking.k8s.io/v1 ingresses. */
export function ingressesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Class', 'The name of the IngressClass resource that should be used for ingress.'),
        column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
        column('Address', 'Address is a list containing ingress points for the load-balancer'),
        column('Ports', 'Ports of TLS configurations that open'),
        ageColumn(),
      ],
      cells(ing, now) {
        const spec = asObj(ing.spec) ?? {};
        return [
          ing.metadata.name ?? '',
          str(spec.ingressClassName) || '<none>',
          formatHosts(objArray(spec.rules)),
          loadBalancerText(asObj(ing.status)?.loadBalancer),
          objArray(spec.tls).length > 0 ? '80, 443' : '80',
          ageSince(ing.metadata.creationTimestamp, now),
        ];
      },
    },
  });
}

/** networking.k8s.io/v1 ingressclasses (cluster-scoped). */
export function ingressClassesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingressclasses',
    kind: 'IngressClass',
    namespaced: false,
    table: {
      columns: [
        nameColumn(),
        column('Controller', 'Controller that is responsible for handling this class'),
        column('Parameters', 'A reference to a resource with additional parameters'),
        ageColumn(),
      ],
      cells(ic, now) {
        const spec = asObj(ic.spec) ?? {};
        const params = asObj(spec.parameters);
        let parameters = '<none>';
        if (params !== undefined) {
          const group = str(params.apiGroup);
          parameters = `${str(params.kind)}${group === '' ? '' : `.${group}`}/${str(params.name)}`;
        }
        return [ic.metadata.name ?? '', str(spec.controller), parameters, ageSince(ic.metadata.creationTimestamp, now)];
      },
    },
  });
}

/** networking.k8s.io/v1 networkpolicies. */
export function networkPoliciesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
    table: {
      columns: [
        nameColumn(),
        column('Pod-Selector', 'Select which pods this network policy applies to'),
        ageColumn(),
      ],
      cells(np, now) {
        // metav1.FormatLabelSelector: an empty selector prints as <none>.
        const selector = formatLabelSelector(readLabelSelector(asObj(np.spec)?.podSelector) ?? {});
        return [np.metadata.name ?? '', selector === '' ? '<none>' : selector, ageSince(np.metadata.creationTimestamp, now)];
      },
    },
  });
}
