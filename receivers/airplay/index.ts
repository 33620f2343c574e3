// The AirPlay (RAOP) kind as registered in receivers/index.ts: its discovery manifest, its profile
// and its driver.
export { name, serviceTypes, defaultPort, describe, profileForModel } from './describe.js';
export { connectReceiver } from './driver.js';
