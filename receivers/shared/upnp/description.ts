// Device description and SCPD documents (UDA 1.1 §2.3, §2.5). Control points read the SCPD to
// know actions and their `out` arguments by name (upnp-device-client refuses actions it does not
// list [npm upnp-device-client 1.0.2, index.js]), so one ServiceSpec feeds both the SCPD and the dispatcher.
import { el, escapeXml } from './xml.js';

export interface ServiceRef {
  serviceType: string;
  serviceId: string;
  SCPDURL: string;
  controlURL: string;
  eventSubURL: string;
}

export interface DeviceSpec {
  deviceType: string;
  friendlyName: string;
  manufacturer: string;
  manufacturerURL?: string;
  modelName: string;
  modelDescription?: string;
  modelNumber?: string;
  modelURL?: string;
  serialNumber?: string;
  /** `uuid:...` */
  udn: string;
  services: ServiceRef[];
  icons?: Array<{ mimetype: string; width: number; height: number; depth: number; url: string }>;
  presentationURL?: string;
  /** Extra elements inside <device> (already XML), e.g. `<dlna:X_DLNADOC xmlns:dlna=...>DMS-1.50</dlna:X_DLNADOC>`. */
  extra?: string;
}

export function deviceDescriptionXml(d: DeviceSpec): string {
  const opt = (name: string, v: string | undefined) => (v === undefined ? '' : el(name, v));
  const icons = d.icons?.length
    ? `<iconList>${d.icons.map((i) => `<icon>${el('mimetype', i.mimetype)}${el('width', i.width)}${el('height', i.height)}${el('depth', i.depth)}${el('url', i.url)}</icon>`).join('')}</iconList>`
    : '';
  const services = d.services
    .map((s) => `<service>${el('serviceType', s.serviceType)}${el('serviceId', s.serviceId)}${el('SCPDURL', s.SCPDURL)}${el('controlURL', s.controlURL)}${el('eventSubURL', s.eventSubURL)}</service>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<root xmlns="urn:schemas-upnp-org:device-1-0">' +
    '<specVersion><major>1</major><minor>0</minor></specVersion><device>' +
    el('deviceType', d.deviceType) + el('friendlyName', d.friendlyName) + el('manufacturer', d.manufacturer) + opt('manufacturerURL', d.manufacturerURL) +
    opt('modelDescription', d.modelDescription) + el('modelName', d.modelName) + opt('modelNumber', d.modelNumber) + opt('modelURL', d.modelURL) +
    opt('serialNumber', d.serialNumber) + el('UDN', d.udn) + (d.extra ?? '') + icons + `<serviceList>${services}</serviceList>` + opt('presentationURL', d.presentationURL) +
    '</device></root>'
  );
}

export interface ArgSpec {
  name: string;
  direction: 'in' | 'out';
  relatedStateVariable: string;
}

export interface StateVariableSpec {
  name: string;
  dataType: 'string' | 'ui1' | 'ui2' | 'ui4' | 'i1' | 'i2' | 'i4' | 'boolean' | 'uri';
  sendEvents?: boolean;
  allowedValues?: string[];
  range?: { minimum: number; maximum: number; step?: number };
  defaultValue?: string;
}

export interface ServiceSpec {
  actions: Array<{ name: string; args: ArgSpec[] }>;
  stateVariables: StateVariableSpec[];
}

export function scpdXml(s: ServiceSpec): string {
  const actions = s.actions
    .map((a) => {
      const args = a.args.map((g) => `<argument>${el('name', g.name)}${el('direction', g.direction)}${el('relatedStateVariable', g.relatedStateVariable)}</argument>`).join('');
      return `<action>${el('name', a.name)}${args ? `<argumentList>${args}</argumentList>` : ''}</action>`;
    })
    .join('');
  const vars = s.stateVariables
    .map((v) => {
      const allowed = v.allowedValues ? `<allowedValueList>${v.allowedValues.map((x) => el('allowedValue', x)).join('')}</allowedValueList>` : '';
      const range = v.range ? `<allowedValueRange>${el('minimum', v.range.minimum)}${el('maximum', v.range.maximum)}${v.range.step ? el('step', v.range.step) : ''}</allowedValueRange>` : '';
      const def = v.defaultValue === undefined ? '' : el('defaultValue', v.defaultValue);
      return `<stateVariable sendEvents="${v.sendEvents ? 'yes' : 'no'}">${el('name', v.name)}${el('dataType', v.dataType)}${def}${allowed}${range}</stateVariable>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<scpd xmlns="urn:schemas-upnp-org:service-1-0"><specVersion><major>1</major><minor>0</minor></specVersion><actionList>${actions}</actionList><serviceStateTable>${vars}</serviceStateTable></scpd>`;
}

/** The `in` arguments an action takes, for checking a request against its SCPD. */
export function inArgs(s: ServiceSpec, action: string): string[] | undefined {
  return s.actions.find((a) => a.name === action)?.args.filter((a) => a.direction === 'in').map((a) => a.name);
}

export { escapeXml };
