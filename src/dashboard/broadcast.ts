import type { WebSocket } from 'ws';

/** A client whose unsent data passes this is too slow and is dropped, never buffered further. */
export const MAX_CLIENT_BUFFER = 1_000_000;

/** Events of one kind kept per frame: older ones would be scrolled away by the page anyway. */
const KEEP_PER_FRAME: Record<string, number> = { chat: 200, question: 300 };

interface Pending {
  readonly type: string;
  readonly at: number;
  readonly data: unknown;
  /** Events of the same type and key replace each other within a frame (the latest wins). */
  readonly key: string | undefined;
}

/**
 * The WebSocket clients of one page (the dashboard, or the overlay) and what is sent to them.
 * Events are gathered for `flushMs` and sent as one frame, serialised once for every client, so a
 * flood of chat costs one message per client per tick, not one per line; events of a kind beyond
 * what the page keeps are left out, and the frame then asks the page to reload its state.
 */
export class Broadcaster {
  private readonly clients = new Set<WebSocket>();
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  dropped = 0;
  framesSent = 0;

  constructor(private readonly flushMs = 50) {}

  get size(): number {
    return this.clients.size;
  }

  add(ws: WebSocket): void {
    this.clients.add(ws);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => this.clients.delete(ws));
  }

  /** Clients that answered the last ping (or are new since). */
  private readonly alive = new WeakSet<WebSocket>();

  /**
   * Called every few seconds: a client that did not answer the previous ping is gone (a closed
   * lid, a changed network) and is dropped; the others are pinged again and told the service is
   * alive, so a page that hears nothing for a while knows its link is dead and reconnects.
   */
  heartbeat(): void {
    for (const c of this.clients) {
      if (!this.alive.has(c)) {
        this.dropped++;
        this.clients.delete(c);
        c.terminate();
        continue;
      }
      this.alive.delete(c);
      c.ping();
    }
    if (this.clients.size > 0) this.send('alive', null, 'alive');
  }

  /** Sends one event to one client now (the state a new client starts from). */
  sendTo(ws: WebSocket, type: string, data: unknown): void {
    ws.send(JSON.stringify({ type, at: Date.now(), data }));
  }

  send(type: string, data: unknown, key?: string): void {
    if (this.clients.size === 0) return;
    this.pending.push({ type, at: Date.now(), data, key: key === undefined ? undefined : `${type}:${key}` });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private flush(): void {
    this.timer = undefined;
    const events = this.pending;
    this.pending = [];
    if (this.clients.size === 0 || events.length === 0) return;
    // The latest event per key, and at most KEEP_PER_FRAME of a type, in their order.
    const seen = new Set<string>();
    const count = new Map<string, number>();
    let resync = false;
    const kept: Pending[] = [];
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.key !== undefined) {
        if (seen.has(e.key)) continue;
        seen.add(e.key);
      }
      const n = (count.get(e.type) ?? 0) + 1;
      count.set(e.type, n);
      if (n > (KEEP_PER_FRAME[e.type] ?? Infinity)) {
        resync ||= e.type !== 'chat';
        continue;
      }
      kept.push(e);
    }
    kept.reverse();
    // Encoded once for every client (a string would be encoded again for each).
    const frame = Buffer.from(
      JSON.stringify({ type: 'batch', at: Date.now(), events: kept.map(({ type, at, data }) => ({ type, at, data })), ...(resync ? { resync: true } : {}) }),
    );
    for (const c of this.clients) {
      if (c.bufferedAmount > MAX_CLIENT_BUFFER) {
        this.dropped++;
        this.clients.delete(c);
        c.terminate();
        continue;
      }
      c.send(frame, { binary: false });
    }
    this.framesSent++;
  }

  close(code: number, reason: string): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    for (const c of this.clients) c.close(code, reason);
    this.clients.clear();
  }
}
