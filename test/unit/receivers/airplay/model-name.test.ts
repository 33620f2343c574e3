// AirPlay devices announce model identifiers ("AppleTV3,2"); the remote and the CLI show the
// product name, which the AirPlay kind puts in the descriptor (server/ never reads the table).
import { describe, expect, it } from 'vitest';
import { describe as describeRecord } from '../../../../receivers/airplay/describe.js';
import { modelName } from '../../../../receivers/airplay/models.js';
import { kinds } from '../../../../receivers/index.js';
import { receiverLine } from '../../../../server/cli/format.js';
import { manualDescriptors } from '../../../../server/discovery/manual.js';

describe('AirPlay model names', () => {
  it('names Apple TVs, HomePods and AirPort Expresses by product; unknown ids get none', () => {
    expect(modelName('AppleTV2,1')).toBe('Apple TV (2nd generation)');
    expect(modelName('AppleTV3,2')).toBe('Apple TV (3rd generation)');
    expect(modelName('AppleTV5,3')).toBe('Apple TV HD');
    expect(modelName('AppleTV6,2')).toBe('Apple TV 4K');
    expect(modelName('AppleTV14,1')).toBe('Apple TV 4K (3rd generation)');
    expect(modelName('AudioAccessory5,1')).toBe('HomePod mini');
    expect(modelName('AirPort10,115')).toBe('AirPort Express (2nd generation)');
    expect(modelName('AppleTV99,9')).toBeUndefined();
    expect(modelName(null)).toBeUndefined();
  });

  it('reaches the descriptor from mDNS (_raop._tcp am) and from the config, for the CLI too', () => {
    const homepod = describeRecord({ name: 'AABBCCDDEEFF@Kitchen', type: 'raop', host: 'x.local', port: 7000, addresses: ['10.0.0.9'], txt: { am: 'AudioAccessory5,1', et: '0,4' } })!;
    expect(homepod).toMatchObject({ model: 'AudioAccessory5,1', modelName: 'HomePod mini', type: 'speaker' });
    const [tv, cast] = manualDescriptors(
      [
        { kind: 'airplay', name: 'Den', host: '10.0.0.2', port: 7000, model: 'AppleTV3,2', type: 'tv' },
        { kind: 'chromecast', name: 'Bedroom', host: '10.0.0.3', model: 'Chromecast Ultra' },
      ],
      kinds,
    );
    expect(tv).toMatchObject({ model: 'AppleTV3,2', modelName: 'Apple TV (3rd generation)' });
    // Cast devices announce a product name already.
    expect(cast!.modelName).toBeUndefined();
    expect(receiverLine(tv!)).toBe('● Den  (tv, Apple TV (3rd generation), airplay, 10.0.0.2:7000)');
    expect(receiverLine(cast!)).toContain('(tv, Chromecast Ultra, chromecast,');
  });
});
