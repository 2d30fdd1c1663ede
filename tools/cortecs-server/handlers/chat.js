'use strict';

/**
 * POST /v1/chat/completions: capacity (429 before any other work), the key, validation, the fault DSL,
 * latency, then the completion as JSON or SSE.
 */

const { buildCompletion, validateChat } = require('../completion');
const { answerFault, faultFor } = require('../faults');
const { keyError, takeSlot } = require('../admission');
const { later, sendJson, sendRaw, streamFrames, successHeaders } = require('../respond');
const { sseFrames } = require('../sse');
const { isPlainObject } = require('../text');

/** @typedef {import('../server').RequestContext} RequestContext */

/** @param {RequestContext} ctx */
function handleChat(ctx) {
	ctx.isChat = true;
	ctx.state.stats.total++;
	if (!takeSlot(ctx)) return;

	const latency = ctx.state.nextLatencyMs();
	const denied = keyError(ctx);
	if (denied) return later(ctx, latency, () => sendJson(ctx, 401, denied));

	const checked = validateChat(ctx.body, ctx.bodyIsJson);
	if (!('plan' in checked))
		return later(ctx, latency, () => sendJson(ctx, checked.status, checked.payload));
	const plan = checked.plan;

	const fault = faultFor(ctx.state.attempts, plan.body.messages);
	if (fault.name === 'hang') return; // never answer; 'close' releases the slot
	const name = fault.name;
	later(ctx, latency + fault.delayMs, () =>
		name === null ? answer(ctx, plan) : answerFault(ctx, plan, name),
	);
}

/**
 * @param {RequestContext} ctx
 * @param {import('../completion').ChatPlan} plan
 */
function answer(ctx, plan) {
	const { includeCost, style } = ctx.state.settings;
	const completion = buildCompletion(plan, ctx.state.counters, includeCost, style);
	const body = plan.body;
	if (body.stream !== true) {
		return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), JSON.stringify(completion));
	}
	const includeUsage = !(
		isPlainObject(body.stream_options) && body.stream_options.include_usage === false
	);
	streamFrames(ctx, plan, sseFrames(completion, includeUsage).frames);
}

module.exports = { handleChat };
