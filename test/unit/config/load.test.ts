import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config/load.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hc-cfg-'));
}

function withConfig(content: unknown): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return { dir, file };
}

describe('loadConfig', () => {
  it('runs on defaults with no config file: port 8420 on all interfaces, data under ./data, XDG libraries that exist', () => {
    const home = tempDir();
    mkdirSync(join(home, 'Music'));
    mkdirSync(join(home, 'Pictures'));
    const cwd = tempDir();
    const c = loadConfig({ argv: [], env: { HOME: home }, cwd });
    expect(c.port).toBe(8420);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe(join(cwd, 'data'));
    expect(c.libraries).toEqual([
      { name: 'Music', path: join(home, 'Music'), kind: 'music' },
      { name: 'Pictures', path: join(home, 'Pictures'), kind: 'photo' },
    ]);
    expect(c.source).toBe('defaults');
  });

  it('follows user-dirs.dirs and never takes $HOME itself as a library', () => {
    const home = tempDir();
    mkdirSync(join(home, 'Musik'));
    mkdirSync(join(home, '.config'));
    writeFileSync(join(home, '.config/user-dirs.dirs'), 'XDG_MUSIC_DIR="$HOME/Musik"\nXDG_VIDEOS_DIR="$HOME/"\nXDG_PICTURES_DIR="$HOME"\n');
    const c = loadConfig({ argv: [], env: { HOME: home }, cwd: tempDir() });
    expect(c.libraries).toEqual([{ name: 'Music', path: join(home, 'Musik'), kind: 'music' }]);
  });

  it('reads --config, resolves relative paths against the config file, and lets PORT and DATA_DIR override', () => {
    const { dir, file } = withConfig({ port: 9000, dataDir: 'state', libraries: [{ name: 'Tunes', path: 'music', kind: 'music' }] });
    const c = loadConfig({ argv: ['--config', file], env: {}, cwd: '/' });
    expect(c.port).toBe(9000);
    expect(c.dataDir).toBe(join(dir, 'state'));
    expect(c.libraries[0]!.path).toBe(join(dir, 'music'));
    const o = loadConfig({ argv: [`--config=${file}`], env: { PORT: '9100', DATA_DIR: 'elsewhere' }, cwd: '/tmp' });
    expect(o.port).toBe(9100);
    expect(o.dataDir).toBe('/tmp/elsewhere');
  });

  it.each([
    [{ port: 'eighty' }, /"port": .*number/],
    [{ port: 70000 }, /"port"/],
    [{ libraries: [{ name: 'A', path: '/x', kind: 'films' }] }, /"libraries\[0\]\.kind"/],
    [{ libraries: [{ name: 'A', path: '/x' }] }, /"libraries\[0\]\.kind"/],
    [{ libraries: [{ name: 'A', path: '/x', kind: 'music' }, { name: 'A', path: '/y', kind: 'video' }] }, /"libraries\[1\]\.name": "A" is used twice/],
    [{ prot: 8420 }, /unknown key "prot"/],
    [{ publicUrl: 'media.example.org' }, /"publicUrl": must be an http:\/\/ or https:\/\/ URL/],
    [{ publicUrl: 'ftp://media.example.org/' }, /"publicUrl": must be an http:\/\/ or https:\/\/ URL/],
    [{ scan: { wacth: true } }, /unknown key "wacth" in scan/],
    ['{ "port": 8420, }', /not valid JSON/],
    [[1, 2], /must hold a JSON object/],
  ])('rejects %j with one error naming the key', (content, message) => {
    const { file } = withConfig(content);
    expect(() => loadConfig({ argv: ['--config', file], env: {}, cwd: '/' })).toThrowError(message);
    expect(() => loadConfig({ argv: ['--config', file], env: {}, cwd: '/' })).toThrowError(ConfigError);
  });

  it('takes an optional publicUrl (where phones open the remote)', () => {
    const { file } = withConfig({ publicUrl: 'https://media.example.org/home/' });
    expect(loadConfig({ argv: ['--config', file], env: {}, cwd: '/' }).publicUrl).toBe('https://media.example.org/home/');
    expect(loadConfig({ argv: ['--config', withConfig({}).file], env: {}, cwd: '/' }).publicUrl).toBeUndefined();
  });

  it('rejects a missing --config file and a bad PORT', () => {
    expect(() => loadConfig({ argv: ['--config', '/nonexistent/c.json'], env: {}, cwd: '/' })).toThrowError(/does not exist/);
    expect(() => loadConfig({ argv: [], env: { PORT: 'abc', HOME: tempDir() }, cwd: tempDir() })).toThrowError(/PORT="abc" must be a whole number/);
  });
});
