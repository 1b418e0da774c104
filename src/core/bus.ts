/**
 * A small typed publish/subscribe bus for domain events (chat seen, reply sent, status changed).
 * Listeners run synchronously; each is isolated so one failing listener cannot stop the others.
 */
export class EventBus<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (event: string, err: unknown) => void = () => undefined) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of set) {
      try {
        (l as (p: Events[K]) => void)(payload);
      } catch (err) {
        this.onListenerError(String(event), err);
      }
    }
  }
}
