import { LecternError } from '../../core/index.js';

export interface HelixOptions {
  /** https://api.twitch.tv/helix, or a simulator. */
  readonly url: string;
  /** The client id the token was issued to (Helix checks they belong together). */
  readonly clientId: string;
  /** The user access token, current at each call. */
  readonly token: () => string | Promise<string>;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface HelixStream {
  readonly id: string;
  readonly title: string;
  /** ms since epoch. */
  readonly startedAt: number;
}

export interface HelixVideo {
  readonly id: string;
  readonly url: string;
  readonly createdAt: number;
}

/** The few Twitch Helix calls Lectern makes, with the token and client id on each. */
export class Helix {
  constructor(private readonly opts: HelixOptions) {}

  private async request(method: 'GET' | 'DELETE', path: string): Promise<Response> {
    try {
      return await (this.opts.fetch ?? fetch)(`${this.opts.url.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { authorization: `Bearer ${await this.opts.token()}`, 'client-id': this.opts.clientId },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new LecternError('PLATFORM_CONNECT_FAILED', 'Twitch Helix cannot be reached', { cause });
    }
  }

  private async get<T>(path: string): Promise<T[]> {
    const res = await this.request('GET', path);
    if (res.status === 401)
      throw new LecternError(
        'PLATFORM_AUTH_FAILED',
        'Twitch Helix refused the token: it must belong to the client id in the config (twitch.auth.clientId or twitch.clientId)',
      );
    if (!res.ok)
      throw new LecternError('PLATFORM_CONNECT_FAILED', `Twitch Helix answered ${res.status} for ${path.split('?')[0]}`, { details: { status: res.status } });
    const body = (await res.json()) as { data?: T[] };
    return Array.isArray(body.data) ? body.data : [];
  }

  /**
   * `DELETE /moderation/chat`: removes one message. The token's user must be `moderatorId`, a
   * moderator of the channel (or its broadcaster), with the scope moderator:manage:chat_messages.
   * Answers Twitch's status (204 done; 400 the message cannot be deleted; 401 scope or token;
   * 403 not a moderator; 404 no such message) and its message; throws only when unreachable.
   */
  async deleteChatMessage(broadcasterId: string, moderatorId: string, messageId: string): Promise<{ status: number; message: string }> {
    const q = new URLSearchParams({ broadcaster_id: broadcasterId, moderator_id: moderatorId, message_id: messageId });
    const res = await this.request('DELETE', `/moderation/chat?${q}`);
    let message = '';
    if (res.status !== 204) {
      try {
        message = String(((await res.json()) as { message?: unknown }).message ?? '');
      } catch {
        // No JSON body: the status says enough.
      }
    }
    return { status: res.status, message };
  }

  /** A login's user id, or undefined when there is no such user. */
  async userId(login: string): Promise<string | undefined> {
    const [u] = await this.get<{ id?: string }>(`/users?login=${encodeURIComponent(login)}`);
    return u?.id;
  }

  /** The user's live stream, or undefined while offline. */
  async stream(userId: string): Promise<HelixStream | undefined> {
    const [s] = await this.get<{ id?: string; type?: string; title?: string; started_at?: string }>(`/streams?user_id=${encodeURIComponent(userId)}`);
    if (!s?.id || s.type !== 'live') return undefined;
    return { id: s.id, title: s.title ?? '', startedAt: Date.parse(s.started_at ?? '') || Date.now() };
  }

  /** The channel's stream title (set before going live too), or undefined for no such channel. */
  async channelTitle(userId: string): Promise<string | undefined> {
    const [c] = await this.get<{ title?: string }>(`/channels?broadcaster_id=${encodeURIComponent(userId)}`);
    return typeof c?.title === 'string' ? c.title : undefined;
  }

  /** The archive video of a broadcast (its `stream_id`), if Twitch has made it yet. */
  async archive(userId: string, streamId: string): Promise<HelixVideo | undefined> {
    const videos = await this.get<{ id?: string; stream_id?: string | null; url?: string; created_at?: string }>(
      `/videos?user_id=${encodeURIComponent(userId)}&type=archive&first=5`,
    );
    const v = videos.find((x) => x.stream_id === streamId);
    return v?.id ? { id: v.id, url: v.url ?? `https://www.twitch.tv/videos/${v.id}`, createdAt: Date.parse(v.created_at ?? '') || 0 } : undefined;
  }
}
