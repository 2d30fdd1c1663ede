import { noop } from './pauses';

/**
 * The starts of a run's requests are spaced by the shortest recent answer time shared by the window
 * (20 ms answers with 8 in flight: 2.5 ms), but never more than maxGapMs apart, and maxGapMs until the
 * first answer is in. See Pacer for why; bench/RESULTS.md for how the number was chosen.
 */
export const PACING = { maxGapMs: 5 };

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
		return Math.min(
			this.maxGapMs,
			this.latencyMs === undefined ? this.maxGapMs : this.latencyMs / window,
		);
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
