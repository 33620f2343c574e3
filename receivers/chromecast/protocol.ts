// CASTV2 names both sides of the Cast kind use (driver and emulator) [docs/protocols.md §1].
export const NS = {
  connection: 'urn:x-cast:com.google.cast.tp.connection',
  heartbeat: 'urn:x-cast:com.google.cast.tp.heartbeat',
  receiver: 'urn:x-cast:com.google.cast.receiver',
  media: 'urn:x-cast:com.google.cast.media',
} as const;

/** The platform end of every device. */
export const PLATFORM_ID = 'receiver-0';
/** Default Media Receiver. */
export const MEDIA_APP_ID = 'CC1AD845';
