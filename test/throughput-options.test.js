/**
 * The Throughput collection as the editor shows it. The code reads its defaults and ranges from here (an
 * option not set counts as its default), so these are the defaults the runs in throughput-*.test.js meet.
 * Values from expressions are checked against the same ranges, through RoutingNode: a value the editor
 * would refuse fails every item of the run, and nothing is sent.
 */
const path = require('node:path');
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

const { nodeType } = require('../tools/harness/routing');
const { useCortecsServer } = require('./server-fixture');
const { runNode, chat, errorShape } = require('./error-helpers');

const server = useCortecsServer({}, { latencyMs: 0, capacity: null });

const { throughputOptions } = require(
	path.join(__dirname, '..', 'dist', 'nodes', 'Cortecs', 'descriptions', 'throughput.js'),
);

const option = (name) => throughputOptions.options.find((o) => o.name === name);

test('the collection holds exactly the three options, as numbers', () => {
	expect(throughputOptions).toMatchObject({
		displayName: 'Throughput',
		name: 'throughput',
		type: 'collection',
		default: {},
	});
	expect(throughputOptions.options.map((o) => o.name).sort()).toEqual([
		'maxConcurrency',
		'maxRetries',
		'timeout',
	]);
	for (const o of throughputOptions.options) expect(o.type).toBe('number');
});

test('the defaults: a cap of 5 requests, 2 retries, a 600 s timeout (more than n8n’s 5 minutes)', () => {
	expect(option('maxConcurrency').default).toBe(5);
	expect(option('maxRetries').default).toBe(2);
	expect(option('timeout').default).toBe(600);
});

test('the limits in the editor match what the code accepts (0 = no cap, at least 1 s timeout)', () => {
	expect(option('maxConcurrency').typeOptions).toEqual({ minValue: 0, numberPrecision: 0 });
	expect(option('maxRetries').typeOptions).toEqual({
		minValue: 0,
		maxValue: 10,
		numberPrecision: 0,
	});
	expect(option('timeout').typeOptions).toEqual({ minValue: 1 });
});

test('the node shows the collection, once, for every operation', () => {
	const { properties } = nodeType().description;
	const found = properties.filter((p) => p.name === 'throughput');
	expect(found).toHaveLength(1);
	expect(found[0].displayOptions).toBeUndefined();
});

/** [setting, value from the expression, message] */
const BAD_VALUES = [
	[
		'maxConcurrency',
		'={{ "many" }}',
		'Max Concurrent Requests: "many" is not a whole number of at least 0',
	],
	['maxConcurrency', '={{ $json.nothing }}', 'Max Concurrent Requests: no value'],
	[
		'maxConcurrency',
		'={{ -1 }}',
		'Max Concurrent Requests: -1 is not a whole number of at least 0',
	],
	[
		'maxConcurrency',
		'={{ 2.5 }}',
		'Max Concurrent Requests: 2.5 is not a whole number of at least 0',
	],
	['maxRetries', '={{ 11 }}', 'Max Retries: 11 is not a whole number from 0 to 10'],
	['timeout', '={{ 0 }}', 'Timeout (Seconds): 0 is not a number of at least 1'],
	['timeout', '={{ "soon" }}', 'Timeout (Seconds): "soon" is not a number of at least 1'],
];
const DEFAULTS = { maxConcurrency: 5, maxRetries: 2, timeout: 600 };
const fixOf = (setting, range, value) =>
	`Set ${range}, or remove the option to use its default (${DEFAULTS[setting]}).${value.includes('$json') ? ' If the value comes from an expression, check that the field exists on the input item.' : ''} Throughput is read once per run: check what an expression gives for the first item.`;
const RANGES = {
	maxConcurrency: 'a whole number of at least 0',
	maxRetries: 'a whole number from 0 to 10',
	timeout: 'a number of at least 1',
};

const twoItems = [{ json: { text: 'one' } }, { json: { text: 'two' } }];

describe('a Throughput value from an expression that the editor would refuse', () => {
	test.each(BAD_VALUES)(
		'%s %s fails every item, nothing sent (Continue On Fail on)',
		async (setting, value, text) => {
			const message = `Throughput → ${text}`;
			const description = fixOf(setting, RANGES[setting], value);
			const result = await runNode({
				baseUrl: server.url,
				parameters: chat({ throughput: { [setting]: value } }),
				items: twoItems,
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual(
				[0, 1].map((item) => ({
					json: { error: message, description, httpCode: null },
					pairedItem: { item },
				})),
			);
			expect(result.items.map((item) => errorShape(item.error))).toEqual(
				[0, 1].map((itemIndex) => ({
					class: 'NodeOperationError',
					message,
					description,
					httpCode: undefined,
					itemIndex,
				})),
			);
			expect(server.requests).toHaveLength(0);
		},
	);

	test('Continue On Fail off: the node fails at the first item, nothing sent', async () => {
		const result = await runNode({
			baseUrl: server.url,
			parameters: chat({ throughput: { maxRetries: '={{ "twice" }}' } }),
			items: twoItems,
			continueOnFail: false,
		});
		expect(result.items).toEqual([]);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(errorShape(result.error)).toEqual({
			class: 'NodeApiError',
			message: 'Throughput → Max Retries: "twice" is not a whole number from 0 to 10',
			description: fixOf('maxRetries', RANGES.maxRetries, ''),
			httpCode: 'none',
			itemIndex: 0,
		});
		expect(server.requests).toHaveLength(0);
	});

	test('Embedding → Create: every item fails alone, no batch is sent', async () => {
		const result = await runNode({
			baseUrl: server.url,
			parameters: {
				resource: 'embedding',
				operation: 'create',
				model: { __rl: true, mode: 'id', value: 'multilingual-e5-large' },
				text: '={{ $json.text }}',
				throughput: { timeout: '={{ "soon" }}' },
			},
			items: twoItems,
			continueOnFail: true,
		});
		const message = 'Throughput → Timeout (Seconds): "soon" is not a number of at least 1';
		expect(result.items.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual(
			[0, 1].map((item) => ({
				json: { error: message, description: fixOf('timeout', RANGES.timeout, ''), httpCode: null },
				pairedItem: { item },
			})),
		);
		expect(result.items.every((item) => item.error instanceof NodeOperationError)).toBe(true);
		expect(server.requests).toHaveLength(0);
	});

	test('a number given as text ("1") is a number: both items are sent, one at a time', async () => {
		// Long enough that the second item would start while the first is answered, were the cap not 1.
		server.configure({ latencyMs: 50 });
		const result = await runNode({
			baseUrl: server.url,
			parameters: chat({
				messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
				throughput: { maxConcurrency: '={{ "1" }}', maxRetries: '={{ "0" }}' },
			}),
			items: twoItems,
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.json.content, item.pairedItem])).toEqual([
			['Echo: one', { item: 0 }],
			['Echo: two', { item: 1 }],
		]);
		expect(server.chatRequests().map((r) => r.body.messages)).toEqual([
			[{ role: 'user', content: 'one' }],
			[{ role: 'user', content: 'two' }],
		]);
		expect(server.stats.maxInFlight).toBe(1);
	});
});
