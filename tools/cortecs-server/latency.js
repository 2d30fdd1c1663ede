'use strict';

/**
 * How long the server waits before an answer: `latencyMs` for every answer, or, with `latencySigma` > 0,
 * a draw from a log-normal distribution with median `latencyMs` (LLM APIs answer like that: most answers
 * near the median, a long tail of slow ones; sigma 0.8 puts 1 answer in 100 above 6 × the median).
 * The draws come from a seeded generator that `reset()` restarts, so two runs against a reset server see
 * the same answer times in the same order of arrival.
 */

const SEED = 0x9e3779b9;

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seeded(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The answer times of one server: `next(settings)` gives the next one in ms; `restart()` replays them. */
function latencies() {
	let random = seeded(SEED);
	return {
		next({ latencyMs, latencySigma }) {
			if (!(latencySigma > 0) || latencyMs <= 0) return latencyMs;
			// Box-Muller: a standard normal draw from two uniform ones (1 - u: never log(0)).
			const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
			return latencyMs * Math.exp(latencySigma * normal);
		},
		restart() {
			random = seeded(SEED);
		},
	};
}

module.exports = { latencies, seeded };
