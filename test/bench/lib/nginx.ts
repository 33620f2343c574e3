// nginx as the streaming reference: serves one folder on a loopback port with sendfile, from a
// temp prefix (config, pid, logs, temp paths), in the foreground so it dies with its group.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net.js';
import { start, type Tracked } from './proc.js';

export interface Nginx {
  proc: Tracked;
  url: string;
}

export async function startNginx(root: string, prefix: string): Promise<Nginx> {
  await mkdir(join(prefix, 'logs'), { recursive: true });
  const port = await freePort();
  const temp = (name: string) => `${name}_temp_path ${join(prefix, name)};`;
  const conf = `daemon off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs/error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`;
  const confPath = join(prefix, 'nginx.conf');
  await writeFile(confPath, conf);
  const proc = start('nginx', 'nginx', ['-p', prefix, '-c', confPath, '-e', join(prefix, 'logs/error.log')]);
  const url = `http://127.0.0.1:${port}`;
  // nginx prints nothing when ready: poll until it answers.
  for (const end = Date.now() + 10_000; Date.now() < end; await sleep(50)) {
    if (proc.lines.some((l) => /emerg|error/.test(l))) break;
    const ok = await fetch(url + '/', { method: 'HEAD' }).then(() => true, () => false);
    if (ok) return { proc, url };
  }
  await proc.stop();
  throw new Error(`nginx did not start: ${proc.lines.slice(-5).join(' | ')}`);
}
