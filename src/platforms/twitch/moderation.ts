import { toError, type ChatEvent, type ChatModerator, type ModerationResult, type Role } from '../../core/index.js';
import type { Helix } from './helix.js';

export const MODERATION_SCOPE = 'moderator:manage:chat_messages';

/**
 * Deletes viewers' messages in the Twitch channel through Helix (`DELETE /moderation/chat`). Only
 * tried when the bot can: logged in, Helix configured (a client id), a moderator there (from
 * Twitch's USERSTATE); a token without the scope is learnt from Twitch's first refusal and
 * nothing more is tried until the platform is set up again (a config reload or a restart).
 */
export class TwitchModerator implements ChatModerator {
  readonly platform = 'twitch' as const;
  private ids: Promise<{ broadcaster?: string; moderator?: string }> | undefined;
  private missing: string | undefined;

  constructor(
    private readonly opts: {
      readonly helix?: Helix;
      readonly channel: string;
      readonly username?: string;
      /** The bot's roles in the channel now. */
      readonly roles: () => readonly Role[];
    },
  ) {}

  lacksRights(): string | undefined {
    const { helix, username, channel } = this.opts;
    if (!username) return 'Twitch: the bot reads anonymously; it needs twitch.username and its token to delete messages';
    if (!helix) return 'Twitch: deleting messages needs Helix: set twitch.clientId (or twitch.auth.clientId), the client id of the bot token';
    if (this.missing) return this.missing;
    const roles = this.opts.roles();
    if (!roles.includes('moderator') && !roles.includes('broadcaster'))
      return `Twitch: the bot is not a moderator of #${channel}; type /mod ${username} in the channel to let it delete links`;
    return undefined;
  }

  async deleteMessage(event: ChatEvent): Promise<ModerationResult> {
    const lacking = this.lacksRights();
    if (lacking) return { ok: false, reason: 'no-rights', detail: lacking };
    const helix = this.opts.helix!;
    try {
      this.ids ??= Promise.all([helix.userId(this.opts.channel), helix.userId(this.opts.username!)]).then(([broadcaster, moderator]) => ({
        broadcaster,
        moderator,
      }));
      const { broadcaster, moderator } = await this.ids;
      if (!broadcaster || !moderator) {
        this.ids = undefined;
        return { ok: false, reason: 'failed', detail: 'Twitch: Helix does not know the channel or the bot account' };
      }
      const r = await helix.deleteChatMessage(broadcaster, moderator, event.id);
      switch (r.status) {
        case 204:
          return { ok: true };
        case 401:
          this.missing = `Twitch: the bot's token lacks ${MODERATION_SCOPE} (run \`lectern auth twitch\` again with moderation.links on, or give the token that scope)`;
          return { ok: false, reason: 'no-rights', detail: this.missing };
        case 403:
          return { ok: false, reason: 'no-rights', detail: `Twitch: the bot is not a moderator of #${this.opts.channel}` };
        case 400:
          return { ok: false, reason: 'protected', detail: 'Twitch keeps that message (a moderator’s, or older than 6 hours)' };
        case 404:
          return { ok: false, reason: 'not-found', detail: 'Twitch: the message is gone already' };
        default:
          return { ok: false, reason: 'failed', detail: `Twitch Helix answered ${r.status}` };
      }
    } catch (err) {
      this.ids = undefined;
      return { ok: false, reason: 'failed', detail: toError(err).message };
    }
  }
}
