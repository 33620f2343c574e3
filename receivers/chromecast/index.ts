// The Cast kind as registered in receivers/index.ts: its discovery manifest, its profiles, its
// driver (a device played alone: the Default Media Receiver) and its group member (Cast Streaming).
export { name, serviceTypes, defaultPort, describe, profileForModel } from './describe.js';
export { connectReceiver } from './driver.js';
export { openMember } from './open-member.js';
