// The DLNA MediaServer: TVs, consoles and apps on the LAN find us by SSDP and browse the library.
// main.ts mounts router() before listening and calls start() once the port is known.
import { hostname } from 'node:os';
import type express from 'express';
import { GenaPublisher } from '../../receivers/shared/upnp/gena.js';
import { lanInterfaces, startSsdpDevice, type SsdpDevice } from '../../receivers/shared/upnp/ssdp.js';
import type { LibraryQueries } from '../library/queries.js';
import type { Scanner } from '../library/scanner.js';
import type { UrlSigner } from '../media/signing.js';
import type { Logger } from '../util/log.js';
import type { DeviceDetails } from './client-profiles.js';
import { loadIdentity } from './identity.js';
import { DlnaLibrary } from './library-state.js';
import { ModeratedCdsEvents } from './moderated-events.js';
import { SOURCE_PROTOCOLS } from './protocol-info.js';
import { DESCRIPTION_PATH, dlnaRouter, serviceTypes } from './routes.js';
import { MEDIA_SERVER_TYPE } from './scpd.js';

export interface DlnaOptions {
  name?: string | undefined;
  dataDir: string;
  /** The HTTP server's listening address: SSDP goes only to LAN interfaces it is reachable on. */
  host: string;
  version: string;
  queries: LibraryQueries;
  scanner: Scanner;
  signer: UrlSigner;
  log: Logger;
  /** The description of the renderer at an address (receivers/dlna's discovery), to recognise a TV browsing us from it. */
  describedAt?: (ip: string) => DeviceDetails | undefined;
}

export interface DlnaServer {
  readonly router: express.Router;
  start(port: number): Promise<void>;
  stop(): Promise<void>;
}

export const defaultDlnaName = () => `homecast on ${hostname()}`;

export function createDlnaServer(o: DlnaOptions): DlnaServer {
  const id = loadIdentity(o.dataDir);
  const library = new DlnaLibrary(o.queries, id.systemUpdateId, (n) => id.save(n));
  const warn = (msg: string, fields?: Record<string, string | number>) => o.log.warn(`dlna ${msg}`, fields);
  const events = {
    cds: new GenaPublisher({ initial: () => ({ SystemUpdateID: String(library.systemUpdateId), ContainerUpdateIDs: '' }), onWarning: warn }),
    cm: new GenaPublisher({ initial: () => ({ SourceProtocolInfo: SOURCE_PROTOCOLS.join(','), SinkProtocolInfo: '', CurrentConnectionIDs: '0' }), onWarning: warn }),
    mrr: new GenaPublisher({ initial: () => ({ AuthorizationGrantedUpdateID: '1', AuthorizationDeniedUpdateID: '1', ValidationSucceededUpdateID: '1', ValidationRevokedUpdateID: '1' }), onWarning: warn }),
  };
  const name = o.name ?? defaultDlnaName();
  const onScan = () => library.invalidate();
  o.scanner.on('changed', onScan);
  const cdsEvents = new ModeratedCdsEvents((vars) => events.cds.notify(vars));
  library.on('changed', (c) => {
    o.log.info('dlna library changed', { systemUpdateId: c.systemUpdateId });
    cdsEvents.push(c);
  });
  let ssdp: SsdpDevice | undefined;
  return {
    router: dlnaRouter({ name, uuid: id.uuid, version: o.version, library, signer: o.signer, log: o.log, events, ...(o.describedAt ? { describedAt: o.describedAt } : {}) }),
    async start(port) {
      const interfaces = () => lanInterfaces(o.host);
      // Listening on loopback only: no TV could reach us, so nothing is announced.
      if (/^(127\.|::1$|localhost$)/.test(o.host)) return void o.log.info('dlna not announced: the server listens on loopback', { host: o.host });
      if (interfaces().length === 0) o.log.warn('dlna: no LAN interface to announce on yet', { host: o.host });
      ssdp = await startSsdpDevice({
        udn: `uuid:${id.uuid}`,
        deviceType: MEDIA_SERVER_TYPE,
        serviceTypes,
        location: (addr) => `http://${addr}:${port}${DESCRIPTION_PATH}`,
        server: `Linux/1.0 UPnP/1.0 homecast/${o.version}`,
        interfaces,
        onWarning: warn,
      });
      o.log.info('dlna ready', { name, uuid: id.uuid, interfaces: interfaces().map((i) => i.address).join(',') });
    },
    async stop() {
      o.scanner.off('changed', onScan);
      library.close();
      cdsEvents.close();
      for (const e of Object.values(events)) e.close();
      await ssdp?.stop();
    },
  };
}
