// The three services' SCPDs (ContentDirectory:1, ConnectionManager:1, and Microsoft's
// X_MS_MediaReceiverRegistrar:1 that Xbox and Windows Media Player ask for before browsing).
import type { ArgSpec, ServiceSpec } from '../../receivers/shared/upnp/description.js';

const arg = (name: string, direction: 'in' | 'out', relatedStateVariable: string): ArgSpec => ({ name, direction, relatedStateVariable });

export const CDS_TYPE = 'urn:schemas-upnp-org:service:ContentDirectory:1';
export const CM_TYPE = 'urn:schemas-upnp-org:service:ConnectionManager:1';
export const MRR_TYPE = 'urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1';
export const MEDIA_SERVER_TYPE = 'urn:schemas-upnp-org:device:MediaServer:1';

export const contentDirectorySpec: ServiceSpec = {
  actions: [
    { name: 'GetSearchCapabilities', args: [arg('SearchCaps', 'out', 'SearchCapabilities')] },
    { name: 'GetSortCapabilities', args: [arg('SortCaps', 'out', 'SortCapabilities')] },
    { name: 'GetSystemUpdateID', args: [arg('Id', 'out', 'SystemUpdateID')] },
    {
      name: 'Browse',
      args: [
        arg('ObjectID', 'in', 'A_ARG_TYPE_ObjectID'), arg('BrowseFlag', 'in', 'A_ARG_TYPE_BrowseFlag'), arg('Filter', 'in', 'A_ARG_TYPE_Filter'),
        arg('StartingIndex', 'in', 'A_ARG_TYPE_Index'), arg('RequestedCount', 'in', 'A_ARG_TYPE_Count'), arg('SortCriteria', 'in', 'A_ARG_TYPE_SortCriteria'),
        arg('Result', 'out', 'A_ARG_TYPE_Result'), arg('NumberReturned', 'out', 'A_ARG_TYPE_Count'), arg('TotalMatches', 'out', 'A_ARG_TYPE_Count'), arg('UpdateID', 'out', 'A_ARG_TYPE_UpdateID'),
      ],
    },
    {
      name: 'Search',
      args: [
        arg('ContainerID', 'in', 'A_ARG_TYPE_ObjectID'), arg('SearchCriteria', 'in', 'A_ARG_TYPE_SearchCriteria'), arg('Filter', 'in', 'A_ARG_TYPE_Filter'),
        arg('StartingIndex', 'in', 'A_ARG_TYPE_Index'), arg('RequestedCount', 'in', 'A_ARG_TYPE_Count'), arg('SortCriteria', 'in', 'A_ARG_TYPE_SortCriteria'),
        arg('Result', 'out', 'A_ARG_TYPE_Result'), arg('NumberReturned', 'out', 'A_ARG_TYPE_Count'), arg('TotalMatches', 'out', 'A_ARG_TYPE_Count'), arg('UpdateID', 'out', 'A_ARG_TYPE_UpdateID'),
      ],
    },
    // Samsung TVs call this before browsing; answering it keeps them from giving up.
    { name: 'X_GetFeatureList', args: [arg('FeatureList', 'out', 'A_ARG_TYPE_Featurelist')] },
  ],
  stateVariables: [
    { name: 'SearchCapabilities', dataType: 'string' },
    { name: 'SortCapabilities', dataType: 'string' },
    { name: 'SystemUpdateID', dataType: 'ui4', sendEvents: true },
    { name: 'ContainerUpdateIDs', dataType: 'string', sendEvents: true },
    { name: 'A_ARG_TYPE_ObjectID', dataType: 'string' },
    { name: 'A_ARG_TYPE_Result', dataType: 'string' },
    { name: 'A_ARG_TYPE_SearchCriteria', dataType: 'string' },
    { name: 'A_ARG_TYPE_BrowseFlag', dataType: 'string', allowedValues: ['BrowseMetadata', 'BrowseDirectChildren'] },
    { name: 'A_ARG_TYPE_Filter', dataType: 'string' },
    { name: 'A_ARG_TYPE_SortCriteria', dataType: 'string' },
    { name: 'A_ARG_TYPE_Index', dataType: 'ui4' },
    { name: 'A_ARG_TYPE_Count', dataType: 'ui4' },
    { name: 'A_ARG_TYPE_UpdateID', dataType: 'ui4' },
    { name: 'A_ARG_TYPE_Featurelist', dataType: 'string' },
  ],
};

export const connectionManagerSpec: ServiceSpec = {
  actions: [
    { name: 'GetProtocolInfo', args: [arg('Source', 'out', 'SourceProtocolInfo'), arg('Sink', 'out', 'SinkProtocolInfo')] },
    { name: 'GetCurrentConnectionIDs', args: [arg('ConnectionIDs', 'out', 'CurrentConnectionIDs')] },
    {
      name: 'GetCurrentConnectionInfo',
      args: [
        arg('ConnectionID', 'in', 'A_ARG_TYPE_ConnectionID'), arg('RcsID', 'out', 'A_ARG_TYPE_RcsID'), arg('AVTransportID', 'out', 'A_ARG_TYPE_AVTransportID'),
        arg('ProtocolInfo', 'out', 'A_ARG_TYPE_ProtocolInfo'), arg('PeerConnectionManager', 'out', 'A_ARG_TYPE_ConnectionManager'), arg('PeerConnectionID', 'out', 'A_ARG_TYPE_ConnectionID'),
        arg('Direction', 'out', 'A_ARG_TYPE_Direction'), arg('Status', 'out', 'A_ARG_TYPE_ConnectionStatus'),
      ],
    },
  ],
  stateVariables: [
    { name: 'SourceProtocolInfo', dataType: 'string', sendEvents: true },
    { name: 'SinkProtocolInfo', dataType: 'string', sendEvents: true },
    { name: 'CurrentConnectionIDs', dataType: 'string', sendEvents: true },
    { name: 'A_ARG_TYPE_ConnectionStatus', dataType: 'string', allowedValues: ['OK', 'ContentFormatMismatch', 'InsufficientBandwidth', 'UnreliableChannel', 'Unknown'] },
    { name: 'A_ARG_TYPE_ConnectionManager', dataType: 'string' },
    { name: 'A_ARG_TYPE_Direction', dataType: 'string', allowedValues: ['Input', 'Output'] },
    { name: 'A_ARG_TYPE_ProtocolInfo', dataType: 'string' },
    { name: 'A_ARG_TYPE_ConnectionID', dataType: 'i4' },
    { name: 'A_ARG_TYPE_AVTransportID', dataType: 'i4' },
    { name: 'A_ARG_TYPE_RcsID', dataType: 'i4' },
  ],
};

export const registrarSpec: ServiceSpec = {
  actions: [
    { name: 'IsAuthorized', args: [arg('DeviceID', 'in', 'A_ARG_TYPE_DeviceID'), arg('Result', 'out', 'A_ARG_TYPE_Result')] },
    { name: 'IsValidated', args: [arg('DeviceID', 'in', 'A_ARG_TYPE_DeviceID'), arg('Result', 'out', 'A_ARG_TYPE_Result')] },
    { name: 'RegisterDevice', args: [arg('RegistrationReqMsg', 'in', 'A_ARG_TYPE_RegistrationReqMsg'), arg('RegistrationRespMsg', 'out', 'A_ARG_TYPE_RegistrationRespMsg')] },
  ],
  stateVariables: [
    { name: 'A_ARG_TYPE_DeviceID', dataType: 'string' },
    { name: 'A_ARG_TYPE_Result', dataType: 'i4' },
    { name: 'A_ARG_TYPE_RegistrationReqMsg', dataType: 'string' },
    { name: 'A_ARG_TYPE_RegistrationRespMsg', dataType: 'string' },
    { name: 'AuthorizationGrantedUpdateID', dataType: 'ui4', sendEvents: true },
    { name: 'AuthorizationDeniedUpdateID', dataType: 'ui4', sendEvents: true },
    { name: 'ValidationSucceededUpdateID', dataType: 'ui4', sendEvents: true },
    { name: 'ValidationRevokedUpdateID', dataType: 'ui4', sendEvents: true },
  ],
};
