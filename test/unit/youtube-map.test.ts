import { describe, expect, it } from 'vitest';
import { mapLiveChatMessage } from '../../src/platforms/youtube/map-event.js';

const author = { channelId: 'UC1', displayName: '@Alice', isChatOwner: false, isChatModerator: true, isChatSponsor: true, isVerified: false };
const base = (type: string, extra: Record<string, unknown> = {}) => ({
  id: `id-${type}`,
  snippet: { type, liveChatId: 'chat', authorChannelId: 'UC1', publishedAt: '2026-01-01T12:00:00Z', hasDisplayContent: true, ...extra },
  authorDetails: author,
});

describe('YouTube mapper', () => {
  it('maps a text message with roles and publish time', () => {
    const e = mapLiveChatMessage(base('textMessageEvent', { textMessageDetails: { messageText: 'why softmax?' }, displayMessage: 'why softmax?' }), 'vid', 0);
    expect(e).toMatchObject({
      platform: 'youtube',
      kind: 'message',
      text: 'why softmax?',
      time: Date.parse('2026-01-01T12:00:00Z'),
      author: { id: 'UC1', displayName: '@Alice', login: 'Alice', roles: ['moderator', 'subscriber'] },
    });
  });

  it('maps every snippet.type of the Data API', () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      [
        'superChatEvent',
        { superChatDetails: { amountMicros: '5000000', currency: 'USD', userComment: 'thanks!', tier: 2 } },
        { kind: 'paid-message', text: 'thanks!', paid: { amount: 5, currency: 'USD', display: '5 USD', tier: 2 } },
      ],
      [
        'superStickerEvent',
        { superStickerDetails: { amountMicros: '2000000', currency: 'EUR', amountDisplayString: '€2.00', tier: 1, superStickerMetadata: { altText: 'cat' } } },
        { kind: 'paid-message', text: '', paid: { amount: 2, currency: 'EUR', display: '€2.00', tier: 1 } },
      ],
      ['newSponsorEvent', { newSponsorDetails: { memberLevelName: 'Student' } }, { kind: 'membership' }],
      ['memberMilestoneChatEvent', { memberMilestoneChatDetails: { memberMonth: 6, userComment: 'half a year' } }, { kind: 'membership', text: 'half a year' }],
      ['membershipGiftingEvent', { membershipGiftingDetails: { giftMembershipsCount: 5 } }, { kind: 'membership', giftCount: 5 }],
      ['giftMembershipReceivedEvent', { giftMembershipReceivedDetails: {} }, { kind: 'membership' }],
      ['giftEvent', { giftDetails: {} }, { kind: 'paid-message' }],
      ['messageDeletedEvent', { messageDeletedDetails: { deletedMessageId: 'm9' } }, { kind: 'deletion', target: { messageId: 'm9' } }],
      ['messageRetractedEvent', { messageRetractedDetails: { retractedMessageId: 'm8' } }, { kind: 'deletion', target: { messageId: 'm8' } }],
      [
        'userBannedEvent',
        { userBannedDetails: { bannedUserDetails: { channelId: 'UC9' }, banType: 'temporary', banDurationSeconds: '300' } },
        { kind: 'ban', target: { userId: 'UC9', durationSeconds: 300 } },
      ],
      [
        'pollEvent',
        { pollDetails: { metadata: { questionText: 'Next topic?', options: [{ optionText: 'RoPE' }, { optionText: 'KV cache' }] }, status: 'active' } },
        { kind: 'system', subtype: 'pollEvent', text: 'Poll: Next topic?' },
      ],
      ['sponsorOnlyModeStartedEvent', {}, { kind: 'system' }],
      ['sponsorOnlyModeEndedEvent', {}, { kind: 'system' }],
      ['chatEndedEvent', {}, { kind: 'system', subtype: 'chatEndedEvent' }],
      ['tombstone', {}, { kind: 'deletion', target: { messageId: 'id-tombstone' } }],
      [
        'fanFundingEvent',
        { fanFundingEventDetails: { amountMicros: '3000000', currency: 'USD', amountDisplayString: '$3.00', userComment: 'what is a monad?' } },
        { kind: 'paid-message', text: 'what is a monad?', paid: { amount: 3, currency: 'USD', display: '$3.00', tier: 1 } },
      ],
    ];
    for (const [type, extra, expected] of cases) expect(mapLiveChatMessage(base(type, extra), 'vid', 0), type).toMatchObject(expected);
  });

  it('drops unknown types and messages without id; cleans hostile text', () => {
    expect(mapLiveChatMessage(base('invalidType'), 'v', 0)).toBeNull();
    expect(mapLiveChatMessage({ snippet: { type: 'textMessageEvent' } }, 'v', 0)).toBeNull();
    expect(mapLiveChatMessage({ id: 'x' }, 'v', 0)).toBeNull();
    const e = mapLiveChatMessage(base('textMessageEvent', { textMessageDetails: { messageText: `\u202Ehi\u0000 ${'z'.repeat(5000)}` } }), 'v', 0)!;
    expect(e.text.startsWith('hi z')).toBe(true);
    expect(e.truncated).toBe(true);
  });
});

describe('YouTube mapper on hostile shapes', () => {
  it('does not trust a currency (or any field) to be a string (a case found by fuzzing)', () => {
    const m = {
      id: ' ',
      snippet: { type: 'textMessageEvent', superChatDetails: { amountMicros: 0, currency: { toString: 0 } } },
      authorDetails: { channelId: 0, displayName: 0, isChatOwner: 0 },
    };
    expect(() => mapLiveChatMessage(m as never, 'c', 0)).not.toThrow();
  });
});
