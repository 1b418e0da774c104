import type { Config } from '../config/index.js';
import { dataPaths } from '../config/index.js';
import { TokenStore, youtubeCredentials } from '../auth/index.js';
import { MODERATION_SCOPE } from '../platforms/twitch/index.js';
import type { Check } from './doctor.js';

/**
 * Link protection (`moderation.links`): whether the bot can delete messages on each platform. Where
 * it cannot, nothing is deleted at run time either; this says why and what to do.
 */
export function checkLinkProtection(config: Config, twitchRoles: readonly string[] | undefined): Check | undefined {
  if (!config.moderation.links) return undefined;
  const problems: string[] = [];
  const fine: string[] = [];
  const t = config.twitch;
  if (t) {
    const clientId = t.auth?.clientId ?? t.markers?.clientId ?? t.clientId;
    const linked = config.secrets.twitchToken ? undefined : new TokenStore(dataPaths(config).tokens).get('twitch');
    if (!t.username) problems.push('Twitch: the bot reads anonymously; set twitch.username and its token');
    else if (!clientId) problems.push('Twitch: deleting needs Helix: set twitch.clientId (the client id of the bot token)');
    else if (linked && !linked.scopes.includes(MODERATION_SCOPE))
      problems.push(`Twitch: the linked account lacks ${MODERATION_SCOPE}; run \`lectern auth twitch\` again`);
    else if (twitchRoles !== undefined && !twitchRoles.includes('moderator') && !twitchRoles.includes('broadcaster'))
      problems.push(`Twitch: the bot is not a moderator of #${t.channel}; type /mod ${t.username} there`);
    else
      fine.push(
        `Twitch: ${twitchRoles ? 'the bot is a moderator' : 'the bot’s role was not seen'}${config.secrets.twitchToken ? `; TWITCH_OAUTH_TOKEN must carry ${MODERATION_SCOPE}` : ''}`,
      );
  }
  if (config.youtube) {
    const { oauth } = youtubeCredentials(config);
    if (!oauth || oauth.readOnly) problems.push('YouTube: deleting needs OAuth with write access (`lectern auth youtube`), not an API key');
    else fine.push('YouTube: OAuth; the bot’s channel must be a moderator of the chat (YouTube says so at the first deletion)');
  }
  const detail = [...problems, ...fine].join('; ') || 'no platform configured';
  return { name: 'links', ok: problems.length === 0, detail: problems.length ? `nothing is deleted where the bot lacks the rights: ${detail}` : detail };
}
