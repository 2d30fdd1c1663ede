/** The field checks all three nodes use (shared/fieldChecks.ts): one message per bad input. */
const path = require('node:path');
const { NodeOperationError } = require('n8n-workflow');

const dist = (...parts) =>
	require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', ...parts));
const { checkedModel, checkedNumber, checkListsIn, fail, numberSetIn, readNumber, textList } = dist(
	'shared',
	'fieldChecks.js',
);
const { chatOptions, chatRouterOptions } = dist('descriptions', 'chat', 'complete.operation.js');
const { embeddingOptions } = dist('descriptions', 'embedding', 'create.operation.js');
const { throughputOptions } = dist('descriptions', 'throughput.js');
const { nodeNamed, errorContext } = require('./stubs');

const node = nodeNamed('Cortecs Chat Model');
const thrown = (fn) => {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('did not throw');
};
const shape = (error) => ({
	class: error.constructor.name,
	message: error.message,
	description: error.description,
	itemIndex: error.context.itemIndex,
});

describe('fail', () => {
	const failure = { field: 'Options → Seed', problem: 'no value', fix: 'Set it.' };

	test("in an item of the Cortecs node: the message names the field, the description the fix, the item's index", () => {
		expect(shape(thrown(() => fail(errorContext, failure)))).toEqual({
			class: 'NodeOperationError',
			message: 'Options → Seed: no value',
			description: 'Set it.',
			itemIndex: 3,
		});
	});

	test('in a sub-node: the same, without an item', () => {
		const error = thrown(() => fail(node, failure));
		expect(error.node).toBe(node);
		expect(shape(error)).toEqual({
			class: 'NodeOperationError',
			message: 'Options → Seed: no value',
			description: 'Set it.',
			itemIndex: undefined,
		});
	});
});

describe('checkedModel', () => {
	test('a model id is trimmed', () => {
		expect(checkedModel(node, ' mistral-small-2503 ', 'x')).toBe('mistral-small-2503');
	});

	test.each([undefined, null, '', '  '])('%p: no model is selected', (value) => {
		const error = thrown(() => checkedModel(node, value, 'multilingual-e5-large'));
		expect([error.message, error.description]).toEqual([
			'Model: no model is selected',
			'Pick a model from the list, or type a model id such as multilingual-e5-large. If the id comes from an expression, check that the field exists on the input item.',
		]);
	});

	test.each([
		[42, '42'],
		[{ id: 'a' }, '{"id":"a"}'],
	])('%p: not a model id', (value, shown) => {
		const error = thrown(() => checkedModel(node, value, 'mistral-small-2503'));
		expect([error.message, error.description]).toEqual([
			`Model: ${shown} is not a model id`,
			'Give the model id as text, such as mistral-small-2503.',
		]);
	});
});

describe('numbers', () => {
	test('in range, or given as text by an expression: the number', () => {
		expect(readNumber(chatOptions, 'temperature', '0.2')).toBe(0.2);
		expect(checkedNumber(node, throughputOptions, 'maxRetries', 4)).toBe(4);
	});

	test.each([
		[
			'an option the API receives: removing it leaves the model its default',
			chatOptions,
			'temperature',
			3,
			'Options → Temperature: 3 is not a number from 0 to 2',
			"Set a number from 0 to 2, or remove the option to use the model's default.",
		],
		[
			'an option the node uses: removing it gives its default',
			embeddingOptions,
			'batchSize',
			3000,
			'Options → Batch Size: 3000 is not a whole number from 1 to 2048',
			'Set a whole number from 1 to 2048, or remove the option to use its default (100).',
		],
		[
			'no value (an expression that found nothing): where to look',
			throughputOptions,
			'maxRetries',
			'',
			'Throughput → Max Retries: no value',
			'Set a whole number from 0 to 10, or remove the option to use its default (2). If the value comes from an expression, check that the field exists on the input item.',
		],
	])('%s', (_case, collection, name, value, message, fix) => {
		expect(readNumber(collection, name, value)).toEqual({
			field: message.slice(0, message.indexOf(':')),
			problem: message.slice(message.indexOf(': ') + 2),
			fix,
		});
		const error = thrown(() => checkedNumber(node, collection, name, value));
		expect([error.message, error.description]).toEqual([message, fix]);
	});

	test('numberSetIn: the value set, checked; not added, the default; added but blank, no value', () => {
		expect(numberSetIn(node, embeddingOptions, 'batchSize', { batchSize: '16' })).toBe(16);
		expect(numberSetIn(node, embeddingOptions, 'batchSize', {})).toBe(100);
		expect(
			thrown(() => numberSetIn(node, embeddingOptions, 'batchSize', { batchSize: undefined }))
				.message,
		).toBe('Options → Batch Size: no value');
		expect(
			thrown(() => numberSetIn(node, embeddingOptions, 'batchSize', { batchSize: 0 })).message,
		).toBe('Options → Batch Size: 0 is not a whole number from 1 to 2048');
	});
});

describe('lists', () => {
	test('names: trimmed, blank ones dropped; text split at commas', () => {
		const names = (value) => textList(node, chatRouterOptions, 'allowedProviders', value, 'names');
		expect(names([' ionos ', '', 'scaleway'])).toEqual(['ionos', 'scaleway']);
		expect(names('ionos, scaleway ,,')).toEqual(['ionos', 'scaleway']);
		expect(names(' , ')).toBeUndefined();
	});

	test('texts (stop sequences): kept as typed, blank rows dropped; one text a list of one', () => {
		const texts = (value) => textList(node, chatOptions, 'stop', value, 'texts');
		expect(texts(['\n', '', ' END'])).toEqual(['\n', ' END']);
		expect(texts('a, b')).toEqual(['a, b']);
		expect(texts([''])).toBeUndefined();
	});

	test.each([
		[
			chatRouterOptions,
			'allowedProviders',
			{ a: 1 },
			'Routing → Allowed Providers: not a list of texts',
		],
		[chatOptions, 'stop', [1], 'Options → Stop Sequences: not a list of texts'],
	])('%#: not a list of texts', (collection, name, value, message) => {
		const error = thrown(() => textList(node, collection, name, value, 'names'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect([error.message, error.description]).toEqual([
			message,
			'Give a list of strings, or remove the option.',
		]);
	});

	test('checkListsIn: the lists of a request body under their API names; an empty one is not sent', () => {
		const body = { allowed_providers: 'ionos, scaleway', stop: [''], model: 'm' };
		checkListsIn(node, body, chatRouterOptions, [['allowedProviders', 'names']]);
		checkListsIn(node, body, chatOptions, [['stop', 'texts']]);
		expect(body).toEqual({ allowed_providers: ['ionos', 'scaleway'], model: 'm' });
	});
});
