// The software renderer's three services as their SCPDs list them (AVTransport:1, RenderingControl:1,
// ConnectionManager:1, the actions a MediaRenderer:1 must have plus SetNextAVTransportURI), with
// `out` arguments named as the specs name them: control points read answers by those names
// (upnp-device-client refuses actions its SCPD does not list). One spec feeds the SCPD document and the dispatcher's argument check.
import type { ArgSpec, ServiceSpec, StateVariableSpec } from '../../shared/upnp/description.js';

type Arg = [name: string, variable: string];

function action(name: string, ins: Arg[], outs: Arg[] = []): ServiceSpec['actions'][number] {
  const args: ArgSpec[] = [
    ...ins.map(([n, v]): ArgSpec => ({ name: n, direction: 'in', relatedStateVariable: v })),
    ...outs.map(([n, v]): ArgSpec => ({ name: n, direction: 'out', relatedStateVariable: v })),
  ];
  return { name, args };
}

const str = (name: string, extra: Partial<StateVariableSpec> = {}): StateVariableSpec => ({ name, dataType: 'string', ...extra });
const ui4 = (name: string, extra: Partial<StateVariableSpec> = {}): StateVariableSpec => ({ name, dataType: 'ui4', ...extra });
const instance: Arg = ['InstanceID', 'A_ARG_TYPE_InstanceID'];

export const AV_TRANSPORT_SPEC: ServiceSpec = {
  actions: [
    action('SetAVTransportURI', [instance, ['CurrentURI', 'AVTransportURI'], ['CurrentURIMetaData', 'AVTransportURIMetaData']]),
    action('SetNextAVTransportURI', [instance, ['NextURI', 'NextAVTransportURI'], ['NextURIMetaData', 'NextAVTransportURIMetaData']]),
    action('GetMediaInfo', [instance], [['NrTracks', 'NumberOfTracks'], ['MediaDuration', 'CurrentMediaDuration'], ['CurrentURI', 'AVTransportURI'], ['CurrentURIMetaData', 'AVTransportURIMetaData'], ['NextURI', 'NextAVTransportURI'], ['NextURIMetaData', 'NextAVTransportURIMetaData'], ['PlayMedium', 'PlaybackStorageMedium'], ['RecordMedium', 'RecordStorageMedium'], ['WriteStatus', 'RecordMediumWriteStatus']]),
    action('GetTransportInfo', [instance], [['CurrentTransportState', 'TransportState'], ['CurrentTransportStatus', 'TransportStatus'], ['CurrentSpeed', 'TransportPlaySpeed']]),
    action('GetPositionInfo', [instance], [['Track', 'CurrentTrack'], ['TrackDuration', 'CurrentTrackDuration'], ['TrackMetaData', 'CurrentTrackMetaData'], ['TrackURI', 'CurrentTrackURI'], ['RelTime', 'RelativeTimePosition'], ['AbsTime', 'AbsoluteTimePosition'], ['RelCount', 'RelativeCounterPosition'], ['AbsCount', 'AbsoluteCounterPosition']]),
    action('GetDeviceCapabilities', [instance], [['PlayMedia', 'PossiblePlaybackStorageMedia'], ['RecMedia', 'PossibleRecordStorageMedia'], ['RecQualityModes', 'PossibleRecordQualityModes']]),
    action('GetTransportSettings', [instance], [['PlayMode', 'CurrentPlayMode'], ['RecQualityMode', 'CurrentRecordQualityMode']]),
    action('GetCurrentTransportActions', [instance], [['Actions', 'CurrentTransportActions']]),
    action('Stop', [instance]),
    action('Play', [instance, ['Speed', 'TransportPlaySpeed']]),
    action('Pause', [instance]),
    action('Seek', [instance, ['Unit', 'A_ARG_TYPE_SeekMode'], ['Target', 'A_ARG_TYPE_SeekTarget']]),
    action('Next', [instance]),
    action('Previous', [instance]),
  ],
  stateVariables: [
    str('TransportState', { allowedValues: ['STOPPED', 'PLAYING', 'PAUSED_PLAYBACK', 'TRANSITIONING', 'NO_MEDIA_PRESENT'] }),
    str('TransportStatus', { allowedValues: ['OK', 'ERROR_OCCURRED'] }),
    str('TransportPlaySpeed', { allowedValues: ['1'] }),
    ui4('NumberOfTracks'), ui4('CurrentTrack'),
    str('CurrentTrackDuration'), str('CurrentMediaDuration'), str('CurrentTrackMetaData'), str('CurrentTrackURI'),
    str('AVTransportURI'), str('AVTransportURIMetaData'), str('NextAVTransportURI'), str('NextAVTransportURIMetaData'),
    str('RelativeTimePosition'), str('AbsoluteTimePosition'), { name: 'RelativeCounterPosition', dataType: 'i4' }, { name: 'AbsoluteCounterPosition', dataType: 'i4' },
    str('PlaybackStorageMedium'), str('RecordStorageMedium'), str('RecordMediumWriteStatus'), str('PossiblePlaybackStorageMedia'), str('PossibleRecordStorageMedia'), str('PossibleRecordQualityModes'),
    str('CurrentPlayMode', { allowedValues: ['NORMAL'] }), str('CurrentRecordQualityMode'), str('CurrentTransportActions'),
    str('LastChange', { sendEvents: true }),
    ui4('A_ARG_TYPE_InstanceID'), str('A_ARG_TYPE_SeekMode', { allowedValues: ['REL_TIME', 'ABS_TIME'] }), str('A_ARG_TYPE_SeekTarget'),
  ],
};

export const RENDERING_CONTROL_SPEC: ServiceSpec = {
  actions: [
    action('ListPresets', [instance], [['CurrentPresetNameList', 'PresetNameList']]),
    action('SelectPreset', [instance, ['PresetName', 'A_ARG_TYPE_PresetName']]),
    action('GetVolume', [instance, ['Channel', 'A_ARG_TYPE_Channel']], [['CurrentVolume', 'Volume']]),
    action('SetVolume', [instance, ['Channel', 'A_ARG_TYPE_Channel'], ['DesiredVolume', 'Volume']]),
    action('GetMute', [instance, ['Channel', 'A_ARG_TYPE_Channel']], [['CurrentMute', 'Mute']]),
    action('SetMute', [instance, ['Channel', 'A_ARG_TYPE_Channel'], ['DesiredMute', 'Mute']]),
  ],
  stateVariables: [
    str('PresetNameList'), str('LastChange', { sendEvents: true }),
    { name: 'Volume', dataType: 'ui2', range: { minimum: 0, maximum: 100, step: 1 } }, { name: 'Mute', dataType: 'boolean' },
    ui4('A_ARG_TYPE_InstanceID'), str('A_ARG_TYPE_Channel', { allowedValues: ['Master'] }), str('A_ARG_TYPE_PresetName', { allowedValues: ['FactoryDefaults'] }),
  ],
};

export const CONNECTION_MANAGER_SPEC: ServiceSpec = {
  actions: [
    action('GetProtocolInfo', [], [['Source', 'SourceProtocolInfo'], ['Sink', 'SinkProtocolInfo']]),
    action('GetCurrentConnectionIDs', [], [['ConnectionIDs', 'CurrentConnectionIDs']]),
    action('GetCurrentConnectionInfo', [['ConnectionID', 'A_ARG_TYPE_ConnectionID']], [['RcsID', 'A_ARG_TYPE_RcsID'], ['AVTransportID', 'A_ARG_TYPE_AVTransportID'], ['ProtocolInfo', 'A_ARG_TYPE_ProtocolInfo'], ['PeerConnectionManager', 'A_ARG_TYPE_ConnectionManager'], ['PeerConnectionID', 'A_ARG_TYPE_ConnectionID'], ['Direction', 'A_ARG_TYPE_Direction'], ['Status', 'A_ARG_TYPE_ConnectionStatus']]),
  ],
  stateVariables: [
    str('SourceProtocolInfo', { sendEvents: true }), str('SinkProtocolInfo', { sendEvents: true }), str('CurrentConnectionIDs', { sendEvents: true }),
    str('A_ARG_TYPE_ConnectionStatus', { allowedValues: ['OK', 'ContentFormatMismatch', 'InsufficientBandwidth', 'UnreliableChannel', 'Unknown'] }),
    str('A_ARG_TYPE_ConnectionManager'), str('A_ARG_TYPE_Direction', { allowedValues: ['Input', 'Output'] }), str('A_ARG_TYPE_ProtocolInfo'),
    { name: 'A_ARG_TYPE_ConnectionID', dataType: 'i4' }, { name: 'A_ARG_TYPE_AVTransportID', dataType: 'i4' }, { name: 'A_ARG_TYPE_RcsID', dataType: 'i4' },
  ],
};

/** What it plays, as GetProtocolInfo's Sink: a TV by default, a speaker (no screen: no video, no photos) with `audioOnly`. */
export function sinkProtocols(audioOnly: boolean): string[] {
  const audio = ['audio/mpeg', 'audio/flac', 'audio/x-flac', 'audio/wav', 'audio/mp4', 'audio/aac', 'audio/ogg'];
  const video = audioOnly ? [] : ['video/mp4', 'video/x-matroska', 'video/mp2t'];
  const image = audioOnly ? [] : ['image/jpeg', 'image/png'];
  return [...audio, ...video, ...image].map((m) => `http-get:*:${m}:*`);
}
