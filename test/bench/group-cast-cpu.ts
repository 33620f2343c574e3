// CPU per Cast member of a group of four software Chromecasts played by Cast Streaming (issue 17:
// "Opus encode once per group, encrypt per member"), in one network namespace: one group receiver
// (group-runner.ts) plays pink noise (FLAC) to all four on one timeline, measured over 20 s of
// steady play after 5 s (10 s after 3 s in the whole run) (the runner's process plus its ffmpeg children: the FLAC decoder and the
// Opus encoders; the emulators' own decoding is theirs, not counted). Reference in the same run:
// the same four members with each encoding its own Opus (the bench switch opusPerMember, what
// every member did before). Every output is checked for sound and dropouts (airplay-cpu.ts checkOutputs).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createNetns } from '../helpers/netns.js';
import { checkOutputs, noiseFile, type CpuWindow } from './airplay-cpu.js';
import { framesOf } from './group-sync.js';
import { startGroupBed, type GroupBed } from './lib/group-members.js';
import type { Row } from './lib/table.js';

const CASTS = 4;

interface Measured {
  /** % of a core: the runner and its children. */
  cpu: number;
  children: number;
  problems: string;
  /** Opus frames each receiver gave up (incomplete too close to their play time), from its streaming-stopped event. */
  givenUp: string;
}

async function measure(bed: GroupBed, opus: 'shared' | 'per-member', w: CpuWindow): Promise<Measured> {
  const outputs = bed.outputs.map((o) => ({ name: o.id, out: o.out }));
  await bed.cmd(`opus ${opus}`);
  const starts = framesOf(bed.outputs);
  const marks = bed.casts.map((c) => c.log.lines.length);
  await bed.cmd(`group ${bed.outputs.map((o) => o.id).join(',')}`);
  const { answer } = await bed.cmd(`cpu ${w.warmupS} ${w.measureS}`, (w.warmupS + w.measureS + 30) * 1000);
  const ends = framesOf(bed.outputs);
  await bed.cmd('stop');
  const stopped = await Promise.all(bed.casts.map((c, i) => c.log.wait(/"event":"streaming-stopped"/, 10_000, marks[i]).catch(() => '')));
  const givenUp = stopped.map((l) => /"framesDropped":(\d+)/.exec(l)?.[1] ?? '?').join('/');
  return {
    givenUp,
    cpu: (100 * (Number(answer.oursMs) + Number(answer.childrenMs))) / Number(answer.wallMs),
    children: Number(answer.children),
    problems: checkOutputs(outputs, starts, ends, w.measureS),
  };
}

export async function benchGroupCastCpu(work: string, progress: (s: string) => void, w: CpuWindow): Promise<Row[]> {
  const dir = join(work, 'group-cast-cpu');
  await mkdir(dir, { recursive: true });
  const file = await noiseFile(dir, w);
  const ns = await createNetns();
  let bed: GroupBed | undefined;
  try {
    progress(`cast cpu: ${CASTS} software Chromecasts`);
    bed = await startGroupBed(ns, file, w.warmupS + w.measureS + 8, 0, 0, Array.from({ length: CASTS }, () => ({})));
    progress('cast cpu: ours, one Opus encoder for the group');
    const shared = await measure(bed, 'shared', w);
    progress('cast cpu: reference, an Opus encoder per member');
    const perMember = await measure(bed, 'per-member', w);
    const said = (m: Measured) => `${m.children} ffmpeg children, ${m.problems || 'all four played without a dropout'} (Opus frames the receivers gave up: ${m.givenUp})`;
    return [
      { section: 'cast', metric: `CPU per Cast member, ${CASTS} Chromecasts by Cast Streaming in one group (${w.measureS} s)`, unit: '% of a core', better: 'lower', ours: shared.cpu / CASTS, ref: perMember.cpu / CASTS, refName: 'an Opus encoder per member',
        note: `our runner process (group, encryption, pacing) + its ffmpeg (FLAC decode, Opus encode) over ${w.measureS} s of steady play after ${w.warmupS} s, one round each; Opus once per group: ${said(shared)}; per member: ${said(perMember)}` },
    ];
  } finally {
    await bed?.close();
    await ns.close();
  }
}
