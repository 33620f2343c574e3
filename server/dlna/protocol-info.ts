// DLNA protocolInfo strings (DLNA guidelines 7.4.1.3): `http-get:*:<mime>:<4th field>`, where the
// 4th field names the media profile (DLNA.ORG_PN, only when the file really is one: a TV refuses a
// wrong PN but plays an absent one), how it can be seeked (OP: 01 byte ranges on originals, 10
// TimeSeekRange on transcodes), whether it was converted (CI) and the transfer flags.

export interface ProfileFacts {
  mime: string;
  audioCodec?: string | null;
  width?: number | null;
  height?: number | null;
}

// FLAGS: streaming (bit 24) or interactive (bit 23) transfer, background transfer (22),
// connection stall (21), DLNA 1.5 (20), then 24 zero hex digits of reserved bits.
const STREAMING_FLAGS = '01700000000000000000000000000000';
const IMAGE_FLAGS = '00d00000000000000000000000000000';

/** The DLNA media profile a file conforms to, when we can tell; undefined = none given. */
export function dlnaProfile(f: ProfileFacts): string | undefined {
  if (f.mime === 'audio/mpeg') return 'MP3';
  if (f.mime === 'audio/mp4' && f.audioCodec === 'aac') return 'AAC_ISO_320';
  if (f.mime === 'image/jpeg' && f.width && f.height) {
    const long = Math.max(f.width, f.height);
    const short = Math.min(f.width, f.height);
    if (long <= 160 && short <= 160) return 'JPEG_TN';
    if (long <= 640 && short <= 480) return 'JPEG_SM';
    if (long <= 1024 && short <= 768) return 'JPEG_MED';
    if (long <= 4096 && short <= 4096) return 'JPEG_LRG';
    return undefined;
  }
  if (f.mime === 'image/png' && f.width && f.height && Math.max(f.width, f.height) <= 4096) return 'PNG_LRG';
  return undefined;
}

export interface FourthField {
  pn?: string | undefined;
  /** A live transcode: time seeking only, converted content. */
  transcoded?: boolean;
  image?: boolean;
}

export function fourthField(o: FourthField): string {
  const pn = o.pn ? `DLNA.ORG_PN=${o.pn};` : '';
  const op = o.image ? '00' : o.transcoded ? '10' : '01';
  return `${pn}DLNA.ORG_OP=${op};DLNA.ORG_CI=${o.transcoded ? 1 : 0};DLNA.ORG_FLAGS=${o.image ? IMAGE_FLAGS : STREAMING_FLAGS}`;
}

export function protocolInfo(mime: string, o: FourthField): string {
  return `http-get:*:${mime}:${fourthField(o)}`;
}

/** What ConnectionManager's GetProtocolInfo lists as Source: every type we serve. */
export const SOURCE_PROTOCOLS = [
  protocolInfo('audio/mpeg', { pn: 'MP3' }),
  protocolInfo('audio/mp4', { pn: 'AAC_ISO_320' }),
  ...['audio/mp4', 'audio/flac', 'audio/x-flac', 'audio/ogg', 'audio/wav', 'audio/aac', 'audio/aiff', 'audio/x-ms-wma'].map((m) => `http-get:*:${m}:*`),
  ...['video/mp4', 'video/x-matroska', 'video/webm', 'video/mp2t', 'video/quicktime', 'video/x-msvideo', 'video/mpeg', 'video/x-ms-wmv'].map((m) => `http-get:*:${m}:*`),
  ...['JPEG_TN', 'JPEG_SM', 'JPEG_MED', 'JPEG_LRG'].map((pn) => protocolInfo('image/jpeg', { pn, image: true })),
  protocolInfo('image/png', { pn: 'PNG_LRG', image: true }),
  'http-get:*:image/jpeg:*', 'http-get:*:image/png:*', 'http-get:*:image/heic:*', 'http-get:*:image/webp:*',
];
