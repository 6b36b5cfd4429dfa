import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from '../../shared/apimachinery/endpoints/request-info.js';
import { createApiMetrics, isLongRunning, requestLabels, trackLongRunning } from './metrics.js';

const info = (method: string, path: string, query = '') => parseRequestInfo(method, path, new URLSearchParams(query));

describe('apiserver metrics', () => {
  it('label requests as kube-apiserver does: group, version, resource, subresource and scope', () => {
    expect(requestLabels(info('GET', '/apis/apps/v1/namespaces/d/deployments/web/scale'), 'get')).toEqual({
      verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', scope: 'resource', component: 'apiserver',
    });
    expect(requestLabels(info('GET', '/api/v1/namespaces/d/pods'), 'list')).toMatchObject({ group: '', resource: 'pods', subresource: '', scope: 'namespace' });
    expect(requestLabels(info('GET', '/api/v1/nodes'), 'list')).toMatchObject({ scope: 'cluster' });
  });

  it('leave made-up paths out of the labels, so clients cannot grow /metrics without bound', () => {
    expect(requestLabels(info('GET', '/apis/x1/v9/namespaces/d/made-up'), 'list', false)).toMatchObject({ group: '', version: '', resource: '', scope: '' });
    expect(requestLabels(info('GET', '/api/v1/namespaces/d/pods/p/anything-0001'), 'get')).toMatchObject({ resource: '', subresource: '' });
  });

  it('count open watches and streams in apiserver_longrunning_requests until they close', async () => {
    const metrics = createApiMetrics();
    const watch = info('GET', '/api/v1/namespaces/d/configmaps', 'watch=True');
    expect(isLongRunning(watch)).toBe(true);
    expect(isLongRunning(info('GET', '/api/v1/namespaces/d/pods/p/log'))).toBe(true);
    expect(isLongRunning(info('GET', '/api/v1/namespaces/d/pods/p'))).toBe(false);
    const response = new EventEmitter();
    trackLongRunning(metrics, requestLabels(watch, 'watch'), response);
    expect(await metrics.registry.getSingleMetricAsString('apiserver_longrunning_requests')).toContain(
      'apiserver_longrunning_requests{verb="watch",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver"} 1',
    );
    response.emit('close');
    expect(await metrics.registry.getSingleMetricAsString('apiserver_longrunning_requests')).toContain('component="apiserver"} 0');
  });
});
