import { describe, expect, it } from 'vitest';
import { dmapItem, dmapListingItem, parseDmap } from '../../../../../receivers/airplay/raop/dmap.js';

describe('DMAP encoding', () => {
  it('writes tag, big-endian length and UTF-8 value', () => {
    expect(dmapItem({ tag: 'minm', value: 'Hé' }).toString('hex')).toBe('6d696e6d' + '00000003' + '48c3a9');
    expect(dmapItem({ tag: 'astn', value: 7 }).toString('hex')).toBe('6173746e' + '00000004' + '00000007');
  });

  it('nests a listing item: the 8-byte mlit header, then the items shairport-sync reads from offset 8', () => {
    const b = dmapListingItem({ title: 'Blue in Green', artist: 'Miles Davis', album: 'Kind of Blue' });
    const [mlit, ...rest] = parseDmap(b);
    expect(rest).toEqual([]);
    expect(mlit!.tag).toBe('mlit');
    expect(b.readUInt32BE(4)).toBe(b.length - 8);
    const items = parseDmap(mlit!.value).map((i) => [i.tag, i.value.toString('utf8')]);
    expect(items).toEqual([['minm', 'Blue in Green'], ['asar', 'Miles Davis'], ['asal', 'Kind of Blue']]);
  });

  it('leaves absent fields out and refuses bad tags', () => {
    const [mlit] = parseDmap(dmapListingItem({ title: 'Only a title' }));
    expect(parseDmap(mlit!.value).map((i) => i.tag)).toEqual(['minm']);
    expect(() => dmapItem({ tag: 'toolong', value: '' })).toThrow(/4 ASCII/);
    expect(() => parseDmap(Buffer.from('6d696e6d00000009ab', 'hex'))).toThrow(/overruns/);
  });
});
