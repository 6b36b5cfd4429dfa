import { describe, expect, it } from 'vitest';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { ApiError } from '../../../shared/apimachinery/errors/status.js';
import { createIfAbsent } from './create-if-absent.js';

describe('createIfAbsent', () => {
  it('creates once, then accepts that the object exists; other failures still throw', async () => {
    const ctx = await memoryApiContext();
    const def = ctx.registry.get('', 'v1', 'configmaps')!;
    const map = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', namespace: 'default' }, data: { a: '1' } };
    const first = await createIfAbsent(ctx, def, map);
    expect(first.created).toBe(true);
    expect(first.created && first.object.metadata.uid).toEqual(expect.any(String));
    expect(await createIfAbsent(ctx, def, { ...map, data: { a: '2' } })).toEqual({ created: false });
    expect((await ctx.objects.get(def, 'default', 'm'))?.data).toEqual({ a: '1' });
    const invalid = createIfAbsent(ctx, def, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } });
    await expect(invalid).rejects.toBeInstanceOf(ApiError);
    await expect(invalid).rejects.toMatchObject({ status: { reason: 'Invalid' } });
  });
});
