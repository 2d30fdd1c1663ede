/** The sub-nodes' parameter reading (shared/subNodeSettings.ts): lists, numbers, attempts, Routing. */
const path = require('node:path');
const { NodeOperationError } = require('n8n-workflow');

const dist = path.join(__dirname, '..', '..', 'dist', 'nodes');
const { apiFieldOf, attemptLimits, checkedNumber, routerFields, textList } = require(
	path.join(dist, 'Cortecs', 'shared', 'subNodeSettings.js'),
);
const { routingOptions } = require(
	path.join(dist, 'Cortecs', 'descriptions', 'chat', 'complete.operation.js'),
);
const { embeddingRouting } = require(
	path.join(dist, 'Cortecs', 'descriptions', 'embedding', 'create.operation.js'),
);
const { options } = require(path.join(dist, 'LmChatCortecs', 'properties', 'options.js'));

const node = require('./stubs').nodeNamed('Cortecs Chat Model');
const thrown = (fn) => {
	try {
		fn();
	} catch (error) {
		return error;
	}
	return null;
};

test('apiFieldOf: the body field the Cortecs node routes an option to', () => {
	expect(apiFieldOf(routingOptions, 'euNative')).toBe('eu_native');
	expect(apiFieldOf(embeddingRouting, 'fallbacks')).toBe('fallbacks');
	expect(apiFieldOf(routingOptions, 'nothing')).toBeUndefined();
});

test('textList: lists as they are (blank rows dropped); text split at commas or kept whole', () => {
	expect(textList(node, 'F', ['a', '', ' b '], true)).toEqual(['a', ' b ']);
	expect(textList(node, 'F', 'a, b ,,c', true)).toEqual(['a', 'b', 'c']);
	expect(textList(node, 'F', '\n', false)).toEqual(['\n']);
	const error = thrown(() => textList(node, 'Options → Stop', [1], false));
	expect(error).toBeInstanceOf(NodeOperationError);
	expect([error.message, error.description]).toEqual([
		'Options → Stop: not a list of texts',
		'Give a list of strings, or remove the option.',
	]);
});

test('checkedNumber: the range of the description; numbers as text count', () => {
	expect(checkedNumber(node, options, 'maxRetries', '4')).toBe(4);
	const error = thrown(() => checkedNumber(node, options, 'maxRetries', 11));
	expect([error.message, error.description]).toEqual([
		'Options → Max Retries: 11 is not a whole number from 0 to 10',
		'Set a whole number from 0 to 10, or remove the option.',
	]);
});

test('attemptLimits: the defaults of the description, else the values set (timeout in ms)', () => {
	expect(attemptLimits(node, options, {})).toEqual({ timeout: 600_000, maxRetries: 2 });
	expect(attemptLimits(node, options, { timeout: 5, maxRetries: 0 })).toEqual({
		timeout: 5000,
		maxRetries: 0,
	});
	expect(thrown(() => attemptLimits(node, options, { timeout: 0 })).message).toBe(
		'Options → Timeout (Seconds): 0 is not a number of at least 1',
	);
});

test('routerFields: the fields set, under their API names; list fields from lists or comma-separated text', () => {
	expect(
		routerFields(node, embeddingRouting, {
			euNative: true,
			allowQuantization: false,
			allowedProviders: 'ionos, scaleway',
			fallbacks: ['mistral-embed', ''],
			preference: undefined,
			notAnOption: 1,
		}),
	).toEqual({
		eu_native: true,
		allow_quantization: false,
		allowed_providers: ['ionos', 'scaleway'],
		fallbacks: ['mistral-embed'],
	});
	expect(routerFields(node, routingOptions, { allowedProviders: [] })).toEqual({});
});
