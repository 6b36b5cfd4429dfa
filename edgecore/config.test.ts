import { describe, expect, it } from 'vitest';
import { parseConfig } from '../shared/config.js';
import { edgeConfigSchema, edgePaths } from './config.js';

describe('EdgeConfig', () => {
  it('fills defaults and derives the edge folder layout', () => {
    const config = parseConfig(edgeConfigSchema, { nodeName: 'shop-1', dataDir: '/d', edgehub: { server: 'wss://hub:10000' } }, 'test');
    expect(config.edgehub.pingIntervalSeconds).toBe(15);
    expect(config.debug.statusInjection).toBe(false);
    expect(config.metaserver).toEqual({ port: 10550, bookmarkSeconds: 60 });
    expect(config.metamanager.tombstoneLimit).toBe(1000);
    expect(config.mqtt).toEqual({ mode: 'internal', host: '127.0.0.1', port: 1883 });
    expect(edgePaths(config).metaserverToken).toBe('/d/edges/shop-1/metaserver.token');
    expect(edgePaths(config)).toMatchObject({ db: '/d/edges/shop-1/edge.db', certFile: '/d/edges/shop-1/pki/node.crt', endpoints: '/d/edges/shop-1/endpoints.json' });
  });

  it('reports every problem at once', () => {
    expect(() => parseConfig(edgeConfigSchema, { kind: 'CloudConfig', nodeName: 'Bad_Name', edgehub: { server: 'http://x' } }, 'edge.yaml')).toThrow(
      /kind[\s\S]*nodeName[\s\S]*edgehub\.server/,
    );
  });

  it('needs the external broker for the external and both MQTT modes, and a well-formed address', () => {
    const base = { nodeName: 'shop-1', edgehub: { server: 'wss://hub:10000' } };
    expect(() => parseConfig(edgeConfigSchema, { ...base, mqtt: { mode: 'external' } }, 'edge.yaml')).toThrow(/mqtt\.server: mqtt mode external needs/);
    expect(() => parseConfig(edgeConfigSchema, { ...base, mqtt: { mode: 'both', server: 'http://x:1' } }, 'edge.yaml')).toThrow(/mqtt\.server: must be mqtt:\/\/HOST:PORT/);
    expect(() => parseConfig(edgeConfigSchema, { ...base, mqtt: { mode: 'bridge' } }, 'edge.yaml')).toThrow(/mqtt\.mode/);
    expect(() => parseConfig(edgeConfigSchema, { ...base, mqtt: { port: 70000 } }, 'edge.yaml')).toThrow(/mqtt\.port/);
    const both = parseConfig(edgeConfigSchema, { ...base, mqtt: { mode: 'both', server: 'mqtt://broker.local:1884', port: 0 } }, 'edge.yaml');
    expect(both.mqtt).toMatchObject({ mode: 'both', server: 'mqtt://broker.local:1884', port: 0, host: '127.0.0.1' });
  });
});
