/** servedBy (shared/output.ts): which provider and model served an answer, from its headers and body. */
const { servedBy } = require('../../dist/nodes/Cortecs/shared/output');

const response = (headers) => ({ body: {}, headers, statusCode: 200 });

test.each([
	[
		'header and body',
		{ provider: 'body-provider', model: 'mistral-small-2503' },
		{ 'x-cortecs-provider': 'scaleway', 'x-cortecs-model': 'header-model' },
		{ provider: 'scaleway', model: 'mistral-small-2503' },
	],
	[
		'body only',
		{ provider: 'ionos', model: 'multilingual-e5-large' },
		{},
		{ provider: 'ionos', model: 'multilingual-e5-large' },
	],
	[
		'headers only',
		{},
		{ 'x-cortecs-provider': 'nebius', 'x-cortecs-model': 'llama-3.3-70b' },
		{ provider: 'nebius', model: 'llama-3.3-70b' },
	],
	['neither', {}, {}, { provider: null, model: null }],
	[
		'empty or repeated headers count as none',
		{},
		{ 'x-cortecs-provider': '', 'x-cortecs-model': ['a', 'b'] },
		{ provider: null, model: null },
	],
])('%s', (_name, body, headers, expected) => {
	expect(servedBy(body, response(headers))).toEqual(expected);
});
