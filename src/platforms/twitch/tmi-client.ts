import tmi from 'tmi.js';
import { toError, type Health, type Logger } from '../../core/index.js';
import type { TmiIrcMessage } from './irc.external.js';
import { slicedReader } from './frame-queue.js';

/** tmi.js's client with the internals this platform hooks into. */
export type TmiClient = tmi.Client & {
  handleMessage(message: TmiIrcMessage): void;
  _onMessage(event: { data: unknown }): void;
  userstate: Record<string, Record<string, unknown>>;
  ws: { readyState: number; close(): void } | null;
};

export interface TmiClientOptions {
  readonly channel: string;
  readonly server: { readonly host: string; readonly port: number; readonly secure: boolean };
  readonly username?: string | undefined;
  readonly token?: (() => string | Promise<string>) | undefined;
  readonly logger: Logger;
  readonly health: Health;
  /** Twitch asked us to reconnect; tmi.js does not see the line. */
  readonly onReconnect: () => void;
  /** Every parsed line, after tmi.js has handled it. */
  readonly onLine: (message: TmiIrcMessage) => void;
}

/**
 * A tmi.js client that never reconnects on its own (the platform owns backoff), never logs chat
 * text, handles frames in slices, and cannot throw a malformed line out of its socket handler.
 */
export function createTmiClient(o: TmiClientOptions): TmiClient {
  const { username, token, server } = o;
  const silent = () => undefined;
  const client = new tmi.Client({
    options: { skipUpdatingEmotesets: true, joinInterval: 300 },
    connection: { server: server.host, port: server.port, secure: server.secure, reconnect: false, timeout: 10_000 },
    // tmi.js logs every chat line with its text; ours takes only its errors, never chat text.
    logger: { info: silent, warn: silent, error: (m: unknown) => o.logger.warn({ tmi: String(toError(m).message).slice(0, 200) }, 'tmi.js error') },
    identity: username && token ? { username, password: async () => `oauth:${await token()}` } : {},
    channels: [o.channel],
  } as tmi.Options) as TmiClient;

  // Every line passes through here once tmi.js has parsed it. A malformed line must not throw
  // out of the socket's message handler (that would crash the process), so both are guarded.
  const handle = client.handleMessage.bind(client);
  client.handleMessage = (message: TmiIrcMessage) => {
    if (message?.command === 'RECONNECT') return o.onReconnect();
    try {
      handle(message);
    } catch (err) {
      o.health.report('twitch.parse', err);
    }
    o.onLine(message);
  };
  // Frames are handled in slices (frame-queue.ts) so a flood leaves the event loop room.
  const read = slicedReader(client._onMessage.bind(client), (err) => o.health.report('twitch.parse', err));
  client._onMessage = (event: { data: unknown }) => {
    if (typeof event?.data === 'string') read(event);
  };
  return client;
}
