import { asObj, defaultField, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';

/**
 * The tag the kubelet would pull: "latest" when the reference has neither tag nor digest
 * (parsers.ParseImageName), '' when it has only a digest or does not parse.
 */
export function imageTag(image: string): string {
  if (image === '' || /\s/.test(image)) return '';
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repository = colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
  // Repository paths must be lower case; a registry host (first part with '.' or ':', or
  // localhost) may not be. A reference that does not parse gets no tag.
  const parts = repository.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = (hasDomain ? parts.slice(1) : parts).join('/');
  if (path === '' || path !== path.toLowerCase()) return '';
  if (colon >= 0) return withoutDigest.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** SetDefaults_Container: Always for `:latest` or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_HTTPGetAction and the GRPCAction service default, for probes and lifecycle hooks. */
function defaultHandler(handler: Obj | undefined): void {
  if (handler === undefined) return;
  const httpGet = asObj(handler.httpGet);
  if (httpGet !== undefined) {
    defaultField(httpGet, 'path', '/');
    defaultField(httpGet, 'scheme', 'HTTP');
  }
  const grpc = asObj(handler.grpc);
  if (grpc !== undefined && grpc.service === undefined) grpc.service = '';
}

/** SetDefaults_Probe: timeout 1, period 10, success 1, failure 3. */
function defaultProbe(probe: Obj | undefined): void {
  if (probe === undefined) return;
  const zeroOrMissing = (key: string, value: number): void => {
    if (probe[key] === undefined || probe[key] === null || probe[key] === 0) probe[key] = value;
  };
  zeroOrMissing('timeoutSeconds', 1);
  zeroOrMissing('periodSeconds', 10);
  zeroOrMissing('successThreshold', 1);
  zeroOrMissing('failureThreshold', 3);
  defaultHandler(probe);
}

/** SetDefaults_ObjectFieldSelector: fieldRef.apiVersion v1. */
export function defaultFieldRef(holder: Obj | undefined): void {
  const fieldRef = asObj(holder?.fieldRef);
  if (fieldRef !== undefined) defaultField(fieldRef, 'apiVersion', 'v1');
}

export function defaultContainer(container: Obj): void {
  if (container.imagePullPolicy === undefined || container.imagePullPolicy === '') {
    container.imagePullPolicy = defaultPullPolicy(str(container.image));
  }
  defaultField(container, 'terminationMessagePath', '/dev/termination-log');
  defaultField(container, 'terminationMessagePolicy', 'File');
  for (const port of objArray(container.ports)) defaultField(port, 'protocol', 'TCP');
  for (const env of objArray(container.env)) defaultFieldRef(asObj(env.valueFrom));
  defaultProbe(asObj(container.livenessProbe));
  defaultProbe(asObj(container.readinessProbe));
  defaultProbe(asObj(container.startupProbe));
  const lifecycle = asObj(container.lifecycle);
  if (lifecycle !== undefined) {
    defaultHandler(asObj(lifecycle.postStart));
    defaultHandler(asObj(lifecycle.preStop));
  }
}

/** Pods only (SetDefaults_Pod, not templates): requests default to limits, per resource. */
export function copyLimitsToRequests(container: Obj): void {
  const resources = asObj(container.resources);
  const limits = asObj(resources?.limits);
  if (resources === undefined || limits === undefined) return;
  const requests = asObj(resources.requests) ?? {};
  for (const [name, value] of Object.entries(limits)) if (!Object.hasOwn(requests, name)) requests[name] = value;
  resources.requests = requests;
}
