// A library that fights back: a file swapped for a FIFO while the scan runs, files deleted
// mid-scan, rescans asked for in a burst. The scan must finish, record what it could not read
// with a reason, and the server must still stop on SIGTERM within 5 s.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bigLibraryEntry, generateBigLibrary } from '../../fixtures/big-library.js';
import { ffmpeg, sineInput } from '../../fixtures/ffmpeg.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }

const servers: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => stopTimed(s)));
  // rm(1): it removes trees deeper than PATH_MAX, which fs.rm cannot.
  for (const d of dirs.splice(0)) execFileSync('rm', ['-rf', d]);
});

const FILES = 3000;
const shape = { files: FILES, artists: 30 };

async function bigLibrary(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hc-hostile-'));
  dirs.push(dir);
  await generateBigLibrary(dir, shape);
  return dir;
}

function fields(line: string): Record<string, number> {
  return Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

/** Sends SIGTERM and resolves with the ms until the process is gone (Infinity, then SIGKILL, past 10 s). */
async function stopTimed(s: RunningServer): Promise<number> {
  const t0 = performance.now();
  const gone = await Promise.race([s.stop().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000).unref())]);
  if (!gone) await s.kill9();
  return gone ? performance.now() - t0 : Infinity;
}

describe('a hostile library', () => {
  it('finishes a scan when a file is swapped for a FIFO mid-scan, and stops on SIGTERM', async () => {
    const dir = await bigLibrary();
    const s = await startServer({ config: { libraries: [{ name: 'Music', path: dir, kind: 'music' }], scan: { watch: false }, logLevel: 'debug' } });
    servers.push(s);
    // The walk is over (each file's size is known) once the first batch is written: swap files
    // the probes reach last (they go in path order).
    await s.waitForLine(/ scan progress library=Music /, 60_000);
    const swapped = [FILES - 1, FILES - 40, FILES - 80].map((i) => join(dir, bigLibraryEntry(i, shape).rel));
    for (const p of swapped) {
      await rm(p);
      execFileSync('mkfifo', [p]);
    }
    const done = fields(await scanFinished(s, 'Music'));
    expect(done).toMatchObject({ files: FILES, probed: FILES, errors: 3 });
    const errors = (await s.get<List<{ path: string; error: string }>>('/api/library/errors')).body;
    expect(errors.items.map((e) => e.error)).toEqual(Array(3).fill(expect.stringMatching(/not a regular file/)));
    expect((await s.get<{ tracks: number }>('/api/library/stats')).body.tracks).toBe(FILES - 3);
    const ms = await stopTimed(s);
    console.log(`FIFO swap: scan finished in ${done.seconds} s; SIGTERM to exit ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  }, 120_000);

  it('skips files deleted mid-scan without running ffprobe for them', async () => {
    const dir = await bigLibrary();
    // ffprobe through a wrapper that counts its runs (the scan reads MP3s itself: any run is a fallback).
    const counter = join(dir, '.ffprobe-runs');
    const wrapper = join(dir, '.ffprobe');
    await writeFile(wrapper, `#!/bin/sh\necho run >> '${counter}'\nexec /usr/bin/ffprobe "$@"\n`, { mode: 0o755 });
    const s = await startServer({ config: { libraries: [{ name: 'Music', path: dir, kind: 'music' }], scan: { watch: false }, logLevel: 'debug', ffprobePath: wrapper } });
    servers.push(s);
    await s.waitForLine(/ scan progress library=Music /, 60_000);
    const deleted = Array.from({ length: 1000 }, (_, k) => join(dir, bigLibraryEntry(FILES - 1 - k, shape).rel));
    await Promise.all(deleted.map((p) => rm(p)));
    const done = fields(await scanFinished(s, 'Music'));
    const runs = await readFile(counter, 'utf8').catch(() => '');
    console.log(`${deleted.length} files deleted mid-scan: scan took ${done.seconds} s, ffprobe ran ${runs.split('\n').filter(Boolean).length} times`);
    expect(runs.split('\n').filter(Boolean)).toHaveLength(0);
    const probedBefore = FILES - deleted.length;
    expect(done.files).toBeGreaterThanOrEqual(probedBefore);
    expect(done).toMatchObject({ files: FILES - (done.removed ?? 0), errors: 0 });
    expect((await s.get<{ tracks: number; errors: number }>('/api/library/stats')).body).toMatchObject({ tracks: done.files, errors: 0 });
  }, 120_000);

  it('coalesces a burst of rescans into one running and one queued', async () => {
    const dir = await bigLibrary();
    const s = await startServer({ config: { libraries: [{ name: 'Music', path: dir, kind: 'music' }], scan: { watch: false, onStart: false } } });
    servers.push(s);
    const answers = await Promise.all(Array.from({ length: 100 }, () => s.fetch('/api/library/rescan', { method: 'POST' }).then(async (r) => ({ status: r.status, body: (await r.json()) as { state: string; coalesced: boolean } }))));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const states = answers.map((a) => a.body.state);
    expect(states.filter((x) => x === 'started')).toHaveLength(1);
    expect(states.filter((x) => x === 'queued')).toHaveLength(1);
    expect(answers.filter((a) => a.body.coalesced)).toHaveLength(98);
    // Two scans, then idle: every request was answered before, so a third would already be queued.
    const first = await scanFinished(s, 'Music');
    await scanFinished(s, 'Music', s.lines.indexOf(first) + 1);
    const idle = await new Promise<{ scanning: boolean }>((resolve, reject) => {
      const poll = () => s.get<{ scanning: boolean }>('/api/library/stats').then((r) => (r.body.scanning ? setImmediate(poll) : resolve(r.body)), reject);
      poll();
    });
    expect(idle.scanning).toBe(false);
    expect(s.lines.filter((l) => / scan finished library=Music /.test(l))).toHaveLength(2);
  }, 120_000);

  it('records names it cannot open with a reason, escapes control characters in logs, and indexes no random bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-names-'));
    dirs.push(dir);
    const good = join(dir, 'ok.mp3');
    await ffmpeg([...sineInput(1, 44100), '-c:a', 'libmp3lame', '-bitexact', good]);
    const bytes = (name: string | Buffer) => Buffer.concat([Buffer.from(`${dir}/`), typeof name === 'string' ? Buffer.from(name) : name]);
    // Latin-1 bytes, as an old FAT drive or a tar from elsewhere leaves them: not UTF-8.
    await copyFile(good, bytes(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2e, 0x6d, 0x70, 0x33]))); // "Caf\xe9.mp3"
    await mkdir(bytes(Buffer.from([0x44, 0xfc, 0x72]))); // "D\xfcr"
    await copyFile(good, Buffer.concat([bytes(Buffer.from([0x44, 0xfc, 0x72])), Buffer.from('/inside.mp3')]));
    // Folders nested past PATH_MAX (made one level at a time, as no single path may be that long).
    const nest = `process.chdir(${JSON.stringify(dir)}); for (let i = 0; i < 20; i++) { const d = String(i).padStart(250, '0'); require('fs').mkdirSync(d); process.chdir(d); } require('fs').copyFileSync(${JSON.stringify(good)}, 'deep.mp3');`;
    execFileSync(process.execPath, ['-e', nest]);
    await writeFile(join(dir, 'ctl-\u001b[31mred\nline.mp3'), randomBytes(4096));
    await writeFile(join(dir, 'random.aac'), randomBytes(200 * 1024));
    await writeFile(join(dir, 'random.mp3'), randomBytes(200 * 1024));

    const s = await startServer({ config: { libraries: [{ name: 'Music', path: dir, kind: 'music' }], scan: { watch: false } } });
    servers.push(s);
    const done = fields(await scanFinished(s, 'Music'));
    const errors = (await s.get<List<{ path: string; error: string }>>('/api/library/errors?limit=500')).body.items;
    const reason = (p: RegExp) => errors.find((e) => p.test(e.path))?.error;
    expect(reason(/^Caf\uFFFD\.mp3$/)).toMatch(/file name is not valid UTF-8/);
    expect(reason(/^D\uFFFDr$/)).toMatch(/folder name is not valid UTF-8: folder not scanned/);
    expect(reason(/^(0+\d+\/){15,}/)).toMatch(/path longer than PATH_MAX/);
    expect(reason(/^random\.aac$/)).toMatch(/./);
    expect(reason(/^random\.mp3$/)).toMatch(/./);
    expect(reason(/^ctl-/)).toMatch(/./);
    expect(errors).toHaveLength(6);
    expect(done).toMatchObject({ files: 7, errors: 6 });
    const tracks = (await s.get<List<{ path: string }>>('/api/library/tracks')).body.items.map((t) => t.path);
    expect(tracks).toEqual(['ok.mp3']);
    // The name's ESC and newline are written escaped: the log line is one line, with no raw control byte.
    const line = s.lines.find((l) => l.includes('unreadable file') && l.includes('ctl-'));
    expect(line).toContain('ctl-\\u001b[31mred\\nline.mp3');
    expect(s.lines.some((l) => /[\u0000-\u0008\u000b-\u001f]/.test(l))).toBe(false);
    // A rescan leaves them be: nothing new to read, nothing removed.
    const mark = s.lines.length;
    expect((await s.fetch('/api/library/rescan', { method: 'POST' })).status).toBe(202);
    expect(fields(await scanFinished(s, 'Music', mark))).toMatchObject({ files: 7, probed: 0, removed: 0 });
  }, 120_000);
});
