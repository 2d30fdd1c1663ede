'use strict';

/** The mutable state of one server: settings, keys, the request log, stats and counters. */

const { DEFAULT_MAX_INPUTS } = require('./embedding');
const { keyring } = require('./keys');
const { latencies } = require('./latency');

/** @typedef {import('./index').CortecsServerOptions} CortecsServerOptions */
/** @typedef {import('./index').CortecsServerSettings} CortecsServerSettings */

/**
 * @typedef {object} ServerState
 * @property {{latencyMs: number, latencySigma: number, streamGapMs: number, capacity: number,
 *   retryAfter: string|null, includeCost: boolean,
 *   quiet: boolean, logRequests: boolean, style: 'echo'|'demo', maxEmbeddingInputs: number,
 *   shuffleEmbeddings: boolean, dropEmbedding: boolean}} settings
 * @property {import('./keys').Keyring} keys
 * @property {import('./index').RequestLogEntry[]} requests
 * @property {import('./index').CortecsServerStats} stats counters of the model requests (POST /v1/chat/completions and /v1/embeddings)
 * @property {Map<string, number>} attempts per fault key (JSON of messages), for `[[fault:NAME:K]]`
 * @property {import('./completion').ServerCounters} counters ids of completions and tool calls
 * @property {(settings: CortecsServerSettings) => void} configure
 * @property {() => void} reset
 * @property {() => number} nextLatencyMs how long to wait before the next answer (see latency.js)
 */

/**
 * @param {CortecsServerOptions} options
 * @returns {ServerState}
 */
function createState(options) {
	const settings = {
		latencyMs: 0,
		/** 0: every answer waits latencyMs; above 0: log-normal answer times with median latencyMs. */
		latencySigma: 0,
		/** Pause between the frames of a streamed answer. */
		streamGapMs: 0,
		capacity: Infinity,
		/** @type {string|null} */
		retryAfter: '1',
		includeCost: true,
		quiet: true,
		logRequests: true,
		/** @type {'echo'|'demo'} */
		style: 'echo',
		/** POST /v1/embeddings answers 413 to a request with more inputs. */
		maxEmbeddingInputs: DEFAULT_MAX_INPUTS,
		/** Embeddings answers list `data` in reverse order (clients must match vectors by `index`). */
		shuffleEmbeddings: false,
		/** Embeddings answers leave out the last vector (a broken upstream). */
		dropEmbedding: false,
	};
	const answerTimes = latencies();
	/** @type {ServerState} */
	const state = {
		settings,
		keys: keyring(options.keys),
		requests: [],
		stats: { inFlight: 0, maxInFlight: 0, total: 0, count429: 0, countByStatus: {} },
		attempts: new Map(),
		counters: { completion: 0, toolCall: 0, embedding: 0 },
		configure(o) {
			if (!o) return;
			if (o.latencyMs !== undefined) settings.latencyMs = Math.max(0, Number(o.latencyMs) || 0);
			if (o.latencySigma !== undefined)
				settings.latencySigma = Math.max(0, Number(o.latencySigma) || 0);
			if (o.streamGapMs !== undefined)
				settings.streamGapMs = Math.max(0, Number(o.streamGapMs) || 0);
			// null means "unlimited" so the setting survives JSON (IPC), where Infinity becomes null.
			if (o.capacity !== undefined)
				settings.capacity = o.capacity === null ? Infinity : Number(o.capacity);
			if (o.retryAfter !== undefined)
				settings.retryAfter = o.retryAfter === null ? null : String(o.retryAfter);
			if (o.includeCost !== undefined) settings.includeCost = Boolean(o.includeCost);
			if (o.quiet !== undefined) settings.quiet = Boolean(o.quiet);
			if (o.logRequests !== undefined) settings.logRequests = Boolean(o.logRequests);
			if (o.style !== undefined) settings.style = o.style === 'demo' ? 'demo' : 'echo';
			if (o.maxEmbeddingInputs !== undefined) {
				settings.maxEmbeddingInputs =
					o.maxEmbeddingInputs === null ? DEFAULT_MAX_INPUTS : Number(o.maxEmbeddingInputs);
			}
			if (o.shuffleEmbeddings !== undefined)
				settings.shuffleEmbeddings = Boolean(o.shuffleEmbeddings);
			if (o.dropEmbedding !== undefined) settings.dropEmbedding = Boolean(o.dropEmbedding);
		},
		reset() {
			const { stats, counters } = state;
			state.requests.length = 0;
			// inFlight is a live gauge of open requests, so it survives a reset.
			stats.maxInFlight = stats.inFlight;
			stats.total = 0;
			stats.count429 = 0;
			stats.countByStatus = {};
			state.attempts.clear();
			counters.completion = 0;
			counters.toolCall = 0;
			counters.embedding = 0;
			answerTimes.restart();
		},
		nextLatencyMs: () => answerTimes.next(settings),
	};
	state.configure(options);
	return state;
}

module.exports = { createState };
