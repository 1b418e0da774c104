import type { Clock, Guard, Health, Logger } from '../../core/index.js';
import type { YouTubeApi } from './api.js';
import type { YouTubeSource } from './chat-finder.js';
import type { QuotaPlanner } from './quota.js';
import type { PositionState } from './read-position.js';

export interface YouTubePlatformOptions {
  readonly source: YouTubeSource;
  readonly transport: 'auto' | 'stream' | 'poll';
  readonly waitForLiveMs: number;
  readonly api: YouTubeApi;
  /** Read-only access (an API key) to fall back on when the OAuth refresh token dies. */
  readonly fallbackApi?: YouTubeApi;
  readonly planner: QuotaPlanner;
  /** Small persistent state (page token, recent ids, own ids), kept by the store. */
  readonly state: PositionState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  readonly random?: () => number;
}
