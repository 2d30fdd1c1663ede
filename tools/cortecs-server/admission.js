'use strict';

/**
 * What every model request (chat, embeddings) meets before its own work: the capacity (429 when full)
 * and the key.
 */

const { bearerOf } = require('./keys');
const { openAiError, sendJson } = require('./respond');

/** @typedef {import('./server').RequestContext} RequestContext */

/**
 * Takes a concurrency slot (released when the response closes), or answers 429 when none is free.
 * Overload is rejected before any other work and without latency, like a gateway would.
 * @param {RequestContext} ctx
 * @returns {boolean} whether a slot was taken
 */
function takeSlot(ctx) {
	const { stats, settings } = ctx.state;
	if (stats.inFlight >= settings.capacity) {
		stats.count429++;
		/** @type {Record<string, string>} */
		const headers = {};
		if (settings.retryAfter !== null) headers['retry-after'] = settings.retryAfter;
		const message = 'Rate limit exceeded: too many concurrent requests';
		sendJson(
			ctx,
			429,
			openAiError(message, 'rate_limit_error', null, 'rate_limit_exceeded'),
			headers,
		);
		return false;
	}
	stats.inFlight++;
	if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
	// 'close' fires both after a normal end and when the client (or close()) drops the socket.
	ctx.res.once('close', () => {
		stats.inFlight--;
	});
	return true;
}

/**
 * The 401 body for a request whose key may not use models, or null when it may.
 * @param {RequestContext} ctx
 */
function keyError(ctx) {
	const keys = ctx.state.keys;
	const key = bearerOf(ctx.req);
	if (key !== null && keys.emptyBalance.has(key)) {
		const message = 'Insufficient balance: top up your prepaid credits';
		return openAiError(message, 'authentication_error', null, 'insufficient_balance');
	}
	if (key === null || !(keys.valid.has(key) || keys.management.has(key))) {
		return openAiError('Invalid API key', 'authentication_error', null, 'invalid_api_key');
	}
	return null;
}

module.exports = { keyError, takeSlot };
