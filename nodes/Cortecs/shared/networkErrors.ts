import type { IDataObject } from 'n8n-workflow';

import { chatOptions } from '../descriptions/chat/complete.operation';
import { throughputOptions } from '../descriptions/throughput';
import { apiError, FAILURE, type CortecsError, type ErrorContext } from './errors';
import { labelOf } from './labels';
import { DEFAULT_BASE_URL } from './baseUrl';

/** Network failures, in the words of the HTTP client: what happened, and what the user can do. */
const NETWORK_HINTS: Record<string, { what: string; hint: string }> = {
	ECONNREFUSED: {
		what: 'connection refused',
		hint: `Nothing answers at the Base URL of the Cortecs API credential. Check the URL (${DEFAULT_BASE_URL}), and any proxy or firewall in between.`,
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
		hint: `The connection closed before the answer was complete (network, proxy or provider trouble). Try again later; raise ${labelOf(throughputOptions, 'maxRetries')} to retry such items automatically.`,
	},
	ETIMEDOUT: {
		what: 'timed out',
		hint: `No complete answer within the Timeout. Raise ${labelOf(throughputOptions, 'timeout')}, lower ${labelOf(chatOptions, 'maxTokens')}, or try again later.`,
	},
	ERR_FR_TOO_MANY_REDIRECTS: {
		what: 'too many redirects',
		hint: `The Base URL redirects again and again. Set the Base URL of the Cortecs API credential to the address of the API itself (${DEFAULT_BASE_URL}).`,
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

const CODE_IN_TEXT =
	/\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

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
export function toCortecsError(
	ctx: ErrorContext,
	error: unknown,
	cancelled: boolean,
): CortecsError {
	if ((error as CortecsError)?.[FAILURE]) return error as CortecsError;
	if (cancelled) {
		return apiError(
			ctx,
			{ retryable: false },
			'Cortecs request cancelled',
			'The execution was stopped.',
		);
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
	const raw =
		[
			...(((error as IDataObject)?.messages as string[] | undefined) ?? []),
			(error as Error)?.message ?? String(error),
		].filter((m) => typeof m === 'string' && m.trim() !== '')[0] ?? 'unknown error';
	const reason = String(raw)
		.replace(
			/\b(authorization|x-api-key|api[-_]?key)\s*[:=]\s*(?:(?:bearer|basic|token)\s+)?[^\s,;"']+/gi,
			'$1: [redacted]',
		)
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
