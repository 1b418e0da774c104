import { LecternError } from '../../core/index.js';

export interface MarkerOptions {
  readonly helixUrl: string;
  readonly clientId: string;
  readonly broadcasterId: string;
  readonly token: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Twitch allows 140 characters in a marker description. */
const MAX_DESCRIPTION = 140;

/**
 * Creates a stream marker (`POST /streams/markers`, scope channel:manage:broadcast). Twitch only
 * accepts them while the channel is live; the answer carries the position in the VOD.
 */
export async function createStreamMarker(opts: MarkerOptions, description: string): Promise<{ positionSeconds: number }> {
  const url = `${opts.helixUrl.replace(/\/+$/, '')}/streams/markers`;
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'client-id': opts.clientId, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: opts.broadcasterId, description: [...description].slice(0, MAX_DESCRIPTION).join('') }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (cause) {
    throw new LecternError('PLATFORM_CONNECT_FAILED', 'Twitch Helix cannot be reached for a stream marker', { cause });
  }
  if (!res.ok) {
    const reason =
      res.status === 401 ? 'the token is invalid or lacks channel:manage:broadcast' : res.status === 404 ? 'the channel is not live' : `HTTP ${res.status}`;
    throw new LecternError(res.status === 401 ? 'PLATFORM_AUTH_FAILED' : 'PLATFORM_SEND_FAILED', `Twitch refused the stream marker: ${reason}`, {
      details: { status: res.status },
    });
  }
  const body = (await res.json()) as { data?: Array<{ position_seconds?: number }> };
  return { positionSeconds: body.data?.[0]?.position_seconds ?? 0 };
}
