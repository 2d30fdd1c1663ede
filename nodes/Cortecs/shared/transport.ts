import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, sleepWithAbort } from 'n8n-workflow';

import { BACKOFF, DELIVERY_DEFAULTS } from './constants';
import { apiError, FAILURE, type CortecsError } from './errors';
import { limiterFor } from './limiter';

interface Delivery {
	maxConcurrency: number;
	maxRetries: number;
	timeoutMs: number;
}

function deliverySettings(ctx: IExecuteSingleFunctions): Delivery {
	const set = (ctx.getNodeParameter('delivery', {}) ?? {}) as IDataObject;
	const num = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
	return {
		maxConcurrency: Math.floor(num(set.maxConcurrency, DELIVERY_DEFAULTS.maxConcurrency)),
		maxRetries: Math.floor(num(set.maxRetries, DELIVERY_DEFAULTS.maxRetries)),
		timeoutMs: Math.max(1, num(set.timeout, DELIVERY_DEFAULTS.timeoutSeconds)) * 1000,
	};
}

/** Network failures, in the words of the HTTP client, mapped to what the user can do. */
const NETWORK_HINTS: Record<string, string> = {
	ECONNREFUSED: 'Nothing answers at the Base URL of the Cortecs API credential. Check the URL (and any proxy).',
	ENOTFOUND: 'The host of the Base URL in the Cortecs API credential cannot be resolved. Check the URL.',
	ECONNRESET: 'The connection was cut mid-answer. It was retried; try again later.',
	ECONNABORTED: 'No complete answer within the Timeout. Raise Concurrency and Retries → Timeout, or lower Max Tokens.',
	ETIMEDOUT: 'No complete answer within the Timeout. Raise Concurrency and Retries → Timeout, or lower Max Tokens.',
};

function networkCode(error: unknown): string | undefined {
	let current = error as IDataObject | undefined;
	// n8n wraps the HTTP client's error (cause) in its own; the code sits somewhere on that chain.
	for (let depth = 0; current && depth < 4; depth++) {
		const code = current.code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		if (typeof current.message === 'string') {
			const match = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN)\b/.exec(current.message);
			if (match) return match[1];
			if (/timeout of \d+ms exceeded/.test(current.message)) return 'ECONNABORTED';
			if (/socket hang up|aborted/i.test(current.message)) return 'ECONNRESET';
		}
		current = current.cause as IDataObject | undefined;
	}
	return undefined;
}

/** Turns whatever the request threw into a CortecsError that carries no request config (no API key). */
function toCortecsError(ctx: IExecuteSingleFunctions, error: unknown, cancelled: boolean): CortecsError {
	if ((error as CortecsError)?.[FAILURE]) return error as CortecsError;
	if (cancelled) {
		return apiError(ctx, { retryable: false }, 'Cortecs request cancelled', 'The execution was stopped.');
	}
	const code = networkCode(error) ?? 'EUNKNOWN';
	const hint =
		NETWORK_HINTS[code] ?? 'The request failed before the API answered. Check the Base URL and the network.';
	const status = error instanceof NodeApiError && error.httpCode && /^\d{3}$/.test(error.httpCode) ? Number(error.httpCode) : undefined;
	const reason = code === 'EUNKNOWN' ? String((error as Error)?.message ?? error).slice(0, 200) : code;
	return apiError(ctx, { status, retryable: code !== 'ENOTFOUND' }, `Could not reach the Cortecs API (${reason})`, hint);
}

function backoffMs(attempt: number, failure: { retryAfterMs?: number }): number {
	if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, BACKOFF.retryAfterCapMs);
	const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt);
	return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** With Continue On Fail the failed item becomes one error item, paired to its input, in its place. */
function errorItem(ctx: IExecuteSingleFunctions, error: CortecsError): INodeExecutionData[] {
	return [
		{
			json: {
				error: error.message,
				description: error.description ?? null,
				httpCode: error.httpCode ?? null,
			},
			error,
			pairedItem: { item: ctx.getItemIndex() },
		},
	];
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
	const settings = deliverySettings(this);
	const signal = this.getExecutionCancelSignal();
	const limiter = limiterFor(this.getExecuteData() ?? {}, settings.maxConcurrency);
	requestData.options.timeout = settings.timeoutMs;

	for (let attempt = 0; ; attempt++) {
		let failure: CortecsError;
		let release: (() => void) | undefined;
		try {
			release = await limiter.acquire(signal);
			return await this.makeRoutingRequest(requestData);
		} catch (error) {
			failure = toCortecsError(this, error, signal?.aborted === true);
		} finally {
			release?.();
		}
		const info = failure[FAILURE]!;
		if (info.retryable && attempt < settings.maxRetries && !signal?.aborted) {
			try {
				await sleepWithAbort(backoffMs(attempt, info), signal);
				continue;
			} catch {
				failure = toCortecsError(this, undefined, true);
			}
		}
		if (attempt > 0) failure.description = `${failure.description} (Sent ${attempt + 1} times.)`;
		if (this.continueOnFail()) return errorItem(this, failure);
		throw failure;
	}
}
