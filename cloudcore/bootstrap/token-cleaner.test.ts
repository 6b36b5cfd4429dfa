import { describe, expect, it } from 'vitest';
import { buildTokenSecret, hashTokenSecret } from '../../certs/index.js';
import { silentLogger } from '../../shared/logging.js';
import { createObject, ObjectStore, ResourceRegistry, type ApiContext } from '../apiserver/index.js';
import { namespacesResource } from '../apiserver/kinds/core/namespaces.js';
import { secretsResource } from '../apiserver/kinds/core/secrets.js';
import { createMemoryStore } from '../storage/index.js';
import { removeSpentTokens, tokenIsSpent } from './token-cleaner.js';

const now = new Date('2030-06-01T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const base = { secretHash: hashTokenSecret('s') };

describe('token cleaner', () => {
  it('keeps tokens an hour past expiry and a day past revocation, so joins learn why they fail', () => {
    expect(tokenIsSpent({ id: 'a', ...base, expiresAt: hours(-0.5) }, now)).toBe(false);
    expect(tokenIsSpent({ id: 'a', ...base, expiresAt: hours(-1) }, now)).toBe(true);
    expect(tokenIsSpent({ id: 'a', ...base }, now)).toBe(false);
    expect(tokenIsSpent({ id: 'a', ...base, revokedAt: hours(-23) }, now)).toBe(false);
    expect(tokenIsSpent({ id: 'a', ...base, revokedAt: hours(-24) }, now)).toBe(true);
    expect(tokenIsSpent({ id: 'a', ...base, expiresAt: hours(5), revokedAt: hours(-48) }, now)).toBe(false);
  });

  it('deletes only spent token Secrets', async () => {
    const kv = createMemoryStore();
    await kv.start(new AbortController().signal);
    try {
      const ctx: ApiContext = { objects: new ObjectStore(kv), registry: new ResourceRegistry([namespacesResource(), secretsResource()]), logger: silentLogger(), now: () => now, bookmarkIntervalMs: 1000 };
      await createObject(ctx, namespacesResource(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }, { dryRun: false });
      await createObject(ctx, secretsResource(), buildTokenSecret({ id: 'spent1', ...base, expiresAt: hours(-2) }), { dryRun: false });
      await createObject(ctx, secretsResource(), buildTokenSecret({ id: 'alive1', ...base, expiresAt: hours(2) }), { dryRun: false });
      await createObject(ctx, secretsResource(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'kube-system' }, data: {} }, { dryRun: false });
      const before = await ctx.objects.list(secretsResource(), undefined);
      expect(before.ok).toBe(true);
      expect(await removeSpentTokens(ctx, before.ok ? before.value.items : [], silentLogger())).toBe(1);
      const left = await ctx.objects.list(secretsResource(), 'kube-system');
      expect(left.ok && left.value.items.map((s) => s.metadata.name).sort()).toEqual(['bootstrap-token-alive1', 'other']);
    } finally {
      await kv.stop();
    }
  });
});
