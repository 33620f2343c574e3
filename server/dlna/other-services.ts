// ConnectionManager:1 (a MediaServer has one connection, 0, with no peer) and the
// X_MS_MediaReceiverRegistrar:1 stubs Xbox and Windows Media Player call before browsing
// (everyone is authorised: DLNA has no accounts; access is limited to the LAN instead).
import { UpnpError, UpnpErrors } from '../../receivers/shared/upnp/soap.js';
import { SOURCE_PROTOCOLS } from './protocol-info.js';

type Out = Array<[string, string | number]>;

export function connectionManager(action: string, args: Record<string, string>): Out {
  switch (action) {
    case 'GetProtocolInfo': return [['Source', SOURCE_PROTOCOLS.join(',')], ['Sink', '']];
    case 'GetCurrentConnectionIDs': return [['ConnectionIDs', '0']];
    case 'GetCurrentConnectionInfo': {
      if (args.ConnectionID === undefined) throw UpnpErrors.invalidArgs('Missing ConnectionID');
      if (args.ConnectionID.trim() !== '0') throw new UpnpError(706, 'Invalid connection reference');
      return [['RcsID', -1], ['AVTransportID', -1], ['ProtocolInfo', ''], ['PeerConnectionManager', ''], ['PeerConnectionID', -1], ['Direction', 'Output'], ['Status', 'OK']];
    }
    default: throw UpnpErrors.invalidAction();
  }
}

export function mediaReceiverRegistrar(action: string): Out {
  switch (action) {
    case 'IsAuthorized':
    case 'IsValidated': return [['Result', 1]];
    case 'RegisterDevice': return [['RegistrationRespMsg', '']];
    default: throw UpnpErrors.invalidAction();
  }
}
