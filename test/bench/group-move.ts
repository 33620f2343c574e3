// The audible gap of "move to…": our server (airplay-first-sound.ts's, in a network namespace) plays
// a tone to one shairport-sync speaker, then playback:move (as the remote and the CLI send it)
// moves it to another. The gap is bounded from both sides on the bench's clock: at most the move
// command → the first non-silent frame on the second speaker (the first cannot stop before the
// command), at least the first speaker's last written frame → that first sound (shairport-sync's
// stdout writes each frame 1 s ahead and cannot take it back, so the last frames it wrote after the
// move may be ones a real speaker would have dropped). Reference in the same run: what a person
// does without "move": stop on the first, then play on the second (command → first sound).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createNetns } from '../helpers/netns.js';
import { makeTone, startCommander, startServer } from './airplay-first-sound.js';
import { firstLoudFrame, lastLoudFrame, perfMsOfHrNs, RATE, startSpeakers, stopSpeakers, type Speaker } from './lib/airplay-speakers.js';
import { firstSoundAt, speakerOutput } from './lib/group-members.js';
import type { Row } from './lib/table.js';

const FROM = 'Move From';
const TO = 'Move To';

export async function benchGroupMove(work: string, progress: (s: string) => void): Promise<Row[]> {
  const music = join(work, 'group-move-music');
  await mkdir(music, { recursive: true });
  const file = join(music, 'tone.wav');
  await makeTone(file, 30);
  const ns = await createNetns();
  let speakers: Speaker[] = [];
  try {
    progress('group move: two shairport-sync speakers, our server');
    speakers = await startSpeakers(ns, [{ name: 'MoveFrom', port: 5091 }, { name: 'MoveTo', port: 5092 }]);
    const [a, b] = speakers.map(speakerOutput) as [ReturnType<typeof speakerOutput>, ReturnType<typeof speakerOutput>];
    const server = await startServer(ns, work, music, [{ name: FROM, port: speakers[0]!.port }, { name: TO, port: speakers[1]!.port }], 'group-move-data');
    const command = await startCommander(ns, server.url);

    const fromA = a.out.frames;
    await command(`play ${FROM}\t${file}`);
    await firstSoundAt(a, fromA);
    let fromB = b.out.frames;
    const moved = perfMsOfHrNs(await command(`move ${FROM}\t${TO}`));
    const heardB = await firstSoundAt(b, fromB);
    const firstA = firstLoudFrame(a.out, fromA);
    const lastA = lastLoudFrame(a.out, fromA);
    const endA = a.out.msOfFrame(lastA, firstA, lastA);
    await command(`stop ${TO}`);

    progress('group move: by hand (stop, then play on the other)');
    const fromA2 = a.out.frames;
    await command(`play ${FROM}\t${file}`);
    await firstSoundAt(a, fromA2);
    fromB = b.out.frames;
    const stopped = perfMsOfHrNs(await command(`stop ${FROM}`));
    await command(`play ${TO}\t${file}`);
    const byHand = (await firstSoundAt(b, fromB)) - stopped;
    await command(`stop ${TO}`);

    const note = `AirPlay speaker → AirPlay speaker (shairport-sync 3.3.8), our server over Socket.IO; the gap is at most ${(heardB - moved).toFixed(0)} ms (move command → first sound on the second) and at least ${(heardB - endA).toFixed(0)} ms (last frame the first wrote → first sound on the second, ${((lastA - firstA) / RATE).toFixed(1)} s after its first); by hand: stop command → first sound of a play on the second`;
    return [{ section: 'group', metric: 'audible gap of a move, at most', unit: 'ms', better: 'lower', ours: heardB - moved, ref: byHand, refName: 'stop, then play on the other', note }];
  } finally {
    await stopSpeakers(speakers);
    await ns.close();
  }
}
