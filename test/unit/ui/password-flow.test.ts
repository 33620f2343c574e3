// The remote's side of receiver passwords: a command refused with code 'needs-password' asks for
// the password (saying when the last one was wrong) and is sent again to the same receiver once
// it is saved; a cancel ends it without an error toast. The server's ReceiverView is what the
// remote's Receiver reads (compile-time check, like wire-types.test.ts).
import { describe, expect, it } from 'vitest';
import type { ReceiverView } from '../../../server/discovery/secrets.js';
import { Controller } from '../../../ui/src/data/actions.js';
import { CommandError } from '../../../ui/src/data/socket.js';
import type { Receiver } from '../../../ui/src/data/types.js';

const view = (r: ReceiverView): Required<Pick<Receiver, 'needsPassword' | 'hasPassword'>> & Receiver => r;

/** A server that refuses `refusals` times (first without, then with a wrong password), then plays. */
function lockedRemote(refusals: number) {
  const sent: [string, unknown][] = [];
  let left = refusals;
  return {
    sent,
    remote: {
      command: async (name: string, args: unknown) => {
        sent.push([name, args]);
        if (left > 0) {
          const wrong = left < refusals;
          left--;
          throw new CommandError(wrong ? 'Wrong password for Den' : 'Den needs a password', { code: 'needs-password', receiver: 'airplay:den', wrong });
        }
        return {};
      },
    } as unknown as ConstructorParameters<typeof Controller>[0],
  };
}

describe('password flow in the controller', () => {
  it('asks, retries the same command on the same receiver, asks again saying wrong, then plays', async () => {
    const { sent, remote } = lockedRemote(2);
    const asked: [string, boolean][] = [];
    const errors: string[] = [];
    let current = 'airplay:den';
    const c = new Controller(remote, () => current, (m) => errors.push(m), async (id, wrong) => {
      asked.push([id, wrong]);
      current = 'somewhere-else'; // the retry still goes to the receiver that refused
      return true;
    });
    expect(await c.play([7])).toBe(true);
    expect(asked).toEqual([['airplay:den', false], ['airplay:den', true]]);
    expect(sent).toHaveLength(3);
    expect(sent.every(([name, args]) => name === 'playback:play' && (args as { receiver: string }).receiver === 'airplay:den')).toBe(true);
    expect(errors).toEqual([]);
    expect(view).toBeTypeOf('function');
  });

  it('ends quietly when the user cancels, and shows the error when nobody can ask', async () => {
    const cancelled = new Controller(lockedRemote(1).remote, () => 'airplay:den', () => expect.fail('no toast on cancel'), async () => false);
    expect(await cancelled.play([7])).toBe(false);
    const errors: string[] = [];
    const plain = new Controller(lockedRemote(1).remote, () => 'airplay:den', (m) => errors.push(m));
    expect(await plain.play([7])).toBe(false);
    expect(errors).toEqual(['Den needs a password']);
  });
});
