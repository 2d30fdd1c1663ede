/**
 * The Throughput collection as the editor shows it. The code reads its defaults from here (an option
 * not set counts as its default), so these are the defaults the runs in throughput-*.test.js meet.
 */
const path = require('node:path');

const { nodeType } = require('./routing-harness');

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
