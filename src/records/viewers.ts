import { LecternError, type PlatformId } from '../core/index.js';
import type { Store } from '../store/index.js';

/** One viewer's account as the database knows it. */
export interface Viewer {
  readonly platform: PlatformId;
  /** The account id (Twitch user id, YouTube channel id); null for a moderator known only by the topics they set. */
  readonly id: string | null;
  /** Every name it was seen under. */
  readonly names: readonly string[];
  /** The `platform:login` values crediting it with topics. */
  readonly setBy: readonly string[];
}

/** An account a name matched, listed when a name matches several. */
export interface AccountSummary {
  readonly platform: PlatformId;
  readonly id: string;
  readonly names: readonly string[];
  readonly questions: number;
  readonly votes: number;
  readonly lastSeen: number | null;
}

export type Resolution =
  | { readonly kind: 'found'; readonly viewer: Viewer }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly accounts: readonly AccountSummary[] };

/** A name compared as a person would: without a leading @, case and Unicode width. */
export const nameKey = (name: string): string => name.normalize('NFKC').trim().replace(/^@/, '').toLowerCase();

/**
 * Finds the account a streamer means. Twitch: a login (any case) or a user id. YouTube: a channel
 * id (`UC…`), a handle (`@name`) or a display name. Ids match exactly, names by `nameKey`; a name
 * several accounts have gone by is ambiguous (listed, never guessed). A moderator who only ever
 * set topics is found by login.
 */
export function resolveViewer(store: Store, platform: PlatformId, query: string): Resolution {
  const q = query.trim();
  if (!q) throw new LecternError('INVALID_INPUT', 'Name the viewer: a login, a handle, a display name or an account id');
  const key = nameKey(q);
  const rows = store.viewers.accounts(platform);
  const ids = new Set<string>();
  for (const r of rows) if (r.id === q || (r.name !== null && nameKey(r.name) === key)) ids.add(r.id);
  const setters = store.viewers.setters(platform);
  const setterKey = (s: string) => nameKey(s.slice(platform.length + 1));
  if (ids.size > 1) {
    return {
      kind: 'ambiguous',
      accounts: [...ids].map((id) => ({ platform, id, names: namesOf(rows, id), ...store.viewers.summary(platform, id) })),
    };
  }
  const [id] = ids;
  if (id === undefined) {
    const setBy = setters.filter((s) => setterKey(s) === key);
    return setBy.length ? { kind: 'found', viewer: { platform, id: null, names: [q], setBy } } : { kind: 'none' };
  }
  return { kind: 'found', viewer: viewerOf(store, platform, id, [q]) };
}

/**
 * An account known by its id (a line in the dashboard's chat), with `seenAs`: the names chat
 * showed, which count as its names even when nothing was stored under them.
 */
export function viewerById(store: Store, platform: PlatformId, id: string, seenAs: readonly string[] = []): Viewer {
  const v = viewerOf(store, platform, id, seenAs);
  const known = new Set(v.names.map(nameKey));
  return { ...v, names: [...v.names, ...seenAs.filter((n) => n && !known.has(nameKey(n)))] };
}

/** `typed`: what the streamer typed (a login may credit topics under a name never stored). */
function viewerOf(store: Store, platform: PlatformId, id: string, typed: readonly string[]): Viewer {
  const names = namesOf(store.viewers.accounts(platform), id);
  const keys = new Set([...names, ...typed.filter((n) => n !== id)].map(nameKey));
  const setBy = store.viewers.setters(platform).filter((s) => keys.has(nameKey(s.slice(platform.length + 1))));
  return { platform, id, names, setBy };
}

const namesOf = (rows: ReadonlyArray<{ id: string; name: string | null }>, id: string): string[] => [
  ...new Set(rows.filter((r) => r.id === id && r.name !== null).map((r) => r.name!)),
];
