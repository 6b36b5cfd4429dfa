import { describe, expect, it } from 'vitest';
import { parseConfig } from '../shared/config.js';
import { cloudConfigSchema } from './config.js';

describe('CloudConfig', () => {
  it('defaults the cluster range as K3s does', () => {
    const config = parseConfig(cloudConfigSchema, {}, 'test');
    expect(config.controllers).toMatchObject({ clusterCidr: '10.42.0.0/16', nodeCidrMaskSize: 24 });
  });

  it('reports a bad cluster CIDR with the other problems, at once', () => {
    expect(() => parseConfig(cloudConfigSchema, { controllers: { clusterCidr: '10.42.0.1/16' }, apiserver: { port: 70000 } }, 'cloud.yaml')).toThrow(
      /apiserver\.port[\s\S]*controllers\.clusterCidr.*host bits set: the network is 10\.42\.0\.0\/16|controllers\.clusterCidr.*host bits set[\s\S]*apiserver\.port/,
    );
  });

  it('elects the controllers\' leader by default, with kube-controller-manager\'s timings', () => {
    const config = parseConfig(cloudConfigSchema, {}, 'test');
    expect(config.controllers).toMatchObject({ leaderElect: true, leaderElectLeaseDurationSeconds: 15, leaderElectRenewDeadlineSeconds: 10, leaderElectRetryPeriodSeconds: 2 });
  });

  it('refuses election timings where a leader could outlive its lease, as client-go does', () => {
    expect(() => parseConfig(cloudConfigSchema, { controllers: { leaderElectLeaseDurationSeconds: 10, leaderElectRenewDeadlineSeconds: 10 } }, 'cloud.yaml')).toThrow(
      /controllers\.leaderElectLeaseDurationSeconds.*must be longer than leaderElectRenewDeadlineSeconds/,
    );
    expect(() => parseConfig(cloudConfigSchema, { controllers: { leaderElectRenewDeadlineSeconds: 2, leaderElectRetryPeriodSeconds: 2 } }, 'cloud.yaml')).toThrow(
      /controllers\.leaderElectRenewDeadlineSeconds.*must be longer than 1\.2 × leaderElectRetryPeriodSeconds/,
    );
  });

  it('keeps SQLite by default and takes an etcd endpoint with its TLS files (docs/datastore.md § Choosing etcd)', () => {
    expect(parseConfig(cloudConfigSchema, {}, 'test').storage).toMatchObject({ datastorePrefix: '/outpost', datastoreWriteOrder: 'call' });
    expect(parseConfig(cloudConfigSchema, {}, 'test').storage.datastoreEndpoint).toBeUndefined();
    const storage = { datastoreEndpoint: 'etcd://a:2379,b:2379', datastoreCAFile: 'ca.crt', datastoreCertFile: 'c.crt', datastoreKeyFile: 'c.key' };
    expect(parseConfig(cloudConfigSchema, { storage }, 'test').storage).toMatchObject(storage);
  });

  it('names the datastore field that is wrong', () => {
    expect(() => parseConfig(cloudConfigSchema, { storage: { datastoreEndpoint: 'mysql://db:3306' } }, 'cloud.yaml')).toThrow(/storage\.datastoreEndpoint.*scheme/);
    expect(() => parseConfig(cloudConfigSchema, { storage: { datastoreEndpoint: 'etcd://a:2379', datastoreCAFile: 'ca', datastoreCertFile: 'c.crt' } }, 'cloud.yaml')).toThrow(/storage\.datastoreKeyFile/);
    expect(() => parseConfig(cloudConfigSchema, { storage: { datastoreCAFile: 'ca' } }, 'cloud.yaml')).toThrow(/storage\.datastoreEndpoint.*need/);
  });
});
