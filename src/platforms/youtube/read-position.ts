import { SeenSet, type ChatEvent } from '../../core/index.js';
import type { ListResponse } from './api.js';
import { mapLiveChatMessage } from './map-event.js';

/** Ids remembered across restarts (with the page token) so no old command is answered twice. */
const PERSISTED_IDS = 500;
/** The bot's own message ids remembered across restarts. */
const PERSISTED_OWN = 200;

export interface PositionState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/**
 * Where reading one live chat stands, kept across restarts: the page token, the ids already
 * handled, and the ids of the bot's own messages. YouTube lists the bot's inserts like anyone's;
 * they are recognised by the ids `insert` returned, never by channel (the bot may be signed in as
 * the streamer, whose own commands count). A reply can come back through the stream before its
 * insert has answered: until then it is recognised by its text.
 */
export class ReadPosition {
  pageToken: string | undefined;
  private readonly seen = new SeenSet(20_000);
  private readonly recent: string[] = [];
  private readonly own = new SeenSet(1_000);
  private readonly ownRecent: string[] = [];
  private readonly pending = new Map<string, number>();
  private ownChannel: string | undefined;

  constructor(
    private readonly state: PositionState,
    readonly chatId: string,
  ) {
    this.pageToken = state.get(`pageToken:${chatId}`);
    for (const id of parseIds(state.get(`seen:${chatId}`))) this.remember(id);
    for (const id of parseIds(state.get(`own:${chatId}`))) this.markOwn(id);
  }

  get resumed(): boolean {
    return this.pageToken !== undefined;
  }

  /**
   * True the first time an item is seen. A tombstone reuses the id of the message it replaces, so
   * it is a different item from that message.
   */
  firstSeen(id: string, type: string): boolean {
    const key = type === 'tombstone' ? `${id}#tombstone` : id;
    if (!this.seen.add(key)) return false;
    this.remember(key);
    return true;
  }

  /** Is this item one the bot wrote? */
  isOwn(id: string, text: string, authorChannelId: string): boolean {
    if (this.own.has(id)) return true;
    const waiting = this.pending.get(text);
    if (!waiting || (this.ownChannel && authorChannelId !== this.ownChannel)) return false;
    this.markOwn(id);
    return true;
  }

  /** An insert is on its way with this text. */
  sending(text: string): void {
    this.pending.set(text, (this.pending.get(text) ?? 0) + 1);
  }

  /** The insert answered (with the message, or failed: id undefined). */
  sent(text: string, id: string | undefined, authorChannelId: string | undefined): void {
    const n = (this.pending.get(text) ?? 1) - 1;
    if (n > 0) this.pending.set(text, n);
    else this.pending.delete(text);
    if (authorChannelId) this.ownChannel = authorChannelId;
    if (!id) return;
    this.markOwn(id);
    this.state.set(`own:${this.chatId}`, JSON.stringify(this.ownRecent));
  }

  /** Moves to the next page; the ids are saved with it when new ones came. */
  advance(nextPageToken: string | undefined, freshItems: number): void {
    if (!nextPageToken || nextPageToken === this.pageToken) return;
    this.pageToken = nextPageToken;
    this.state.set(`pageToken:${this.chatId}`, nextPageToken);
    if (freshItems) this.state.set(`seen:${this.chatId}`, JSON.stringify(this.recent));
  }

  /** Starts again from recent chat (the token was refused); remembered ids still hold. */
  reset(): void {
    this.pageToken = undefined;
  }

  private remember(id: string): void {
    this.seen.add(id);
    this.recent.push(id);
    if (this.recent.length > PERSISTED_IDS) this.recent.splice(0, this.recent.length - PERSISTED_IDS);
  }

  private markOwn(id: string): void {
    if (!this.own.add(id)) return;
    this.ownRecent.push(id);
    if (this.ownRecent.length > PERSISTED_OWN) this.ownRecent.splice(0, this.ownRecent.length - PERSISTED_OWN);
  }
}

function parseIds(json: string | undefined): string[] {
  if (!json) return [];
  try {
    const ids = JSON.parse(json) as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The chat events a page brings that are new to this position: each message once (ids already
 * seen are skipped, and the position moves on), never the bot's own, and not the recent history
 * YouTube sends on the first page ever read (`historyBefore`).
 */
export function newEvents(pos: ReadPosition, page: ListResponse, now: number, historyBefore: number): ChatEvent[] {
  const firstEver = !pos.resumed;
  const events: ChatEvent[] = [];
  let fresh = 0;
  for (const item of page.items ?? []) {
    const type = typeof item.snippet?.type === 'string' ? item.snippet.type : '';
    if (typeof item.id !== 'string' || !item.id || !pos.firstSeen(item.id, type)) continue;
    fresh++;
    const text = item.snippet?.textMessageDetails?.messageText ?? '';
    if (type === 'textMessageEvent' && pos.isOwn(item.id, text, item.snippet?.authorChannelId ?? '')) continue;
    const event = mapLiveChatMessage(item, pos.chatId, now);
    if (!event) continue;
    if (firstEver && event.time < historyBefore) continue;
    events.push(event);
  }
  pos.advance(page.nextPageToken ?? undefined, fresh);
  return events;
}
