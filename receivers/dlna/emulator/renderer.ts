// The software DLNA renderer (`npm run receiver -- dlna`): a MediaRenderer:1 device as TVs and
// speakers expose it — SSDP (advertise, answer M-SEARCH, byebye on close), the device description,
// SCPDs listing actions with their `out` arguments, SOAP control with UPnP faults, GENA LastChange
// events — and a player that fetches, probes and plays in real time what it is given (player.ts).
// The device side is receivers/shared/upnp (shared with the MediaServer).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deviceDescriptionXml, inArgs, scpdXml, type ServiceSpec } from '../../shared/upnp/description.js';
import { GenaPublisher, lastChangeXml, SERVER_HEADER } from '../../shared/upnp/gena.js';
import { parseSoapRequest, readBody, SOAP_CONTENT_TYPE, soapFault, soapResponse, UpnpError, UpnpErrors } from '../../shared/upnp/soap.js';
import { lanInterfaces, startSsdpDevice, type SsdpDevice } from '../../shared/upnp/ssdp.js';
import { AV_TRANSPORT, CONNECTION_MANAGER, MEDIA_RENDERER, RENDERING_CONTROL } from '../device.js';
import { profileFromSink } from '../profile.js';
import { AV_TRANSPORT_SPEC, CONNECTION_MANAGER_SPEC, RENDERING_CONTROL_SPEC, sinkProtocols } from './services.js';
import { RendererTransport, type RendererEvent } from './transport.js';

export interface DlnaRendererOptions {
  name: string;
  host?: string;
  port?: number;
  uuid?: string;
  audioOnly?: boolean;
  /** What its description says it is (a TV's maker and model: servers recognise it by them). */
  manufacturer?: string;
  model?: string;
  ssdp?: boolean;
  ffprobePath?: string;
  ffmpegPath?: string;
}

export interface DlnaRendererEmulator {
  readonly port: number;
  readonly host: string;
  readonly udn: string;
  readonly name: string;
  readonly events: EventEmitter<{ event: [RendererEvent] }>;
  close(): Promise<void>;
}

const AVT_NS = 'urn:schemas-upnp-org:metadata-1-0/AVT/';
const RCS_NS = 'urn:schemas-upnp-org:metadata-1-0/RCS/';
const MODEL = 'homecast software renderer';

type Handler = (args: Record<string, string>) => Array<[string, string | number]>;

export async function startDlnaRenderer(o: DlnaRendererOptions): Promise<DlnaRendererEmulator> {
  const udn = `uuid:${o.uuid ?? randomUUID()}`;
  const host = o.host ?? '0.0.0.0';
  const sink = sinkProtocols(o.audioOnly === true);
  const profile = profileFromSink(MODEL, sink);
  const events = new EventEmitter<{ event: [RendererEvent] }>();
  const t = new RendererTransport(profile, { ffprobePath: o.ffprobePath ?? 'ffprobe', ffmpegPath: o.ffmpegPath ?? 'ffmpeg', probeTimeoutMs: 15_000 });
  t.on('event', (e) => events.emit('event', e));

  const avVars = () => {
    const p = t.position();
    return { TransportState: t.state, TransportStatus: t.status, AVTransportURI: t.current?.uri ?? '', CurrentTrackURI: t.current?.uri ?? '', NextAVTransportURI: t.next?.uri ?? '', CurrentTrackDuration: p.duration, CurrentTransportActions: actions() };
  };
  const rcVars = () => ({ Volume: { val: String(t.volume), attrs: { channel: 'Master' } }, Mute: { val: t.muted ? '1' : '0', attrs: { channel: 'Master' } } });
  const avGena = new GenaPublisher({ initial: () => ({ LastChange: lastChangeXml(AVT_NS, avVars()) }) });
  const rcGena = new GenaPublisher({ initial: () => ({ LastChange: lastChangeXml(RCS_NS, rcVars()) }) });
  const cmGena = new GenaPublisher({ initial: () => ({ SourceProtocolInfo: '', SinkProtocolInfo: sink.join(','), CurrentConnectionIDs: '0' }) });
  t.on('avChanged', (vars) => avGena.notify({ LastChange: lastChangeXml(AVT_NS, vars) }));
  t.on('rcChanged', (vars) => rcGena.notify({ LastChange: lastChangeXml(RCS_NS, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { val: v, attrs: { channel: 'Master' } }]))) }));

  function actions(): string {
    if (t.state === 'PLAYING') return 'Pause,Stop,Seek';
    if (t.state === 'PAUSED_PLAYBACK') return 'Play,Stop,Seek';
    return t.current ? 'Play' : '';
  }
  const master = (a: Record<string, string>) => {
    if (a.Channel !== 'Master') throw UpnpErrors.invalidArgs(`Unknown channel ${a.Channel ?? ''}`);
  };
  const instance = (a: Record<string, string>) => {
    if (a.InstanceID !== undefined && a.InstanceID !== '0') throw new UpnpError(718, 'Invalid InstanceID');
  };

  const av: Record<string, Handler> = {
    SetAVTransportURI: (a) => (t.setUri(a.CurrentURI ?? '', a.CurrentURIMetaData ?? ''), []),
    SetNextAVTransportURI: (a) => (t.setNextUri(a.NextURI ?? '', a.NextURIMetaData ?? ''), []),
    GetMediaInfo: () => [['NrTracks', t.current ? 1 : 0], ['MediaDuration', t.position().duration], ['CurrentURI', t.current?.uri ?? ''], ['CurrentURIMetaData', t.current?.metadata ?? ''], ['NextURI', t.next?.uri ?? ''], ['NextURIMetaData', t.next?.metadata ?? ''], ['PlayMedium', 'NETWORK'], ['RecordMedium', 'NOT_IMPLEMENTED'], ['WriteStatus', 'NOT_IMPLEMENTED']],
    GetTransportInfo: () => [['CurrentTransportState', t.state], ['CurrentTransportStatus', t.status], ['CurrentSpeed', '1']],
    GetPositionInfo: () => {
      const p = t.position();
      return [['Track', t.current ? 1 : 0], ['TrackDuration', p.duration], ['TrackMetaData', t.current?.metadata ?? ''], ['TrackURI', t.current?.uri ?? ''], ['RelTime', p.rel], ['AbsTime', p.rel], ['RelCount', 2147483647], ['AbsCount', 2147483647]];
    },
    GetDeviceCapabilities: () => [['PlayMedia', 'NETWORK'], ['RecMedia', 'NOT_IMPLEMENTED'], ['RecQualityModes', 'NOT_IMPLEMENTED']],
    GetTransportSettings: () => [['PlayMode', 'NORMAL'], ['RecQualityMode', 'NOT_IMPLEMENTED']],
    GetCurrentTransportActions: () => [['Actions', actions()]],
    Stop: () => (t.stop(), []),
    Play: (a) => {
      if (a.Speed !== '1') throw new UpnpError(717, 'Play speed not supported');
      return t.play(), [];
    },
    Pause: () => (t.pause(), []),
    Seek: (a) => (t.seek(a.Unit ?? '', a.Target ?? ''), []),
    Next: () => { throw new UpnpError(701, 'Transition not available'); },
    Previous: () => { throw new UpnpError(701, 'Transition not available'); },
  };
  const rc: Record<string, Handler> = {
    ListPresets: () => [['CurrentPresetNameList', 'FactoryDefaults']],
    SelectPreset: (a) => {
      if (a.PresetName !== 'FactoryDefaults') throw UpnpErrors.invalidArgs('Unknown preset');
      return t.setVolume(50), t.setMuted(false), [];
    },
    GetVolume: (a) => (master(a), [['CurrentVolume', t.volume]]),
    SetVolume: (a) => {
      master(a);
      const v = Number(a.DesiredVolume);
      if (!/^\d+$/.test(a.DesiredVolume ?? '') || v > 100) throw UpnpErrors.argumentOutOfRange();
      return t.setVolume(v), [];
    },
    GetMute: (a) => (master(a), [['CurrentMute', t.muted ? 1 : 0]]),
    SetMute: (a) => {
      master(a);
      if (!['0', '1', 'true', 'false'].includes(a.DesiredMute ?? '')) throw UpnpErrors.argumentValueInvalid();
      return t.setMuted(a.DesiredMute === '1' || a.DesiredMute === 'true'), [];
    },
  };
  const cm: Record<string, Handler> = {
    GetProtocolInfo: () => [['Source', ''], ['Sink', sink.join(',')]],
    GetCurrentConnectionIDs: () => [['ConnectionIDs', '0']],
    GetCurrentConnectionInfo: (a) => {
      if (a.ConnectionID !== '0') throw new UpnpError(706, 'Invalid connection reference');
      return [['RcsID', 0], ['AVTransportID', 0], ['ProtocolInfo', ''], ['PeerConnectionManager', ''], ['PeerConnectionID', -1], ['Direction', 'Input'], ['Status', 'OK']];
    },
  };
  const services: Record<string, { type: string; spec: ServiceSpec; handlers: Record<string, Handler>; gena: GenaPublisher }> = {
    AVTransport: { type: AV_TRANSPORT, spec: AV_TRANSPORT_SPEC, handlers: av, gena: avGena },
    RenderingControl: { type: RENDERING_CONTROL, spec: RENDERING_CONTROL_SPEC, handlers: rc, gena: rcGena },
    ConnectionManager: { type: CONNECTION_MANAGER, spec: CONNECTION_MANAGER_SPEC, handlers: cm, gena: cmGena },
  };
  const description = deviceDescriptionXml({
    deviceType: MEDIA_RENDERER, friendlyName: o.name, manufacturer: o.manufacturer ?? 'homecast', modelName: o.model ?? MODEL, modelNumber: '1', udn,
    extra: '<dlna:X_DLNADOC xmlns:dlna="urn:schemas-dlna-org:device-1-0">DMR-1.50</dlna:X_DLNADOC>',
    services: Object.entries(services).map(([id, s]) => ({ serviceType: s.type, serviceId: `urn:upnp-org:serviceId:${id}`, SCPDURL: `/scpd/${id}.xml`, controlURL: `/control/${id}`, eventSubURL: `/event/${id}` })),
  });

  async function control(s: (typeof services)[string], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: string) => res.writeHead(status, { 'Content-Type': SOAP_CONTENT_TYPE, Server: SERVER_HEADER, 'Content-Length': Buffer.byteLength(body) }).end(body);
    let action = '';
    try {
      const call = parseSoapRequest(await readBody(req), req.headers.soapaction);
      action = call.action;
      const handler = s.handlers[call.action];
      if (call.serviceType.replace(/:\d+$/, '') !== s.type.replace(/:\d+$/, '') || !handler) throw UpnpErrors.invalidAction();
      const missing = (inArgs(s.spec, call.action) ?? []).filter((n) => call.args[n] === undefined);
      if (missing.length) throw UpnpErrors.invalidArgs(`Missing argument ${missing.join(', ')}`);
      instance(call.args);
      reply(200, soapResponse(s.type, call.action, handler(call.args)));
    } catch (err) {
      const e = err instanceof UpnpError ? err : UpnpErrors.actionFailed((err as Error).message);
      events.emit('event', { event: 'fault', action, code: e.code, description: e.message });
      reply(500, soapFault(e.code, e.message));
    }
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const send = (status: number, type: string, body: string) => res.writeHead(status, { 'Content-Type': type, Server: SERVER_HEADER, 'Content-Length': Buffer.byteLength(body) }).end(body);
    if (req.method === 'GET' && path === '/description.xml') return send(200, 'text/xml; charset="utf-8"', description);
    const m = /^\/(scpd|control|event)\/(\w+?)(?:\.xml)?$/.exec(path);
    const s = m ? services[m[2]!] : undefined;
    if (!m || !s) return send(404, 'text/plain', 'not found');
    if (m[1] === 'scpd' && req.method === 'GET') return send(200, 'text/xml; charset="utf-8"', scpdXml(s.spec));
    if (m[1] === 'event') return s.gena.handle(req, res);
    if (m[1] === 'control' && req.method === 'POST') return void control(s, req, res);
    send(405, 'text/plain', 'method not allowed');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let ssdp: SsdpDevice | undefined;
  if (o.ssdp !== false) {
    ssdp = await startSsdpDevice({
      udn, deviceType: MEDIA_RENDERER, serviceTypes: Object.values(services).map((s) => s.type),
      location: (addr) => `http://${addr}:${port}/description.xml`,
      ...(o.host && o.host !== '0.0.0.0' ? { interfaces: () => lanInterfaces(o.host) } : {}),
      onWarning: (msg, fields) => process.stderr.write(`warning: ${msg} ${JSON.stringify(fields ?? {})}\n`),
    });
  }
  return {
    port, host, udn, name: o.name, events,
    async close() {
      t.close();
      await ssdp?.stop();
      for (const s of Object.values(services)) s.gena.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
