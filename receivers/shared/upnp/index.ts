// The device side of UPnP, shared by the DLNA MediaServer (server/dlna) and the software renderer.
export * from './xml.js';
export * from './private-address.js';
export * from './soap.js';
export * from './description.js';
export * from './gena.js';
export * from './ssdp.js';
