#!/usr/bin/env node
// Brings a fresh clone to a runnable state: npm packages, ffmpeg (and, for tests or
// benchmarks, the Debian programs they use), then the build. Idempotent and quick when
// nothing changed (the build redoes only what changed: build-state.mjs), so `npm start` and
// `npm test` can always call it first.
// Uses only Node built-ins: it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashInputs, isCurrent, recordStamp, uiInputs } from './build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv.includes('--test') ? 'test' : process.argv.includes('--bench') ? 'bench' : 'start';

// Debian packages per purpose: command that must exist (or an absolute path, for a file such as a
// Python module that has no command) → package that provides it.
const debian = {
  start: { ffmpeg: 'ffmpeg', ffprobe: 'ffmpeg' },
  test: {
    ffmpeg: 'ffmpeg', ffprobe: 'ffmpeg',
    // The Cast emulator tests: network namespaces, and a real Cast sender (run with /usr/bin/python3).
    ip: 'iproute2', '/usr/lib/python3/dist-packages/pychromecast': 'python3-pychromecast',
    // The web remote's end-to-end test drives Debian's Chromium with playwright-core.
    chromium: 'chromium',
    // The RAOP sender tests: a real AirPlay speaker, which needs avahi on a (private) D-Bus.
    'shairport-sync': 'shairport-sync', 'avahi-daemon': 'avahi-daemon', 'dbus-daemon': 'dbus',
    // The software AirPlay speaker is also played to by a sender nobody here wrote: PulseAudio's RAOP sink.
    pulseaudio: 'pulseaudio', '/usr/share/doc/pulseaudio-module-raop': 'pulseaudio-module-raop',
    // A browser as a speaker (test/helpers/browser-speaker.ts): headful Chromium under Xvfb playing
    // into a private PulseAudio's null sink, whose monitor parec records.
    Xvfb: 'xvfb', parec: 'pulseaudio-utils', pactl: 'pulseaudio-utils',
    // The README's reverse-proxy setup, run as written (test/integration/api/reverse-proxy.test.ts).
    nginx: 'nginx',
    // Its media session read and driven over MPRIS (D-Bus), as the desktop's media controls do.
    gdbus: 'libglib2.0-bin',
    // We play to a DLNA renderer nobody here wrote: gmediarender, which fetches over HTTP with
    // GStreamer's souphttpsrc (plugins-good) and needs liborc from plugins-base (it aborts without).
    gmediarender: 'gmediarender', '/usr/share/doc/gstreamer1.0-plugins-good': 'gstreamer1.0-plugins-good', '/usr/share/doc/gstreamer1.0-plugins-base': 'gstreamer1.0-plugins-base',
    // DLNA MediaServer tests: control points nobody here wrote (GUPnP + GUPnP-AV from Python, Perl's
    // Net::UPnP) and the servers we are compared with on the same tree (minidlna, gerbera).
    '/usr/share/doc/python3-gi': 'python3-gi', '/usr/share/doc/gir1.2-gupnp-1.6': 'gir1.2-gupnp-1.6', '/usr/share/doc/gir1.2-gupnp-av-1.0': 'gir1.2-gupnp-av-1.0',
    '/usr/share/perl5/Net/UPnP.pm': 'libnet-upnp-perl', minidlnad: 'minidlna', gerbera: 'gerbera',
  },
  bench: {
    ffmpeg: 'ffmpeg', ffprobe: 'ffmpeg', minidlnad: 'minidlna', nginx: 'nginx', curl: 'curl',
    // The AirPlay benchmarks: real speakers (shairport-sync, with avahi on a private D-Bus) in a
    // network namespace, and PulseAudio's RAOP sink as the reference sender.
    ip: 'iproute2', 'shairport-sync': 'shairport-sync', 'avahi-daemon': 'avahi-daemon', 'dbus-daemon': 'dbus',
    pulseaudio: 'pulseaudio', paplay: 'pulseaudio-utils', '/usr/share/doc/pulseaudio-module-raop': 'pulseaudio-module-raop',
  },
};

function say(line) {
  process.stderr.write(`[setup] ${line}\n`);
}

function fail(line) {
  process.stderr.write(`[setup] ${line}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function hasCommand(cmd) {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => d && existsSync(join(d, cmd)));
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or newer.`);
}

function installDebian() {
  const absent = (what) => (what.startsWith('/') ? !existsSync(what) : !hasCommand(what));
  const missing = [...new Set(Object.entries(debian[mode]).filter(([what]) => absent(what)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    fail(`missing programs: install the Debian/Ubuntu packages ${missing.join(' ')} (sudo apt-get install ${missing.join(' ')}), then run this again.`);
  }
  say(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Installs the npm packages when the lock file or package.json is newer than the last install; says whether it did. */
function installNpm() {
  // npm writes node_modules/.package-lock.json on every install: newer than the lock = up to date.
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(stamp) && mtime(stamp) >= mtime(lock) && mtime(stamp) >= mtime(join(root, 'package.json'))) return false;
  say('installing npm packages');
  run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  return true;
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

// The server (and tests, receivers) into dist/: `tsc -b` compares the sources with
// dist/.tsbuildinfo and compiles only what changed (nothing: ~0.5 s). New packages may bring new
// type definitions, which it does not compare: then everything is compiled again.
function buildServer(packagesChanged) {
  const info = join(root, 'dist', '.tsbuildinfo');
  const before = mtime(info);
  run(process.execPath, [tsc, '-b', 'tsconfig.json', ...(packagesChanged ? ['--force'] : [])]);
  say(mtime(info) === before ? 'server: up to date (dist/)' : before === 0 ? 'server: compiled (dist/)' : 'server: compiled what changed (dist/)');
}

// The web remote: typecheck (its own tsconfigs: DOM, bundler resolution), then Vite into ui/dist;
// each only when its inputs changed since it last succeeded.
function buildUi() {
  const inputs = hashInputs(root, uiInputs(root));
  const checked = join(root, 'dist', '.ui-typecheck');
  if (isCurrent(checked, inputs)) say('web remote: typecheck up to date');
  else {
    say('web remote: typechecking');
    run(process.execPath, [tsc, '-p', 'ui/tsconfig.json']);
    run(process.execPath, [tsc, '-p', 'ui/tsconfig.node.json']);
    recordStamp(checked, inputs);
  }
  // Inside ui/dist, which Vite empties first: a build that fails leaves no stamp behind.
  const bundled = join(root, 'ui', 'dist', '.inputs');
  if (isCurrent(bundled, inputs)) return say('web remote: up to date (ui/dist)');
  say('web remote: building (ui/dist)');
  // NODE_ENV decides which builds of dependencies are taken (Lit's dev build warns in the console).
  run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
  recordStamp(bundled, inputs);
}

checkNode();
installDebian();
const packagesChanged = installNpm();
buildServer(packagesChanged);
buildUi();
try {
  execFileSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' });
} catch {
  fail('ffmpeg is installed but does not run: check `ffmpeg -version`.');
}
