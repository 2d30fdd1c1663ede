/** baseUrlOf (shared/baseUrl.ts): the credential's Base URL, or the Cortecs API. */
const path = require('node:path');

const { baseUrlOf, DEFAULT_BASE_URL } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'baseUrl.js'),
);

test.each([
	['not set', undefined, 'https://api.cortecs.ai/v1'],
	['empty', { baseUrl: '  ' }, 'https://api.cortecs.ai/v1'],
	['not text', { baseUrl: 42 }, 'https://api.cortecs.ai/v1'],
	['given', { baseUrl: 'http://127.0.0.1:8080/v1' }, 'http://127.0.0.1:8080/v1'],
	[
		'trailing slashes and spaces',
		{ baseUrl: ' https://proxy.example/v1// ' },
		'https://proxy.example/v1',
	],
])('%s', (_, credentials, expected) => {
	expect(baseUrlOf(credentials)).toBe(expected);
});

test('the default is the Cortecs API, and the credential offers the same', () => {
	const { CortecsApi } = require(
		path.join(__dirname, '..', '..', 'dist', 'credentials', 'CortecsApi.credentials.js'),
	);
	expect(DEFAULT_BASE_URL).toBe('https://api.cortecs.ai/v1');
	expect(new CortecsApi().properties.find((p) => p.name === 'baseUrl').default).toBe(
		DEFAULT_BASE_URL,
	);
});
