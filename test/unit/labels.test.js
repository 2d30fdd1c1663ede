/** labelOf (shared/labels.ts): how messages name an option, from the description. */
const path = require('node:path');

const dist = (...parts) =>
	require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', ...parts));
const { labelOf } = dist('shared', 'labels.js');
const { throughputOptions } = dist('descriptions', 'throughput.js');
const { chatOptions } = dist('descriptions', 'chat', 'complete.operation.js');

test.each([
	[throughputOptions, 'maxRetries', 'Throughput → Max Retries'],
	[throughputOptions, 'timeout', 'Throughput → Timeout (Seconds)'],
	[chatOptions, 'jsonSchema', 'Options → Response JSON Schema'],
	[chatOptions, 'n', 'Options → Number of Choices'],
	[chatOptions, 'unknown', 'Options → unknown'],
])('%#: %s', (collection, name, expected) => {
	expect(labelOf(collection, name)).toBe(expected);
});
