import type { SimUser, TwitchSim } from './twitch-sim.js';
import type { YouTubeSim } from './youtube-sim.js';

export type ScriptStep =
  | {
      readonly afterMs: number;
      readonly user: SimUser;
      readonly text: string;
      readonly tags?: Record<string, string>;
      readonly on?: 'twitch' | 'youtube';
      /** A cheer (Twitch) of this many bits. */
      readonly bits?: number;
      /** A Super Chat (YouTube). */
      readonly superChat?: { readonly micros: number; readonly currency: string; readonly display: string; readonly tier: number };
      /** A name for this message, for a later `delete`. */
      readonly ref?: string;
    }
  | { readonly afterMs: number; readonly fault: 'drop' | 'reconnect' }
  /** A moderator deletes a message named by `ref`, or bans a viewer (a timeout with `seconds`). */
  | { readonly afterMs: number; readonly moderate: 'delete'; readonly ref: string; readonly on?: 'twitch' | 'youtube' }
  | { readonly afterMs: number; readonly moderate: 'ban'; readonly user: SimUser; readonly seconds?: number; readonly on?: 'twitch' | 'youtube' }
  /** Twitch starts refusing the bot's messages (its phone number is not verified), or stops. */
  | { readonly afterMs: number; readonly twitchRefusesBot: boolean };

export interface ScriptRunOptions {
  readonly sim: TwitchSim;
  readonly channel: string;
  /** Where steps marked `on: 'youtube'` go; they are skipped without it. */
  readonly youtube?: { readonly sim: YouTubeSim; readonly liveChatId: string };
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
/** A scripted viewer as a YouTube author: their handle, their roles. */
const ytAuthor = (u: SimUser) => ({
  channelId: `UC-${u.login}`,
  displayName: `@${u.displayName ?? u.login}`,
  moderator: Boolean(u.badges?.['moderator']),
  member: Boolean(u.badges?.['subscriber']),
});
const YT_MOD = { channelId: 'UC-yt-moderator', displayName: '@yt-moderator', moderator: true };

export async function runScript(steps: readonly ScriptStep[], opts: ScriptRunOptions): Promise<number> {
  let played = 0;
  const refs = new Map<string, { on: 'twitch' | 'youtube'; id: string; login: string }>();
  const yt = opts.youtube;
  for (const step of steps) {
    await sleep(step.afterMs, opts.signal);
    if (opts.signal?.aborted) return played;
    opts.onStep?.(step);
    if ('fault' in step) {
      if (step.fault === 'drop') opts.sim.dropConnections();
      else opts.sim.sendReconnect();
    } else if ('twitchRefusesBot' in step) {
      opts.sim.refuseBot(step.twitchRefusesBot ? 'msg_requires_verified_phone_number' : undefined);
    } else if ('moderate' in step) {
      if (step.moderate === 'delete') {
        const m = refs.get(step.ref);
        if (m?.on === 'youtube') yt?.sim.deleteMessage(yt.liveChatId, m.id, YT_MOD, { tombstone: true });
        else if (m) opts.sim.deleteMessage(opts.channel, m.id, m.login);
      } else if (step.on === 'youtube') yt?.sim.ban(yt.liveChatId, YT_MOD, ytAuthor(step.user), step.seconds);
      else opts.sim.ban(opts.channel, step.user, step.seconds);
    } else if (step.on === 'youtube') {
      if (!yt) continue;
      const author = ytAuthor(step.user);
      const m = step.superChat ? yt.sim.superChat(yt.liveChatId, author, step.text, step.superChat) : yt.sim.post(yt.liveChatId, author, step.text);
      if (step.ref) refs.set(step.ref, { on: 'youtube', id: m['id'] as string, login: step.user.login });
    } else {
      const id = step.bits ? opts.sim.cheer(opts.channel, step.user, step.bits, step.text) : opts.sim.chat(opts.channel, step.user, step.text, step.tags);
      if (step.ref) refs.set(step.ref, { on: 'twitch', id, login: step.user.login });
    }
    played++;
  }
  return played;
}
