// The bed the Cast group tests share: a beeps-and-sweep source, a network namespace, one
// shairport-sync speaker (its output placed in time) and software Chromecasts (cast-emulators.ts).
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { StampedOutput } from '../airplay/schedule.js';
import { startShairport, type Shairport } from '../airplay/shairport.js';
import { makeSignals, samples, type Signals } from '../airplay/speaker-fixture.js';
import { startSoftCast, type CastKnobs, type SoftCast } from './cast-emulators.js';
import { beepsAndSweep } from './group-signal.js';

export interface CastBed {
  ns: Netns;
  signals: Signals;
  /** The source's samples (interleaved stereo). */
  src: Int16Array;
  speaker: Shairport;
  speakerOutput: StampedOutput;
  casts: SoftCast[];
  close(): Promise<void>;
}

/** Starts the speaker on `speakerPort` and one software Chromecast per entry of `casts`. */
export async function startCastBed(o: { name: string; seconds: number; speakerPort: number; udpPortBase: number; casts: Array<{ port: number; knobs?: CastKnobs }> }): Promise<CastBed> {
  const signals = makeSignals(`${o.name}-`);
  // Past 200 s the sweep would be above what Opus keeps: longer runs rise slower (to 7 kHz at the end).
  signals.flac('beeps.flac', beepsAndSweep(o.seconds, undefined, o.seconds > 180 ? 6900 / o.seconds : 40));
  const src = samples(signals.pcm('beeps.flac'));
  const ns = await createNetns();
  const speaker = startShairport(ns, { port: o.speakerPort, name: `Room${o.speakerPort}`, udpPortBase: o.udpPortBase });
  const speakerOutput = new StampedOutput(speaker.process.stdout!);
  const [casts] = await Promise.all([Promise.all(o.casts.map((c) => startSoftCast(ns, c.port, c.knobs))), speaker.advertised()]);
  const bed: CastBed = {
    ns, signals, src, speaker, speakerOutput, casts,
    close: async () => {
      await speaker.stop();
      await Promise.all(bed.casts.map((c) => c.stop()));
      await ns.close();
      signals.close();
    },
  };
  return bed;
}
