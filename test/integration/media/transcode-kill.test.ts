// An ffmpeg that ignores SIGTERM must still be gone after its client leaves: SIGKILL follows
// the grace period. A shell script stands in for ffmpeg (real ffmpeg answers fluent-ffmpeg's
// capability queries).
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { liveTranscodes, runTranscode, transcodeEvents, type TranscodeExit } from '../../../server/media/transcode.js';
import { silentLogger } from '../../../server/util/log.js';
import { closeServer, listenOnLoopback } from '../../helpers/http.js';

let dir: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'transcode-kill-'));
  const fake = join(dir, 'ffmpeg');
  writeFileSync(
    fake,
    ['#!/bin/sh', 'case "$*" in *-formats*|*-encoders*|*-codecs*) exec /usr/bin/ffmpeg "$@";; esac', "trap '' TERM", 'while :; do echo stubborn; done', ''].join('\n'),
  );
  chmodSync(fake, 0o755);
  server = http.createServer((_req, res) => {
    runTranscode(res, { ffmpegPath: fake, inputPath: '/dev/null', args: { input: [], output: [] }, mime: 'text/plain', label: 'stubborn', log: silentLogger });
  });
  port = await listenOnLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('SIGKILLs a process that ignores SIGTERM', async () => {
  const started = new Promise<number>((resolve) => transcodeEvents.once('start', (s) => resolve(s.pid)));
  const exited = new Promise<TranscodeExit>((resolve) => transcodeEvents.once('exit', resolve));
  const req = await new Promise<http.ClientRequest>((resolve) => {
    const r = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => res.once('data', () => resolve(r)));
    r.on('error', () => {});
  });
  const pid = await started;
  expect(liveTranscodes()).toBe(1);
  const abortedAt = performance.now();
  req.destroy();
  const exit = await exited;
  expect(exit).toMatchObject({ pid, signal: 'SIGKILL', clientGone: true });
  expect(performance.now() - abortedAt).toBeGreaterThanOrEqual(900); // the SIGTERM grace came first
  expect(existsSync(`/proc/${pid}`)).toBe(false);
  expect(liveTranscodes()).toBe(0);
});
