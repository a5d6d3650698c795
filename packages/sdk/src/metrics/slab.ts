/**
 * Values of a counter's or gauge's series, one Float64Array slot each: 8 bytes a series and no
 * object until the series is asked for by `labels()`. Freed slots are reused.
 */
export class Slab {
  values = new Float64Array(16);
  private readonly free: number[] = [];
  private next = 0;

  alloc(): number {
    const slot = this.free.pop() ?? this.next++;
    if (slot >= this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[slot] = 0;
    return slot;
  }

  release(slot: number): void {
    if (slot < 0) return;
    this.values[slot] = 0;
    this.free.push(slot);
  }
}
