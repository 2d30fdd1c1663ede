'use strict';

/**
 * HTTP for the contract checks (Node's fetch), with a spending cap: every request that may cost money
 * goes through `chat()`/`embed()`, which refuse to send when the worst case (catalogue prices, the
 * prompt's size and max_tokens) would take the run past the cap, and add what the answer says it cost.
 */

/** What a run may spend unless CORTECS_CONTRACT_MAX_EUR says otherwise. */
const DEFAULT_CAP_EUR = 0.01;

/** A request that got no HTTP answer at all (refused, DNS, timeout, TLS). */
class ReachError extends Error {
	/** @param {string} url @param {string} code @param {string} reason */
	constructor(url, code, reason) {
		super(
			`Could not reach ${url}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}. ` +
				'Check CORTECS_BASE_URL (default https://api.cortecs.ai/v1) and the network or proxy in between.',
		);
		this.code = code;
	}
}

/** The check would take the run past the spending cap: it is skipped, not sent. */
class CapReached extends Error {}

/** @param {unknown} error */
function networkReason(error) {
	const e = /** @type {any} */ (error);
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
		return { code: 'ETIMEDOUT', reason: 'no answer within the timeout' };
	const cause = e?.cause ?? e;
	const code = typeof cause?.code === 'string' ? cause.code : '';
	const reasons = {
		ECONNREFUSED: 'connection refused (nothing listens there)',
		ENOTFOUND: 'host not found',
		EAI_AGAIN: 'DNS lookup failed',
		ECONNRESET: 'connection reset',
		EHOSTUNREACH: 'host unreachable',
		ENETUNREACH: 'network unreachable',
	};
	return {
		code,
		reason:
			reasons[/** @type {keyof typeof reasons} */ (code)] ??
			String(cause?.message ?? e?.message ?? e),
	};
}

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {Record<string, string>} headers lower-case names
 * @property {string} text
 * @property {any} json the parsed body, or undefined when it is not JSON
 * @property {number} ms
 */

class Client {
	/**
	 * @param {object} o
	 * @param {string} o.baseUrl without trailing slash
	 * @param {string} o.apiKey
	 * @param {string} o.invalidKey
	 * @param {number} o.capMicroEur
	 * @param {number} o.timeoutMs
	 */
	constructor({ baseUrl, apiKey, invalidKey, capMicroEur, timeoutMs }) {
		this.baseUrl = baseUrl;
		this.keys = { valid: apiKey, invalid: invalidKey };
		this.capMicroEur = capMicroEur;
		this.timeoutMs = timeoutMs;
		/** What answers said they cost (usage.cost), or the worst case where they did not say. */
		this.spentMicroEur = 0;
		/** Requests sent, by kind. */
		this.sent = { free: 0, billable: 0 };
	}

	/**
	 * @param {string} method
	 * @param {string} path e.g. '/models'
	 * @param {{key?: 'valid'|'invalid'|'none', query?: Array<[string, string]>, body?: unknown, headers?: Record<string, string>}} [o]
	 *   `headers`: sent as given (the package's own request), instead of a key chosen here
	 * @returns {Promise<Answer>}
	 */
	async send(method, path, { key = 'none', query = [], body, headers: given } = {}) {
		const qs = query.length ? `?${new URLSearchParams(query)}` : '';
		const url = `${this.baseUrl}${path}${qs}`;
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json, text/event-stream' };
		if (key !== 'none') headers.authorization = `Bearer ${this.keys[key]}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		for (const [name, value] of Object.entries(given ?? {})) headers[name.toLowerCase()] = value;
		const started = Date.now();
		let response;
		let text;
		try {
			response = await fetch(url, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				redirect: 'manual',
				signal: AbortSignal.timeout(this.timeoutMs),
			});
			text = await response.text();
		} catch (error) {
			const { code, reason } = networkReason(error);
			throw new ReachError(`${method} ${this.baseUrl}${path}`, code, reason);
		}
		/** @type {Record<string, string>} */
		const lower = {};
		response.headers.forEach((value, name) => {
			lower[name.toLowerCase()] = value;
		});
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: lower, text, json, ms: Date.now() - started };
	}

	/** A request that costs nothing (catalogue, key check, rejected requests). */
	async free(method, path, o) {
		this.sent.free++;
		return await this.send(method, path, o);
	}

	/**
	 * A request that may cost money. `worstMicroEur` is what it can cost at most; `costOf(answer)` reads
	 * what it did cost (undefined when the answer does not say: the worst case is counted).
	 * @param {string} path
	 * @param {object} body
	 * @param {number} worstMicroEur
	 * @param {(answer: Answer) => number|undefined} costOf
	 */
	async billable(path, body, worstMicroEur, costOf) {
		if (this.spentMicroEur + worstMicroEur > this.capMicroEur) {
			throw new CapReached(
				`not sent: up to ${worstMicroEur} µEUR more would pass the cap (${this.spentMicroEur} of ${this.capMicroEur} µEUR spent)`,
			);
		}
		this.sent.billable++;
		const answer = await this.send('POST', path, { key: 'valid', body });
		// A rejected request (4xx) is not charged; a failure on the way (5xx) may have been, so it counts in full.
		const cost = answer.status === 200 ? costOf(answer) : answer.status < 500 ? 0 : undefined;
		const counted =
			Number.isFinite(cost) && /** @type {number} */ (cost) >= 0
				? /** @type {number} */ (cost)
				: worstMicroEur;
		this.spentMicroEur += counted;
		return Object.assign(answer, { costMicroEur: counted });
	}
}

module.exports = { Client, ReachError, CapReached, DEFAULT_CAP_EUR };
