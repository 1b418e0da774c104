import type { youtube_v3 } from '@googleapis/youtube';
import { cleanChatText, type ChatEvent, type ChatEventKind, type Role } from '../../core/index.js';

type Message = youtube_v3.Schema$LiveChatMessage;
type Author = youtube_v3.Schema$LiveChatMessageAuthorDetails;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function youtubeRoles(a: Author | undefined): Role[] {
  if (!a) return [];
  const roles: Role[] = [];
  if (a.isChatOwner) roles.push('broadcaster');
  if (a.isChatModerator) roles.push('moderator');
  // Channel members are YouTube's subscribers-with-benefits; they map to Twitch's subscriber.
  if (a.isChatSponsor) roles.push('subscriber');
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

function micros(v: string | null | undefined): number | undefined {
  const n = v === null || v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Maps one Data API `LiveChatMessage` to a ChatEvent, or null when it has no id or an unknown
 * type. Pure. Paid amounts keep YouTube's micros with the currency as unit.
 */
export function mapLiveChatMessage(m: Message, channel: string, now: number): ChatEvent | null {
  const s = m.snippet ?? {};
  const type = s.type ?? '';
  const kind = KINDS[type];
  if (!m.id || !kind) return null;
  const a = m.authorDetails ?? undefined;
  const authorId = a?.channelId ?? s.authorChannelId ?? '';
  const name = cleanChatText(a?.displayName ?? '', 64).text;
  const published = s.publishedAt ? Date.parse(s.publishedAt) : NaN;
  const rawText =
    s.textMessageDetails?.messageText ??
    s.superChatDetails?.userComment ??
    s.memberMilestoneChatDetails?.userComment ??
    (type === 'textMessageEvent' ? s.displayMessage : undefined) ??
    '';
  const { text, truncated } = cleanChatText(rawText ?? '');
  const event: Mutable<ChatEvent> = {
    platform: 'youtube',
    channel,
    id: m.id,
    kind,
    subtype: type,
    text,
    time: Number.isFinite(published) ? published : now,
    author: { id: authorId, login: name.replace(/^@/, ''), displayName: name || 'someone', roles: youtubeRoles(a) },
  };
  if (truncated) event.truncated = true;
  if (s.superChatDetails) {
    const v = micros(s.superChatDetails.amountMicros);
    if (v !== undefined) event.amount = { value: v, unit: `micros-${s.superChatDetails.currency ?? '?'}` };
  } else if (s.superStickerDetails) {
    const v = micros(s.superStickerDetails.amountMicros);
    if (v !== undefined) event.amount = { value: v, unit: `micros-${s.superStickerDetails.currency ?? '?'}` };
  } else if (s.membershipGiftingDetails?.giftMembershipsCount) {
    event.amount = { value: s.membershipGiftingDetails.giftMembershipsCount, unit: 'memberships' };
  }
  if (s.messageDeletedDetails?.deletedMessageId) event.target = { messageId: s.messageDeletedDetails.deletedMessageId };
  if (s.messageRetractedDetails?.retractedMessageId) event.target = { messageId: s.messageRetractedDetails.retractedMessageId };
  if (s.userBannedDetails) {
    const b = s.userBannedDetails;
    event.target = {
      ...(b.bannedUserDetails?.channelId ? { userId: b.bannedUserDetails.channelId } : {}),
      ...(b.banType === 'temporary' && b.banDurationSeconds ? { durationSeconds: Number(b.banDurationSeconds) } : {}),
    };
  }
  return event;
}
