/**
 * A bounded set of recently seen ids, oldest evicted first. Platforms deliver messages more
 * than once and out of order; this remembers enough of them without growing for hours.
 * A ring buffer gives O(1) eviction (iterating a Set from the front after many deletes is not).
 */
export class SeenSet {
  private readonly ids = new Set<string>();
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  /** Records the id; returns false if it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.ids.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.ids.add(id);
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
