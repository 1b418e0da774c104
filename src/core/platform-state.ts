import type { ChatEvent } from './chat-event.js';
import type { ConnectionState, PlatformSignal, PlatformStatus } from './platform.js';

/**
 * What every platform adapter keeps alike: its listeners, its connection state and the counters
 * its status reports. The adapter builds the full status (`status()`); setting the state tells
 * the listeners with that status.
 */
export class PlatformState {
  state: ConnectionState = 'idle';
  detail: string | undefined;
  reconnects = 0;
  connectedAt: number | null = null;
  lastMessageAt: number | null = null;
  messagesIn = 0;
  messagesOut = 0;
  private readonly eventHandlers: Array<(e: ChatEvent) => void> = [];
  private readonly signalHandlers: Array<(s: PlatformSignal) => void> = [];

  constructor(private readonly status: () => PlatformStatus) {}

  onEvent(handler: (e: ChatEvent) => void): void {
    this.eventHandlers.push(handler);
  }

  onSignal(handler: (s: PlatformSignal) => void): void {
    this.signalHandlers.push(handler);
  }

  /** A chat event read at `now`: counted, then handed to every listener. */
  emit(event: ChatEvent, now: number): void {
    this.messagesIn++;
    this.lastMessageAt = now;
    for (const h of this.eventHandlers) h(event);
  }

  signal(signal: PlatformSignal): void {
    for (const h of this.signalHandlers) h(signal);
  }

  /** Tells the listeners the new status; `force` tells them even when only the detail changed. */
  set(state: ConnectionState, force = false): void {
    if (this.state === state && !force) return;
    this.state = state;
    this.signal({ type: 'status', status: this.status() });
  }

  /** The part of a status every platform has alike. */
  counters(): Pick<PlatformStatus, 'state' | 'lastMessageAt' | 'connectedAt' | 'reconnects' | 'messagesIn' | 'messagesOut'> {
    return {
      state: this.state,
      lastMessageAt: this.lastMessageAt,
      connectedAt: this.connectedAt,
      reconnects: this.reconnects,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
    };
  }
}
