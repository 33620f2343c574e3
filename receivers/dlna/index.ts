// The DLNA renderer kind as registered in receivers/index.ts: found by SSDP (discover), its profile
// from the renderer's Sink list, and its driver (a UPnP AV control point).
export { name, serviceTypes, defaultPort, describe, profileForModel, profileFor, discover, type KindDiscoveryOptions } from './describe.js';
export { connectReceiver } from './driver.js';
export { knownDeviceAt } from './device.js';
