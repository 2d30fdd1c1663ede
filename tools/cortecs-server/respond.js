'use strict';

/**
 * Writing answers: JSON, raw bodies, SSE frames and delayed answers, all through the request context
 * so the request log and status counters see every status that is sent.
 */

/** @typedef {import('./server').RequestContext} RequestContext */

/**
 * An OpenAI-style error body.
 * @param {string} message
 * @param {string} type
 * @param {string|null} param
 * @param {string|null} code
 */
function openAiError(message, type, param, code) {
	return { error: { message, type, param, code } };
}

/**
 * @param {RequestContext} ctx
 * @param {number} status
 */
function commitStatus(ctx, status) {
	ctx.status = status;
	if (ctx.entry) ctx.entry.status = status;
	const stats = ctx.state.stats;
	if (ctx.isChat) stats.countByStatus[status] = (stats.countByStatus[status] || 0) + 1;
}

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {Record<string, string>} headers
 * @param {string} payload
 */
function sendRaw(ctx, status, headers, payload) {
	if (ctx.res.destroyed) return;
	commitStatus(ctx, status);
	headers['content-length'] = String(Buffer.byteLength(payload));
	ctx.res.writeHead(status, headers);
	ctx.res.end(payload);
}

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(ctx, status, body, headers = {}) {
	headers['content-type'] = 'application/json';
	sendRaw(ctx, status, headers, JSON.stringify(body));
}

/**
 * Runs `fn` after `ms` (at once for 0); the timer is cleared if the client goes away first.
 * @param {RequestContext} ctx
 * @param {number} ms
 * @param {() => void} fn
 */
function later(ctx, ms, fn) {
	if (ms <= 0) fn();
	else ctx.timer = setTimeout(fn, ms);
}

/**
 * Headers of a successful answer, naming the provider and model the router chose.
 * @param {{provider: string, model: {id: string}}} plan
 * @param {string} contentType
 * @returns {Record<string, string>}
 */
function successHeaders(plan, contentType) {
	/** @type {Record<string, string>} */
	const headers = {
		'content-type': contentType,
		'x-cortecs-provider': plan.provider,
		'x-cortecs-model': plan.model.id,
	};
	if (contentType === 'text/event-stream') headers['cache-control'] = 'no-cache';
	return headers;
}

/**
 * Writes SSE frames one per event-loop turn (or `streamGapMs` apart) so clients see several TCP writes,
 * then ends.
 * @param {RequestContext} ctx
 * @param {{provider: string, model: {id: string}}} plan
 * @param {string[]} frames
 */
function streamFrames(ctx, plan, frames) {
	if (ctx.res.destroyed) return;
	commitStatus(ctx, 200);
	ctx.res.writeHead(200, successHeaders(plan, 'text/event-stream'));
	let i = 0;
	const next = () => {
		if (ctx.res.destroyed) return;
		if (i >= frames.length) return void ctx.res.end();
		ctx.res.write(frames[i++]);
		const gap = ctx.state.settings.streamGapMs;
		if (gap > 0) ctx.timer = setTimeout(next, gap);
		else setImmediate(next);
	};
	next();
}

module.exports = {
	openAiError,
	commitStatus,
	sendRaw,
	sendJson,
	later,
	successHeaders,
	streamFrames,
};
