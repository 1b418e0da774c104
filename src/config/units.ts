import type { Config } from './load.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/**
 * The config's durations in milliseconds, converted in this one place (the file speaks seconds,
 * minutes and hours, as a streamer would; the code speaks ms).
 */
export function durations(c: Config) {
  return {
    twitchReconnect: { initialMs: (c.twitch?.reconnect.initialSeconds ?? 1) * S, maxMs: (c.twitch?.reconnect.maxSeconds ?? 60) * S },
    twitchJoinTimeoutMs: (c.twitch?.joinTimeoutSeconds ?? 15) * S,
    youtubeWaitForLiveMs: (c.youtube?.waitForLiveSeconds ?? 60) * S,
    youtubePlannedStreamMs: (c.youtube?.plannedStreamHours ?? 4) * H,
    feedRefreshMs: c.knowledge.feedRefreshMinutes * MIN,
    feedTimeoutMs: c.knowledge.feedTimeoutSeconds * S,
    outboxMaxDelayMs: c.outbox.maxDelaySeconds * S,
    floodWindowMs: c.commands.floodLimit.perSeconds * S,
    perViewerQuestionsMs: c.questions.perViewer.perMinutes * MIN,
    resumeWithinMs: c.stream.resumeWithinMinutes * MIN,
    backupEveryMs: c.storage.backup ? c.storage.backup.everyHours * H : undefined,
  } as const;
}

export type Durations = ReturnType<typeof durations>;
