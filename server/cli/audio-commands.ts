// `audio [N | LANGUAGE] --to NAME`: the playing video's audio tracks (languages), listed, or one
// chosen by its number, its language ('fra', 'fr', 'French') or the start of its label.
import type { CommandArgs, CommandName } from '../api/messages.js';
import { audioTrackNamed } from '../playback/audio-tracks.js';
import type { SessionSnapshot } from '../playback/session.js';
import { CliError } from './errors.js';

export const audioUsage = 'audio [N | LANGUAGE]   (no argument: list the playing video\'s audio tracks)';

/** The tracks, numbered from 1 as `audio N` takes them, the playing one starred. */
export function audioLines(s: SessionSnapshot): string {
  if (!s.item) return 'nothing is playing';
  const tracks = s.audioTracks ?? [];
  if (!tracks.length) return `"${s.item.title}" has no audio tracks to choose from`;
  return tracks.map((t) => `${t.index === s.audioTrack ? '*' : ' '} ${t.index + 1}. ${t.label}${t.language ? ` (${t.language})` : ''}`).join('\n');
}

export async function audioCommand(rest: string[], o: {
  receiver: string;
  call: <C extends CommandName>(c: C, a: CommandArgs<C>) => Promise<unknown>;
  print: (data: unknown, human: () => string) => void;
}): Promise<void> {
  const [current] = (await o.call('playback:status', { receiver: o.receiver })) as SessionSnapshot[];
  const said = rest.join(' ').trim();
  if (!said) return o.print(current, () => audioLines(current!));
  const tracks = current?.audioTracks ?? [];
  if (!current?.item) throw new CliError('nothing is playing');
  if (tracks.length < 2) throw new CliError(`"${current.item.title}" has ${tracks.length ? 'one audio track' : 'no audio tracks'}: nothing to choose`);
  const track = audioTrackNamed(tracks, said);
  if (!track) throw new CliError(`"${current.item.title}" has no audio track "${said}": give a number (1-${tracks.length}) or one of ${tracks.map((t) => t.label).join(', ')}`);
  const s = (await o.call('playback:audio', { receiver: o.receiver, index: track.index })) as SessionSnapshot;
  o.print(s, () => audioLines(s));
}
