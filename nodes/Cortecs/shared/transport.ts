import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	PreSendAction,
} from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BACKOFF, DELIVERY_DEFAULTS } from './constants';
import { apiError, FAILURE, redactApiKey, type CortecsError } from './errors';
import { badInputOf } from './validation';
import { Limiter, Pacer, Pauses, perRun } from './limiter';
import { baseUrlOf } from './models';

interface Delivery {
	maxConcurrency: number;
	maxRetries: number;
	timeoutMs: number;
}

/**
 * Concurrency and Retries, read once per node run (from the first item that gets here): the cap is
 * one number for the whole run, and reading parameters per item costs n8n an evaluation each time.
 */
function deliverySettings(ctx: IExecuteSingleFunctions): Delivery {
	const set = (ctx.getNodeParameter('delivery', {}) ?? {}) as IDataObject;
	const num = (value: unknown): number | undefined =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
	// n8n's own Request Options → Timeout (ms, added to every declarative node) counts when this node's
	// Timeout is not set; RoutingNode would otherwise send its 5-minute default.
	const n8nTimeoutMs = num(ctx.getNodeParameter('requestOptions.timeout', 0));
	const timeoutSeconds = num(set.timeout);
	return {
		maxConcurrency: Math.floor(num(set.maxConcurrency) ?? DELIVERY_DEFAULTS.maxConcurrency),
		maxRetries: Math.floor(num(set.maxRetries) ?? DELIVERY_DEFAULTS.maxRetries),
		timeoutMs:
			timeoutSeconds !== undefined
				? Math.max(1, timeoutSeconds) * 1000
				: n8nTimeoutMs
					? Math.max(1, n8nTimeoutMs)
					: DELIVERY_DEFAULTS.timeoutSeconds * 1000,
	};
}

interface Run {
	settings: Delivery;
	limiter: Limiter;
	/** Spaces the starts of the requests (see Pacer). */
	pacer: Pacer;
	/** Items prepared but not yet sending (sendWithLimitsAfter): two windows' worth, so sending never waits for a preparation. */
	ahead: Limiter;
	/** The credential's Base URL, read once per run; undefined leaves requestDefaults' baseURL. */
	baseURL: Promise<string | undefined>;
	/** Backoff waits, cut short when the execution is stopped. */
	pauses: Pauses;
	/** Without Continue On Fail: the lowest index of an item that failed for good (the node will fail). */
	firstFailure?: number;
}

async function credentialBaseUrl(ctx: IExecuteSingleFunctions): Promise<string | undefined> {
	try {
		return baseUrlOf((await ctx.getCredentials('cortecsApi')) as IDataObject);
	} catch {
		return undefined;
	}
}

/** The settings, limiter and Base URL shared by all items of this node run. */
function runOf(ctx: IExecuteSingleFunctions): Run {
	const create = (): Run => {
		const settings = deliverySettings(ctx);
		return {
			settings,
			limiter: new Limiter(settings.maxConcurrency),
			pacer: new Pacer(),
			ahead: new Limiter(settings.maxConcurrency * 2),
			baseURL: credentialBaseUrl(ctx),
			pauses: new Pauses(ctx.getExecutionCancelSignal()),
		};
	};
	// n8n always passes execute data to declarative nodes; without it each item would get its own limiter.
	const runKey = ctx.getExecuteData();
	return runKey ? perRun(runKey, create) : create();
}

/** Network failures, in the words of the HTTP client: what happened, and what the user can do. */
const NETWORK_HINTS: Record<string, { what: string; hint: string }> = {
	ECONNREFUSED: {
		what: 'connection refused',
		hint: 'Nothing answers at the Base URL of the Cortecs API credential. Check the URL (https://api.cortecs.ai/v1), and any proxy or firewall in between.',
	},
	ENOTFOUND: {
		what: 'host not found',
		hint: 'The host of the Base URL in the Cortecs API credential cannot be resolved. Check the URL for typos, and the DNS of the n8n host.',
	},
	EAI_AGAIN: {
		what: 'DNS lookup failed',
		hint: 'The DNS server did not answer for the host of the Base URL. Try again later, or check the DNS of the n8n host.',
	},
	ECONNRESET: {
		what: 'connection cut mid-answer',
		hint: 'The connection closed before the answer was complete (network, proxy or provider trouble). Try again later; raise Concurrency and Retries → Max Retries to retry such items automatically.',
	},
	ETIMEDOUT: {
		what: 'timed out',
		hint: 'No complete answer within the Timeout. Raise Concurrency and Retries → Timeout (Seconds), lower Options → Max Tokens, or try again later.',
	},
	ERR_FR_TOO_MANY_REDIRECTS: {
		what: 'too many redirects',
		hint: 'The Base URL redirects again and again. Set the Base URL of the Cortecs API credential to the address of the API itself (https://api.cortecs.ai/v1).',
	},
	EHOSTUNREACH: {
		what: 'host unreachable',
		hint: 'The host of the Base URL cannot be reached from the n8n host. Check the network, proxy and firewall.',
	},
};
NETWORK_HINTS.ECONNABORTED = NETWORK_HINTS.ETIMEDOUT; // axios's code for its own timeout (reported as ETIMEDOUT)
NETWORK_HINTS.ENETUNREACH = NETWORK_HINTS.EHOSTUNREACH;
NETWORK_HINTS.EPIPE = NETWORK_HINTS.ECONNRESET;

/** Failures a retry cannot fix. */
const NOT_RETRYABLE = new Set(['ENOTFOUND', 'ERR_FR_TOO_MANY_REDIRECTS']);

const CODE_IN_TEXT = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

/** The network code in one piece of text, by name or by the HTTP client's wording. */
function codeInText(text: unknown): string | undefined {
	if (typeof text !== 'string') return undefined;
	const match = CODE_IN_TEXT.exec(text);
	if (match) return match[1];
	if (/timeout of \d+ms exceeded|timed? ?out/i.test(text)) return 'ETIMEDOUT';
	if (/socket hang up|aborted|closed unexpectedly/i.test(text)) return 'ECONNRESET';
	return undefined;
}

/**
 * The network error code of a failed request. n8n-core turns the HTTP client's error into a NodeApiError
 * that drops the original (and with it the request config): the code survives in `httpCode`
 * (ECONNREFUSED, ECONNABORTED, ERR_BAD_RESPONSE...) and the client's own words in `messages`.
 */
export function networkCode(error: unknown): string | undefined {
	let current = error as IDataObject | undefined;
	let fallback: string | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
		for (const key of ['code', 'httpCode']) {
			const code = current[key];
			if (typeof code !== 'string') continue;
			if (NETWORK_HINTS[code]) return code;
			if (/^[A-Z][A-Z0-9_]{2,}$/.test(code)) fallback ??= code;
		}
		const texts = [...(Array.isArray(current.messages) ? current.messages : []), current.message];
		for (const text of texts) {
			const code = codeInText(text);
			if (code) return code;
		}
		current = current.cause as IDataObject | undefined;
	}
	return fallback;
}

/** Turns whatever the request threw into a CortecsError that carries no request config (no API key). */
export function toCortecsError(ctx: IExecuteSingleFunctions, error: unknown, cancelled: boolean): CortecsError {
	if ((error as CortecsError)?.[FAILURE]) return error as CortecsError;
	if (cancelled) {
		return apiError(ctx, { retryable: false }, 'Cortecs request cancelled', 'The execution was stopped.');
	}
	const found = networkCode(error);
	const code = found === 'ECONNABORTED' ? 'ETIMEDOUT' : found;
	const known = code ? NETWORK_HINTS[code] : undefined;
	if (code && known) {
		return apiError(
			ctx,
			{ code, retryable: !NOT_RETRYABLE.has(code) },
			`Could not reach the Cortecs API: ${known.what} (${code})`,
			known.hint,
		);
	}
	// Something else went wrong on the way (TLS, an unusual socket error...): keep the client's words (one
	// line, minus any credentials a message might quote).
	const raw = [...(((error as IDataObject)?.messages as string[] | undefined) ?? []), (error as Error)?.message ?? String(error)]
		.filter((m) => typeof m === 'string' && m.trim() !== '')[0] ?? 'unknown error';
	const reason = String(raw)
		.replace(/\b(authorization|x-api-key|api[-_]?key)\s*[:=]\s*(?:(?:bearer|basic|token)\s+)?[^\s,;"']+/gi, '$1: [redacted]')
		.replace(/\b(bearer)\s+[^\s,;"']+/gi, '$1 [redacted]')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 200);
	const tls = /CERT|TLS|SSL|EPROTO/i.test(`${code ?? ''} ${reason}`);
	return apiError(
		ctx,
		{ code, retryable: !tls },
		`Could not reach the Cortecs API: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`,
		tls
			? 'The secure connection failed. Check that the Base URL of the Cortecs API credential uses the right scheme (https:// for the Cortecs API, http:// for a plain-HTTP proxy or test server), and that no proxy replaces the certificate.'
			: 'The request failed before the API answered. Check the Base URL of the Cortecs API credential, and the network or proxy in between.',
	);
}

/** How long to wait before attempt `attempt + 1`: Retry-After when the API sent one, else backoff. */
export function backoffMs(attempt: number, failure: { retryAfterMs?: number }, random = Math.random): number {
	if (failure.retryAfterMs !== undefined) return Math.min(Math.max(0, failure.retryAfterMs), BACKOFF.retryAfterCapMs);
	const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt);
	return ceiling / 2 + random() * (ceiling / 2);
}

/** Answers that say "too much": the run's limiter sends fewer requests at a time after one. */
const OVERLOAD = new Set([429, 503]);

/** With Continue On Fail the failed item becomes one error item, paired to its input, in its place. */
export function errorItem(ctx: IExecuteSingleFunctions, error: NodeApiError | NodeOperationError): INodeExecutionData[] {
	const httpCode = 'httpCode' in error ? error.httpCode : null;
	return [
		{
			json: {
				error: error.message,
				description: error.description ?? null,
				httpCode: httpCode ?? null,
			},
			error,
			pairedItem: { item: ctx.getItemIndex() },
		},
	];
}

/** The end of a failed item: its error (without the API key) as an error item, or thrown. */
async function failItem(
	ctx: IExecuteSingleFunctions,
	error: NodeApiError | NodeOperationError,
	run: Run,
): Promise<INodeExecutionData[]> {
	const continues = ctx.continueOnFail();
	// Noted before any await: the slot this item held is already free for the next one.
	if (!continues) run.firstFailure = Math.min(run.firstFailure ?? Number.POSITIVE_INFINITY, ctx.getItemIndex());
	await redactApiKey(ctx, error);
	if (continues) return errorItem(ctx, error);
	throw error;
}

/**
 * Without Continue On Fail one failed item fails the node (RoutingNode reports the failed item with the
 * lowest index and drops every other result), so items after it that have not left yet are not sent:
 * they would only be paid for. Items before it still are: one of them may be the failure n8n reports.
 */
function notSentAfterFailure(ctx: IExecuteSingleFunctions, run: Run): NodeOperationError | undefined {
	if (run.firstFailure === undefined || ctx.getItemIndex() <= run.firstFailure || ctx.continueOnFail()) return undefined;
	return new NodeOperationError(ctx.getNode(), 'Cortecs request not sent: an earlier item failed', {
		itemIndex: ctx.getItemIndex(),
		description: `Item ${run.firstFailure} failed, which fails the node (Continue On Fail is off), so this item was not sent.`,
	});
}

/**
 * The one declarative hook that wraps the request itself (n8n calls it instead of sending when
 * `paginate` is set). It adds what RoutingNode lacks: a cap on requests in flight for this node run,
 * per-item retries that honour Retry-After, a per-request timeout, and cancellation.
 */
export async function sendWithLimits(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await deliver(this, requestData);
}

/**
 * sendWithLimits for an operation whose request is built by preSend functions, run here when the item's
 * turn comes instead of as `routing.send.preSend`. RoutingNode runs preSends for every item in its loop,
 * before the first request can leave; here the preparation of item k overlaps the requests of the items
 * before it, so a run of 1,000 items starts sending that much sooner. Use it in place of both:
 * `send: { paginate: true }, operations: { pagination: sendWithLimitsAfter([validateChatRequest]) }`.
 */
export function sendWithLimitsAfter(preSend: PreSendAction[]) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		return await deliver(this, requestData, preSend);
	};
}

async function deliver(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	preSend: PreSendAction[] = [],
): Promise<INodeExecutionData[]> {
	const run = runOf(ctx);
	// Bad input found by the preSend check: fail here, before a limiter slot or a request, so the error
	// item looks like every other (paired, error in json) and keeps its NodeOperationError.
	const badInput = badInputOf(requestData.options);
	if (badInput) return await failItem(ctx, badInput, run);

	const signal = ctx.getExecutionCancelSignal();
	// Set here once per run instead of by an expression in requestDefaults, which n8n evaluates per item
	// before the first request can leave.
	const base = await run.baseURL;
	if (base) requestData.options.baseURL = base;
	if (!preSend.length) return await send(ctx, requestData, run, signal);

	// Prepare the request while the items before it are in flight: at most one window of items ahead
	// of those sending, and after the requests just let go have left (so never in their way).
	let releaseAhead: (() => void) | undefined;
	try {
		let bad: NodeOperationError | undefined;
		try {
			releaseAhead = await run.ahead.acquire(signal);
			await run.pauses.pause(0);
			for (const action of preSend) {
				requestData.options = (await action.call(ctx, requestData.options as IHttpRequestOptions)) as typeof requestData.options;
			}
			bad = badInputOf(requestData.options);
		} catch (error) {
			if (signal?.aborted) return await failItem(ctx, toCortecsError(ctx, error, true), run);
			// A preparation that throws fails the item, never sent, like bad input.
			bad =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: ctx.getItemIndex() });
		}
		if (bad) return await failItem(ctx, bad, run);
		// Prepared items count against "ahead" until they get a slot, not while they wait for a retry.
		return await send(ctx, requestData, run, signal, releaseAhead);
	} finally {
		releaseAhead?.();
	}
}

/** Sends one item: a limiter slot per attempt, retries with Retry-After or backoff, then the item. */
async function send(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	run: Run,
	signal: AbortSignal | undefined,
	onSlot?: () => void,
): Promise<INodeExecutionData[]> {
	const { settings, limiter, pacer, pauses } = run;
	requestData.options.timeout = settings.timeoutMs;
	for (let attempt = 0; ; attempt++) {
		let failure: CortecsError | undefined;
		let notSent: NodeOperationError | undefined;
		let release: (() => void) | undefined;
		try {
			// Retries go to the front of the queue: their items have waited longest.
			release = await limiter.acquire(signal, attempt > 0);
			onSlot?.();
			// The node may have failed while this item waited for its slot or its retry.
			notSent = notSentAfterFailure(ctx, run);
			if (!notSent) {
				await pacer.turn(limiter.limit, async (ms) => await pauses.pause(ms));
				const started = performance.now();
				const items = await ctx.makeRoutingRequest(requestData);
				pacer.observe(performance.now() - started);
				limiter.succeeded();
				return items;
			}
		} catch (error) {
			failure = toCortecsError(ctx, error, signal?.aborted === true);
		} finally {
			// The slot is free while this item waits for its retry.
			release?.();
		}
		if (notSent) return await failItem(ctx, notSent, run);
		// Here the request threw: the try either returned the items or set notSent.
		let failed = failure as CortecsError;
		const info = failed[FAILURE]!;
		if (info.status !== undefined && OVERLOAD.has(info.status)) limiter.overloaded(info.retryAfterMs);
		if (info.retryable && attempt < settings.maxRetries && !signal?.aborted) {
			try {
				await pauses.pause(backoffMs(attempt, info));
				continue;
			} catch {
				failed = toCortecsError(ctx, undefined, true);
			}
		}
		if (attempt > 0) failed.description = `${failed.description} (Sent ${attempt + 1} times.)`;
		return await failItem(ctx, failed, run);
	}
}
