'use strict';

/**
 * The fault DSL: a marker `[[fault:NAME]]` or `[[fault:NAME:K]]` anywhere in a chat message (or in an
 * embeddings input) makes the server misbehave instead of answering (with `:K`, only the first K attempts
 * of the same messages or inputs do; the next attempt succeeds, which is how a flaky item is written).
 *
 * NAME is one of:
 * - an HTTP status in FAULT_ERRORS (400, 401, 402, 403, 404, 408, 413, 429, 500, 502, 503, 504): that
 *   status with a realistic OpenAI-style body (429/503 with `retry-after: 1`); `422`: a FastAPI detail list;
 * - `shape-string`, `shape-detail`, `shape-message`: a 400 whose body has another error shape;
 * - `retry-after-date`: a 503 whose Retry-After is an HTTP date;
 * - `not-json`, `empty`: a 200 with a body that is not a completion; `html`: nginx's 502 page;
 * - `reset`: 200 headers and half a body, then the socket is destroyed; `drop`: the socket is closed
 *   before any answer; `hang`: never answers; `sse-cut`: a stream that stops before its finish frame;
 * - `delay-<ms>`: a normal answer, <ms> later than usual;
 * - `echo-auth`: a 401 that quotes the Authorization header back (to prove the node redacts it).
 * Any other name answers 400 `unknown_fault`, so a typo in a test does not pass unnoticed.
 */

const { buildCompletion } = require('./completion');
const { sseFrames } = require('./sse');
const {
	openAiError,
	commitStatus,
	sendRaw,
	sendJson,
	successHeaders,
	streamFrames,
} = require('./respond');
const { textOf } = require('./text');

/** @typedef {import('./server').RequestContext} RequestContext */
/** @typedef {import('./completion').ChatPlan} ChatPlan */

/**
 * Realistic, distinct messages per status for `[[fault:<status>]]`.
 * @type {Record<string, {message: string, type: string, code: string}>}
 */
const FAULT_ERRORS = {
	400: {
		message: "Invalid request: parameter 'temperature' is not supported by the selected provider",
		type: 'invalid_request_error',
		code: 'invalid_request',
	},
	401: { message: 'Invalid API key', type: 'authentication_error', code: 'invalid_api_key' },
	402: {
		message: 'Payment required: insufficient prepaid balance',
		type: 'billing_error',
		code: 'payment_required',
	},
	403: {
		message: 'Forbidden: this API key is not allowed to use this model',
		type: 'permission_error',
		code: 'forbidden',
	},
	404: {
		message: 'Not found: no provider can currently serve this model',
		type: 'invalid_request_error',
		code: 'not_found',
	},
	408: { message: 'Request timed out', type: 'timeout_error', code: 'request_timeout' },
	413: {
		message: 'Request entity too large',
		type: 'invalid_request_error',
		code: 'request_too_large',
	},
	429: {
		message: 'Rate limit exceeded: please retry later',
		type: 'rate_limit_error',
		code: 'rate_limit_exceeded',
	},
	500: { message: 'unexpected_error', type: 'server_error', code: 'unexpected_error' },
	502: {
		message: 'Bad gateway: upstream provider failed',
		type: 'server_error',
		code: 'bad_gateway',
	},
	503: {
		message: 'Service unavailable: all providers for this model are overloaded',
		type: 'server_error',
		code: 'service_unavailable',
	},
	504: { message: 'Upstream provider timed out', type: 'server_error', code: 'gateway_timeout' },
};

const NGINX_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const FAULT_MARKER = /\[\[fault:([a-z0-9-]+)(?::(\d+))?\]\]/i;

/**
 * Finds the first `[[fault:...]]` marker in any message.
 * @param {any[]} messages
 * @returns {{name: string, limit: number|null} | null}
 */
function findFault(messages) {
	for (const m of messages) {
		const text = textOf(m.content);
		// indexOf first: the common (benchmark) path never runs the regex.
		if (text.indexOf('[[fault:') === -1) continue;
		const match = FAULT_MARKER.exec(text);
		if (match) {
			return {
				name: match[1].toLowerCase(),
				limit: match[2] === undefined ? null : Number(match[2]),
			};
		}
	}
	return null;
}

/**
 * What this attempt of these messages should do: `name` is the fault to answer with (null: answer
 * normally), `delayMs` the extra delay. Counts attempts per messages for `[[fault:NAME:K]]`.
 * @param {Map<string, number>} attempts
 * @param {any[]} messages
 * @returns {{name: string|null, delayMs: number}}
 */
function faultFor(attempts, messages) {
	const fault = findFault(messages);
	if (!fault) return { name: null, delayMs: 0 };
	if (fault.limit !== null) {
		const faultKey = JSON.stringify(messages);
		const n = (attempts.get(faultKey) || 0) + 1;
		attempts.set(faultKey, n);
		// The flaky item has failed often enough: succeed now.
		if (n > fault.limit) return { name: null, delayMs: 0 };
	}
	const delay = /^delay-(\d+)$/.exec(fault.name);
	if (delay) return { name: null, delayMs: Number(delay[1]) };
	return { name: fault.name, delayMs: 0 };
}

/**
 * Answers a chat request with the fault `name` instead of a completion.
 * @param {RequestContext} ctx
 * @param {ChatPlan} plan
 * @param {string} name
 */
function answerFault(ctx, plan, name) {
	const errorSpec = FAULT_ERRORS[name];
	if (errorSpec) {
		const status = Number(name);
		/** @type {Record<string, string>} */
		const headers = status === 429 || status === 503 ? { 'retry-after': '1' } : {};
		const param = status === 404 ? 'model' : null;
		return sendJson(
			ctx,
			status,
			openAiError(errorSpec.message, errorSpec.type, param, errorSpec.code),
			headers,
		);
	}
	switch (name) {
		case '422': {
			const detail = [
				{ loc: ['body', 'x'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
			];
			return sendJson(ctx, 422, { detail });
		}
		case 'shape-string':
			return sendJson(ctx, 400, { error: 'Invalid parameter: temperature' });
		case 'shape-detail':
			return sendJson(ctx, 400, { detail: 'Invalid request' });
		case 'shape-message':
			return sendJson(ctx, 400, { message: 'Malformed request' });
		case 'retry-after-date': {
			// HTTP dates have whole-second resolution; round up so the date is really >= 1 s ahead.
			const when = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000).toUTCString();
			const error = openAiError(
				FAULT_ERRORS[503].message,
				'server_error',
				null,
				'service_unavailable',
			);
			return sendJson(ctx, 503, error, { 'retry-after': when });
		}
		case 'not-json':
			return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), 'this is not json');
		case 'empty':
			return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), '');
		case 'html':
			return sendRaw(ctx, 502, { 'content-type': 'text/html' }, NGINX_502_PAGE);
		case 'reset':
			return resetMidBody(ctx, plan);
		case 'drop':
			// The socket closes before any byte of an answer ("socket hang up" on the client); the log
			// keeps status null, as for `hang`.
			return void ctx.req.socket.destroy();
		case 'echo-auth': {
			// A gateway that quotes the request's credentials back (seen in debug pages of proxies).
			const authorization = ctx.req.headers.authorization;
			return sendJson(ctx, 401, {
				error: {
					message: `Invalid API key: ${authorization}`,
					type: 'authentication_error',
					param: null,
					code: 'invalid_api_key',
				},
				received_headers: { authorization },
			});
		}
		case 'sse-cut': {
			// Always streams, whatever `stream` says: a broken upstream stream is the point.
			const completion = buildCompletion(plan, ctx.state.counters, ctx.state.settings.includeCost);
			const { frames, firstFinish } = sseFrames(completion, true);
			return streamFrames(ctx, plan, frames.slice(0, Math.max(1, Math.min(3, firstFinish))));
		}
		default: {
			const error = openAiError(
				`Unknown test fault '${name}'`,
				'invalid_request_error',
				null,
				'unknown_fault',
			);
			return sendJson(ctx, 400, error);
		}
	}
}

/**
 * 200 headers and part of the body, then the socket is destroyed: a connection reset mid-answer.
 * @param {RequestContext} ctx
 * @param {ChatPlan} plan
 */
function resetMidBody(ctx, plan) {
	if (ctx.res.destroyed) return;
	const completion = buildCompletion(plan, ctx.state.counters, ctx.state.settings.includeCost);
	const socket = ctx.req.socket;
	commitStatus(ctx, 200);
	if (plan.body.stream === true) {
		ctx.res.writeHead(200, successHeaders(plan, 'text/event-stream'));
		ctx.res.write(sseFrames(completion, true).frames[0], () => socket.destroy());
		return;
	}
	const payload = JSON.stringify(completion);
	const headers = successHeaders(plan, 'application/json');
	// Announce the full length so the client knows the body was cut short.
	headers['content-length'] = String(Buffer.byteLength(payload));
	ctx.res.writeHead(200, headers);
	ctx.res.write(payload.slice(0, Math.floor(payload.length / 2)), () => socket.destroy());
}

module.exports = { FAULT_ERRORS, faultFor, answerFault };
