/** Network failures (shared/networkErrors.ts): the code of a failed request, and the error it becomes. */
const path = require('node:path');
const { NodeApiError } = require('n8n-workflow');

const shared = (file) =>
	require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', file));
const { networkCode, toCortecsError } = shared('networkErrors.js');
const { FAILURE } = shared('errors.js');

const { errorContext: ctx } = require('./stubs');

describe('networkCode', () => {
	test.each([
		['the code itself', { code: 'ECONNREFUSED' }, 'ECONNREFUSED'],
		["n8n-core's httpCode", { httpCode: 'ECONNABORTED' }, 'ECONNABORTED'],
		['a code in a message', { message: 'connect ECONNRESET 127.0.0.1:80' }, 'ECONNRESET'],
		["in n8n-core's messages", { messages: ['getaddrinfo ENOTFOUND api.example'] }, 'ENOTFOUND'],
		["axios's timeout wording", { message: 'timeout of 1000ms exceeded' }, 'ETIMEDOUT'],
		['socket hang up', { message: 'socket hang up' }, 'ECONNRESET'],
		[
			'down the cause chain',
			{ message: 'request failed', cause: { cause: { code: 'EHOSTUNREACH' } } },
			'EHOSTUNREACH',
		],
		[
			'an unknown code-like code, as the last resort',
			{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
			'ERR_TLS_CERT_ALTNAME_INVALID',
		],
		[
			'a known code wins over an unknown one',
			{ code: 'ERR_BAD_RESPONSE', cause: { code: 'EPIPE' } },
			'EPIPE',
		],
		['nothing to go by', { message: 'odd' }, undefined],
		['not an object', 'ECONNREFUSED', undefined],
	])('%s', (_, error, expected) => {
		expect(networkCode(error)).toBe(expected);
	});
});

describe('toCortecsError', () => {
	test('a known network failure: what happened, its code, a hint, retryable or not', () => {
		const refused = toCortecsError(ctx, { code: 'ECONNREFUSED' }, false);
		expect(refused).toBeInstanceOf(NodeApiError);
		expect(refused.message).toBe(
			'Could not reach the Cortecs API: connection refused (ECONNREFUSED)',
		);
		expect(refused.description).toBe(
			'Nothing answers at the Base URL of the Cortecs API credential. Check the URL (https://api.cortecs.ai/v1), and any proxy or firewall in between.',
		);
		expect(refused.httpCode).toBe('ECONNREFUSED');
		expect(refused[FAILURE]).toEqual({ code: 'ECONNREFUSED', retryable: true });
		expect(toCortecsError(ctx, { code: 'ENOTFOUND' }, false)[FAILURE].retryable).toBe(false);
		// axios's own timeout code is reported as the timeout it is.
		expect(toCortecsError(ctx, { httpCode: 'ECONNABORTED' }, false).message).toBe(
			'Could not reach the Cortecs API: timed out (ETIMEDOUT)',
		);
	});

	test('cancelled: not retryable, whatever the error was', () => {
		const error = toCortecsError(ctx, { code: 'ECONNRESET' }, true);
		expect(error.message).toBe('Cortecs request cancelled');
		expect(error[FAILURE]).toEqual({ retryable: false });
	});

	test("anything else keeps the client's words, minus credentials, on one line", () => {
		const error = toCortecsError(
			ctx,
			new Error('proxy said:\n Authorization: Bearer sk-secret-123 denied'),
			false,
		);
		expect(error.message).toBe(
			'Could not reach the Cortecs API: proxy said: Authorization: [redacted] denied',
		);
		expect(error[FAILURE].retryable).toBe(true);
		const tls = toCortecsError(
			ctx,
			{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'Hostname/IP does not match' },
			false,
		);
		expect(tls.message).toBe(
			'Could not reach the Cortecs API: Hostname/IP does not match (ERR_TLS_CERT_ALTNAME_INVALID)',
		);
		expect(tls.description).toMatch(/^The secure connection failed\./);
		expect(tls[FAILURE]).toEqual({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', retryable: false });
	});

	test('an error this node made already passes through as it is', () => {
		const made = toCortecsError(ctx, { code: 'ECONNREFUSED' }, false);
		expect(toCortecsError(ctx, made, false)).toBe(made);
	});
});
