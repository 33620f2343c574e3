// One JSON call to the server's REST API from the page: the answer's body (an empty one as {}),
// or an Error carrying the server's own `error` text.
export async function callApi<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    cache: 'no-store',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(body.error ?? `the server answered HTTP ${res.status}`);
  return body as T;
}
