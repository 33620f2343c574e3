// Where a phone can open this remote, as the server says (GET api/server): the page's own address
// may be localhost, which a phone cannot open. The answer is checked before it is shown.
import type { Fetch } from './library.js';
import type { ServerAddresses } from './types.js';

const isHttpUrl = (u: unknown): u is string => typeof u === 'string' && /^https?:\/\/[^\s]+$/.test(u);

/** The answer if it has the expected shape; else an error saying what is wrong. */
export function readAddresses(body: unknown): ServerAddresses {
  const b = body as Partial<ServerAddresses> | null;
  if (!b || !Array.isArray(b.urls) || !b.urls.every(isHttpUrl) || typeof b.host !== 'string' || typeof b.loopbackOnly !== 'boolean') {
    throw new Error('the server sent no usable address');
  }
  return { urls: b.urls, host: b.host, loopbackOnly: b.loopbackOnly };
}

export async function fetchAddresses(f: Fetch = fetch): Promise<ServerAddresses> {
  const res = await f('api/server', { cache: 'no-store' });
  if (!res.ok) throw new Error(`the server did not say its address (HTTP ${res.status})`);
  return readAddresses(await res.json());
}
