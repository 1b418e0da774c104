import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressOf } from '../../src/core/index.js';
import { safeOutgoing } from '../../src/outbox/split.js';

const yt = (displayName: string) => addressOf('youtube', { login: displayName.replace(/^@/, ''), displayName });

describe('how the bot addresses a viewer', () => {
  it('Twitch: the login, or the display name when it is the login with capitals', () => {
    expect(addressOf('twitch', { login: 'alice', displayName: 'Alice' })).toBe('@Alice');
    expect(addressOf('twitch', { login: 'bob_2', displayName: '밥' })).toBe('@bob_2');
  });

  it('YouTube: a handle as it is, any other name without @ and without links', () => {
    expect(yt('@ada.lovelace')).toBe('@ada.lovelace');
    expect(yt('@Anhad-Singh_99')).toBe('@Anhad-Singh_99');
    expect(yt('Anhad Singh')).toBe('Anhad Singh');
    expect(yt('@@victim visit evil.example/x')).toBe('victim visit');
    expect(yt('Zoë Ünal')).toBe('Zoë Ünal');
    expect(yt('/ban everyone')).toBe('ban everyone');
    expect(yt('go to www.spam.example now')).toBe('go to now');
    expect(yt('https://evil.example')).toBe('');
    // An @ inside the name, full-width or not, would tag another viewer: it goes.
    expect(yt('Bob @alice')).toBe('Bob alice');
    expect(yt('ＡＢＣ＠ｅｖｉｌ')).toBe('ABCevil');
    expect(yt('evil@.example')).toBe('');
  });

  it('never produces a link, a leading command character or a second @ (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (name) => {
        const a = yt(name);
        expect(a).not.toMatch(/^[\s/.\\]/);
        // A handle may hold dots; any other name holds nothing a chat client turns into a link.
        if (a.startsWith('@')) expect(a).toMatch(/^@[A-Za-z0-9._-]{3,30}$/);
        else {
          expect(a).not.toMatch(/:\/\/|(^|\s)www\.|\p{L}\.\p{L}/iu);
          expect(a.normalize('NFKC')).not.toContain('@');
        }
        expect([...a].length).toBeLessThanOrEqual(40);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('safeOutgoing', () => {
  it('strips every leading / . \\ and space, however mixed', () => {
    expect(safeOutgoing('/ /ban x')).toBe('ban x');
    expect(safeOutgoing(' . \\ /timeout y 10')).toBe('timeout y 10');
    expect(safeOutgoing('ok /ban')).toBe('ok /ban');
  });

  it('never starts with a command character (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (junk, rest) => {
        const out = safeOutgoing(`${junk.replace(/[^/.\\\s]/g, '/')}${rest}`);
        expect(out).not.toMatch(/^[\s/.\\]/);
        expect(out).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 2000 },
    );
  });
});
