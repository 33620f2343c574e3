// The DLNA control point's pure parts: SOAP answers (good, faults, malformed), SSDP sightings
// (renderer alive, byebye, spoofed LOCATION), UPnP times, the profile from a Sink list, DIDL-Lite
// escaping, and LastChange events.
import { describe, expect, it } from 'vitest';
import { parseDescription } from '../../../../receivers/dlna/device.js';
import { didlFor } from '../../../../receivers/dlna/didl.js';
import { readLastChange, readPropertySet } from '../../../../receivers/dlna/gena.js';
import { defaultProfile, profileFromSink } from '../../../../receivers/dlna/profile.js';
import { BadSoapAnswer, readSoapResponse, SoapFault } from '../../../../receivers/dlna/soap.js';
import { rendererSighting } from '../../../../receivers/dlna/ssdp-search.js';
import { formatUpnpTime, parseUpnpTime } from '../../../../receivers/dlna/time.js';
import { lastChangeXml, propertySetXml } from '../../../../receivers/shared/upnp/gena.js';
import { soapFault, soapResponse } from '../../../../receivers/shared/upnp/soap.js';
import type { LoadRequest } from '../../../../receivers/types.js';

const AVT = 'urn:schemas-upnp-org:service:AVTransport:1';

describe('SOAP answers', () => {
  it('reads out arguments by name, and an empty response element as no arguments', () => {
    expect(readSoapResponse(200, soapResponse(AVT, 'GetTransportInfo', [['CurrentTransportState', 'PLAYING'], ['CurrentTransportStatus', 'OK'], ['CurrentSpeed', '1']]), 'GetTransportInfo', 'Den')).toEqual({ CurrentTransportState: 'PLAYING', CurrentTransportStatus: 'OK', CurrentSpeed: '1' });
    expect(readSoapResponse(200, soapResponse(AVT, 'Play', []), 'Play', 'Den')).toEqual({});
  });

  it('turns a UPnP fault into a SoapFault with its code and description', () => {
    const err = (() => { try { readSoapResponse(500, soapFault(701, 'Transition not available'), 'Pause', 'Den'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(SoapFault);
    expect(err).toMatchObject({ code: 701, description: 'Transition not available', message: 'Den refused Pause (UPnP error 701: Transition not available)' });
  });

  it('says what is wrong with answers that are not SOAP', () => {
    const read = (status: number, body: string) => () => readSoapResponse(status, body, 'Play', 'Den');
    expect(read(200, 'garbage')).toThrow(BadSoapAnswer);
    expect(read(200, 'garbage')).toThrow('Den answered Play with HTTP 200 and a body that is not SOAP (not XML)');
    expect(read(200, '<a><b></a>')).toThrow(/body that is not SOAP/);
    expect(read(200, '<?xml version="1.0"?><x/>')).toThrow('Den answered Play with HTTP 200 and no SOAP Envelope/Body');
    expect(read(200, soapResponse(AVT, 'Stop', []))).toThrow('Den answered Play without a PlayResponse element');
    expect(read(503, soapResponse(AVT, 'Play', []))).toThrow('Den answered Play with HTTP 503 and no UPnP fault');
    expect(read(200, '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(/not SOAP \(DOCTYPE not allowed\)/);
  });
});

describe('SSDP sightings', () => {
  const answer = (location: string, st = 'urn:schemas-upnp-org:device:MediaRenderer:1') =>
    `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: ${location}\r\nST: ${st}\r\nUSN: uuid:abc-1::${st}\r\n\r\n`;

  it('takes a renderer answer or alive whose LOCATION is the sender', () => {
    expect(rendererSighting(answer('http://10.0.0.5:49152/description.xml'), '10.0.0.5')).toEqual({ kind: 'alive', udn: 'uuid:abc-1', location: 'http://10.0.0.5:49152/description.xml', from: '10.0.0.5', maxAge: 1800 });
    const notify = 'NOTIFY * HTTP/1.1\r\nNT: urn:schemas-upnp-org:device:MediaRenderer:1\r\nNTS: ssdp:alive\r\nLOCATION: http://10.0.0.5:1/d.xml\r\nUSN: uuid:abc-1::urn:schemas-upnp-org:device:MediaRenderer:1\r\n\r\n';
    expect(rendererSighting(notify, '10.0.0.5')).toMatchObject({ kind: 'alive', udn: 'uuid:abc-1' });
  });

  it('ignores other devices, LOCATIONs on another host (spoofing), and non-http ones', () => {
    expect(rendererSighting(answer('http://10.0.0.5:1/d.xml', 'urn:schemas-upnp-org:device:MediaServer:1'), '10.0.0.5')).toBeUndefined();
    expect(rendererSighting(answer('http://192.168.1.1/admin'), '10.0.0.5')).toBeUndefined();
    expect(rendererSighting(answer('file:///etc/passwd'), '10.0.0.5')).toBeUndefined();
    expect(rendererSighting('garbage', '10.0.0.5')).toBeUndefined();
  });

  it('takes any byebye of the device as its going', () => {
    const bye = 'NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:byebye\r\nUSN: uuid:abc-1::upnp:rootdevice\r\n\r\n';
    expect(rendererSighting(bye, '10.0.0.5')).toMatchObject({ kind: 'byebye', udn: 'uuid:abc-1', location: null });
  });
});

describe('UPnP times', () => {
  it('parses H+:MM:SS[.F] and refuses the rest', () => {
    expect(parseUpnpTime('0:03:25')).toBe(205);
    expect(parseUpnpTime('1:00:00.500')).toBe(3600.5);
    expect(parseUpnpTime('NOT_IMPLEMENTED')).toBeNull();
    expect(parseUpnpTime('')).toBeNull();
    expect(formatUpnpTime(205.5)).toBe('0:03:25.500');
    expect(formatUpnpTime(3600)).toBe('1:00:00');
  });
});

describe('profile from the Sink list', () => {
  it('maps MIME types to containers and codecs; video makes it a TV', () => {
    const p = profileFromSink('Den', ['http-get:*:audio/mpeg:DLNA.ORG_PN=MP3', 'http-get:*:audio/x-flac:*', 'http-get:*:image/jpeg:*', 'rtsp-rtp-udp:*:video/mp4:*', 'nonsense']);
    expect(p).toMatchObject({ name: 'Den', audioOnly: true, containers: ['mp3', 'flac'], imageFormats: ['jpeg'] });
    expect(p.audioCodecs.map((c) => c.codec)).toEqual(['mp3', 'flac']);
    const tv = profileFromSink('TV', ['http-get:*:video/mp4:*']);
    expect(tv.audioOnly).toBe(false);
    expect(tv.videoCodecs.map((c) => c.codec)).toContain('h264');
  });

  it('falls back to DLNA\'s mandatory formats when the list says nothing usable', () => {
    expect(profileFromSink('Den', [])).toEqual(defaultProfile('Den'));
  });
});

describe('device description', () => {
  it('finds an embedded MediaRenderer and resolves its URLs against URLBase', () => {
    const xml = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><URLBase>http://10.0.0.9:8080/</URLBase><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><UDN>uuid:root</UDN>
      <deviceList><device><deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType><friendlyName>TV &amp; Co</friendlyName><modelName>X1</modelName><UDN>uuid:tv-1</UDN>
      <serviceList><service><serviceType>urn:schemas-upnp-org:service:AVTransport:1</serviceType><controlURL>av/ctl</controlURL><eventSubURL>/av/evt</eventSubURL><SCPDURL>av.xml</SCPDURL></service></serviceList></device></deviceList></device></root>`;
    expect(parseDescription(xml, 'http://10.0.0.9:8080/desc.xml')).toMatchObject({
      id: 'dlna:tv-1', friendlyName: 'TV & Co', modelName: 'X1', renderingControl: null,
      avTransport: { controlUrl: 'http://10.0.0.9:8080/av/ctl', eventUrl: 'http://10.0.0.9:8080/av/evt', scpdUrl: 'http://10.0.0.9:8080/av.xml' },
    });
    expect(() => parseDescription('<root><device><deviceType>urn:x</deviceType></device></root>', 'http://h/d')).toThrow('http://h/d: no MediaRenderer device in the description');
  });
});

describe('DIDL-Lite and events', () => {
  it('escapes what it is given and marks a live transcode as not seekable', () => {
    const req: LoadRequest = { url: 'http://h/media/1?a=1&sig=x', contentType: 'audio/flac', metadata: { title: 'Rock & <Roll>', artist: 'A "B"', kind: 'audio', artUrl: 'http://h/art?x=1&y=2' }, duration: 61.5, startAt: 0, live: true };
    const didl = didlFor(req);
    expect(didl).toContain('<dc:title>Rock &amp; &lt;Roll&gt;</dc:title>');
    expect(didl).toContain('<upnp:albumArtURI dlna:profileID="JPEG_TN">http://h/art?x=1&amp;y=2</upnp:albumArtURI>');
    expect(didl).toContain('protocolInfo="http-get:*:audio/flac:DLNA.ORG_OP=00;');
    expect(didl).toContain('duration="0:01:01.500">http://h/media/1?a=1&amp;sig=x</res>');
  });

  it('reads a LastChange from a GENA property set, Master channel only', () => {
    const lc = lastChangeXml('urn:schemas-upnp-org:metadata-1-0/RCS/', { Volume: { val: '30', attrs: { channel: 'Master' } }, Mute: { val: '1', attrs: { channel: 'Master' } } });
    const props = readPropertySet(propertySetXml({ LastChange: lc }));
    expect(readLastChange(props.LastChange!)).toEqual({ Volume: '30', Mute: '1' });
    expect(readLastChange('<Event><InstanceID val="0"><TransportState val="PLAYING"/></InstanceID></Event>')).toEqual({ TransportState: 'PLAYING' });
  });
});
