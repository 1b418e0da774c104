import { Readable } from 'node:stream';
import { auth as googleAuth, youtube, type youtube_v3 } from '@googleapis/youtube';
import { LecternError } from '../../core/index.js';
import { JsonArrayReader } from './json-array-reader.js';

export type ListResponse = youtube_v3.Schema$LiveChatMessageListResponse;

/** A live (or scheduled, or past) video as Lectern needs it: its chat while live, its times, its title. */
export interface LiveVideo {
  readonly videoId: string;
  readonly title: string;
  readonly liveChatId?: string;
  /** ms since epoch (actualStartTime). */
  readonly startedAt?: number;
  readonly endedAt?: number;
}
export type LiveChatMessage = youtube_v3.Schema$LiveChatMessage;

export interface YouTubeApiOptions {
  readonly apiRoot: string;
  readonly apiKey?: string;
  readonly oauth?: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
    readonly tokenUrl: string;
    readonly readOnly?: boolean;
  };
  readonly timeoutMs?: number;
}

/** What went wrong with a call, as Google says it: HTTP status and the first error reason. */
export class YouTubeApiError extends LecternError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    cause?: unknown,
  ) {
    super(status === 401 ? 'PLATFORM_AUTH_FAILED' : 'PLATFORM_CONNECT_FAILED', message, { cause, details: { status, reason } });
  }
}

async function readAll(data: unknown): Promise<string> {
  if (typeof data === 'string') return data;
  if (data instanceof Readable) {
    // Bytes are joined before decoding, so a character split across chunks stays whole.
    const chunks: Buffer[] = [];
    for await (const c of data) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  return JSON.stringify(data ?? '');
}

/** Turns what the Google client throws into a YouTubeApiError with status and reason. */
export async function classify(err: unknown): Promise<YouTubeApiError> {
  if (err instanceof YouTubeApiError) return err;
  const e = err as { status?: number; code?: string | number; response?: { status?: number; data?: unknown }; message?: string };
  const status = e.response?.status ?? e.status ?? 0;
  let reason = status ? `http${status}` : String(e.code ?? 'network');
  try {
    const body = e.response?.data;
    const parsed = (typeof body === 'object' && body !== null && !(body instanceof Readable) ? body : JSON.parse(await readAll(body))) as {
      error?: { errors?: Array<{ reason?: string }> } | string;
    };
    if (typeof parsed.error === 'string') reason = parsed.error;
    else if (parsed.error?.errors?.[0]?.reason) reason = parsed.error.errors[0].reason;
  } catch {
    // With streamed responses the client puts the error body in the message instead.
    try {
      const parsed = JSON.parse(e.message ?? '') as { error?: { errors?: Array<{ reason?: string }> } };
      if (parsed.error?.errors?.[0]?.reason) reason = parsed.error.errors[0].reason;
    } catch {
      // No readable body at all: keep the status-based reason.
    }
  }
  if (status === 401 && reason.startsWith('http')) reason = 'authError';
  return new YouTubeApiError(status, reason, `YouTube API ${status || 'network'} ${reason}`, err);
}

/** gRPC-style statuses some streams carry instead of a reason. */
const STATUS_REASONS: Record<string, string> = {
  FAILED_PRECONDITION: 'liveChatEnded',
  NOT_FOUND: 'liveChatNotFound',
  RESOURCE_EXHAUSTED: 'rateLimitExceeded',
  PERMISSION_DENIED: 'forbidden',
  UNAUTHENTICATED: 'authError',
};

/** An error written as an element of the streamed array, as the YouTubeApiError it means. */
function streamedError(element: unknown): YouTubeApiError | undefined {
  const e = (element as { error?: { code?: unknown; status?: unknown; errors?: Array<{ reason?: unknown }> } } | null)?.error;
  if (!e || typeof e !== 'object') return undefined;
  const status = typeof e.code === 'number' ? e.code : 0;
  const given = e.errors?.[0]?.reason;
  const reason = typeof given === 'string' ? given : (STATUS_REASONS[String(e.status)] ?? `http${status}`);
  return new YouTubeApiError(status, reason, `YouTube API ${status} ${reason} (in the stream)`);
}

/**
 * The Google client for YouTube, reduced to the calls Lectern makes. The client's own retries are
 * off: the adapter paces and backs off itself, within the quota.
 */
export class YouTubeApi {
  private readonly yt: youtube_v3.Youtube;
  private readonly oauth: InstanceType<typeof googleAuth.OAuth2> | undefined;
  readonly canWrite: boolean;

  constructor(opts: YouTubeApiOptions) {
    let authOption: string | InstanceType<typeof googleAuth.OAuth2> | undefined = opts.apiKey;
    if (opts.oauth) {
      // No forceRefreshOnFailure: with it the auth client refreshes and repeats the call on every
      // 403 too (quotaExceeded, liveChatEnded...), paying each twice. A 401 is retried below.
      const client = new googleAuth.OAuth2({
        clientId: opts.oauth.clientId,
        clientSecret: opts.oauth.clientSecret,
        endpoints: { oauth2TokenUrl: opts.oauth.tokenUrl },
      });
      client.setCredentials({ refresh_token: opts.oauth.refreshToken });
      authOption = this.oauth = client;
    }
    this.canWrite = Boolean(opts.oauth) && !opts.oauth?.readOnly;
    this.yt = youtube({ version: 'v3', rootUrl: opts.apiRoot, ...(authOption ? { auth: authOption } : {}), retry: false, timeout: opts.timeoutMs ?? 20_000 });
  }

  /**
   * A 401 with OAuth means the access token died before its time (revoked, or the clock is off):
   * refresh it and make the call once more. Nothing else is repeated.
   */
  private async withAuthRetry<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = await classify(err);
      if (e.status !== 401 || !this.oauth) throw e;
      try {
        await this.oauth.refreshAccessToken();
      } catch (refreshErr) {
        throw await classify(refreshErr);
      }
      try {
        return await fn();
      } catch (again) {
        throw await classify(again);
      }
    }
  }

  private async call<T>(fn: () => Promise<{ data: T }>): Promise<T> {
    const data = (await this.withAuthRetry(fn)).data;
    // The client hands back the raw text when a 200 body is not JSON.
    if (data === null || typeof data !== 'object') throw new YouTubeApiError(200, 'unreadableResponse', 'YouTube sent an answer Lectern cannot read');
    return data;
  }

  /**
   * videos.list (1 unit for up to 50 ids): each video's title, and while it is live its chat and
   * start time (after it, its start and end).
   */
  async videos(ids: readonly string[]): Promise<LiveVideo[]> {
    const data = await this.call(() => this.yt.videos.list({ part: ['snippet', 'liveStreamingDetails'], id: [...ids], maxResults: 50 }));
    return (data.items ?? []).flatMap((v) => {
      if (!v.id) return [];
      const d = v.liveStreamingDetails;
      return [
        {
          videoId: v.id,
          title: v.snippet?.title ?? '',
          ...(d?.activeLiveChatId ? { liveChatId: d.activeLiveChatId } : {}),
          ...(d?.actualStartTime ? { startedAt: Date.parse(d.actualStartTime) } : {}),
          ...(d?.actualEndTime ? { endedAt: Date.parse(d.actualEndTime) } : {}),
        },
      ];
    });
  }

  /** liveBroadcasts.list for the authorised channel's active broadcast (OAuth). */
  async myActiveBroadcast(): Promise<LiveVideo | undefined> {
    const data = await this.call(() => this.yt.liveBroadcasts.list({ part: ['snippet'], broadcastStatus: 'active', broadcastType: 'all' }));
    const b = data.items?.[0];
    const s = b?.snippet;
    if (!b?.id || !s) return undefined;
    return {
      videoId: b.id,
      title: s.title ?? '',
      ...(s.liveChatId ? { liveChatId: s.liveChatId } : {}),
      ...(s.actualStartTime ? { startedAt: Date.parse(s.actualStartTime) } : {}),
    };
  }

  /** channels.list forHandle (1 unit): a handle's channel id, or undefined when there is none. */
  async channelByHandle(handle: string): Promise<string | undefined> {
    const data = await this.call(() => this.yt.channels.list({ part: ['id'], forHandle: handle }));
    return data.items?.[0]?.id ?? undefined;
  }

  /** playlistItems.list (1 unit): the newest videos of a playlist (a channel's uploads), newest first. */
  async playlistVideoIds(playlistId: string, max: number): Promise<string[]> {
    const data = await this.call(() => this.yt.playlistItems.list({ part: ['contentDetails'], playlistId, maxResults: max }));
    return (data.items ?? []).flatMap((i) => (i.contentDetails?.videoId ? [i.contentDetails.videoId] : []));
  }

  /** liveChatMessages.list (5 units). */
  listMessages(liveChatId: string, pageToken: string | undefined): Promise<ListResponse> {
    return this.call(() =>
      this.yt.liveChatMessages.list({ liveChatId, part: ['snippet', 'authorDetails'], maxResults: 2000, ...(pageToken ? { pageToken } : {}) }),
    );
  }

  /**
   * liveChatMessages.streamList (5 units): calls `onPage` for each response as it arrives and
   * resolves when the server ends the stream. A body it cannot read rejects with reason
   * `unreadableStream`; a stream cut mid-object with `streamCut`.
   */
  async streamMessages(liveChatId: string, pageToken: string | undefined, signal: AbortSignal, onPage: (page: ListResponse) => void): Promise<void> {
    const res = await this.withAuthRetry(() =>
      this.yt.youtube.v3.liveChat.messages.stream(
        { liveChatId, part: ['snippet', 'authorDetails'], ...(pageToken ? { pageToken } : {}) },
        { responseType: 'stream', signal, timeout: 0 },
      ),
    );
    const body = res.data as unknown as Readable;
    const reader = new JsonArrayReader();
    // An element of the array may be an error instead of a page (the chat ended mid-stream...).
    const take = (element: unknown) => {
      const error = streamedError(element);
      if (error) throw error;
      onPage(element as ListResponse);
    };
    try {
      for await (const chunk of body) for (const element of reader.push(chunk as Buffer)) take(element);
      for (const element of reader.end()) take(element);
    } catch (err) {
      if (err instanceof YouTubeApiError) throw err;
      if (signal.aborted) return;
      if (err instanceof SyntaxError) throw new YouTubeApiError(200, 'unreadableStream', 'YouTube sent a stream Lectern cannot read', err);
      throw new YouTubeApiError(0, 'streamCut', 'the chat stream broke off', err);
    }
    if (signal.aborted) return;
    if (!reader.complete)
      throw new YouTubeApiError(0, reader.midElement ? 'streamCut' : 'unreadableStream', 'the chat stream ended before the end of its array');
  }

  /**
   * liveChatMessages.delete (OAuth; the signed-in channel must own the chat or moderate it; 20 units
   * in the current documentation, older sources say 50). YouTube answers 204 without a body.
   */
  async deleteMessage(id: string): Promise<void> {
    await this.withAuthRetry(() => this.yt.liveChatMessages.delete({ id }));
  }

  /** liveChatMessages.insert (OAuth; 20 units in the current documentation). */
  insertMessage(liveChatId: string, text: string): Promise<LiveChatMessage> {
    return this.call(() =>
      this.yt.liveChatMessages.insert({
        part: ['snippet'],
        requestBody: { snippet: { liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: text } } },
      }),
    );
  }
}
