/**
 * Links in a chat line, as chat clients would show them: `scheme://host…`, `www.host…`, and a bare
 * `name.tld` with a top-level domain people link to (so `node.js`, `e.g.` or a version number are
 * not links). An address in an e-mail (`a@b.com`) is not a link.
 */
const TLDS = (
  'com net org io gg tv co me ly xyz ru de uk info biz app dev link site online shop live us ca fr es it nl eu cc to sh ai club top click ' +
  'store tk ml ga cf gq ws la fm gl su vip win lol fun space page blog news pro one zip mov be ch at pl br in jp cn au so example'
)
  .split(' ')
  .join('|');

const SCHEME = /\b[a-z][a-z0-9+.-]{1,15}:\/\/([^\s/?#<>"'`]+)/gi;
const WWW = /(?<![\w.@/-])(www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
const BARE = new RegExp(`(?<![\\w.@/:-])((?:[a-z0-9-]{1,63}\\.)+(?:${TLDS}))(?=$|[/:?#\\s!,;)\\]'"]|\\.(?:\\s|$))`, 'gi');

/** A host as compared: lower-case, without user, port or trailing dot. */
function host(raw: string): string {
  return raw.replace(/^.*@/, '').replace(/:\d*$/, '').replace(/\.+$/, '').toLowerCase();
}

/** The hosts of the links in a line (each once). */
export function linkHosts(text: string): string[] {
  const found = new Set<string>();
  for (const re of [SCHEME, WWW, BARE]) for (const m of text.matchAll(re)) if (m[1]) found.add(host(m[1]));
  found.delete('');
  return [...found];
}

/** Whether a host is one of the domains or under one (`notes.blog.example` under `blog.example`). */
export function allowedHost(h: string, domains: readonly string[]): boolean {
  const x = h.replace(/^www\./, '');
  return domains.some((d) => x === d || x.endsWith(`.${d}`));
}

/** The host of a URL, without `www.`, or undefined. */
export function domainOf(url: string): string | undefined {
  try {
    const h = new URL(url).hostname.toLowerCase().replace(/^www\./, '');
    return h || undefined;
  } catch {
    return undefined;
  }
}
