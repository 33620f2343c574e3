// We play to gmediarender (Debian's GStreamer UPnP renderer, libupnp), nobody here wrote it: the
// whole flow of renderer-flow.ts, read from its log. It must bind a non-loopback interface (-I v1);
// its audio goes to a fakesink that syncs to the clock, so it plays in real time like a speaker.
import { randomUUID } from 'node:crypto';
import { readLines } from '../../../helpers/lines.js';
import { rendererFlow, waitLine } from './renderer-flow.js';

const toSeconds = (t: string) => t.split(':').reduce((a, x) => a * 60 + Number(x), 0);

rendererFlow({
  label: 'gmediarender',
  gapless: true,
  name: 'Den Renderer',
  start(ns) {
    const proc = ns.spawn('gmediarender', [
      '-I', 'v1', '-p', '49494', '-f', 'Den Renderer', '-u', randomUUID(),
      '--gstout-audiopipe', 'audioconvert ! audioresample ! fakesink sync=true', '--gstout-videosink', 'fakesink', '--logfile', 'stdout',
    ]);
    return { proc, out: readLines(proc, 'gmediarender') };
  },
  watch({ out }) {
    return {
      // "CurrentTrackURI: …" comes for SetAVTransportURI and for the next URI GStreamer goes on to.
      async playingUrl(after, not) {
        const line = await waitLine(out, / \| transport\] CurrentTrackURI: http/, (l) => !not || !l.trim().endsWith(not), 60_000, after);
        // A gapless move on keeps it PLAYING: no new TransportState line then.
        const states = out.lines.filter((l) => l.includes('| transport] TransportState: '));
        if (!states.at(-1)?.endsWith('PLAYING')) await out.wait(/ \| transport\] TransportState: PLAYING/, 30_000, after);
        return line.slice(line.indexOf('CurrentTrackURI: ') + 17).trim();
      },
      paused: async (after) => void (await out.wait(/ \| transport\] TransportState: PAUSED_PLAYBACK/, 20_000, after)),
      resumed: async (after) => void (await out.wait(/ \| transport\] TransportState: PLAYING/, 20_000, after)),
      volume: async (percent, after) => void (await out.wait(new RegExp(` \\| control\\] Volume: ${percent}$`), 20_000, after)),
      // Its answers to our GetPositionInfo polls.
      positionAtLeast: async (seconds, after) => void (await waitLine(out, / \| transport\] RelativeTimePosition: /, (l) => toSeconds(l.slice(l.indexOf('Position: ') + 10).trim()) >= Math.floor(seconds), 20_000, after)),
    };
  },
});
