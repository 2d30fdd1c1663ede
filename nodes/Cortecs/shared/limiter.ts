import { sleep } from 'n8n-workflow';

import { LIMITER, PACING } from './constants';

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
		this.calmUntil = Math.max(this.calmUntil, Date.now() + Math.max(LIMITER.regrowAfterMs, retryAfterMs));
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

function noop() {}

/**
 * Spaces the starts of one run's requests over the time an answer takes, a few milliseconds apart at most.
 *
 * Why: requests that leave together come back together, and n8n handles answers one after the other on
 * one thread, each next request on a new connection that only sends on the next turn of the event loop.
 * So when a window of answers arrives at once, every slot waits for all of them to be handled, round
 * after round, and each round costs the API's latency plus the window's whole handling time. Spread
 * apart, each answer is handled while the others are still on their way. With real answer times
 * (seconds) the gap is never more than `PACING.maxGapMs` and costs nothing.
 */
export class Pacer {
	private lastStart = Number.NEGATIVE_INFINITY;

	private latencyMs?: number;

	/** Turns are taken one after the other, in the order asked for. */
	private queue: Promise<void> = Promise.resolve();

	constructor(private readonly maxGapMs = PACING.maxGapMs) {}

	/**
	 * A request took `ms` from start to answer. Kept: the shortest recent answer time, rising by a tenth per
	 * answer when answers get slower. Not an average: when this event loop is the bottleneck (many fast
	 * answers), answer times grow with its queue, and a gap that grew with them would slow the run down.
	 */
	observe(ms: number): void {
		if (!(ms >= 0)) return;
		this.latencyMs = this.latencyMs === undefined ? ms : Math.min(ms, this.latencyMs * 1.1);
	}

	/** The time between two starts with `window` requests allowed in flight (0: no pacing). */
	gap(window: number): number {
		if (window <= 1 || this.maxGapMs <= 0) return 0;
		return Math.min(this.maxGapMs, this.latencyMs === undefined ? this.maxGapMs : this.latencyMs / window);
	}

	/**
	 * Resolves when the next request may start: `gap` after the one before it really started (not when it
	 * was due), so waits that all end late, behind a busy event loop, still start one gap apart.
	 */
	turn(window: number, pause: (ms: number) => Promise<void>): Promise<void> {
		if (this.gap(window) === 0) return Promise.resolve();
		const mine = this.queue.then(async () => {
			// The gap as of this turn: the answers that came in while it waited count.
			const wait = this.lastStart + this.gap(window) - performance.now();
			// Timers have millisecond granularity: less than half of one is not worth a turn of the loop.
			if (wait >= 0.5) await pause(wait);
			this.lastStart = performance.now();
		});
		this.queue = mine.catch(noop);
		return mine;
	}
}

/**
 * Waits that end at once when the run's execution is stopped. One abort listener per run, however many
 * items wait (sleepWithAbort adds one per wait, and Node warns of a leak past 10 on one signal).
 */
export class Pauses {
	private readonly stopped?: Promise<never>;

	constructor(signal?: AbortSignal) {
		if (!signal) return;
		this.stopped = new Promise<never>((_, reject) => {
			if (signal.aborted) reject(abortReason(signal));
			else signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
		});
		// Only the waits care; an abort while nobody waits is not an unhandled rejection.
		this.stopped.catch(noop);
	}

	/** Resolves after `ms`; rejects as soon as the execution is stopped. */
	async pause(ms: number): Promise<void> {
		await (this.stopped ? Promise.race([sleep(ms), this.stopped]) : sleep(ms));
	}
}

function abortReason(signal: AbortSignal): unknown {
	return signal.reason ?? new Error('Execution cancelled');
}

/**
 * State kept for one node run. n8n gives every item of a run the same execute-data object and a new
 * one for the next run, so it keys a WeakMap without leaking across runs, executions or workflows.
 */
const runs = new WeakMap<object, unknown>();

export function perRun<T>(runKey: object, create: () => T): T {
	let state = runs.get(runKey) as T | undefined;
	if (state === undefined) {
		state = create();
		runs.set(runKey, state);
	}
	return state;
}
