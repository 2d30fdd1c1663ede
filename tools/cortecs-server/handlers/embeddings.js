'use strict';

/**
 * POST /v1/embeddings: capacity (429 before any other work), the key, validation (with the max-inputs
 * limit), the fault DSL (a marker in any input; its attempts are counted per list of inputs, so a flaky
 * batch succeeds when the same texts come again), latency, then the vectors.
 */

const { buildEmbeddings, validateEmbeddings } = require('../embedding');
const { answerFault, faultFor } = require('../faults');
const { keyError, takeSlot } = require('../admission');
const { commitStatus, later, sendJson, sendRaw, successHeaders } = require('../respond');

/** @typedef {import('../server').RequestContext} RequestContext */

/** @param {RequestContext} ctx */
function handleEmbeddings(ctx) {
	ctx.isChat = true;
	ctx.state.stats.total++;
	if (!takeSlot(ctx)) return;

	const { maxEmbeddingInputs } = ctx.state.settings;
	const latency = ctx.state.nextLatencyMs();
	const denied = keyError(ctx);
	if (denied) return later(ctx, latency, () => sendJson(ctx, 401, denied));

	const checked = validateEmbeddings(ctx.body, ctx.bodyIsJson, maxEmbeddingInputs);
	if (!('plan' in checked))
		return later(ctx, latency, () => sendJson(ctx, checked.status, checked.payload));
	const plan = checked.plan;

	const fault = faultFor(
		ctx.state.attempts,
		plan.inputs.map((content) => ({ content })),
	);
	if (fault.name === 'hang') return;
	const name = fault.name;
	later(ctx, latency + fault.delayMs, () => {
		if (name === null) return answer(ctx, plan);
		// The chat-shaped faults (a cut stream, half a completion) have no embeddings form.
		if (name === 'reset' || name === 'sse-cut') return resetMidBody(ctx, plan);
		answerFault(ctx, plan, name);
	});
}

/**
 * @param {RequestContext} ctx
 * @param {import('../embedding').EmbeddingsPlan} plan
 */
function answer(ctx, plan) {
	const { includeCost, shuffleEmbeddings, dropEmbedding } = ctx.state.settings;
	const body = buildEmbeddings(plan, ctx.state.counters, includeCost);
	if (shuffleEmbeddings) body.data.reverse();
	if (dropEmbedding) body.data.pop();
	sendRaw(ctx, 200, successHeaders(plan, 'application/json'), JSON.stringify(body));
}

/**
 * 200 headers and half of the answer, then the socket is destroyed.
 * @param {RequestContext} ctx
 * @param {import('../embedding').EmbeddingsPlan} plan
 */
function resetMidBody(ctx, plan) {
	if (ctx.res.destroyed) return;
	const payload = JSON.stringify(
		buildEmbeddings(plan, ctx.state.counters, ctx.state.settings.includeCost),
	);
	const headers = successHeaders(plan, 'application/json');
	headers['content-length'] = String(Buffer.byteLength(payload));
	commitStatus(ctx, 200);
	ctx.res.writeHead(200, headers);
	const socket = ctx.req.socket;
	ctx.res.write(payload.slice(0, Math.floor(payload.length / 2)), () => socket.destroy());
}

module.exports = { handleEmbeddings };
