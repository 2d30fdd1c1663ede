'use strict';

/**
 * The HTTP side: reads each request, logs it, and hands it to its route (routes.js) as a
 * RequestContext; closing destroys open sockets so hung requests cannot keep close() waiting.
 */

const http = require('node:http');
const querystring = require('node:querystring');
const { sendJson } = require('./respond');
const { ROUTES } = require('./routes');
const { createState } = require('./state');

const HOST = '127.0.0.1';

/**
 * @typedef {object} RequestContext
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {import('./state').ServerState} state
 * @property {string} method
 * @property {string} path without the query string
 * @property {string} qs the query string, without '?'
 * @property {unknown} body parsed JSON when `bodyIsJson`, else the raw text (undefined when empty)
 * @property {boolean} bodyIsJson
 * @property {import('./index').RequestLogEntry|null} entry the log entry (null when not logging)
 * @property {boolean} isChat whether statuses count in stats.countByStatus
 * @property {number|null} status the status sent, null until then
 * @property {number} started
 * @property {NodeJS.Timeout|null} timer a pending delayed answer, cleared on close
 */

/**
 * @param {string} raw
 * @returns {{body: unknown, bodyIsJson: boolean}}
 */
function parseBody(raw) {
	if (raw === '') return { body: undefined, bodyIsJson: false };
	try {
		return { body: JSON.parse(raw), bodyIsJson: true };
	} catch {
		return { body: raw, bodyIsJson: false };
	}
}

/**
 * @param {import('./state').ServerState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} raw
 * @param {number} started
 */
function handle(state, req, res, raw, started) {
	const url = req.url || '/';
	const q = url.indexOf('?');
	const path = q === -1 ? url : url.slice(0, q);
	const qs = q === -1 ? '' : url.slice(q + 1);
	const { body, bodyIsJson } = parseBody(raw);
	const method = req.method || 'GET';
	let entry = null;
	if (state.settings.logRequests) {
		// A repeated key becomes an array (querystring.parse does exactly that).
		const query = /** @type {Record<string, string|string[]>} */ ({ ...querystring.parse(qs) });
		entry = { method, path, query, headers: req.headers, body, status: null, at: started };
		state.requests.push(entry);
	}
	/** @type {RequestContext} */
	const ctx = {
		req,
		res,
		state,
		method,
		path,
		qs,
		body,
		bodyIsJson,
		entry,
		isChat: false,
		status: null,
		started,
		timer: null,
	};
	res.once('close', () => {
		if (ctx.timer) clearTimeout(ctx.timer);
		if (!state.settings.quiet)
			console.log(`${method} ${path} ${ctx.status ?? '-'} ${Date.now() - started}ms`);
	});
	const route = ROUTES[path];
	if (!route) return sendJson(ctx, 404, { detail: 'Not Found' });
	if (method !== route.method)
		return sendJson(ctx, 405, { detail: 'Method Not Allowed' }, { allow: route.method });
	route.handler(ctx);
}

/**
 * Starts a Cortecs-compatible server on 127.0.0.1.
 * @param {import('./index').CortecsServerOptions} [options]
 * @returns {Promise<import('./index').CortecsServer>}
 */
function startCortecsServer(options = {}) {
	const state = createState(options);
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	const httpServer = http.createServer((req, res) => {
		const started = Date.now();
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw =
				chunks.length === 0
					? ''
					: chunks.length === 1
						? chunks[0].toString('utf8')
						: Buffer.concat(chunks).toString('utf8');
			handle(state, req, res, raw, started);
		});
	});
	httpServer.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});

	/** @type {Promise<void>|null} */
	let closing = null;
	function close() {
		if (!closing) {
			closing = new Promise((resolve) => {
				httpServer.close(() => resolve());
				// Hung requests and idle keep-alive sockets would otherwise keep close() waiting.
				for (const s of sockets) s.destroy();
			});
		}
		return closing;
	}

	return new Promise((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(options.port || 0, HOST, () => {
			httpServer.off('error', reject);
			const address = /** @type {import('node:net').AddressInfo} */ (httpServer.address());
			const requests = state.requests;
			resolve({
				url: `http://${HOST}:${address.port}/v1`,
				port: address.port,
				requests,
				stats: state.stats,
				chatRequests: () =>
					requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions'),
				embeddingRequests: () =>
					requests.filter((r) => r.method === 'POST' && r.path === '/v1/embeddings'),
				configure: state.configure,
				reset: state.reset,
				close,
				httpServer,
			});
		});
	});
}

module.exports = { startCortecsServer };
