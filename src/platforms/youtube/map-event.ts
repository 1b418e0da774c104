import type { youtube_v3 } from '@googleapis/youtube';
import { cleanChatText, type ChatEvent, type ChatEventKind, type Paid, type Role } from '../../core/index.js';

type Message = youtube_v3.Schema$LiveChatMessage;
type Author = youtube_v3.Schema$LiveChatMessageAuthorDetails;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function youtubeRoles(a: Author | undefined): Role[] {
  if (!a) return [];
  const roles: Role[] = [];
  if (a.isChatOwner === true) roles.push('broadcaster');
  if (a.isChatModerator === true) roles.push('moderator');
  // Channel members are YouTube's subscribers-with-benefits; they map to Twitch's subscriber.
  if (a.isChatSponsor === true) roles.push('subscriber');
  return roles;
}

const KINDS: Record<string, ChatEventKind> = {
  textMessageEvent: 'message',
  superChatEvent: 'paid-message',
  superStickerEvent: 'paid-message',
  fanFundingEvent: 'paid-message',
  newSponsorEvent: 'membership',
  memberMilestoneChatEvent: 'membership',
  membershipGiftingEvent: 'membership',
  giftMembershipReceivedEvent: 'membership',
  giftEvent: 'paid-message',
  messageDeletedEvent: 'deletion',
  messageRetractedEvent: 'deletion',
  userBannedEvent: 'ban',
  pollEvent: 'system',
  sponsorOnlyModeStartedEvent: 'system',
  sponsorOnlyModeEndedEvent: 'system',
  chatEndedEvent: 'system',
  tombstone: 'deletion',
};

/** The API's shapes are trusted no further than this: anything not a string becomes ''. */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function micros(v: unknown): number | undefined {
  const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Super Chat, Super Sticker and the legacy fan funding: the amount as YouTube states it. */
function paidOf(d: { amountMicros?: unknown; currency?: unknown; amountDisplayString?: unknown; tier?: unknown } | null | undefined): Paid | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const m = micros(d.amountMicros);
  if (m === undefined) return undefined;
  const currency = /^[A-Z]{3}$/.test(str(d.currency)) ? str(d.currency) : '?';
  const amount = m / 1_000_000;
  const tier = typeof d.tier === 'number' && Number.isInteger(d.tier) && d.tier > 0 ? d.tier : 1;
  return { amount, currency, display: cleanChatText(str(d.amountDisplayString), 32).text || `${amount} ${currency}`, tier };
}

/**
 * Maps one Data API `LiveChatMessage` to a ChatEvent, or null when it has no id or an unknown
 * type. Pure. Paid amounts keep YouTube's micros with the currency as unit.
 */
export function mapLiveChatMessage(m: Message, channel: string, now: number): ChatEvent | null {
  const s = m.snippet && typeof m.snippet === 'object' ? m.snippet : {};
  const type = str(s.type);
  const kind = Object.hasOwn(KINDS, type) ? KINDS[type] : undefined;
  if (!str(m.id) || !kind) return null;
  const a = m.authorDetails && typeof m.authorDetails === 'object' ? m.authorDetails : undefined;
  const authorId = str(a?.channelId) || str(s.authorChannelId);
  const name = cleanChatText(str(a?.displayName), 64).text;
  const published = Date.parse(str(s.publishedAt));
  const fan = s.fanFundingEventDetails && typeof s.fanFundingEventDetails === 'object' ? s.fanFundingEventDetails : undefined;
  const pollQuestion = str(s.pollDetails?.metadata?.questionText);
  const rawText =
    str(s.textMessageDetails?.messageText) ||
    str(s.superChatDetails?.userComment) ||
    str(fan?.userComment) ||
    str(s.memberMilestoneChatDetails?.userComment) ||
    (pollQuestion ? `Poll: ${pollQuestion}` : '') ||
    (type === 'textMessageEvent' ? str(s.displayMessage) : '');
  const { text, truncated } = cleanChatText(rawText);
  const event: Mutable<ChatEvent> = {
    platform: 'youtube',
    channel,
    id: str(m.id),
    kind,
    subtype: type,
    text,
    time: Number.isFinite(published) ? published : now,
    author: { id: authorId, login: name.replace(/^@/, ''), displayName: name || 'someone', roles: youtubeRoles(a) },
  };
  if (truncated) event.truncated = true;
  const paid = paidOf(s.superChatDetails) ?? paidOf(s.superStickerDetails) ?? paidOf(fan);
  if (paid) event.paid = paid;
  const gifts = Number(s.membershipGiftingDetails?.giftMembershipsCount);
  if (Number.isFinite(gifts) && gifts > 0) event.giftCount = gifts;
  // A tombstone stands in for the message with the same id: that message is gone.
  if (type === 'tombstone') event.target = { messageId: str(m.id) };
  if (str(s.messageDeletedDetails?.deletedMessageId)) event.target = { messageId: str(s.messageDeletedDetails?.deletedMessageId) };
  if (str(s.messageRetractedDetails?.retractedMessageId)) event.target = { messageId: str(s.messageRetractedDetails?.retractedMessageId) };
  if (s.userBannedDetails) {
    const b = s.userBannedDetails;
    event.target = {
      ...(str(b.bannedUserDetails?.channelId) ? { userId: str(b.bannedUserDetails?.channelId) } : {}),
      ...(b.banType === 'temporary' && Number(b.banDurationSeconds) > 0 ? { durationSeconds: Number(b.banDurationSeconds) } : {}),
    };
  }
  return event;
}
