/**
 * The "Concurrency and Retries" collection: its defaults are literals in the description (n8n's lint and
 * editor read them from there) and must say what the code does when an option is not set, which is
 * DELIVERY_DEFAULTS in shared/constants.ts.
 */
const path = require('node:path');

const { nodeType } = require('./routing-harness');

const dist = (...parts) => require(path.join(__dirname, '..', 'dist', 'nodes', 'Cortecs', ...parts));
const { deliveryOptions } = dist('descriptions', 'delivery.js');
const { DELIVERY_DEFAULTS } = dist('shared', 'constants.js');

const option = (name) => deliveryOptions.options.find((o) => o.name === name);

test('the collection holds exactly the three options, as numbers', () => {
	expect(deliveryOptions.name).toBe('delivery');
	expect(deliveryOptions.type).toBe('collection');
	expect(deliveryOptions.default).toEqual({});
	expect(deliveryOptions.options.map((o) => o.name).sort()).toEqual(['maxConcurrency', 'maxRetries', 'timeout']);
	for (const o of deliveryOptions.options) expect(o.type).toBe('number');
});

test.each([
	['maxConcurrency', 'maxConcurrency'],
	['maxRetries', 'maxRetries'],
	['timeout', 'timeoutSeconds'],
])('the default of %s is DELIVERY_DEFAULTS.%s', (name, key) => {
	expect(option(name).default).toBe(DELIVERY_DEFAULTS[key]);
});

test('the defaults suit the issue: a cap of a few requests, 2-3 retries, more than n8n’s 5-minute timeout', () => {
	expect(DELIVERY_DEFAULTS.maxConcurrency).toBeGreaterThan(0);
	expect(DELIVERY_DEFAULTS.maxRetries).toBeGreaterThanOrEqual(2);
	expect(DELIVERY_DEFAULTS.maxRetries).toBeLessThanOrEqual(3);
	expect(DELIVERY_DEFAULTS.timeoutSeconds * 1000).toBeGreaterThan(300_000);
});

test('the limits in the editor match what the code accepts (0 = no cap, at least 1 s timeout)', () => {
	expect(option('maxConcurrency').typeOptions.minValue).toBe(0);
	expect(option('maxRetries').typeOptions.minValue).toBe(0);
	expect(option('timeout').typeOptions.minValue).toBe(1);
});

test('the node shows the collection, once, for every operation', () => {
	const { properties } = nodeType().description;
	const found = properties.filter((p) => p.name === 'delivery');
	expect(found).toHaveLength(1);
	expect(found[0].displayOptions).toBeUndefined();
});
