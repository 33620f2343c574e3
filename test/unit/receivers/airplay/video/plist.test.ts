import { describe, expect, it } from 'vitest';
import { parseBinaryPlist, parseXmlPlist, toBinaryPlist, toXmlPlist } from '../../../../../receivers/airplay/video/plist.js';
import { parseBody } from '../../../../../receivers/airplay/video/client.js';
import { parsePlayBody } from '../../../../../receivers/airplay/emulator/video.js';

const info = {
  duration: 83.124794, position: 14.467, rate: 1, readyToPlay: true, playbackBufferEmpty: false,
  loadedTimeRanges: [{ start: 0, duration: 83.124794 }], name: 'Den <TV> & "co"', empty: {}, none: [],
};

describe('AirPlay plists', () => {
  it('XML: writes what it reads, with escaping, integers and reals apart', () => {
    const xml = toXmlPlist(info);
    expect(xml).toContain('<key>rate</key>\n\t<integer>1</integer>');
    expect(xml).toContain('<real>83.124794</real>');
    expect(xml).toContain('Den &lt;TV&gt; &amp; "co"');
    expect(parseXmlPlist(xml)).toEqual(info);
  });

  it('XML: reads an Apple TV server-info answer; refuses junk', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
 <dict>
  <key>deviceid</key>
  <string>58:55:CA:1A:E2:88</string>
  <key>features</key>
  <integer>14839</integer>
  <key>model</key>
  <string>AppleTV2,1</string>
  <key>protovers</key>
  <string>1.0</string>
  <key>srcvers</key>
  <string>120.2</string>
 </dict>
</plist>`;
    expect(parseXmlPlist(xml)).toEqual({ deviceid: '58:55:CA:1A:E2:88', features: 14839, model: 'AppleTV2,1', protovers: '1.0', srcvers: '120.2' });
    expect(() => parseXmlPlist('<html></html>')).toThrow(/bad plist/);
    expect(() => parseXmlPlist('<plist><dict><string>x</string></dict></plist>')).toThrow(/without <key>/);
  });

  it('binary: round trip of the /play body iOS sends, unicode, big numbers, data and dates', () => {
    const body = { 'Content-Location': 'http://10.0.0.2:8420/media/7?exp=1&sig=x', 'Start-Position': 0.25, uuid: 'ÄÖ-✓', big: 2 ** 40, n: 300, data: Buffer.from([1, 2, 3]), when: new Date('2024-07-14T18:30:05Z'), list: [true, false] };
    const buf = toBinaryPlist(body);
    expect(buf.subarray(0, 8).toString()).toBe('bplist00');
    expect(parseBinaryPlist(buf)).toEqual(body);
    expect(() => parseBinaryPlist(Buffer.from('bplist00'))).toThrow(/bad plist/);
  });

  it('parses bodies by their exact Content-Type, as airplay-protocol does', () => {
    expect(parseBody('text/parameters', Buffer.from('duration: 83.124794\nposition: 14.467000\n'))).toEqual({ duration: 83.124794, position: 14.467 });
    expect(parseBody('text/x-apple-plist+xml', Buffer.from(toXmlPlist({ a: 1 })))).toEqual({ a: 1 });
    expect(parseBody('text/x-apple-plist+xml; charset=utf-8', Buffer.from('x'))).toEqual(Buffer.from('x'));
  });

  it('the emulator reads /play as text/parameters (LF only), binary or XML plist', () => {
    expect(parsePlayBody('text/parameters', Buffer.from('Content-Location: http://h/a.mp4\nStart-Position: 0.5\n'))).toEqual({ url: 'http://h/a.mp4', fraction: 0.5, kind: 'text/parameters' });
    expect(parsePlayBody('application/x-apple-binary-plist', toBinaryPlist({ 'Content-Location': 'http://h/b.mp4', 'Start-Position-Seconds': 12 }))).toEqual({ url: 'http://h/b.mp4', seconds: 12, kind: 'binary-plist' });
    expect(parsePlayBody('text/x-apple-plist+xml', Buffer.from(toXmlPlist({ 'Content-Location': 'http://h/c.mp4', 'Start-Position': 2 })))).toMatchObject({ fraction: 1, kind: 'xml-plist' });
    expect(() => parsePlayBody('text/parameters', Buffer.from('Start-Position: 0\n'))).toThrow(/Content-Location/);
    expect(() => parsePlayBody('text/parameters', Buffer.from('Content-Location: file:///etc/passwd\n'))).toThrow(/Content-Location/);
  });
});
