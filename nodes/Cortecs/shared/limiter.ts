/** A counting semaphore: at most `limit` holders at once, waiters served first come, first served. */
export class Limiter {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async acquire(signal?: AbortSignal): Promise<() => void> {
		if (this.limit <= 0) return () => {};
		if (this.active >= this.limit) {
			await new Promise<void>((resolve, reject) => {
				const onAbort = () => {
					const at = this.waiting.indexOf(grant);
					if (at >= 0) this.waiting.splice(at, 1);
					reject(signal?.reason ?? new Error('Execution cancelled'));
				};
				const grant = () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				};
				if (signal?.aborted) return onAbort();
				signal?.addEventListener('abort', onAbort, { once: true });
				this.waiting.push(grant);
			});
		} else {
			this.active++;
		}
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.waiting.shift();
			// The slot passes straight to the next waiter, so `active` only drops when nobody waits.
			if (next) next();
			else this.active--;
		};
	}
}

/**
 * One limiter per node run. n8n gives every item of a run the same execute-data object, and a new one
 * for the next run, so it keys the map without leaking across runs or workflows.
 */
const limiters = new WeakMap<object, Limiter>();

export function limiterFor(runKey: object, limit: number): Limiter {
	let limiter = limiters.get(runKey);
	if (!limiter) {
		limiter = new Limiter(limit);
		limiters.set(runKey, limiter);
	}
	return limiter;
}
