// A promise-based mutex: holders of one resource (the SQLite connection) run one at a time, in
// arrival order.

export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #held = false;
  get held(): boolean {
    return this.#held;
  }
  /** Resolves with a release function once every earlier holder has released. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => {
      this.#held = true;
      return () => {
        this.#held = false;
        release();
      };
    });
    this.#tail = this.#tail.then(() => done);
    return ready;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
