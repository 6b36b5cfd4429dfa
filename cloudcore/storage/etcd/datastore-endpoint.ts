/**
 * `--datastore-endpoint`, as K3s names it (docs/datastore.md § Choosing etcd):
 * `etcd://h1:2379,h2:2379` (plain http, or https when TLS files are given), or a comma-separated
 * list of `http://h:p` / `https://h:p` URLs. Returns the members' client URLs.
 */
export type EndpointResult = { ok: true; endpoints: string[] } | { ok: false; message: string };

const DEFAULT_CLIENT_PORT = '2379';

export function parseDatastoreEndpoint(text: string, tls: boolean): EndpointResult {
  const trimmed = text.trim();
  const etcdScheme = trimmed.startsWith('etcd://');
  const items = (etcdScheme ? trimmed.slice('etcd://'.length) : trimmed).split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === '')) {
    return { ok: false, message: `"${text}" names no etcd member (expected etcd://host:port[,host:port…] or http(s)://host:port URLs)` };
  }
  const endpoints: string[] = [];
  for (const item of items) {
    const withScheme = /^[a-z]+:\/\//.test(item) ? item : etcdScheme ? `etcd://${item}` : item;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      return { ok: false, message: `"${item}" is not host:port nor an http(s):// URL` };
    }
    if (!['etcd:', 'http:', 'https:'].includes(url.protocol)) {
      return { ok: false, message: `"${item}": the scheme must be etcd://, http:// or https://` };
    }
    if (url.hostname === '' || (url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.username !== '') {
      return { ok: false, message: `"${item}" must be just a host and port` };
    }
    const scheme = url.protocol === 'etcd:' ? (tls ? 'https' : 'http') : url.protocol.slice(0, -1);
    if (scheme === 'https' && !tls) {
      return { ok: false, message: `"${item}" is https: give --datastore-cafile (the CA of etcd's certificates)` };
    }
    endpoints.push(`${scheme}://${url.hostname}:${url.port === '' ? DEFAULT_CLIENT_PORT : url.port}`);
  }
  const schemes = new Set(endpoints.map((e) => e.split(':')[0]));
  if (schemes.size > 1) return { ok: false, message: `"${text}" mixes http and https members` };
  return { ok: true, endpoints };
}
