import { describe, expect, it } from 'vitest';
import { youtubeSource } from '../../src/cli/doctor.js';
import type { Config } from '../../src/config/index.js';

const costs = { list: 5, stream: 5, insert: 20, delete: 20, videos: 1, broadcasts: 1, channels: 1, playlistItems: 1 };
const yt = (source: Record<string, string>) => ({ ...source, quota: { costs } }) as unknown as NonNullable<Config['youtube']>;

describe('doctor: where YouTube chat is looked for', () => {
  it('names each source the way start uses it, with its cost', () => {
    expect(youtubeSource(yt({ videoId: 'abc' }))).toBe('video abc (1 quota unit a check)');
    expect(youtubeSource(yt({ liveChatId: 'Cg0' }))).toBe('live chat Cg0 (no look-up needed)');
    expect(youtubeSource(yt({ channelId: '@me' }))).toBe('the live stream of channel @me (found with 2 quota units a check)');
    expect(youtubeSource(yt({ broadcast: 'mine' }))).toBe('your active broadcast (broadcast: mine, 1 quota unit a check)');
  });
});
