import { describe, expect, it } from 'vitest';
import { kinds } from '../../../receivers/index.js';
import { manualDescriptors } from '../../../server/discovery/manual.js';

describe('receivers from the config', () => {
  it('says which need a password (declared, or given one), never carrying the password itself', () => {
    const [plain, declared, given] = manualDescriptors(
      [
        { kind: 'airplay', name: 'Open', host: '10.0.0.2' },
        { kind: 'airplay', name: 'Locked', host: '10.0.0.3', needsPassword: true },
        { kind: 'airplay', name: 'Known', host: '10.0.0.4', password: 'secret' },
      ],
      kinds,
    );
    expect(plain!.needsPassword).toBeUndefined();
    expect(declared!.needsPassword).toBe(true);
    expect(given!.needsPassword).toBe(true);
    expect(JSON.stringify(given)).not.toContain('secret');
    expect(given!.port).toBe(5000);
  });
});
