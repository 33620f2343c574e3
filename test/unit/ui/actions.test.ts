import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller } from '../../../ui/src/data/actions.js';

function fakeRemote(fail?: string) {
  const sent: [string, unknown][] = [];
  return {
    sent,
    remote: {
      command: async (name: string, args: unknown) => {
        sent.push([name, args]);
        if (fail) throw new Error(fail);
        return {};
      },
    } as unknown as ConstructorParameters<typeof Controller>[0],
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('Controller', () => {
  it('names the controlled receiver in every command', async () => {
    const { sent, remote } = fakeRemote();
    const c = new Controller(remote, () => 'cast-tv', () => undefined);
    await c.pause();
    await c.seek(-3);
    await c.volume(1.4);
    await c.play([4, 5], 'next');
    expect(sent).toEqual([
      ['playback:pause', { receiver: 'cast-tv' }],
      ['playback:seek', { receiver: 'cast-tv', position: 0 }],
      ['playback:volume', { receiver: 'cast-tv', level: 1 }],
      ['playback:play', { receiver: 'cast-tv', what: [4, 5], mode: 'next', startIndex: 0, from: 'start' }],
    ]);
  });

  it('moves a queue entry to a new 0-based index (never below 0)', async () => {
    const { sent, remote } = fakeRemote();
    const c = new Controller(remote, () => 'cast-tv', () => undefined);
    await c.move(7, 0);
    await c.move(8, -1);
    expect(sent).toEqual([
      ['queue:move', { receiver: 'cast-tv', entryId: 7, to: 0 }],
      ['queue:move', { receiver: 'cast-tv', entryId: 8, to: 0 }],
    ]);
  });

  it('reports a missing receiver and server refusals in words, once', async () => {
    const errors: string[] = [];
    const none = new Controller(fakeRemote().remote, () => null, (m) => errors.push(m));
    expect(await none.next()).toBe(false);
    const refused = new Controller(fakeRemote('no next item').remote, () => 'cast-tv', (m) => errors.push(m));
    expect(await refused.next()).toBe(false);
    expect(errors).toEqual(['Choose a receiver first', 'no next item']);
  });

  it('with no receiver chosen, asks for one and sends the command there; leaving the picker sends nothing', async () => {
    const { sent, remote } = fakeRemote();
    const errors: string[] = [];
    let picked: string | null = 'cast-den';
    let asked = 0;
    const c = new Controller(remote, () => null, (m) => errors.push(m), undefined, async () => (asked++, picked));
    expect(await c.play([9])).toBe(true);
    picked = null;
    expect(await c.play([10])).toBe(false);
    expect(asked).toBe(2);
    expect(sent).toEqual([['playback:play', { receiver: 'cast-den', what: [9], mode: 'replace', startIndex: 0, from: 'start' }]]);
    expect(errors).toEqual([]);
  });

  it('plays an album as its tracks in order, from a chosen track', async () => {
    const fetch = vi.fn(async (url: string) => {
      expect(url).toBe('api/library/tracks?limit=500&offset=0&albumId=7');
      return new Response(JSON.stringify({ items: [{ id: 31 }, { id: 32 }, { id: 33 }], total: 3 }));
    });
    vi.stubGlobal('fetch', fetch);
    const { sent, remote } = fakeRemote();
    const c = new Controller(remote, () => 'cast-tv', () => undefined);
    expect(await c.playAlbum(7, 'replace', 32)).toBe(true);
    expect(sent).toEqual([['playback:play', { receiver: 'cast-tv', what: [31, 32, 33], mode: 'replace', startIndex: 1, from: 'start' }]]);
  });
});
