import { createApiServer, ObjectStore, ResourceRegistry, type ApiContext } from '../../cloudcore/apiserver/index.js';
import { createCrdController, crdResource, kubeEdgeDeviceCrds } from '../../cloudcore/apiserver/crd/index.js';
import { builtinResources } from '../../cloudcore/apiserver/kinds/index.js';
import { ensureSystemNamespaces } from '../../cloudcore/bootstrap-namespaces.js';
import { SharedInformerFactory } from '../../cloudcore/informers/index.js';
import type { Store } from '../../cloudcore/storage/index.js';
import { silentLogger, type Logger } from '../../shared/logging.js';
import { waitFor } from './poll.js';

export interface DeviceApi {
  api: ApiContext;
  informers: SharedInformerFactory;
  stop(): Promise<void>;
}

/**
 * The API's in-process context over `store` with KubeEdge's device CRDs served (as cloudcore's
 * main.ts serves them), and the shared informers started: for tests of code that reads or writes
 * devices.kubeedge.io kinds. Resolves once Devices are served.
 */
export async function deviceApi(store: Store, logger: Logger = silentLogger()): Promise<DeviceApi> {
  const abort = new AbortController();
  const objects = new ObjectStore(store);
  const registry = new ResourceRegistry([...builtinResources(), crdResource()]);
  const api = createApiServer({ host: '127.0.0.1', port: 0, tls: { certPem: '', keyPem: '', caPem: '' }, objects, registry, logger, buildVersion: 'test' }).context;
  await ensureSystemNamespaces(api);
  const informers = new SharedInformerFactory(objects, logger);
  const crds = createCrdController(api, informers, logger, { builtinCrds: kubeEdgeDeviceCrds() });
  await informers.start(abort.signal);
  await crds.start(abort.signal);
  await waitFor(() => ['devices', 'devicemodels', 'devicestatuses'].every((r) => registry.get('devices.kubeedge.io', 'v1beta1', r) !== undefined), {
    timeoutMs: 10_000,
    intervalMs: 10,
    description: 'the device CRDs served',
  });
  return {
    api,
    informers,
    async stop() {
      await crds.stop();
      await informers.stop();
      abort.abort();
    },
  };
}
