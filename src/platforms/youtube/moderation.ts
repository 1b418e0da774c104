import type { ChatEvent, ChatModerator, ModerationResult } from '../../core/index.js';
import { classify, type YouTubeApi } from './api.js';
import type { QuotaPlanner } from './quota.js';

/**
 * Deletes viewers' messages in the YouTube live chat (liveChatMessages.delete), counted in the quota
 * like a reply (from the reply reserve). Needs OAuth with a channel that owns or moderates the
 * chat; a `forbidden` answer is learnt and nothing more is tried until the platform is set up again.
 */
export class YouTubeModerator implements ChatModerator {
  readonly platform = 'youtube' as const;
  private missing: string | undefined;

  constructor(private readonly opts: { readonly api: YouTubeApi; readonly planner: QuotaPlanner }) {}

  lacksRights(): string | undefined {
    if (!this.opts.api.canWrite)
      return 'YouTube: deleting messages needs the bot signed in with OAuth and write access (`lectern auth youtube`), not an API key';
    return this.missing;
  }

  async deleteMessage(event: ChatEvent): Promise<ModerationResult> {
    const lacking = this.lacksRights();
    if (lacking) return { ok: false, reason: 'no-rights', detail: lacking };
    const { planner, api } = this.opts;
    if (!planner.canReply('delete'))
      return { ok: false, reason: 'quota', detail: 'YouTube: the quota kept for replies and deletions is spent until midnight Pacific' };
    planner.spend('delete');
    try {
      await api.deleteMessage(event.id);
      return { ok: true };
    } catch (err) {
      const e = await classify(err);
      switch (e.reason) {
        case 'forbidden':
          this.missing = "YouTube: the bot's channel is not a moderator of this chat (add it as a moderator in YouTube Studio)";
          return { ok: false, reason: 'no-rights', detail: this.missing };
        case 'modificationNotAllowed':
          return { ok: false, reason: 'protected', detail: 'YouTube keeps that message (a moderator’s or the owner’s)' };
        case 'liveChatMessageNotFound':
          return { ok: false, reason: 'not-found', detail: 'YouTube: the message is gone already' };
        case 'quotaExceeded':
          planner.exhausted();
          return { ok: false, reason: 'quota', detail: 'YouTube: the quota is spent until midnight Pacific' };
        default:
          return { ok: false, reason: 'failed', detail: `YouTube API ${e.status || 'network'} ${e.reason}` };
      }
    }
  }
}
