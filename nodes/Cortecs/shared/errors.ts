import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** Why a failure happened and what the user can do, by HTTP status. */
const HINTS: Record<number, string> = {
	400: 'The router or the provider rejected a parameter. Remove options this model does not support, or check the value named in the message.',
	401: 'The API key is invalid, or the prepaid balance of its Cortecs project is empty. Check the key in the Cortecs API credential and the balance in the Cortecs console.',
	402: 'The prepaid balance is empty. Top up credits in the Cortecs console.',
	403: 'This API key may not do this. Use a key of the project that owns the resource.',
	408: 'The request took too long on the way to the provider. It was retried; raise Max Retries or try again later.',
	413: 'The request is too large. Send fewer or shorter messages, or a model with a larger context.',
	422: 'A provider rejected a field it does not know (often "Extra inputs are not permitted"). Remove the option named in the message, or pick another model.',
	429: 'Too many requests. Lower Concurrency and Retries → Max Concurrent Requests, or raise Max Retries; the node already waited as long as Retry-After asked.',
	500: 'Cortecs failed unexpectedly. Try again later; with Enable Model Fallback on, the router may serve a related model.',
	502: 'The provider behind Cortecs failed. Try again later, or allow more providers or model fallback in Routing.',
	503: 'The model is unavailable right now. Try again later, or enable model fallback in Routing.',
	504: 'The provider timed out. Try again later, lower Max Tokens, or enable model fallback in Routing.',
};

const ROUTING_FILTERS: Array<[string, string]> = [
	['allowed_providers', 'Allowed Providers'],
	['eu_native', 'EU Native'],
	['allow_zero_data_retention', 'Allow Zero Data Retention Only'],
	['allow_quantization', 'Allow Quantization (off)'],
];

/** The API's own message, whatever shape the body has (the notes list four). */
export function apiMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	if (typeof body !== 'object' || body === null) return undefined;
	const b = body as IDataObject;
	if (typeof b.error === 'string') return b.error;
	const nested = b.error as IDataObject | undefined;
	if (nested && typeof nested.message === 'string') return nested.message;
	if (typeof b.detail === 'string') return b.detail;
	if (Array.isArray(b.detail)) {
		return (b.detail as IDataObject[])
			.map((d) => [Array.isArray(d.loc) ? d.loc.join('.') : undefined, d.msg].filter(Boolean).join(': '))
			.join('; ');
	}
	if (typeof b.message === 'string') return b.message;
	return undefined;
}

function hintFor(status: number, message: string, requestBody: IDataObject | undefined): string {
	if (status === 404) {
		const filters = ROUTING_FILTERS.filter(([key]) =>
			key === 'allow_quantization' ? requestBody?.[key] === false : requestBody?.[key] !== undefined && requestBody?.[key] !== false,
		).map(([, name]) => name);
		if (/provider/i.test(message)) {
			return filters.length
				? `No provider that Routing allows can serve this model. Relax Routing → ${filters.join(', ')}, or pick another model.`
				: 'No provider can serve this model right now. Pick another model.';
		}
		return 'The model id is unknown. Pick a model from the list (it shows the live catalogue), or check the id for typos.';
	}
	return HINTS[status] ?? (status >= 500 ? HINTS[500] : HINTS[400]);
}

/** Marks errors this node made itself, so the retry loop can read the status and Retry-After. */
export interface CortecsFailure {
	status?: number;
	retryAfterMs?: number;
	retryable: boolean;
}

export const FAILURE = Symbol('cortecsFailure');

export type CortecsError = NodeApiError & { [FAILURE]?: CortecsFailure };

export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

/**
 * Builds the error from plain data only (never from the HTTP client's error object, whose request
 * config carries the Authorization header), so the API key cannot end up in outputs or logs.
 */
export function apiError(
	ctx: IExecuteSingleFunctions,
	failure: CortecsFailure,
	message: string,
	description: string,
	body?: unknown,
): CortecsError {
	const response: JsonObject = { message };
	if (body !== undefined && body !== '') response.body = body as JsonObject;
	const error: CortecsError = new NodeApiError(ctx.getNode(), response, {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex: ctx.getItemIndex(),
	});
	Object.defineProperty(error, FAILURE, { value: failure, enumerable: false });
	return error;
}

/** postReceive, first in line: any 4xx/5xx answer becomes a NodeApiError with the API's own message. */
export async function throwOnApiError(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const status = response.statusCode;
	if (status < 400) return items;
	let body: unknown = response.body;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			// HTML error pages and plain text stay as they are.
		}
	}
	const looksLikeHtml = typeof body === 'string' && /<html|<!doctype/i.test(body);
	const own = looksLikeHtml ? undefined : apiMessage(body);
	const message = `Cortecs API error ${status}: ${own ?? response.statusMessage ?? 'no message'}`;
	const requestBody = (this.getNodeParameter('routerOptions', {}) ?? {}) as IDataObject;
	const routing: IDataObject = {
		allowed_providers: requestBody.allowedProviders,
		eu_native: requestBody.euNative,
		allow_zero_data_retention: requestBody.allowZeroDataRetention,
		allow_quantization: requestBody.allowQuantization,
	};
	let description = hintFor(status, own ?? '', routing);
	if (looksLikeHtml) description = `The answer was an HTML page, not the API (a proxy or gateway in between?). ${description}`;
	throw apiError(
		this,
		{
			status,
			retryable: isRetryableStatus(status),
			retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
		},
		message,
		description,
		looksLikeHtml ? undefined : body,
	);
}
