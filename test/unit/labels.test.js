/** Options read from the description (shared/labels.ts): found by name, their API field, their label. */
const path = require('node:path');

const dist = (...parts) =>
	require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', ...parts));
const { apiFieldOf, labelOf, nameOf, optionOf } = dist('shared', 'labels.js');
const { throughputOptions } = dist('descriptions', 'throughput.js');
const { chatOptions, chatRouterOptions } = dist('descriptions', 'chat', 'complete.operation.js');
const { embeddingRouterOptions } = dist('descriptions', 'embedding', 'create.operation.js');

test('optionOf: the option of that name, or undefined', () => {
	expect(optionOf(throughputOptions, 'maxRetries').default).toBe(2);
	expect(optionOf(throughputOptions, 'unknown')).toBeUndefined();
});

test('apiFieldOf: the body field the Cortecs node routes an option to', () => {
	expect(apiFieldOf(chatRouterOptions, 'euNative')).toBe('eu_native');
	expect(apiFieldOf(embeddingRouterOptions, 'fallbacks')).toBe('fallbacks');
	expect(apiFieldOf(chatOptions, 'jsonSchema')).toBeUndefined();
	expect(apiFieldOf(chatRouterOptions, 'nothing')).toBeUndefined();
});

test.each([
	[throughputOptions, 'maxRetries', 'Throughput → Max Retries'],
	[throughputOptions, 'timeout', 'Throughput → Timeout (Seconds)'],
	[chatOptions, 'jsonSchema', 'Options → Response JSON Schema'],
	[chatOptions, 'n', 'Options → Number of Choices'],
	[chatOptions, 'unknown', 'Options → unknown'],
	[chatRouterOptions, 'allowedProviders', 'Routing → Allowed Providers'],
])('labelOf %#: %s', (collection, name, expected) => {
	expect(labelOf(collection, name)).toBe(expected);
});

test('nameOf: the option alone; n8n\'s "… Names or IDs" form as the short plural', () => {
	expect(nameOf(chatRouterOptions, 'euNative')).toBe('EU Native');
	expect(nameOf(chatRouterOptions, 'allowedProviders')).toBe('Allowed Providers');
});
