import { createApiServer, ObjectStore, ResourceRegistry, type ApiContext } from '../../cloudcore/apiserver/index.js';
import { builtinResources } from '../../cloudcore/apiserver/kinds/index.js';
import { ensureSystemNamespaces } from '../../cloudcore/bootstrap-namespaces.js';
import { createMemoryStore } from '../../cloudcore/storage/index.js';
import { silentLogger } from '../../shared/logging.js';

/** The API's in-process context over a memory store, with the system namespaces: for unit tests of code that writes through the API. */
export async function memoryApiContext(signal: AbortSignal = new AbortController().signal): Promise<ApiContext> {
  const store = createMemoryStore();
  await store.start(signal);
  const api = createApiServer({ host: '127.0.0.1', port: 0, tls: { certPem: '', keyPem: '', caPem: '' }, objects: new ObjectStore(store), registry: new ResourceRegistry(builtinResources()), logger: silentLogger(), buildVersion: 'test' }).context;
  await ensureSystemNamespaces(api);
  return api;
}
