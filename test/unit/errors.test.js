/** API errors (shared/errors.ts): the API's own message in every body shape, the hints, Retry-After. */
const path = require('node:path');

const { apiMessage, hintFor, parseRetryAfter } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'errors.js'),
);

describe('apiMessage', () => {
	test.each([
		[
			'OpenAI style',
			{ error: { message: 'model not found', type: 'invalid_request_error' } },
			'model not found',
		],
		['error as text', { error: 'Unauthorized' }, 'Unauthorized'],
		['FastAPI detail text', { detail: 'Not Found' }, 'Not Found'],
		[
			'FastAPI validation list',
			{ detail: [{ loc: ['body', 'temperature'], msg: 'must be <= 2' }, { msg: 'bad' }] },
			'body.temperature: must be <= 2; bad',
		],
		['message field', { message: 'slow down' }, 'slow down'],
		['plain text body', '  upstream failed ', 'upstream failed'],
		['empty text', '   ', undefined],
		['no known field', { foo: 1 }, undefined],
		['null', null, undefined],
		['a number', 42, undefined],
	])('%s', (_, body, expected) => {
		expect(apiMessage(body)).toBe(expected);
	});
});

describe('hintFor', () => {
	test('404 for a provider: names the Routing filters in effect, or suggests fallback', () => {
		expect(
			hintFor(404, 'No provider available', {
				euNative: true,
				allowedProviders: ['ovh', ''],
				allowQuantization: false,
			}),
		).toBe(
			'No provider that Routing allows can serve this model. Relax Routing → Allowed Providers, EU Native, Allow Quantization (turn it back on), or pick another model.',
		);
		// Filters that filter nothing (an empty list, defaults) are not named.
		expect(
			hintFor(404, 'no provider', {
				allowedProviders: [' '],
				euNative: false,
				allowQuantization: true,
			}),
		).toBe(
			'No provider can serve this model right now. Pick another model, or turn on Routing → Enable Model Fallback.',
		);
		expect(hintFor(404, 'no provider', { allowedProviders: 'ovh, scaleway' })).toMatch(
			/Relax Routing → Allowed Providers,/,
		);
	});

	test('404 for a model, and a 404 of the path itself (wrong Base URL)', () => {
		expect(hintFor(404, 'Model xyz not found', undefined)).toMatch(/^The model id is unknown\./);
		expect(hintFor(404, 'Not Found', undefined)).toBe(
			'Nothing answers at this address. Check that the Base URL of the Cortecs API credential ends in /v1 (https://api.cortecs.ai/v1).',
		);
	});

	test('other statuses: their own hint; unknown 5xx as 500, unknown 4xx as 400', () => {
		expect(hintFor(402, '', undefined)).toBe(
			'The prepaid balance is empty. Top up credits in the Cortecs console.',
		);
		expect(hintFor(429, '', undefined)).toMatch(
			/^Too many requests\. Lower Throughput → Max Concurrent Requests/,
		);
		expect(hintFor(599, '', undefined)).toBe(hintFor(500, '', undefined));
		expect(hintFor(418, '', undefined)).toBe(hintFor(400, '', undefined));
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-01-01T00:00:00Z');

	test.each([
		['seconds', '2', 2000],
		['seconds as a number', 3, 3000],
		['fractional seconds', '1.5', 1500],
		['padded', ' 4 ', 4000],
		['an HTTP date ahead', 'Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
		['an HTTP date passed', 'Wed, 31 Dec 2025 23:59:00 GMT', 0],
		['nonsense', 'soon', undefined],
		['negative (a date long past to Date.parse): no wait', '-1', 0],
		['absent', undefined, undefined],
		['an array (repeated header)', ['1', '2'], undefined],
	])('%s', (_, value, expected) => {
		expect(parseRetryAfter(value, now)).toBe(expected);
	});
});

describe('answerError', () => {
	const { answerError, FAILURE } = require(
		path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'errors.js'),
	);
	const { errorContext: ctx } = require('./stubs');
	const answer = (statusCode, body, headers = {}) =>
		answerError(ctx, { statusCode, body, headers, statusMessage: 'Status Text' }, undefined);

	test('the API’s message, the status as httpCode, the item, what a retry needs', () => {
		const error = answer(429, '{"error":{"message":"Rate limit exceeded"}}', {
			'retry-after': '2',
		});
		expect([error.message, error.httpCode, error.context.itemIndex]).toEqual([
			'Cortecs API error 429: Rate limit exceeded',
			'429',
			3,
		]);
		expect(error[FAILURE]).toEqual({ status: 429, retryable: true, retryAfterMs: 2000 });
		expect(error.errorResponse.body).toEqual({ error: { message: 'Rate limit exceeded' } });
	});

	test('an HTML page: the status text, a hint about a proxy, no body kept; 4xx are not retryable', () => {
		const error = answer(403, '<!DOCTYPE html><html>denied</html>');
		expect(error.message).toBe('Cortecs API error 403: Status Text');
		expect(error.description).toMatch(/^The answer was an HTML page, not the API/);
		expect(error.errorResponse.body).toBeUndefined();
		expect(error[FAILURE].retryable).toBe(false);
	});

	test('a redirect names where it points', () => {
		const error = answer(301, '', { location: 'https://example.com/v1' });
		expect(error.description).toMatch(
			/^The Base URL answers with a redirect to https:\/\/example.com\/v1\./,
		);
	});
});
