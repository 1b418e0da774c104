import { LecternError, type Clock, type Guard, type Health, type Logger, type Role, type SendLimits, type TimerHandle } from '../../core/index.js';
import { twitchLimits } from './limits.js';
import { BLOCK_RETRY_MS, type Notice } from './notices.js';
import { applyRoomState, describeModes, OPEN_ROOM, roomBlock, slowMs, type RoomModes } from './room.js';

/** Why the bot may not speak right now, and until when (a reconnect also lifts it). */
interface SendBlock {
  readonly code: string;
  readonly fix: string;
  readonly until: number;
}

export interface SendGateOptions {
  readonly channel: string;
  readonly clock: Clock;
  readonly guard: Guard;
  readonly health: Health;
  readonly logger: Logger;
  /** Everything waiting is refused now (the platform cannot take it). */
  readonly refuseAll: (code: string) => void;
  /** Something the status shows changed (a block, a mode). */
  readonly changed: () => void;
}

/**
 * Whether Twitch lets the bot speak in the channel, and how fast: refusals that last (banned,
 * unverified, a room mode it does not meet), timeouts, and the room's modes (slow mode widens the
 * gap between messages; subscribers- and emote-only keep a plain bot quiet). A refusal lifts after
 * its time (10 minutes when Twitch says none), when the mode that caused it ends, or at a reconnect.
 */
export class SendGate {
  private room: RoomModes = OPEN_ROOM;
  private block: SendBlock | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly opts: SendGateOptions) {}

  /** A NOTICE of the `blocked` kind. */
  refused(notice: Extract<Notice, { kind: 'blocked' }>): void {
    const ms = notice.seconds ? notice.seconds * 1000 : BLOCK_RETRY_MS;
    this.close({ code: notice.code, fix: notice.fix, until: this.opts.clock.now() + ms });
  }

  /** A CLEARCHAT naming the bot: timed out for its duration, or banned. */
  botBanned(durationSeconds: number | undefined): void {
    const now = this.opts.clock.now();
    if (durationSeconds) {
      this.close({
        code: 'msg_timedout',
        fix: `the bot account is timed out in this channel for ${durationSeconds} s; it answers again when the timeout ends`,
        until: now + durationSeconds * 1000,
      });
    } else {
      this.close({
        code: 'msg_banned',
        fix: 'the bot account is banned in this channel: unban it (/unban <bot>) so it can answer',
        until: now + BLOCK_RETRY_MS,
      });
    }
  }

  /** A ROOMSTATE: only the modes it names change. */
  roomState(tags: Record<string, unknown>): void {
    const before = describeModes(this.room).join();
    this.room = applyRoomState(this.room, tags);
    // A mode that refused the bot has ended: try again now.
    if (this.block && /^msg_(followersonly|subsonly|emoteonly)/.test(this.block.code)) this.open();
    if (describeModes(this.room).join() !== before) {
      this.opts.logger.info({ modes: describeModes(this.room) }, 'chat modes changed');
      this.opts.changed();
    }
  }

  /** A new connection: modes come again with its ROOMSTATE, and sending is tried again. */
  reset(): void {
    this.room = OPEN_ROOM;
    this.opts.clock.clearTimeout(this.timer);
    this.block = undefined;
  }

  stop(): void {
    this.opts.clock.clearTimeout(this.timer);
  }

  /** Why the bot may not speak now, with what to do, or undefined. */
  refusal(botRoles: readonly Role[]): string | undefined {
    return this.block?.fix ?? roomBlock(this.room, botRoles);
  }

  limits(botRoles: readonly Role[]): SendLimits {
    const limits = twitchLimits(botRoles);
    const slow = slowMs(this.room, botRoles);
    return slow > limits.minIntervalMs ? { ...limits, minIntervalMs: slow } : limits;
  }

  modes(): string[] {
    return describeModes(this.room);
  }

  /**
   * The bot cannot speak here for now: what waits is refused (not delivered), the status says what
   * to do, and sending tries again after `until` or at the next reconnect. Reading goes on.
   */
  private close(block: SendBlock): void {
    const first = !this.block || this.block.code !== block.code;
    this.block = block;
    this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(
      this.opts.guard('twitch.unblock', () => this.open()),
      block.until - this.opts.clock.now(),
    );
    if (first) {
      const err = new LecternError('PLATFORM_SEND_REFUSED', `Twitch refuses the bot's messages in #${this.opts.channel} (${block.code}): ${block.fix}`, {
        details: { code: block.code },
      });
      this.opts.health.report('twitch.send', err);
      this.opts.logger.error({ code: block.code }, err.message);
    }
    this.opts.refuseAll(block.code);
    this.opts.changed();
  }

  private open(): void {
    if (!this.block) return;
    this.opts.clock.clearTimeout(this.timer);
    this.block = undefined;
    this.opts.logger.info('trying to send again');
    this.opts.changed();
  }
}
