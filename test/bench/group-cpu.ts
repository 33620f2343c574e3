// CPU per member of a mixed group of ten: five real AirPlay speakers (shairport-sync 3.3.8) and
// five of our software Sendspin players in one network namespace, one group receiver playing
// pink noise (FLAC) to all ten on one timeline (group-runner.ts: one decoder, RAOP to the
// speakers, PCM chunks over WebSocket to the players), measured over 20 s of steady play after 5 s
// (10 s after 3 s in the whole run) (the runner's process, its Sendspin server included, plus its
// ffmpeg children). Reference in the same run, for the AirPlay part, as airplay-cpu.ts measures it:
// PulseAudio 16, five module-raop-sink under one module-combine-sink fed the same track; in the
// whole run, the AirPlay section's PulseAudio run (ten sinks, the same window) stands in, per sink,
// so PulseAudio, whose RAOP sinks often abort as they start, is set up once. Every output is
// checked for sound and dropouts (airplay-cpu.ts checkOutputs).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createNetns } from '../helpers/netns.js';
import { checkOutputs, noiseFile, runPulse, type CpuWindow, type PulseRun } from './airplay-cpu.js';
import { startGroupBed, type GroupBed } from './lib/group-members.js';
import type { Row } from './lib/table.js';

const SPEAKERS = 5;
const PLAYERS = 5;

/** `measured`: PulseAudio's run from the AirPlay section of this run (its window must be `w`), else one of its own. */
export async function benchGroupCpu(work: string, progress: (s: string) => void, w: CpuWindow, measured?: PulseRun): Promise<Row[]> {
  const dir = join(work, 'group-cpu');
  await mkdir(dir, { recursive: true });
  const file = await noiseFile(dir, w);
  const ns = await createNetns();
  let bed: GroupBed | undefined;
  try {
    progress(`group cpu: ${SPEAKERS} shairport-sync speakers, ${PLAYERS} Sendspin players`);
    bed = await startGroupBed(ns, file, w.warmupS + w.measureS + 8, SPEAKERS, PLAYERS);
    const outputs = bed.outputs.map((o) => ({ name: o.id, out: o.out }));
    const starts = outputs.map((o) => o.out.frames);
    await bed.cmd(`group ${bed.outputs.map((o) => o.id).join(',')}`);
    progress('group cpu: ours, one group of ten');
    const { answer } = await bed.cmd(`cpu ${w.warmupS} ${w.measureS}`, (w.warmupS + w.measureS + 30) * 1000);
    const ends = outputs.map((o) => o.out.frames);
    await bed.cmd('stop');
    const late = bed.players.flatMap((p, i) => (p.events.lines.some((l) => l.event === 'late') ? [`P${i + 1} dropped late frames`] : []));
    const problems = [checkOutputs(outputs, starts, ends, w.measureS), ...late].filter(Boolean).join('; ');
    const ours = (100 * (Number(answer.oursMs) + Number(answer.childrenMs))) / Number(answer.wallMs);

    const shared = measured && measured.window.measureS === w.measureS && measured.window.warmupS === w.warmupS ? measured : undefined;
    if (!shared) progress(`group cpu: PulseAudio, ${SPEAKERS} RAOP sinks under a combine sink`);
    const pa = shared ?? (await runPulse(ns, bed.speakers, file, w));
    const ref = (100 * pa.cpuMs) / pa.wallMs;
    const paCrashes = pa.crashes.length ? ` (after ${pa.crashes.length} restart(s): pulseaudio aborted with "${pa.crashes[0]}")` : '';
    const refName = `PulseAudio ${pa.sinks} raop-sinks + combine-sink${shared ? ', the airplay section\'s run' : ''}`;
    const note = `${SPEAKERS} shairport-sync + ${PLAYERS} Sendspin emulators, ${w.measureS} s of steady play after ${w.warmupS} s; our runner process (group + Sendspin server) + its ffmpeg vs pulseaudio + pacat + ffmpeg for the AirPlay part alone (per RAOP sink)${shared ? ` (PulseAudio: the airplay section's ${pa.sinks} sinks, same window, same run)` : ''}; ours: ${problems || 'all ten played without a dropout'}; PulseAudio: ${pa.problems || `all ${pa.sinks} played without a dropout`}${paCrashes}`;
    return [
      { section: 'group', metric: `CPU per member, ${SPEAKERS} AirPlay + ${PLAYERS} Sendspin in one group (${w.measureS} s)`, unit: '% of a core', better: 'lower', ours: ours / (SPEAKERS + PLAYERS), ref: ref / pa.sinks, refName, note },
      { section: 'group', metric: `CPU for the whole group of ${SPEAKERS + PLAYERS}`, unit: '% of a core', better: 'lower', ours, ref, refName },
    ];
  } finally {
    await bed?.close();
    await ns.close();
  }
}
