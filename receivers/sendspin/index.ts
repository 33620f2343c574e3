// The Sendspin kind, ready for receivers/index.ts `kinds`: its discovery manifest and profile. No
// connectReceiver: a Sendspin player is played through a synced stream (SendspinServer.member()),
// alone or in a group; the server (server.ts) is started once by the main program.
import type { Profile, ReceiverDescriptor } from '../types.js';
import { profileForModel } from './describe.js';

export { name, serviceTypes, defaultPort, describe, profileForModel, connectUrl } from './describe.js';
export { SendspinServer, DEFAULT_PORT as SERVER_PORT, DEFAULT_PATH as SERVER_PATH, type SendspinCommand, type SendspinServerOptions } from './server.js';
export { advertiseSendspinServer } from './advert.js';

export function profileFor(d: ReceiverDescriptor, _item: 'audio' | 'video'): Profile {
  return profileForModel(d.model);
}
