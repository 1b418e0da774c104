import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore, youtubeCredentials, YOUTUBE_SCOPES } from '../../src/auth/index.js';
import { YouTubeApi } from '../../src/platforms/youtube/index.js';
import { mustParse, tempDir } from '../helpers.js';

const yaml = (db: string) => `youtube:\n  videoId: abcdefghijk\nstorage: { path: ${JSON.stringify(db)} }\n`;
const CLIENT = { YOUTUBE_CLIENT_ID: 'c.apps', YOUTUBE_CLIENT_SECRET: 's' };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('YouTube credentials', () => {
  function linked(scopes: string[], env: Record<string, string> = CLIENT) {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new TokenStore(join(t.dir, 'tokens.json'));
    store.set('youtube', { refreshToken: '1//linked', scopes, obtainedAt: 0 });
    const creds = youtubeCredentials(mustParse(yaml(join(t.dir, 'l.db')), env), store);
    return { creds, api: creds.oauth ? new YouTubeApi({ apiRoot: 'http://127.0.0.1:9/', oauth: creds.oauth }) : undefined };
  }

  it('an account linked with --read-only reads but never posts', () => {
    const { creds, api } = linked([YOUTUBE_SCOPES.readOnly]);
    expect(creds.oauth).toMatchObject({ refreshToken: '1//linked', readOnly: true });
    expect(api!.canWrite).toBe(false);
  });

  it('an account linked to post can post; a refresh token from the environment is taken as able to post', () => {
    expect(linked([YOUTUBE_SCOPES.readWrite]).api!.canWrite).toBe(true);
    const fromEnv = linked([YOUTUBE_SCOPES.readOnly], { ...CLIENT, YOUTUBE_REFRESH_TOKEN: '1//env' });
    expect(fromEnv.creds.oauth).toMatchObject({ refreshToken: '1//env', readOnly: false });
    expect(fromEnv.api!.canWrite).toBe(true);
  });
});
