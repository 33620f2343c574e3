// A peer for the bad-input test, run inside its network namespace (a vitest worker cannot enter
// one): sends raw HTTP requests and SSDP datagrams from a chosen local address and prints what came
// back as one JSON line. Usage: node raw-peer.js '<json Plan>'
import dgram from 'node:dgram';
import http from 'node:http';

interface HttpStep { method: string; url: string; headers?: Record<string, string>; body?: string; bodyRepeat?: number; from?: string }
interface Plan {
  http?: HttpStep[];
  /** M-SEARCH datagrams sent as fast as the socket takes them, then replies counted for `listenMs`. */
  ssdp?: { from: string; count: number; st: string; mx: number; listenMs: number; unicastTo?: string };
}

function request(s: HttpStep): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders } | { error: string }> {
  return new Promise((resolve) => {
    const body = s.bodyRepeat ? (s.body ?? '').repeat(s.bodyRepeat) : s.body;
    const req = http.request(s.url, { method: s.method, headers: s.headers, agent: false, ...(s.from ? { localAddress: s.from } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text.slice(0, 1_000_000), headers: res.headers }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

async function flood(p: NonNullable<Plan['ssdp']>): Promise<{ sent: number; replies: number; sts: string[] }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, p.from, r));
  let replies = 0;
  const sts = new Set<string>();
  sock.on('message', (m) => {
    replies++;
    const st = /^ST:\s*(.*)$/im.exec(m.toString())?.[1]?.trim();
    if (st) sts.add(st);
  });
  const msg = Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: ${p.mx}\r\nST: ${p.st}\r\n\r\n`);
  let sent = 0;
  for (let i = 0; i < p.count; i++) {
    await new Promise<void>((r) => sock.send(msg, 1900, p.unicastTo ?? '239.255.255.250', () => r()));
    sent++;
  }
  await new Promise((r) => setTimeout(r, p.listenMs));
  sock.close();
  return { sent, replies, sts: [...sts].sort() };
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const out: Record<string, unknown> = {};
if (plan.ssdp) out.ssdp = await flood(plan.ssdp);
if (plan.http) {
  out.http = [];
  for (const s of plan.http) (out.http as unknown[]).push(await request(s));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
