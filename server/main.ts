// Composition root: reads the config once, opens the database, builds every service, wires
// them, starts listening, then scans and watches. Nothing else lives here.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createApp } from './app.js';
import type { SubtitleInfo } from './library/probe-types.js';
import { startDiscovery } from './discovery/index.js';
import { manualDescriptors } from './discovery/manual.js';
import { guardPassword } from './discovery/password-guard.js';
import { ReceiverSecrets, type ConfiguredSecret } from './discovery/secrets.js';
import { attachSocketApi } from './api/socket.js';
import { BrowserPlayers } from './api/browser-players.js';
import { currentServerAddresses, localUrl } from './api/server-addresses.js';
import { kindByName, kinds } from '../receivers/index.js';
import type { ReceiverDescriptor } from '../receivers/types.js';
import { PlaybackError } from './playback/session.js';
import { PlaybackService } from './playback/service.js';
import { playableFrom } from './playback/playable.js';
import { loadRequestBuilder } from './playback/load-request.js';
import { ConfigError, loadConfig } from './config/load.js';
import { openDb } from './db/connection.js';
import { sqliteSecretStore } from './db/secret-store.js';
import { sqliteSessionStore } from './db/session-store.js';
import { GroupService } from './groups/service.js';
import { sqliteGroupStore } from './groups/store.js';
import { createProbePool } from './library/probe-pool.js';
import { PlaylistImporter } from './playlists/importer.js';
import { PlaylistService } from './playlists/service.js';
import { PlaylistStore } from './playlists/store.js';
import { LibraryQueries } from './library/queries.js';
import { Remembered } from './library/remembered.js';
import { Scanner } from './library/scanner.js';
import { nextEpisode } from './library/show-queries.js';
import { createSigner, loadOrCreateSecret } from './media/signing.js';
import { createFfmpegSlots } from './media/ffmpeg-slots.js';
import { createLogger } from './util/log.js';
import { memoryEvents } from './util/release-memory.js';
import { createDlnaServer } from './dlna/index.js';
import { findProjectRoot, packageVersion } from './util/version.js';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { ownNames, ownOriginCheck } from './api/own-origin.js';
import { edgeGuard } from './api/host-check.js';
import { trustedProxy } from './api/trusted-proxy.js';
import { startRemoteAccess } from './remote/index.js';
import { SettingsService, withSettings } from './settings/service.js';
import { SettingsStore } from './settings/store.js';
import { applySettingsLive } from './settings/live.js';
import { userCaps } from './settings/user-caps.js';
import type { HttpsPort } from './remote/https-port.js';
import { AuthService } from './auth/service.js';
import { AuthStore } from './auth/store.js';
import { UserPreferences } from './auth/preferences.js';
import { tokenFrom } from './auth/http.js';
import { startSendspinPlayers } from './discovery/sendspin-players.js';
import { memberFactory } from './groups/member-factory.js';
import { createGroupReceiver, type GroupMemberSpec, type MemberFactory } from '../receivers/group/index.js';
import { advertiseSendspinServer, SERVER_PATH } from '../receivers/sendspin/index.js';
import { knownDeviceAt } from '../receivers/dlna/index.js';
import type { ServiceAdvert } from '../receivers/shared/mdns-advert.js';
import type { MemberHub, TimelineContext } from '../receivers/shared/timeline-member.js';

const STOP_DEADLINE_MS = 4000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  memoryEvents.on('settled', () => log.info('memory settled', { rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20) }));
  const root = findProjectRoot();
  const db = openDb(join(config.dataDir, 'library.db'));
  // What the owner changed in the remote's settings wins over the config file (README "Settings").
  const settings = new SettingsService(new SettingsStore(db), config, { dataDir: config.dataDir });
  config = withSettings(config, settings.current());
  const artDir = join(config.dataDir, 'art');
  const secret = loadOrCreateSecret(config.dataDir);
  // Beside the URL-signing key: the key that seals speaker passwords in the database.
  const sealKey = loadOrCreateSecret(config.dataDir, 'secrets-key');
  const signer = createSigner({ secret, ttlSeconds: config.streamUrlTtlSeconds });
  const queries = new LibraryQueries(db);
  const remembered = new Remembered(db);
  const pool = createProbePool({ artDir, ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath }, config.scan.workers ?? Math.min(4, availableParallelism()));
  const roots = new Map(config.libraries.map((l) => [l.name, l.path]));
  const playlistStore = new PlaylistStore(db);
  const playlists = new PlaylistService(playlistStore, roots);
  const importer = new PlaylistImporter({ store: playlistStore, libraries: config.libraries, log, changed: () => playlists.importedChanged() });
  const scanner = new Scanner({ db, libraries: config.libraries, pool, log, playlists: importer });
  let discovery;
  try {
    discovery = startDiscovery(config, log);
  } catch (err) {
    process.stderr.write(`error: bad config (${config.source}): ${(err as Error).message}\n`);
    process.exit(2);
  }
  // Passwords from the config, by the ids discovery gave those entries (same order).
  const configured = new Map<string, ConfiguredSecret>(
    manualDescriptors(config.receivers, kinds).map((m, i) => [m.id, { password: config.receivers[i]!.password, needsPassword: config.receivers[i]!.needsPassword }]),
  );
  const preferences = new UserPreferences(db);
  const auth = new AuthService(new AuthStore(db), { mode: config.auth.mode, log, remoteIdleMs: () => settings.current().limits.remoteSessionIdleDays * 86_400_000 });
  const secrets = new ReceiverSecrets(sqliteSecretStore(db, sealKey), configured);

  let port = config.port;
  let remote: HttpsPort | undefined;
  const names = ownNames({ ports: () => (remote ? [port, remote.port] : [port]), publicUrl: config.publicUrl, allowedHosts: config.allowedHosts });
  const trusted = trustedProxy(config.remote.trustedProxies);
  const edge = edgeGuard(names, trusted, log);
  const browsers = new BrowserPlayers(discovery.registry);
  const profileOf = (d: ReceiverDescriptor, item: 'audio' | 'video') => {
    if (d.source === 'browser') return browsers.profile(d.id);
    const kind = kindByName(d.kind)!;
    return kind.profileFor?.(d, item) ?? kind.profileForModel(d.model, { audioOnlyHint: d.type !== 'tv' });
  };
  const sendspin = config.sendspin.enabled ? startSendspinPlayers({ registry: discovery.registry, log, serverId: `homecast-${createHash('sha256').update(secret).digest('hex').slice(0, 16)}` }) : undefined;
  /** Server roles devices connect to, by kind (a Sendspin player joins a stream through ours). */
  const hubs = new Map<string, MemberHub>(sendspin ? [[sendspin.kind, sendspin.server]] : []);
  /** Members that join a group's clock: kinds with openMember; others follow unsynced. */
  const timeline = (d: ReceiverDescriptor, spec: GroupMemberSpec, ctx: TimelineContext) => {
    const kind = kindByName(d.kind);
    if (!kind?.openMember) return undefined;
    const password = secrets.password(d.id);
    const hub = hubs.get(d.kind);
    return kind.openMember(d, ctx, { ...spec, ...(password !== undefined ? { password } : {}), ...(hub ? { hub } : {}), log: (msg, fields) => log.debug(msg, fields as Record<string, string>) });
  };
  const groupPlayer = (d: ReceiverDescriptor, members: GroupMemberSpec[], factory: MemberFactory) => createGroupReceiver(d, members, factory, { ffmpegPath: config.ffmpegPath, log: (msg, fields) => log.info(msg, fields as Record<string, string>) });
  // A kind played only as a member (a Sendspin player) plays alone as a stream of one member.
  const soloFactory = memberFactory({ get: (id) => discovery.registry.get(id), storedName: () => undefined, connect: (d) => connectSingle(d), timeline });
  function connectSingle(d: ReceiverDescriptor) {
    if (d.source === 'browser') return browsers.connect(d);
    const kind = kindByName(d.kind);
    if (!kind?.connectReceiver && kind?.openMember) return groupPlayer(d, [{ id: d.id, delayMs: 0, volume: 1, muted: false }], soloFactory);
    if (!kind?.connectReceiver) throw new PlaybackError(`no driver for ${d.kind} receivers yet`);
    const connectReceiver = kind.connectReceiver.bind(kind);
    return guardPassword(d.id, secrets, (password) => connectReceiver(d, password === undefined ? {} : { password }));
  }
  const groups = new GroupService({
    log,
    store: sqliteGroupStore(db),
    registry: discovery.registry,
    connect: connectSingle,
    timeline,
    createReceiver: groupPlayer,
    // Kinds without openMember follow a group's queue unsynced (so does a Chromecast without Cast Streaming: member-factory.ts).
    syncs: (d) => kindByName(d.kind)?.openMember !== undefined,
  });
  const playback = new PlaybackService({
    log,
    store: sqliteSessionStore(db),
    remember: (userId) => remembered.forUser({ id: userId ?? 0, libraries: null }),
    nextEpisode: (id) => nextEpisode(db, id),
    // The listener's own languages win over the browser's and the server's (auth/preferences.ts).
    audioLanguages: (d, listener) => (listener !== null ? preferences.get(listener).audioLanguages : null) ?? (d.source === 'browser' ? browsers.languages(d.id) : settings.current().playback.audioLanguages),
    artUrl: (hash) => signer.artUrl(hash, 600),
    findReceiver: (idOrName) => discovery.registry.find(idOrName),
    connect: (d) => (d.kind === 'group' ? groups.receiver(d) : connectSingle(d)),
    profile: (d, item) => (d.kind === 'group' ? groups.profile(d, (m) => profileOf(m, 'audio')) : profileOf(d, item)),
    item: (id) => {
      const item = queries.item(id);
      return item && playableFrom(item);
    },
    loadRequest: loadRequestBuilder({ signer, port: () => port, member: (id) => discovery.registry.get(id), dialedIn: (d) => kindByName(d.kind)?.dialedIn?.(d) ?? false }),
  });

  discovery.registry.on('changed', (d) => {
    if (!d.online) playback.receiverOffline(d.id, `${d.name} stopped answering`);
  });

  const dlna = config.dlna.enabled
    ? createDlnaServer({ name: config.dlna.name, dataDir: config.dataDir, host: config.host, version: packageVersion(root), queries, scanner, signer, log, describedAt: knownDeviceAt })
    : undefined;
  const slots = createFfmpegSlots(config.transcode.maxProcesses);
  const listedLibraries = config.libraries.map((l) => ({ name: l.name, kind: l.kind }));
  const live = applySettingsLive(settings, { config, roots, listed: listedLibraries, scanner, discovery, slots, log });
  const app = createApp({
    preferences,
    settings: { settings, dataDir: config.dataDir },
    ...(dlna ? { dlna: dlna.router } : {}),
    log,
    edge: edge.http,
    trustProxy: trusted,
    auth,
    receivers: discovery.registry,
    receiverView: (d) => secrets.view(d),
    uiDir: join(root, 'ui', 'dist'),
    addresses: () => currentServerAddresses({ host: config.host, port, publicUrl: config.publicUrl }),
    playlists: { playlists, store: playlistStore, signer, roots },
    library: { queries, scanner, signer, version: packageVersion(root), libraries: listedLibraries, remembered },
    media: {
      signer,
      log,
      artDir,
      ffmpegPath: config.ffmpegPath,
      ffprobePath: config.ffprobePath,
      userCaps: userCaps(auth, settings),
      limits: { slots, perUrl: config.transcode.perUrl, idleMs: config.transcode.idleSeconds * 1000 },
      fileById: (id) => {
        const f = queries.file(id);
        const libraryRoot = f && roots.get(f.library);
        return f && libraryRoot ? { ...f, libraryRoot } : undefined;
      },
      artById: (hash) => queries.art(hash),
      subtitlesById: (id) => {
        const item = queries.item(id);
        return item?.kind === 'video' ? (item.video.subtitles as SubtitleInfo[]) : undefined;
      },
    },
  });

  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch((err: NodeJS.ErrnoException) => {
    process.stderr.write(`error: cannot listen on ${config.host}:${config.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (set "port" in the config or PORT)' : err.message}\n`);
    process.exit(1);
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : config.port;
  const io = attachSocketApi(server, { registry: discovery.registry, playback, groups, queries, scanner, libraryRoots: roots, secrets, auth, playlists: { playlists, store: playlistStore }, log, remembered, browsers });
  io.engine.use(edge.socket);
  let sendspinAdvert: ServiceAdvert | undefined;
  if (sendspin) {
    // The remote's own player: its page's upgrade carries the device cookie (same origin).
    sendspin.attach(server, { origin: ownOriginCheck(names), session: (req) => auth.authenticate(tokenFrom(req.headers)) !== undefined, host: edge.upgradeHost });
    sendspin.control(playback);
    const sendspinPort = await sendspin.listen(config.host, config.sendspin.port);
    if (sendspinPort !== undefined) {
      log.info('sendspin ready', { port: sendspinPort, path: SERVER_PATH });
      const lan = (await currentServerAddresses({ host: config.host, port, publicUrl: undefined })).urls.map((u) => new URL(u).hostname);
      if (config.discovery.mdns && lan.length > 0) {
        sendspinAdvert = await advertiseSendspinServer({ name: `homecast (${hostname()})`, port: sendspinPort, addresses: lan, hostLabel: hostname().replace(/[^A-Za-z0-9-]/g, '-'), onWarning: (line) => log.warn(line) }).catch((e: Error) => {
          log.warn('sendspin advert failed', { reason: e.message });
          return undefined;
        });
      }
    }
  }
  await dlna?.start(port).catch((e: Error) => log.warn('dlna not started', { reason: e.message }));
  // The URL first is the one a phone opens (the QR code's); all of them are listed.
  const where = await currentServerAddresses({ host: config.host, port, publicUrl: config.publicUrl });
  remote = await startRemoteAccess(server, config, log, [...config.allowedHosts, ...where.urls.map((u) => new URL(u).hostname.replace(/^\[|\]$/g, ''))]).catch((e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  });
  log.info('listening', { url: where.urls[0] ?? localUrl(config.host, port), port, host: config.host, config: config.source, libraries: config.libraries.length, dataDir: config.dataDir });
  for (const url of where.urls.slice(1)) log.info('remote also at', { url });
  if (where.urls.length === 0) {
    log.warn(where.loopbackOnly
      ? 'only this computer can open the remote: the server listens on loopback (set "host" to "0.0.0.0", or "publicUrl", for phones)'
      : 'no network address yet: only this computer can open the remote');
  }
  if (auth.needsSetup()) {
    // On this machine (localhost) the page shows the link too; anywhere else it needs this token.
    log.info('first start: open this link to set the owner password', { url: `${(where.urls[0] ?? localUrl(config.host, port)).replace(/\/$/, '')}/setup#token=${auth.setupToken}` });
  }
  if (auth.open) log.warn('auth.mode is "lan-open": anyone who can reach this server controls it');
  if (config.libraries.length === 0) log.warn('no libraries: add some in the remote (Settings) or the config (see config.example.json)');

  live.watch();
  if (config.scan.onStart) void scanner.scanAll().catch((err: Error) => log.error('scan failed', { reason: err.message }));
  // Files rewritten in place while we were down (the quick pass at start cannot see them).
  const stopDeepPasses = config.scan.onStart ? scanner.deepEvery(3600_000, 24 * 3600_000) : () => {};

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    // Whatever hangs (a stuck probe, a peer that never answers), SIGTERM ends the process within 5 s.
    setTimeout(() => (log.error('stopping took too long: exiting now'), process.exit(1)), STOP_DEADLINE_MS).unref();
    server.closeAllConnections();
    server.close();
    remote?.close();
    discovery.stop();
    await dlna?.stop();
    await playback.close();
    await sendspinAdvert?.close();
    await sendspin?.close();
    await live.close();
    stopDeepPasses();
    await pool.close();
    db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
