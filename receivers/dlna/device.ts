// One renderer as its description says (UPnP Device Architecture 1.0 §2): the MediaRenderer:1
// device (the root or one embedded in it), its AVTransport, RenderingControl and ConnectionManager
// with absolute control and event URLs, the AVTransport actions its SCPD lists (SetNext… is
// optional), and what it plays: ConnectionManager GetProtocolInfo's Sink list. Kept by receiver id
// so the profile (sync) and the driver find what discovery learned.
import { children, child, parseXml, text, type XmlNode } from './xml.js';
import { httpGetText, soap } from './soap.js';

export const MEDIA_RENDERER = 'urn:schemas-upnp-org:device:MediaRenderer:1';
export const AV_TRANSPORT = 'urn:schemas-upnp-org:service:AVTransport:1';
export const RENDERING_CONTROL = 'urn:schemas-upnp-org:service:RenderingControl:1';
export const CONNECTION_MANAGER = 'urn:schemas-upnp-org:service:ConnectionManager:1';

export interface ServiceUrls {
  serviceType: string;
  controlUrl: string;
  eventUrl: string | null;
  scpdUrl: string | null;
}

export interface RendererDevice {
  /** `dlna:<uuid>`. */
  id: string;
  udn: string;
  location: string;
  friendlyName: string;
  manufacturer: string | null;
  modelName: string | null;
  avTransport: ServiceUrls;
  renderingControl: ServiceUrls | null;
  connectionManager: ServiceUrls | null;
  /** AVTransport action names from its SCPD (empty when the SCPD could not be read). */
  actions: string[];
  /** ConnectionManager Sink protocolInfo entries, e.g. `http-get:*:audio/mpeg:*`. */
  sink: string[];
}

const known = new Map<string, RendererDevice>();

export function knownDevice(id: string): RendererDevice | undefined {
  return known.get(id);
}

export function rememberDevice(d: RendererDevice): void {
  known.set(d.id, d);
}

/** The renderer described at this address (a TV that is also a control point browses from it). */
export function knownDeviceAt(host: string): RendererDevice | undefined {
  for (const d of known.values()) if (new URL(d.location).hostname === host) return d;
  return undefined;
}

export function idForUdn(udn: string): string {
  return `dlna:${udn.replace(/^uuid:/i, '').trim()}`;
}

function* devicesIn(device: XmlNode | undefined): Generator<XmlNode> {
  if (!device) return;
  yield device;
  for (const d of children(child(device, 'deviceList'), 'device')) yield* devicesIn(d);
}

function abs(base: string, u: string | undefined): string | null {
  if (!u) return null;
  try {
    return new URL(u, base).toString();
  } catch {
    return null;
  }
}

/** A description document → the renderer in it (without the SCPD and GetProtocolInfo parts). */
export function parseDescription(xml: string, location: string): Omit<RendererDevice, 'actions' | 'sink'> {
  const root = child(parseXml(xml), 'root');
  if (!root) throw new Error(`${location}: no <root> in the device description`);
  const base = text(root, 'URLBase') || location;
  const device = [...devicesIn(child(root, 'device'))].find((d) => text(d, 'deviceType')?.startsWith('urn:schemas-upnp-org:device:MediaRenderer:'));
  if (!device) throw new Error(`${location}: no MediaRenderer device in the description`);
  const udn = text(device, 'UDN');
  if (!udn) throw new Error(`${location}: the MediaRenderer has no UDN`);
  const services = children(child(device, 'serviceList'), 'service').map((s): ServiceUrls | null => {
    const serviceType = text(s, 'serviceType');
    const controlUrl = abs(base, text(s, 'controlURL'));
    if (!serviceType || !controlUrl) return null;
    return { serviceType, controlUrl, eventUrl: abs(base, text(s, 'eventSubURL')), scpdUrl: abs(base, text(s, 'SCPDURL')) };
  }).filter((s): s is ServiceUrls => s !== null);
  // Any version of the service (AVTransport:2 includes :1's actions).
  const unversioned = (t: string) => t.replace(/:\d+$/, '');
  const find = (type: string) => services.find((s) => unversioned(s.serviceType) === unversioned(type)) ?? null;
  const avTransport = find(AV_TRANSPORT);
  if (!avTransport) throw new Error(`${location}: the MediaRenderer has no AVTransport service`);
  return {
    id: idForUdn(udn),
    udn,
    location,
    friendlyName: text(device, 'friendlyName')?.trim() || 'DLNA renderer',
    manufacturer: text(device, 'manufacturer')?.trim() || null,
    modelName: text(device, 'modelName')?.trim() || null,
    avTransport,
    renderingControl: find(RENDERING_CONTROL),
    connectionManager: find(CONNECTION_MANAGER),
  };
}

/** Action names an SCPD lists. */
export function scpdActions(xml: string): string[] {
  const scpd = child(parseXml(xml), 'scpd');
  return children(child(scpd, 'actionList'), 'action').map((a) => text(a, 'name') ?? '').filter(Boolean);
}

/** Fetches and reads everything about the renderer at `location`. */
export async function describeRenderer(location: string, timeoutMs = 5000): Promise<RendererDevice> {
  const d = parseDescription(await httpGetText(location, timeoutMs), location);
  const [actions, sink] = await Promise.all([
    d.avTransport.scpdUrl ? httpGetText(d.avTransport.scpdUrl, timeoutMs).then(scpdActions).catch(() => []) : Promise.resolve([]),
    d.connectionManager
      ? soap({ controlUrl: d.connectionManager.controlUrl, serviceType: d.connectionManager.serviceType, action: 'GetProtocolInfo', timeoutMs, device: d.friendlyName })
        .then((r) => (r.Sink ?? '').split(',').map((s) => s.trim()).filter(Boolean))
        .catch(() => [])
      : Promise.resolve([]),
  ]);
  return { ...d, actions, sink };
}
