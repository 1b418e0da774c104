import { describe, expect, it } from 'vitest';
import { decide, STREAM_RETRY_MS, type Decision, type DecisionContext } from '../../src/platforms/youtube/error-policy.js';

const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({
  transport: 'poll',
  mode: 'auto',
  canFallBackToKey: false,
  where: 'video vid-1',
  ...over,
});

type Row = readonly [
  reason: string,
  context: Partial<DecisionContext>,
  action: Decision['action'],
  detail: RegExp | null,
  extra?: Partial<Record<string, unknown>>,
];

/** One row per error the YouTube documentation (docs/youtube.md) lists. */
const rows: readonly Row[] = [
  ['liveChatEnded', {}, 'end', /live chat ended/],
  ['liveChatNotFound', {}, 'fail', /no live chat for video vid-1/, { auth: false }],
  ['liveChatDisabled', {}, 'fail', /live chat of video vid-1 is disabled/, { auth: false }],
  ['forbidden', {}, 'fail', /does not let these credentials read the live chat of video vid-1/, { auth: false }],
  ['videoNotFound', {}, 'fail', /youtube\.videoId/, { auth: false }],
  ['channelNotFound', {}, 'fail', /youtube\.channelId/, { auth: false }],
  ['authError', {}, 'fail', /YOUTUBE_API_KEY.*lectern auth youtube/, { auth: true }],
  ['invalid_grant', {}, 'fail', /7 days.*lectern auth youtube/, { auth: true }],
  ['invalid_grant', { canFallBackToKey: true }, 'fallbackToKey', /read-only/],
  ['quotaExceeded', {}, 'waitForReset', /midnight Pacific/],
  ['quotaExceeded', { transport: 'stream' }, 'waitForReset', /midnight Pacific/],
  ['rateLimitExceeded', {}, 'backoff', /too often/, { which: 'rate' }],
  ['rateLimitExceeded', { transport: 'stream' }, 'backoff', /too often/, { which: 'rate' }],
  ['pageTokenInvalid', {}, 'resetCursor', null],
  ['backendError', {}, 'backoff', /backendError; retrying/, { which: 'error' }],
  ['internal', {}, 'backoff', /internal; retrying/, { which: 'error' }],
  // The stream endpoint itself failing (not the chat): auto polls instead for a while...
  ['backendError', { transport: 'stream' }, 'pollFor', null, { ms: STREAM_RETRY_MS }],
  ['notFound', { transport: 'stream' }, 'pollFor', null, { ms: STREAM_RETRY_MS }],
  // ...but not when the config insists on streaming, nor when the stream was merely cut.
  ['backendError', { transport: 'stream', mode: 'stream' }, 'backoff', /retrying/, { which: 'error' }],
  ['streamCut', { transport: 'stream' }, 'backoff', /streamCut; retrying/, { which: 'error' }],
  // A chat error met while streaming is still the chat's answer, not the endpoint's.
  ['liveChatEnded', { transport: 'stream' }, 'end', /live chat ended/],
  ['forbidden', { transport: 'stream' }, 'fail', /video vid-1/, { auth: false }],
];

describe('the YouTube error policy', () => {
  for (const [reason, over, action, detail, extra] of rows) {
    it(`${reason} ${JSON.stringify(over)} → ${action}`, () => {
      const d = decide(reason, ctx(over));
      expect(d.action).toBe(action);
      if (detail) expect('detail' in d ? d.detail : '').toMatch(detail);
      else expect('detail' in d).toBe(false);
      for (const [k, v] of Object.entries(extra ?? {})) expect((d as unknown as Record<string, unknown>)[k]).toBe(v);
    });
  }

  it('never ends or fails on an error it does not know (a new reason is retried)', () => {
    for (const transport of ['poll', 'stream'] as const) {
      const d = decide('somethingNew', ctx({ transport, mode: 'poll' }));
      expect(d.action).toBe('backoff');
    }
  });
});
