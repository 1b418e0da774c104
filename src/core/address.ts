import type { ChatAuthor, PlatformId } from './chat-event.js';
import { sliceCodePoints } from './text.js';

/** A YouTube handle: `@` and 3 to 30 letters, digits, dots, underscores or hyphens. */
const HANDLE = /^@[A-Za-z0-9._-]{3,30}$/;
/** Text that a chat client would turn into a link: a scheme, `www.`, or a dot between letters. */
const LINK_LIKE = /:\/\/|^www\.|\p{L}\.\p{L}/iu;
const MAX_NAME = 40;

/**
 * How the bot addresses a viewer: the one place that turns a name into text the bot writes, for
 * mentions and for `{user}`. Twitch: `@login` (the display name when it is only the login with
 * capitals). YouTube: a handle as it is (`@ada.lovelace`); any other display name without `@`,
 * with link-like words removed, no `@` anywhere (full-width ＠ included) and no leading `/ . \`,
 * so that a viewer who names themselves `@@victim visit evil.example/x` or `Bob @alice` cannot
 * make the bot tag someone else or post a link.
 */
export function addressOf(platform: PlatformId, author: Pick<ChatAuthor, 'login' | 'displayName'>): string {
  if (platform === 'twitch') {
    const { login, displayName } = author;
    const name = displayName.toLowerCase() === login ? displayName : login;
    return /^\w{1,25}$/.test(name) ? `@${name}` : '';
  }
  const raw = author.displayName.trim();
  if (HANDLE.test(raw)) return raw;
  // Full-width and other compatibility forms first (＠ is @), then no @ anywhere: "Bob @alice"
  // must not tag alice.
  const words = raw
    .normalize('NFKC')
    .replace(/@/g, '')
    .split(/\s+/)
    .filter((w) => w && !LINK_LIKE.test(w));
  const name = words
    .join(' ')
    .replace(/^[\s/.\\]+/, '')
    .replace(/[\u0000-\u001F\u007F]/g, '')
    .replace(/\s+/g, ' ');
  return sliceCodePoints(name, MAX_NAME).trim();
}
