import { abortReason, noop } from './pauses';

/**
 * The run's limiter lowers its window by one request per 429/503 and raises it again by one after this
 * long (or the Retry-After, if longer) without another, never above Max Concurrent Requests.
 */
export const LIMITER = { regrowAfterMs: 2_000 };

interface Waiter {
	resolve: (release: () => void) => void;
	reject: (reason: unknown) => void;
	signal?: AbortSignal;
	/** Set when the waiter gave up (aborted): it is skipped and takes no slot. */
	done?: boolean;
}

/**
 * A counting semaphore for the requests of one node run, with a window that adapts to overload.
 *
 * - At most `max` holders at once (0 = no limit: acquire never waits), served first come, first
 *   served; retries may jump the queue (`urgent`), so items that already waited finish first.
 * - `overloaded()` (a 429 or 503 from the API) shrinks the window by one, down to 1: the node stops
 *   sending more than the API takes instead of burning every queued item's retries on 429s.
 * - `succeeded()` grows the window back by one after `LIMITER.regrowAfterMs` (or the Retry-After, if
 *   longer) without overload, so a passing overload does not slow the rest of a long run. The window
 *   never exceeds `max`.
 */
export class Limiter {
	private active = 0;

	private window: number;

	/** Waiters in order; `head` is the index of the next one (cheap dequeue for 10,000s of items). */
	private queue: Waiter[] = [];

	private head = 0;

	/**
	 * Signals this limiter listens to: one listener per signal (all items of a run share the execution's),
	 * not one per waiting item, which for 1,000s of items would trip Node's listener-leak warning and make
	 * every removal a linear search.
	 */
	private readonly watched = new WeakSet<AbortSignal>();

	private calmUntil = 0;

	constructor(readonly max: number) {
		this.window = max;
	}

	/** The current cap on requests in flight (≤ max; 0 = none). */
	get limit(): number {
		return this.window;
	}

	get inFlight(): number {
		return this.active;
	}

	get waiting(): number {
		return this.queue.length - this.head;
	}

	/** Resolves with a release function once a slot is free; rejects when `signal` aborts first. */
	acquire(signal?: AbortSignal, urgent = false): Promise<() => void> {
		if (this.max <= 0) return Promise.resolve(noop);
		if (signal?.aborted) return Promise.reject(abortReason(signal));
		if (this.active < this.window && this.waiting === 0) {
			this.active++;
			return Promise.resolve(this.releaser());
		}
		return new Promise<() => void>((resolve, reject) => {
			const waiter: Waiter = { resolve, reject, signal };
			if (signal && !this.watched.has(signal)) {
				this.watched.add(signal);
				signal.addEventListener('abort', () => this.abandon(signal), { once: true });
			}
			if (urgent) this.queue.splice(this.head, 0, waiter);
			else this.queue.push(waiter);
		});
	}

	/** Rejects every waiter of an aborted signal; their places are skipped. */
	private abandon(signal: AbortSignal): void {
		for (let i = this.head; i < this.queue.length; i++) {
			const waiter = this.queue[i];
			if (waiter.signal !== signal || waiter.done) continue;
			waiter.done = true;
			waiter.reject(abortReason(signal));
		}
	}

	/**
	 * The API said it is overloaded (429, 503): send one request fewer at a time from now on, and wait
	 * at least as long as it asked (Retry-After) before trying one more again.
	 */
	overloaded(retryAfterMs = 0): void {
		if (this.max <= 0) return;
		if (this.window > 1) this.window--;
		this.calmUntil = Math.max(
			this.calmUntil,
			Date.now() + Math.max(LIMITER.regrowAfterMs, retryAfterMs),
		);
	}

	/** A request succeeded: once the API has been calm for a while, allow one more request in flight. */
	succeeded(): void {
		if (this.window >= this.max) return;
		const now = Date.now();
		if (now < this.calmUntil) return;
		this.window++;
		this.calmUntil = now + LIMITER.regrowAfterMs;
		this.pump();
	}

	private releaser(): () => void {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.active--;
			this.pump();
		};
	}

	private pump(): void {
		while (this.active < this.window && this.head < this.queue.length) {
			const next = this.queue[this.head++];
			if (next.done) continue;
			next.done = true;
			this.active++;
			next.resolve(this.releaser());
		}
		if (this.head === this.queue.length) {
			this.queue = [];
			this.head = 0;
		} else if (this.head > 1024 && this.head * 2 > this.queue.length) {
			this.queue = this.queue.slice(this.head);
			this.head = 0;
		}
	}
}
