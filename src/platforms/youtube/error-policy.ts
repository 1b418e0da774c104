/**
 * What an error from the YouTube Data API means for reading a chat, as one pure decision (one row
 * per error docs/youtube.md lists; test/unit/youtube-policy.test.ts checks each).
 */
export type Decision =
  | { readonly action: 'end'; readonly detail: string }
  | { readonly action: 'fail'; readonly detail: string; readonly auth: boolean }
  | { readonly action: 'fallbackToKey'; readonly detail: string }
  | { readonly action: 'waitForReset'; readonly detail: string }
  | { readonly action: 'backoff'; readonly which: 'rate' | 'error'; readonly detail: string }
  | { readonly action: 'resetCursor' }
  | { readonly action: 'pollFor'; readonly ms: number };

export interface DecisionContext {
  /** How this call read the chat. */
  readonly transport: 'stream' | 'poll';
  /** What the config asks for: `auto` may fall back from streaming to polling. */
  readonly mode: 'auto' | 'stream' | 'poll';
  /** An API key is there to go on reading when the OAuth refresh token dies. */
  readonly canFallBackToKey: boolean;
  /** What is being read, for the messages: "video abc", "your active broadcast". */
  readonly where: string;
}

/** After the stream endpoint proves unavailable, poll for this long before trying it again. */
export const STREAM_RETRY_MS = 10 * 60_000;

/** The chat's own errors: answers about the chat, not about the endpoint being unavailable. */
export const CHAT_REASONS = new Set([
  'liveChatEnded',
  'liveChatDisabled',
  'liveChatNotFound',
  'forbidden',
  'quotaExceeded',
  'rateLimitExceeded',
  'pageTokenInvalid',
  'authError',
  'invalid_grant',
]);

export function decide(reason: string, ctx: DecisionContext): Decision {
  switch (reason) {
    case 'liveChatEnded':
      return { action: 'end', detail: 'the live chat ended' };
    case 'liveChatNotFound':
      return { action: 'fail', auth: false, detail: `YouTube has no live chat for ${ctx.where} (ended, or the id is wrong)` };
    case 'liveChatDisabled':
      return { action: 'fail', auth: false, detail: `the live chat of ${ctx.where} is disabled` };
    case 'forbidden':
      return { action: 'fail', auth: false, detail: `YouTube does not let these credentials read the live chat of ${ctx.where}` };
    case 'videoNotFound':
      return { action: 'fail', auth: false, detail: `YouTube has no ${ctx.where}: check youtube.videoId` };
    case 'channelNotFound':
      return { action: 'fail', auth: false, detail: `YouTube has no ${ctx.where}: check youtube.channelId` };
    case 'authError':
      return { action: 'fail', auth: true, detail: 'YouTube rejected the credentials: check YOUTUBE_API_KEY, or run `lectern auth youtube` again' };
    case 'invalid_grant': {
      const detail =
        'YouTube refused to refresh the OAuth token (revoked, or expired: consent screens left in "Testing" issue refresh tokens that die after 7 days); run `lectern auth youtube` again';
      return ctx.canFallBackToKey
        ? { action: 'fallbackToKey', detail: `${detail}. Reading goes on with YOUTUBE_API_KEY, read-only.` }
        : { action: 'fail', auth: true, detail };
    }
    case 'quotaExceeded':
      return { action: 'waitForReset', detail: 'YouTube says the quota is spent; reading resumes when it resets at midnight Pacific time' };
    case 'rateLimitExceeded':
      return { action: 'backoff', which: 'rate', detail: 'YouTube says the chat is read too often; slowing down' };
    case 'pageTokenInvalid':
      return { action: 'resetCursor' };
    default:
      // The stream endpoint itself is unavailable (not the chat): poll for a while instead.
      if (ctx.transport === 'stream' && ctx.mode === 'auto' && !CHAT_REASONS.has(reason) && reason !== 'streamCut')
        return { action: 'pollFor', ms: STREAM_RETRY_MS };
      return { action: 'backoff', which: 'error', detail: `YouTube ${reason}; retrying` };
  }
}
