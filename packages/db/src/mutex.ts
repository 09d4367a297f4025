import { AirlockError } from '@airlock/core';

/** First-come first-served async lock with a timeout that names what was waited for. */
export class AsyncMutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  constructor(
    private readonly timeoutMs: number,
    private readonly what: string,
  ) {}

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(grant);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(
          new AirlockError(
            'DATABASE_UNAVAILABLE',
            `Timed out after ${this.timeoutMs} ms waiting for ${this.what}. ` +
              'A query inside a transaction probably used the outer database handle instead of the transaction.',
          ),
        );
      }, this.timeoutMs);
      timer.unref();
      this.#waiters.push(grant);
    });
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
