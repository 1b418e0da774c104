import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/index.js';
import { cleanChatText } from '../../src/core/index.js';
import { parseNote } from '../../src/knowledge/index.js';
import { mapIrcMessage } from '../../src/platforms/twitch/index.js';
import { mapLiveChatMessage } from '../../src/platforms/youtube/index.js';
import { similarity } from '../../src/questions/index.js';
import { safeOutgoing, splitMessage } from '../../src/outbox/index.js';

/** `npm run test:reliability` runs these ten times longer. */
export const RUNS = process.env['LECTERN_LONG'] ? 10_000 : 1_000;

const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object({ maxDepth: 2 }),
  fc.array(fc.string(), { maxLength: 3 }),
);

describe('property-based fuzzing', () => {
  it('the Twitch mapper never throws and always yields clean, bounded text', () => {
    fc.assert(
      fc.property(
        fc.record({
          command: fc.constantFrom('PRIVMSG', 'USERNOTICE', 'CLEARMSG', 'CLEARCHAT', 'NOTICE', 'JOIN', fc.sample(fc.string(), 1)[0]!),
          params: fc.array(fc.oneof(fc.string(), fc.constant('#teacher')), { maxLength: 3 }),
          tags: fc.dictionary(
            fc.constantFrom(
              'id',
              'user-id',
              'display-name',
              'badges',
              'bits',
              'tmi-sent-ts',
              'login',
              'msg-id',
              'room-id',
              'source-id',
              'reply-parent-msg-id',
              'ban-duration',
              'target-msg-id',
              'mod',
              'vip',
              'subscriber',
            ),
            anyValue,
          ),
          prefix: fc.oneof(fc.constant(null), fc.string()),
        }),
        (m) => {
          const e = mapIrcMessage(m as never, { now: 1, nextLocalId: () => 'x' });
          if (e) {
            expect(e.text.length).toBeLessThanOrEqual(2000);
            expect(e.text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202E]/);
            expect(typeof e.author.id).toBe('string');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the YouTube mapper never throws on any shape', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.oneof(fc.string(), fc.constant(undefined)),
          snippet: fc.oneof(
            fc.constant(undefined),
            fc.record({
              type: fc.oneof(fc.constantFrom('textMessageEvent', 'superChatEvent', 'userBannedEvent', 'messageDeletedEvent', 'chatEndedEvent'), fc.string()),
              publishedAt: fc.oneof(fc.string(), fc.constant(undefined)),
              textMessageDetails: fc.oneof(fc.constant(undefined), fc.record({ messageText: fc.oneof(fc.string({ maxLength: 3000 }), fc.constant(null)) })),
              superChatDetails: fc.oneof(fc.constant(undefined), fc.record({ amountMicros: anyValue, currency: anyValue })),
              userBannedDetails: fc.oneof(fc.constant(undefined), fc.record({ banType: anyValue, banDurationSeconds: anyValue })),
            }),
          ),
          authorDetails: fc.oneof(fc.constant(undefined), fc.record({ channelId: anyValue, displayName: anyValue, isChatOwner: anyValue })),
        }),
        (m) => {
          const e = mapLiveChatMessage(m as never, 'chat', 1);
          if (e) expect(e.text.length).toBeLessThanOrEqual(2000);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('command parsing: never throws; a parsed name is always a safe word', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('!', '?', '~~'), (text, prefix) => {
        const p = parseCommand(text, prefix);
        if (p) {
          expect(p.name).toMatch(/^[a-z0-9_+-]{1,32}$/);
          expect(p.argText.length).toBeLessThanOrEqual(500);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('question similarity is symmetric, in [0, 1], and 1 for a text with itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 120 }), (a, b) => {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(similarity(b, a)).toBe(s);
        expect(similarity(a, a)).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('the notes parser never throws; anchors are unique within a note', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ maxLength: 40 }).map((s) => `## ${s}`),
      fc.constant('```'),
      fc.constant('---'),
      fc.constant('==='),
      fc.string({ maxLength: 30 }).map((s) => `# ${s}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const note = parseNote(lines.join('\n'), 'x.md');
        const anchors = note.sections.map((s) => s.anchor).filter(Boolean);
        expect(new Set(anchors).size).toBe(anchors.length);
        expect(note.title.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('outgoing text is one line, never a chat command, and splits within the limit losslessly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 1500 }), fc.integer({ min: 20, max: 500 }), (text, max) => {
        const safe = safeOutgoing(text);
        expect(safe).not.toMatch(/[\r\n]/);
        expect(safe).not.toMatch(/^[/.\\]/);
        const parts = splitMessage(safe, max);
        for (const p of parts) expect([...p].length).toBeLessThanOrEqual(max);
        expect(parts.join(' ').replace(/\s+/g, '')).toBe(safe.replace(/\s+/g, ''));
      }),
      { numRuns: RUNS },
    );
  });

  it('cleaning chat text is idempotent and bounded', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (raw) => {
        const once = cleanChatText(raw).text;
        expect(cleanChatText(once).text).toBe(once);
        expect(once.length).toBeLessThanOrEqual(2000);
      }),
      { numRuns: RUNS },
    );
  });
});
