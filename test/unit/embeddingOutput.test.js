/** embeddingItems (shared/embeddingOutput.ts): one batch answer shared out to its texts. */
const path = require('node:path');

const { embeddingItems, EmbeddingAnswerError } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'embeddingOutput.js'),
);

const texts = (...list) => list.map((text) => ({ text, includeInput: false }));
const answer = (data, usage = { prompt_tokens: 10, total_tokens: 10, cost: 7 }) => ({
	model: 'm',
	provider: 'p',
	data,
	usage,
});

test('vectors go to their texts by index, whatever the order of data', () => {
	const out = embeddingItems(
		answer([
			{ index: 1, embedding: [2] },
			{ index: 0, embedding: [1] },
		]),
		texts('aa', 'bb'),
	);
	expect(out.map((o) => o.embedding)).toEqual([[1], [2]]);
	expect(out[0]).toMatchObject({ model: 'm', provider: 'p' });
});

test('base64 vectors are little-endian float32, unpacked to numbers', () => {
	const packed = Buffer.from(new Float32Array([0.5, -1.25, 3]).buffer).toString('base64');
	expect(
		embeddingItems(answer([{ index: 0, embedding: packed }]), texts('x'))[0].embedding,
	).toEqual([0.5, -1.25, 3]);
});

test('tokens split by text length, cost by tokens, whole units adding up to the batch', () => {
	const out = embeddingItems(
		answer([
			{ index: 0, embedding: [0] },
			{ index: 1, embedding: [0] },
		]),
		texts('abc', 'abcdefg'),
	);
	expect(out.map((o) => o.usage)).toEqual([
		{ prompt_tokens: 3, total_tokens: 3 },
		{ prompt_tokens: 7, total_tokens: 7 },
	]);
	// 7 micro-EUR by 3:7 tokens = 2.1, 4.9 → 2, 5.
	expect(out.map((o) => o.cost_eur)).toEqual([0.000002, 0.000005]);
});

test('no usage.cost: cost_eur null; no usage at all: usage null too', () => {
	const data = [{ index: 0, embedding: [0] }];
	expect(
		embeddingItems(answer(data, { prompt_tokens: 4, total_tokens: 4 }), texts('x'))[0],
	).toMatchObject({
		usage: { prompt_tokens: 4, total_tokens: 4 },
		cost_eur: null,
	});
	expect(embeddingItems({ model: 'm', data }, texts('x'))[0]).toMatchObject({
		usage: null,
		cost_eur: null,
		provider: null,
	});
});

test('the input text only when asked', () => {
	const data = [
		{ index: 0, embedding: [0] },
		{ index: 1, embedding: [0] },
	];
	const out = embeddingItems(answer(data), [
		{ text: 'kept', includeInput: true },
		{ text: 'not kept', includeInput: false },
	]);
	expect(out[0].input).toBe('kept');
	expect('input' in out[1]).toBe(false);
});

test.each([
	[
		'one vector missing',
		[{ index: 0, embedding: [1] }],
		'Cortecs API returned 1 vector for 2 texts',
	],
	[
		'an index twice',
		[
			{ index: 0, embedding: [1] },
			{ index: 0, embedding: [2] },
		],
		'Cortecs API returned no usable vector for text 2 of 2',
	],
	[
		'a vector that is not numbers',
		[
			{ index: 0, embedding: [1] },
			{ index: 1, embedding: { a: 1 } },
		],
		'Cortecs API returned no usable vector for text 2 of 2',
	],
])('%s: an EmbeddingAnswerError', (_name, data, message) => {
	expect(() => embeddingItems(answer(data), texts('a', 'b'))).toThrow(EmbeddingAnswerError);
	expect(() => embeddingItems(answer(data), texts('a', 'b'))).toThrow(message);
});
