import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/index.js';
import { readBody } from './http-body.js';

export interface HelixSimOptions {
  /** Access token → its scopes. */
  readonly tokens: Record<string, readonly string[]>;
  readonly clientId: string;
  readonly clock?: Clock;
  /** Login → user id of the channels that exist. */
  readonly users?: Record<string, string>;
  /** Whether the channel starts live (as the markers tests expect). */
  readonly live?: boolean;
  /** User ids that moderate the channel (the broadcaster always does); default: every user. */
  readonly moderators?: readonly string[];
}

interface Archive {
  readonly id: string;
  readonly streamId: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly title: string;
}

/**
 * Twitch Helix on loopback: users, streams (live or not, with a title and start time), archive
 * videos (one per broadcast, created when it goes live), channel titles and stream markers.
 * Tokens carry scopes and must come with the client id they were issued to.
 */
export class HelixSim {
  private server: Server | undefined;
  private readonly clock: Clock;
  readonly markers: Array<{ userId: string; description: string; positionSeconds: number }> = [];
  readonly archives: Archive[] = [];
  readonly calls: string[] = [];
  /** Messages deleted through `DELETE /moderation/chat`. */
  readonly deleted: Array<{ messageId: string; moderatorId: string }> = [];
  /** Called for each deleted message (the tests and the demo send the CLEARMSG Twitch would). */
  onDelete: ((messageId: string) => void) | undefined;
  live: boolean;
  title = 'Learning in public: attention';
  private liveSince: number;
  private nextId = 1;

  constructor(private readonly opts: HelixSimOptions) {
    this.clock = opts.clock ?? systemClock;
    this.live = opts.live ?? true;
    this.liveSince = this.clock.now();
    if (this.live) this.archive();
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/helix`;
  }

  /** The channel goes live with this title: a new broadcast and its archive video. */
  goLive(title = this.title): void {
    this.live = true;
    this.title = title;
    this.liveSince = this.clock.now();
    this.archive();
  }

  goOffline(): void {
    this.live = false;
  }

  private archive(): void {
    const userId = Object.values(this.opts.users ?? { teacher: '1000' })[0] ?? '1000';
    this.archives.push({
      id: String(2_000_000_000 + this.nextId++),
      streamId: String(40_000_000 + this.nextId),
      userId,
      createdAt: this.clock.now(),
      title: this.title,
    });
  }

  start(): Promise<void> {
    return new Promise((resolve) => {
      this.server = createServer((req, res) => void readBody(req).then((body) => this.route(req, res, body)));
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const url = new URL(req.url ?? '/', 'http://sim');
    this.calls.push(`${req.method} ${url.pathname}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const scopes = this.opts.tokens[token];
    if (!scopes || req.headers['client-id'] !== this.opts.clientId) return json(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
    const users = this.opts.users ?? { teacher: '1000' };
    const iso = (t: number) => new Date(t).toISOString();
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /helix/users':
        return json(200, {
          data: url.searchParams
            .getAll('login')
            .filter((l) => users[l])
            .map((l) => ({ id: users[l], login: l, display_name: l, type: '', broadcaster_type: 'affiliate' })),
        });
      case 'GET /helix/streams': {
        const ids = url.searchParams.getAll('user_id');
        const archive = this.archives[this.archives.length - 1];
        const data =
          this.live && archive && ids.includes(archive.userId)
            ? [{ id: archive.streamId, user_id: archive.userId, type: 'live', title: this.title, started_at: iso(this.liveSince), viewer_count: 42 }]
            : [];
        return json(200, { data, pagination: {} });
      }
      case 'GET /helix/videos': {
        const userId = url.searchParams.get('user_id');
        const data = this.archives
          .filter((a) => a.userId === userId)
          .reverse()
          .map((a) => ({
            id: a.id,
            stream_id: a.streamId,
            user_id: a.userId,
            title: a.title,
            created_at: iso(a.createdAt),
            published_at: iso(a.createdAt),
            url: `https://www.twitch.tv/videos/${a.id}`,
            type: 'archive',
            duration: '1h2m3s',
          }));
        return json(200, { data, pagination: {} });
      }
      case 'GET /helix/channels': {
        const id = url.searchParams.get('broadcaster_id');
        const login = Object.entries(users).find(([, v]) => v === id)?.[0];
        return json(200, {
          data: login ? [{ broadcaster_id: id, broadcaster_login: login, broadcaster_name: login, title: this.title, game_name: 'Science & Technology' }] : [],
        });
      }
      case 'POST /helix/streams/markers': {
        if (!scopes.includes('channel:manage:broadcast'))
          return json(401, { error: 'Unauthorized', status: 401, message: 'Missing scope: channel:manage:broadcast' });
        if (!this.live) return json(404, { error: 'Not Found', status: 404, message: 'channel is not live' });
        const parsed = JSON.parse(body || '{}') as { user_id?: string; description?: string };
        const positionSeconds = Math.floor((this.clock.now() - this.liveSince) / 1000);
        this.markers.push({ userId: parsed.user_id ?? '', description: parsed.description ?? '', positionSeconds });
        return json(200, {
          data: [
            { id: String(this.markers.length), created_at: iso(this.clock.now()), description: parsed.description ?? '', position_seconds: positionSeconds },
          ],
        });
      }
      case 'DELETE /helix/moderation/chat': {
        if (!scopes.includes('moderator:manage:chat_messages'))
          return json(401, { error: 'Unauthorized', status: 401, message: 'Missing scope: moderator:manage:chat_messages' });
        const broadcaster = url.searchParams.get('broadcaster_id') ?? '';
        const moderator = url.searchParams.get('moderator_id') ?? '';
        const messageId = url.searchParams.get('message_id') ?? '';
        const mods = this.opts.moderators ?? Object.values(users);
        if (moderator !== broadcaster && !mods.includes(moderator))
          return json(403, { error: 'Forbidden', status: 403, message: "The user in moderator_id is not one of the broadcaster's moderators." });
        if (!messageId) return json(404, { error: 'Not Found', status: 404, message: 'message not found' });
        this.deleted.push({ messageId, moderatorId: moderator });
        this.onDelete?.(messageId);
        res.writeHead(204);
        res.end();
        return;
      }
      default:
        return json(404, { error: 'Not Found', status: 404 });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
