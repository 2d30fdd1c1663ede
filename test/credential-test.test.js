/**
 * The credential's Test button (credentials/CortecsApi.credentials.ts, `test`): GET /manage/api-keys, no tokens
 * spent, judged as n8n's CredentialsTester judges a declarative test (tools/harness/routing.js). The same outcomes
 * through n8n's REST endpoint on a real n8n: test/e2e.
 */
const { VALID_KEY, MANAGEMENT_KEY, EMPTY_BALANCE_KEY } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');
const { testCredential } = require('../tools/harness/routing');

const server = useCortecsServer();

/** What n8n shows for a test that passes, and for a key the API rejects. */
const PASSED = { status: 'OK', message: 'Connection successful!' };
const INVALID_KEY = {
	status: 'Error',
	message: 'The API key is invalid (or its project has no prepaid balance)',
};
const keyChecks = () => server.requests.filter((r) => r.path === '/v1/manage/api-keys');

describe('credential test (GET /manage/api-keys, no tokens spent)', () => {
	test.each([
		['a valid ordinary key (403)', VALID_KEY, 403, PASSED],
		['a management key (200)', MANAGEMENT_KEY, 200, PASSED],
		['an empty-balance key (403 there: the key itself is valid)', EMPTY_BALANCE_KEY, 403, PASSED],
		['an invalid key (401)', 'sk-not-a-key', 401, INVALID_KEY],
		['an empty key (401)', '', 401, INVALID_KEY],
	])('%s', async (_name, apiKey, answered, expected) => {
		expect(await testCredential({ baseUrl: server.url, apiKey })).toEqual(expected);
		// One request: n8n-core re-sends after a 401 only when the 401 is thrown, and here no status throws.
		expect(keyChecks().map((r) => [r.method, r.headers.authorization, r.status])).toEqual([
			['GET', `Bearer ${apiKey}`.trim(), answered],
		]);
		expect(server.chatRequests()).toHaveLength(0);
	});

	test('a Base URL without /v1 (404 Not Found) fails and says how to fix it', async () => {
		const result = await testCredential({
			baseUrl: server.url.replace(/\/v1$/, ''),
			apiKey: VALID_KEY,
		});
		expect(result).toEqual({
			status: 'Error',
			message:
				'The Base URL does not point at the Cortecs API: it must end in /v1 (https://api.cortecs.ai/v1)',
		});
		expect(server.requests.map((r) => [r.path, r.status])).toEqual([['/manage/api-keys', 404]]);
	});

	test('a Base URL with a trailing slash reaches the same endpoint', async () => {
		expect(await testCredential({ baseUrl: `${server.url}/`, apiKey: VALID_KEY })).toEqual(PASSED);
		expect(keyChecks()).toHaveLength(1);
	});

	test("an unreachable Base URL fails with n8n's message for a refused connection", async () => {
		const result = await testCredential({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: VALID_KEY });
		expect(result).toEqual({
			status: 'Error',
			message: 'The service refused the connection - perhaps it is offline',
		});
	});
});
