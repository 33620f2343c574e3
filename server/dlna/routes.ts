// The MediaServer's HTTP side under /dlna: device description, SCPDs, SOAP control and GENA
// event subscriptions. Answered only to private (LAN) addresses: DLNA clients cannot log in.
import express, { type Request, type Response } from 'express';
import { deviceDescriptionXml, scpdXml, type ServiceSpec } from '../../receivers/shared/upnp/description.js';
import type { GenaPublisher } from '../../receivers/shared/upnp/gena.js';
import { isPrivateAddress } from '../../receivers/shared/upnp/private-address.js';
import { parseSoapRequest, QUERY_STATE_VARIABLE, queryStateVariableResponse, readBody, SOAP_CONTENT_TYPE, soapFault, soapResponse, UpnpError, UpnpErrors } from '../../receivers/shared/upnp/soap.js';
import type { UrlSigner } from '../media/signing.js';
import type { Logger } from '../util/log.js';
import { recogniseClient, type DeviceDetails } from './client-profiles.js';
import { contentDirectory } from './content-directory.js';
import type { DlnaLibrary } from './library-state.js';
import { itemLinks } from './links.js';
import { requestBase } from './media-headers.js';
import { connectionManager, mediaReceiverRegistrar } from './other-services.js';
import { CDS_TYPE, CM_TYPE, connectionManagerSpec, contentDirectorySpec, MEDIA_SERVER_TYPE, MRR_TYPE, registrarSpec } from './scpd.js';

export interface DlnaRouteDeps {
  name: string;
  uuid: string;
  version: string;
  library: DlnaLibrary;
  signer: UrlSigner;
  log: Logger;
  events: Record<ServiceKey, GenaPublisher>;
  /** What the renderer at this address said of itself in its UPnP description, when discovery has read it. */
  describedAt?: (ip: string) => DeviceDetails | undefined;
}

export type ServiceKey = 'cds' | 'cm' | 'mrr';

interface Service {
  type: string;
  id: string;
  spec: ServiceSpec;
  call(action: string, args: Record<string, string>, req: Request): Array<[string, string | number]>;
}

export const DESCRIPTION_PATH = '/dlna/description.xml';


export function dlnaRouter(d: DlnaRouteDeps): express.Router {
  const services: Record<ServiceKey, Service> = {
    cds: {
      type: CDS_TYPE, id: 'urn:upnp-org:serviceId:ContentDirectory', spec: contentDirectorySpec,
      call: (action, args, req) => {
        const base = requestBase(req);
        const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
        const client = recogniseClient(req.headers, d.describedAt?.(ip));
        return contentDirectory(action, args, { library: d.library, links: (item) => itemLinks(item, base, d.signer, client), art: (hash) => base + d.signer.artUrl(hash, 96) });
      },
    },
    cm: { type: CM_TYPE, id: 'urn:upnp-org:serviceId:ConnectionManager', spec: connectionManagerSpec, call: (action, args) => connectionManager(action, args) },
    mrr: { type: MRR_TYPE, id: 'urn:microsoft.com:serviceId:X_MS_MediaReceiverRegistrar', spec: registrarSpec, call: (action) => mediaReceiverRegistrar(action) },
  };
  const description = deviceDescriptionXml({
    deviceType: MEDIA_SERVER_TYPE,
    friendlyName: d.name,
    manufacturer: 'homecast',
    manufacturerURL: 'https://github.com/homecast',
    modelName: 'homecast',
    modelDescription: 'homecast media server',
    modelNumber: d.version,
    serialNumber: d.uuid,
    udn: `uuid:${d.uuid}`,
    extra: '<dlna:X_DLNADOC xmlns:dlna="urn:schemas-dlna-org:device-1-0">DMS-1.50</dlna:X_DLNADOC>',
    presentationURL: '/',
    services: (Object.entries(services) as Array<[ServiceKey, Service]>).map(([key, s]) => ({ serviceType: s.type, serviceId: s.id, SCPDURL: `/dlna/${key}.xml`, controlURL: `/dlna/control/${key}`, eventSubURL: `/dlna/event/${key}` })),
  });
  const scpds = Object.fromEntries(Object.entries(services).map(([k, s]) => [k, scpdXml(s.spec)]));

  const router = express.Router();
  router.use('/dlna', (req, res, next) => {
    if (isPrivateAddress(req.socket.remoteAddress)) return next();
    d.log.warn('dlna request refused: not from the LAN', { from: req.socket.remoteAddress, url: req.originalUrl });
    res.status(403).end();
  });
  const xml = (res: Response, status: number, body: string) => res.status(status).set({ 'Content-Type': SOAP_CONTENT_TYPE, EXT: '', Server: `Linux/1.0 UPnP/1.0 homecast/${d.version}` }).send(body);
  router.get(DESCRIPTION_PATH, (_req, res) => xml(res, 200, description));
  router.get('/dlna/:svc.xml', (req, res) => {
    const body = scpds[String(req.params.svc)];
    if (!body) return void res.status(404).end();
    xml(res, 200, body);
  });
  router.post('/dlna/control/:svc', async (req, res) => {
    const svc = services[String(req.params.svc) as ServiceKey] as Service | undefined;
    if (!svc) return void res.status(404).end();
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return void res.status(413).end();
    }
    let action = '?';
    try {
      const call = parseSoapRequest(body, req.headers.soapaction);
      action = call.action;
      if (call.serviceType === QUERY_STATE_VARIABLE.serviceType && call.action === QUERY_STATE_VARIABLE.action) {
        const value = d.events[String(req.params.svc) as ServiceKey].values()[call.args.varName ?? ''];
        if (value === undefined) throw new UpnpError(404, 'Invalid Var');
        return xml(res, 200, queryStateVariableResponse(value));
      }
      if (call.serviceType !== svc.type) throw UpnpErrors.invalidAction();
      xml(res, 200, soapResponse(call.serviceType, call.action, svc.call(call.action, call.args, req)));
    } catch (e) {
      if (e instanceof UpnpError) {
        d.log.debug('dlna fault', { service: svc.id, action, code: e.code, reason: e.message });
        return xml(res, 500, soapFault(e.code, e.message));
      }
      d.log.error('dlna action failed', { service: svc.id, action, reason: (e as Error).message });
      xml(res, 500, soapFault(501, 'Action Failed'));
    }
  });
  router.all('/dlna/event/:svc', (req, res) => {
    const events = d.events[String(req.params.svc) as ServiceKey] as GenaPublisher | undefined;
    if (!events) return void res.status(404).end();
    events.handle(req, res);
  });
  return router;
}

export const serviceTypes = [CDS_TYPE, CM_TYPE, MRR_TYPE];
