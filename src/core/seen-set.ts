/**
 * A bounded set of recently seen ids, oldest evicted first. Platforms deliver messages more
 * than once and out of order; this remembers enough of them without growing for hours.
 */
export class SeenSet {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** Records the id; returns false if it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
