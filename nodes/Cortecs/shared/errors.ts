import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	JsonObject,
	NodeError,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { chatRouterOptions } from '../descriptions/chat/complete.operation';
import { throughputOptions } from '../descriptions/throughput';
import { DEFAULT_BASE_URL } from './baseUrl';
import { filesHint } from './fileHints';
import { labelOf, nameOf } from './labels';

/** Why a failure happened and what the user can do, by HTTP status. */
const HINTS: Record<number, string> = {
	400: 'The router or the provider rejected a parameter. Remove options this model does not support, or check the value named in the message.',
	401: 'The API key is invalid, or the prepaid balance of its Cortecs project is empty. Check the key in the Cortecs API credential and the balance in the Cortecs console.',
	402: 'The prepaid balance is empty. Top up credits in the Cortecs console.',
	403: 'This API key may not do this. Use a key of the project that owns the resource.',
	405: `The Base URL does not point at the Cortecs API. Set the Base URL of the Cortecs API credential to ${DEFAULT_BASE_URL}.`,
	408: `The request took too long on the way to the provider. Try again later, or raise ${labelOf(throughputOptions, 'maxRetries')}.`,
	413: 'The request is too large. Send fewer or shorter messages, or a model with a larger context.',
	422: 'A provider rejected a field it does not know (often "Extra inputs are not permitted"). Remove the option named in the message, or pick another model.',
	429: `Too many requests. Lower ${labelOf(throughputOptions, 'maxConcurrency')}, or raise ${labelOf(throughputOptions, 'maxRetries')} (the node waits as long as Retry-After asks before each retry).`,
	500: 'Cortecs failed unexpectedly. Try again later; with Enable Model Fallback on, the router may serve a related model.',
	502: 'The provider behind Cortecs failed. Try again later, or allow more providers or model fallback in Routing.',
	503: 'The model is unavailable right now. Try again later, or enable model fallback in Routing.',
	504: 'The provider timed out. Try again later, lower Max Tokens, or enable model fallback in Routing.',
};

/** Routing options that narrow the providers, and whether each is in effect. */
const ROUTER_FILTERS: Array<{ key: string; active: (value: unknown) => boolean; note?: string }> = [
	{
		key: 'allowedProviders',
		// An empty list sends nothing (see textList), so it filters nothing.
		active: (v) =>
			Array.isArray(v)
				? v.some((p) => typeof p === 'string' && p.trim() !== '')
				: typeof v === 'string' && v.trim() !== '',
	},
	{ key: 'euNative', active: (v) => v === true },
	{ key: 'allowZeroDataRetention', active: (v) => v === true },
	{ key: 'allowQuantization', active: (v) => v === false, note: ' (turn it back on)' },
];

/** The Routing filters the user set (`router`: the `routerOptions` parameter), by their UI names. */
function activeRouterFilters(router: IDataObject | undefined): string[] {
	return ROUTER_FILTERS.filter(({ key, active }) => active(router?.[key])).map(
		({ key, note }) => `${nameOf(chatRouterOptions, key)}${note ?? ''}`,
	);
}

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
			.map((d) =>
				[Array.isArray(d.loc) ? d.loc.join('.') : undefined, d.msg].filter(Boolean).join(': '),
			)
			.join('; ');
	}
	if (typeof b.message === 'string') return b.message;
	return undefined;
}

/** What to do about a failed answer, by status; 404 looks at the message and the Routing filters. */
export function hintFor(status: number, message: string, router: IDataObject | undefined): string {
	if (status === 404) {
		if (/provider/i.test(message)) {
			const filters = activeRouterFilters(router);
			return filters.length
				? `No provider that Routing allows can serve this model. Relax Routing → ${filters.join(', ')}, or pick another model.`
				: 'No provider can serve this model right now. Pick another model, or turn on Routing → Enable Model Fallback.';
		}
		if (/model/i.test(message)) {
			return 'The model id is unknown. Pick a model from the list (it shows the live catalogue), or check the id for typos.';
		}
		// FastAPI's own {"detail": "Not Found"}: the path does not exist, so the Base URL is wrong.
		return `Nothing answers at this address. Check that the Base URL of the Cortecs API credential ends in /v1 (${DEFAULT_BASE_URL}).`;
	}
	return HINTS[status] ?? (status >= 500 ? HINTS[500] : HINTS[400]);
}

/** Marks errors this node made itself, so the retry loop can read the status and Retry-After. */
export interface CortecsFailure {
	status?: number;
	/** A network error code (ECONNREFUSED, ETIMEDOUT...) when there is no HTTP status. */
	code?: string;
	retryAfterMs?: number;
	retryable: boolean;
}

export const FAILURE = Symbol('cortecsFailure');

/** What an error needs of the node's context: the node, and the item it is about. */
export type ErrorContext = Pick<IExecuteSingleFunctions, 'getNode' | 'getItemIndex'>;

export type CortecsError = NodeApiError & { [FAILURE]?: CortecsFailure };

export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

/**
 * Builds the error from plain data only (never from the HTTP client's error object, whose request
 * config carries the Authorization header), so the API key cannot end up in outputs or logs.
 * httpCode is the HTTP status, else the network error code, else null.
 */
export function apiError(
	ctx: ErrorContext,
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
		httpCode: failure.status ? String(failure.status) : failure.code,
		itemIndex: ctx.getItemIndex(),
	});
	// NodeApiError swaps a message that mentions a network code (ECONNRESET...) or a status for a generic
	// sentence of its own; keep the one written here, which names the API and the cause.
	error.message = message;
	error.messages = [];
	if (error.description !== description) error.description = description;
	Object.defineProperty(error, FAILURE, { value: failure, enumerable: false });
	return error;
}

const REDACTED = '[redacted]';

function redactText<T>(value: T, secret: string): T {
	return (
		typeof value === 'string' && value.includes(secret) ? value.split(secret).join(REDACTED) : value
	) as T;
}

function redactDeep(value: unknown, secret: string, depth = 0): unknown {
	if (typeof value === 'string') return redactText(value, secret);
	if (depth > 8 || typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, secret, depth + 1));
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value))
		out[key] = redactDeep(v, secret, depth + 1) as IDataObject;
	return out;
}

/**
 * Removes the API key from an error before it leaves the node, in case an answer echoed it (some proxies
 * and gateways quote the Authorization header back in their error pages or bodies).
 */
export async function redactApiKey(
	ctx: Pick<IExecuteSingleFunctions, 'getCredentials'>,
	error: NodeError,
): Promise<NodeError> {
	let secret: unknown;
	try {
		secret = (await ctx.getCredentials('cortecsApi'))?.apiKey;
	} catch {
		return error;
	}
	// Very short keys would match ordinary text; real keys are long JWT-like strings.
	if (typeof secret !== 'string' || secret.trim().length < 8) return error;
	const key = secret.trim();
	error.message = redactText(error.message, key);
	error.description = redactText(error.description, key);
	if (typeof error.stack === 'string') error.stack = redactText(error.stack, key);
	error.messages = error.messages.map((m) => redactText(m, key));
	if (error.errorResponse) error.errorResponse = redactDeep(error.errorResponse, key) as JsonObject;
	if (error.context?.data) error.context.data = redactDeep(error.context.data, key) as IDataObject;
	return error;
}

/**
 * A 3xx/4xx/5xx answer as a NodeApiError with the API's own message and a hint (`router`: the node's
 * Routing values, the `routerOptions` parameter, for the 404 hint).
 */
export function answerError(
	ctx: ErrorContext,
	response: IN8nHttpFullResponse,
	router: IDataObject | undefined,
): CortecsError {
	const status = response.statusCode;
	let body: unknown = response.body;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			// HTML error pages and plain text stay as they are.
		}
	}
	const looksLikeHtml = typeof body === 'string' && /<html|<!doctype/i.test(body);
	const own = looksLikeHtml ? undefined : apiMessage(body)?.slice(0, 1000);
	const message = `Cortecs API error ${status}: ${own ?? response.statusMessage ?? 'no message'}`;
	let description: string;
	if (status < 400) {
		// Redirects the HTTP client did not follow: the API itself never redirects.
		const location = response.headers?.location;
		description = `The Base URL answers with a redirect${typeof location === 'string' ? ` to ${location}` : ''}. Set the Base URL of the Cortecs API credential to the address of the API itself (${DEFAULT_BASE_URL}).`;
	} else {
		description = hintFor(status, own ?? '', router);
	}
	if (looksLikeHtml)
		description = `The answer was an HTML page, not the API (a proxy or gateway in between?). ${description}`;
	return apiError(
		ctx,
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

/** postReceive, first in line: any 3xx/4xx/5xx answer becomes a NodeApiError with the API's own message. */
export async function throwOnApiError(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode < 300) return items;
	const router =
		response.statusCode >= 400
			? ((this.getNodeParameter('routerOptions', {}) ?? {}) as IDataObject)
			: undefined;
	const error = answerError(this, response, router);
	const files = response.statusCode >= 400 ? await filesHint(this, response.statusCode) : undefined;
	// A 413 with files is about the files; a 400 or 422 may be a model that does not read them.
	if (files)
		error.description = response.statusCode === 413 ? files : `${error.description} ${files}`;
	throw error;
}
