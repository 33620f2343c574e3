// Which profile an AirPlay device gets per item: audio that goes to RAOP is decoded by us (any
// audio plays), audio through an Apple TV's video path must be something the TV reads.
import { describe, expect, it } from 'vitest';
import { profileFor } from '../../../../receivers/airplay/index.js';
import type { ReceiverDescriptor } from '../../../../receivers/types.js';
import { decide } from '../../../../server/playback/decide.js';
import type { MediaInfo } from '../../../../server/playback/media-info.js';

const base: ReceiverDescriptor = { id: 'airplay:0011223344AA', kind: 'airplay', name: 'Living Room', model: 'AppleTV3,2', host: '10.0.0.9', port: 7000, type: 'tv', online: true, lastSeen: 0, source: 'mdns' };
const flac: MediaInfo = { container: 'flac', bitrate: 900_000, audio: { codec: 'flac', channels: 2, sampleRate: 44100, bitDepth: 16, lossless: true }, subtitles: [] };

describe('AirPlay profile per item', () => {
  it('an Apple TV with RAOP: FLAC plays as it is (we decode it), video gets the TV profile', () => {
    const tv = { ...base, endpoints: { airplay: 7000, raop: 7000 } };
    expect(profileFor(tv, 'audio').audioOnly).toBe(true);
    expect(decide(flac, profileFor(tv, 'audio')).kind).toBe('direct');
    expect(profileFor(tv, 'video').audioOnly).toBe(false);
  });

  it('an Apple TV reached only by its video port: FLAC is re-encoded into something the TV reads', () => {
    const tv = { ...base, source: 'config' as const };
    expect(profileFor(tv, 'audio').audioOnly).toBe(false);
    expect(decide(flac, profileFor(tv, 'audio')).kind).toBe('audio-transcode');
  });

  it('a speaker is a speaker for everything', () => {
    const speaker = { ...base, model: 'AudioAccessory5,1', type: 'speaker' as const, endpoints: { raop: 7000, airplay: 7000 } };
    expect(profileFor(speaker, 'audio').audioOnly).toBe(true);
    expect(profileFor(speaker, 'video').audioOnly).toBe(true);
  });
});
