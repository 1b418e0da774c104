import type { SimUser, TwitchSim } from './twitch-sim.js';
import type { YouTubeSim } from './youtube-sim.js';

export type ScriptStep =
  | { readonly afterMs: number; readonly user: SimUser; readonly text: string; readonly tags?: Record<string, string>; readonly on?: 'twitch' | 'youtube' }
  | { readonly afterMs: number; readonly fault: 'drop' | 'reconnect' };

export interface ScriptRunOptions {
  readonly sim: TwitchSim;
  readonly channel: string;
  /** Where steps marked `on: 'youtube'` go; they are skipped without it. */
  readonly youtube?: { readonly sim: YouTubeSim; readonly liveChatId: string };
  /** Loop the script until aborted. */
  readonly loop?: boolean;
  readonly signal?: AbortSignal;
  /** Called before each step (the demo prints it). */
  readonly onStep?: (step: ScriptStep) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Plays a scripted stream into the simulator in real time: viewers' lines and network faults. */
export async function runScript(steps: readonly ScriptStep[], opts: ScriptRunOptions): Promise<number> {
  let played = 0;
  do {
    for (const step of steps) {
      await sleep(step.afterMs, opts.signal);
      if (opts.signal?.aborted) return played;
      opts.onStep?.(step);
      if ('fault' in step) {
        if (step.fault === 'drop') opts.sim.dropConnections();
        else opts.sim.sendReconnect();
      } else if (step.on === 'youtube') {
        if (!opts.youtube) continue;
        const u = step.user;
        opts.youtube.sim.post(opts.youtube.liveChatId, {
          channelId: `UC-${u.login}`,
          displayName: `@${u.displayName ?? u.login}`,
          moderator: Boolean(u.badges?.['moderator']),
          member: Boolean(u.badges?.['subscriber']),
        }, step.text);
      } else {
        opts.sim.chat(opts.channel, step.user, step.text, step.tags);
      }
      played++;
    }
  } while (opts.loop && !opts.signal?.aborted);
  return played;
}
