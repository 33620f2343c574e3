import { describe, expect, it } from 'vitest';
import { parseSoapRequest, soapFault, soapResponse, UpnpError } from '../../../../receivers/shared/upnp/soap.js';
import { parseXml } from '../../../../receivers/shared/upnp/xml.js';
import { deviceDescriptionXml, scpdXml } from '../../../../receivers/shared/upnp/description.js';
import { isPrivateAddress } from '../../../../receivers/shared/upnp/private-address.js';

const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';
const envelope = (inner: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${inner}</s:Body></s:Envelope>`;

function fault(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof UpnpError) return e.code;
    throw e;
  }
  throw new Error('no fault');
}

describe('SOAP requests', () => {
  it('reads the action and its arguments, entities decoded', () => {
    const r = parseSoapRequest(envelope(`<u:Browse xmlns:u="${CDS}"><ObjectID>0$1</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>10</RequestedCount><SortCriteria></SortCriteria><Meta>&lt;DIDL-Lite/&gt;</Meta></u:Browse>`), `"${CDS}#Browse"`);
    expect(r).toEqual({ serviceType: CDS, action: 'Browse', args: { ObjectID: '0$1', BrowseFlag: 'BrowseDirectChildren', Filter: '*', StartingIndex: '0', RequestedCount: '10', SortCriteria: '', Meta: '<DIDL-Lite/>' } });
  });
  it('faults on malformed bodies, missing or mismatched actions and DOCTYPEs', () => {
    expect(fault(() => parseSoapRequest('<s:Envelope><s:Body><u:Browse>', `"${CDS}#Browse"`))).toBe(402);
    expect(fault(() => parseSoapRequest('not xml at all', `"${CDS}#Browse"`))).toBe(402);
    expect(fault(() => parseSoapRequest(envelope('<u:Browse/>'), undefined))).toBe(401);
    expect(fault(() => parseSoapRequest(envelope('<u:Search/>'), `"${CDS}#Browse"`))).toBe(401);
    expect(fault(() => parseSoapRequest(`<!DOCTYPE x [<!ENTITY a "aaaa">]>${envelope('<u:Browse/>')}`, `"${CDS}#Browse"`))).toBe(402);
    expect(fault(() => parseSoapRequest(envelope('<u:Browse><ObjectID><x>1</x></ObjectID></u:Browse>'), `"${CDS}#Browse"`))).toBe(402);
  });
  it('builds responses and faults that parse back', () => {
    const ok = parseXml(soapResponse(CDS, 'GetSystemUpdateID', [['Id', 7]])) as any;
    expect(ok.Envelope.Body.GetSystemUpdateIDResponse.Id).toBe('7');
    const f = parseXml(soapFault(701, 'No such object <x>')) as any;
    expect(f.Envelope.Body.Fault.detail.UPnPError).toMatchObject({ errorCode: '701', errorDescription: 'No such object <x>' });
  });
});

describe('descriptions', () => {
  it('device description and SCPD carry what control points read', () => {
    const d = parseXml(deviceDescriptionXml({ deviceType: 'urn:schemas-upnp-org:device:MediaServer:1', friendlyName: 'a & b', manufacturer: 'm', modelName: 'n', udn: 'uuid:1', services: [{ serviceType: CDS, serviceId: 'urn:upnp-org:serviceId:ContentDirectory', SCPDURL: '/s', controlURL: '/c', eventSubURL: '/e' }] })) as any;
    expect(d.root.device.friendlyName).toBe('a & b');
    expect(d.root.device.serviceList.service.controlURL).toBe('/c');
    const s = parseXml(scpdXml({ actions: [{ name: 'GetSystemUpdateID', args: [{ name: 'Id', direction: 'out', relatedStateVariable: 'SystemUpdateID' }] }], stateVariables: [{ name: 'SystemUpdateID', dataType: 'ui4', sendEvents: true }] })) as any;
    expect(s.scpd.actionList.action.argumentList.argument.name).toBe('Id');
    expect(s.scpd.serviceStateTable.stateVariable['@sendEvents']).toBe('yes');
  });
});

describe('private addresses', () => {
  it('accepts LAN, loopback and link-local; refuses public ones', () => {
    for (const a of ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.2', '127.0.0.1', '169.254.1.1', '::1', 'fd00::1', 'fe80::1', '::ffff:192.168.0.3']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '100.64.0.1', '2001:db8::1', '::ffff:8.8.8.8', '', 'x']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
