// CPU per member of a mixed group of ten: five real AirPlay speakers (shairport-sync 3.3.8) and
// five of our software Sendspin players in one network namespace, one group receiver playing
// pink noise (FLAC) to all ten on one timeline (group-runner.ts: one decoder, RAOP to the
// speakers, PCM chunks over WebSocket to the players), measured over 20 s of steady play after 5 s
// (the runner's process, its Sendspin server included, plus its ffmpeg children). Reference in the
// same run, for the AirPlay part, as airplay-cpu.ts measures it: PulseAudio 16, five
// module-raop-sink under one module-combine-sink fed the same track. Every output is checked for
// sound and dropouts (airplay-cpu.ts checkOutputs).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createNetns } from '../helpers/netns.js';
import { checkOutputs, MEASURE_S, noiseFile, runPulse, WARMUP_S } from './airplay-cpu.js';
import { startGroupBed, type GroupBed } from './lib/group-members.js';
import type { Row } from './lib/table.js';

const SPEAKERS = 5;
const PLAYERS = 5;

export async function benchGroupCpu(work: string, progress: (s: string) => void): Promise<Row[]> {
  const dir = join(work, 'group-cpu');
  await mkdir(dir, { recursive: true });
  const file = await noiseFile(dir);
  const ns = await createNetns();
  let bed: GroupBed | undefined;
  try {
    progress(`group cpu: ${SPEAKERS} shairport-sync speakers, ${PLAYERS} Sendspin players`);
    bed = await startGroupBed(ns, file, WARMUP_S + MEASURE_S + 8, SPEAKERS, PLAYERS);
    const outputs = bed.outputs.map((o) => ({ name: o.id, out: o.out }));
    const starts = outputs.map((o) => o.out.frames);
    await bed.cmd(`group ${bed.outputs.map((o) => o.id).join(',')}`);
    progress('group cpu: ours, one group of ten');
    const { answer } = await bed.cmd(`cpu ${WARMUP_S} ${MEASURE_S}`, (WARMUP_S + MEASURE_S + 30) * 1000);
    const ends = outputs.map((o) => o.out.frames);
    await bed.cmd('stop');
    const late = bed.players.flatMap((p, i) => (p.events.lines.some((l) => l.event === 'late') ? [`P${i + 1} dropped late frames`] : []));
    const problems = [checkOutputs(outputs, starts, ends), ...late].filter(Boolean).join('; ');
    const ours = (100 * (Number(answer.oursMs) + Number(answer.childrenMs))) / Number(answer.wallMs);

    progress(`group cpu: PulseAudio, ${SPEAKERS} RAOP sinks under a combine sink`);
    const pa = await runPulse(ns, bed.speakers, file);
    const ref = (100 * pa.cpuMs) / pa.wallMs;
    const paCrashes = pa.crashes.length ? ` (after ${pa.crashes.length} restart(s): pulseaudio aborted with "${pa.crashes[0]}")` : '';
    const refName = `PulseAudio ${SPEAKERS} raop-sinks + combine-sink`;
    const note = `${SPEAKERS} shairport-sync + ${PLAYERS} Sendspin emulators, ${MEASURE_S} s of steady play after ${WARMUP_S} s; our runner process (group + Sendspin server) + its ffmpeg vs pulseaudio + pacat + ffmpeg for the AirPlay part alone (per RAOP sink); ours: ${problems || 'all ten played without a dropout'}; PulseAudio: ${pa.problems || 'all five played without a dropout'}${paCrashes}`;
    return [
      { section: 'group', metric: `CPU per member, ${SPEAKERS} AirPlay + ${PLAYERS} Sendspin in one group`, unit: '% of a core', better: 'lower', ours: ours / (SPEAKERS + PLAYERS), ref: ref / SPEAKERS, refName, note },
      { section: 'group', metric: `CPU for the whole group of ${SPEAKERS + PLAYERS}`, unit: '% of a core', better: 'lower', ours, ref, refName },
    ];
  } finally {
    await bed?.close();
    await ns.close();
  }
}
