'use strict';

/**
 * POST /v1/chat/completions: capacity (429 before any other work), the key, validation, the fault DSL,
 * latency, then the completion as JSON or SSE.
 */

const { buildCompletion, validateChat } = require('../completion');
const { answerFault, faultFor } = require('../faults');
const { bearerOf } = require('../keys');
const { later, openAiError, sendJson, sendRaw, streamFrames, successHeaders } = require('../respond');
const { sseFrames } = require('../sse');
const { isPlainObject } = require('../text');

/** @typedef {import('../server').RequestContext} RequestContext */

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
		sendJson(ctx, 429, openAiError(message, 'rate_limit_error', null, 'rate_limit_exceeded'), headers);
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
 * The 401 body for a request whose key may not chat, or null when it may.
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

/** @param {RequestContext} ctx */
function handleChat(ctx) {
	ctx.isChat = true;
	ctx.state.stats.total++;
	if (!takeSlot(ctx)) return;

	const latency = ctx.state.settings.latencyMs;
	const denied = keyError(ctx);
	if (denied) return later(ctx, latency, () => sendJson(ctx, 401, denied));

	const checked = validateChat(ctx.body, ctx.bodyIsJson);
	if (!('plan' in checked)) return later(ctx, latency, () => sendJson(ctx, checked.status, checked.payload));
	const plan = checked.plan;

	const fault = faultFor(ctx.state.attempts, plan.body.messages);
	if (fault.name === 'hang') return; // never answer; 'close' releases the slot
	const name = fault.name;
	later(ctx, latency + fault.delayMs, () => (name === null ? answer(ctx, plan) : answerFault(ctx, plan, name)));
}

/**
 * @param {RequestContext} ctx
 * @param {import('../completion').ChatPlan} plan
 */
function answer(ctx, plan) {
	const completion = buildCompletion(plan, ctx.state.counters, ctx.state.settings.includeCost);
	const body = plan.body;
	if (body.stream !== true) {
		return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), JSON.stringify(completion));
	}
	const includeUsage = !(isPlainObject(body.stream_options) && body.stream_options.include_usage === false);
	streamFrames(ctx, plan, sseFrames(completion, includeUsage).frames);
}

module.exports = { handleChat };
