/** embeddingsSettings (nodes/EmbeddingsCortecs/settings.ts): the sub-node's parameters, checked. */
const path = require('node:path');
const { NodeOperationError } = require('n8n-workflow');

const { embeddingsSettings } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'EmbeddingsCortecs', 'settings.js'),
);

const node = require('./stubs').nodeNamed('Cortecs Embeddings');

test('nothing set: the model, Batch Size 100, 600 s, 2 retries', () => {
	expect(embeddingsSettings(node, ' multilingual-e5-large ', {}, {})).toEqual({
		body: { model: 'multilingual-e5-large' },
		batchSize: 100,
		timeout: 600_000,
		maxRetries: 2,
	});
});

test('the options and the Routing fields set', () => {
	expect(
		embeddingsSettings(
			node,
			'mistral-embed',
			{ batchSize: 16, timeout: 30, maxRetries: 5 },
			{ preference: 'speed', euNative: true },
		),
	).toEqual({
		body: { model: 'mistral-embed', preference: 'speed', eu_native: true },
		batchSize: 16,
		timeout: 30_000,
		maxRetries: 5,
	});
});

test.each([
	[undefined, 'Model: no model is selected'],
	['', 'Model: no model is selected'],
	['  ', 'Model: no model is selected'],
	[42, 'Model: 42 is not a model id'],
])('no model (%p): a NodeOperationError naming the fix', (model, message) => {
	const error = (() => {
		try {
			embeddingsSettings(node, model, {}, {});
		} catch (e) {
			return e;
		}
	})();
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toBe(message);
});
