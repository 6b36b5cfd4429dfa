import { describe, expect, it } from 'vitest';
import { required } from '../../k8s/field-errors.js';
import { errors } from './status.js';

/**
 * Each body as k8s.io/apimachinery/pkg/api/errors builds it (details: group, kind = the resource,
 * name; causes for Invalid; retryAfterSeconds where Kubernetes sets it). kubectl and client-go
 * read these fields: `kubectl debug` dereferences `details` of a 404.
 */
const status = (code: number, reason: string, message: string, details?: unknown) => ({
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details === undefined ? {} : { details }), code,
});

describe('Status constructors', () => {
  it('NewNotFound, NewAlreadyExists, NewConflict name the object, its group and resource', () => {
    expect(errors.notFound({ group: '', resource: 'pods', name: 'web' }).status).toEqual(status(404, 'NotFound', 'pods "web" not found', { name: 'web', kind: 'pods' }));
    expect(errors.alreadyExists({ group: 'apps', resource: 'deployments', name: 'd' }).status).toEqual(
      status(409, 'AlreadyExists', 'deployments.apps "d" already exists', { name: 'd', group: 'apps', kind: 'deployments' }),
    );
    expect(errors.conflict({ group: '', resource: 'configmaps', name: 'c' }, 'the object has been modified').status).toEqual(
      status(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "c": the object has been modified', { name: 'c', kind: 'configmaps' }),
    );
  });

  it('NewInvalid carries the Kind, group and one cause per field error', () => {
    expect(errors.invalid('apps', 'Deployment', 'd', [required('spec.selector', '')]).status).toEqual(
      status(422, 'Invalid', 'Deployment.apps "d" is invalid: spec.selector: Required value', {
        name: 'd', group: 'apps', kind: 'Deployment', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' }],
      }),
    );
  });

  it('NewForbidden names the resource and object', () => {
    expect(errors.forbidden('bob', 'get', { group: '', resource: 'secrets', name: 's' }, 'default').status).toEqual(
      status(403, 'Forbidden', 'secrets "s" is forbidden: User "bob" cannot get resource "secrets" in API group "" in the namespace "default"', { name: 's', kind: 'secrets' }),
    );
    expect(errors.forbiddenMessage('forbidden: User "bob" cannot get path "/x"').status.details).toEqual({});
  });

  it('the generic 404 and 405 have details, empty when no resource is named', () => {
    expect(errors.notFoundPath('/api/v1/namespaces/d/pods/p/ephemeralcontainers').status).toEqual(
      status(404, 'NotFound', 'the server could not find the requested resource (/api/v1/namespaces/d/pods/p/ephemeralcontainers)', {}),
    );
    expect(errors.methodNotAllowed('the server does not allow this method on the requested resource').status.details).toEqual({});
    expect(errors.methodNotAllowed('x', { group: 'apps', resource: 'deployments' }).status.details).toEqual({ group: 'apps', kind: 'deployments' });
  });

  it('NewTimeoutError, NewTooLargeResourceVersionError and NewTooManyRequests set retryAfterSeconds', () => {
    expect(errors.timeout('request did not complete within 60s', 2).status).toEqual(status(504, 'Timeout', 'Timeout: request did not complete within 60s', { retryAfterSeconds: 2 }));
    expect(errors.tooLargeResourceVersion(90, 12).status).toEqual(
      status(504, 'Timeout', 'Timeout: Too large resource version: 90, current: 12', {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      }),
    );
    expect(errors.tooManyRequests('too many requests, please try again later', 1).status).toEqual(
      status(429, 'TooManyRequests', 'too many requests, please try again later', { retryAfterSeconds: 1 }),
    );
  });

  it('NewInternalError gives its message as the one cause; BadRequest, Unauthorized, Gone and ServiceUnavailable have none', () => {
    expect(errors.internal('boom').status).toEqual(status(500, 'InternalError', 'Internal error occurred: boom', { causes: [{ message: 'boom' }] }));
    expect(errors.badRequest('bad').status).toEqual(status(400, 'BadRequest', 'bad'));
    expect(errors.unauthorized().status).toEqual(status(401, 'Unauthorized', 'Unauthorized'));
    expect(errors.gone('too old resource version: 1 (5)').status).toEqual(status(410, 'Expired', 'too old resource version: 1 (5)'));
    expect(errors.unavailable('down').status).toEqual(status(503, 'ServiceUnavailable', 'down'));
  });

  it('a JSON patch that does not apply is 422 Invalid, as the apiserver\'s patch handler answers', () => {
    expect(errors.patchNotApplied('testing value /spec/replicas failed: test failed').status).toEqual(
      status(422, 'Invalid', 'testing value /spec/replicas failed: test failed', {}),
    );
  });
});
