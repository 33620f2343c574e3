// RTP audio packets as a RAOP receiver expects them [airplay-spec rtp_streams.md; shairport-sync
// rtp.c@3.3.8 accepts type 0x60 with or without the marker bit]: 12-byte header, PT 0x60,
// marker on the first packet after RECORD/FLUSH, timestamp in frames, 352 frames per packet.
export const AUDIO_PT = 0x60;

export interface AudioPacket {
  seq: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
}

export function encodeAudioPacket(p: AudioPacket): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80; // version 2, no padding, no extension
  head[1] = AUDIO_PT | (p.marker ? 0x80 : 0);
  head.writeUInt16BE(p.seq & 0xffff, 2);
  head.writeUInt32BE(p.timestamp >>> 0, 4);
  head.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([head, p.payload]);
}

export function decodeAudioPacket(b: Buffer): AudioPacket {
  if (b.length < 12 || (b[1]! & 0x7f) !== AUDIO_PT) throw new Error('not a RAOP audio packet');
  return {
    marker: (b[1]! & 0x80) !== 0,
    seq: b.readUInt16BE(2),
    timestamp: b.readUInt32BE(4),
    ssrc: b.readUInt32BE(8),
    payload: b.subarray(12),
  };
}
