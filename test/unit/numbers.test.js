/** numbers.ts: the rules of number options, read from their description, and the checks of values. */
const {
	isBlank,
	notAccepted,
	numberIn,
	numberRule,
	rangeText,
} = require('../../dist/nodes/Cortecs/shared/numbers');

const collection = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	default: {},
	options: [
		{
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0, maxValue: 2 },
		},
		{
			displayName: 'Max Tokens',
			name: 'maxTokens',
			type: 'number',
			default: 16,
			typeOptions: { minValue: 1, numberPrecision: 0 },
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: 0,
			typeOptions: { numberPrecision: 0 },
		},
		{ displayName: 'Bias', name: 'bias', type: 'number', default: 0, typeOptions: { maxValue: 5 } },
		{ displayName: 'Stop', name: 'stop', type: 'string', default: '' },
	],
};

test('a rule is the label, whole-number-ness and range the editor has', () => {
	expect(numberRule(collection, 'temperature')).toEqual({
		field: 'Options → Temperature',
		integer: false,
		min: 0,
		max: 2,
	});
	expect(numberRule(collection, 'maxTokens')).toEqual({
		field: 'Options → Max Tokens',
		integer: true,
		min: 1,
		max: undefined,
	});
});

test('only number options have a rule', () => {
	expect(() => numberRule(collection, 'stop')).toThrow('options.stop is not a number option');
	expect(() => numberRule(collection, 'missing')).toThrow('options.missing is not a number option');
});

test.each([
	['temperature', 'a number from 0 to 2'],
	['maxTokens', 'a whole number of at least 1'],
	['seed', 'a whole number'],
	['bias', 'a number of at most 5'],
])('rangeText(%s) = %s', (name, text) => {
	expect(rangeText(numberRule(collection, name))).toBe(text);
});

test.each([
	['temperature', 0, 0],
	['temperature', 2, 2],
	['temperature', '0.2', 0.2],
	['temperature', ' 1.5 ', 1.5],
	['temperature', 2.01, undefined],
	['temperature', -0.1, undefined],
	['temperature', 'warm', undefined],
	['temperature', '', undefined],
	['temperature', true, undefined],
	['temperature', null, undefined],
	['temperature', Number.NaN, undefined],
	['temperature', Number.POSITIVE_INFINITY, undefined],
	['maxTokens', 1, 1],
	['maxTokens', '64', 64],
	['maxTokens', 1.5, undefined],
	['maxTokens', 0, undefined],
	['seed', -7, -7],
	['seed', 2 ** 53, undefined],
])('numberIn(%s, %j) = %j', (name, value, expected) => {
	expect(numberIn(numberRule(collection, name), value)).toBe(expected);
});

test.each([
	['warm', '"warm" is not a number from 0 to 2'],
	[2.5, '2.5 is not a number from 0 to 2'],
	[Number.NaN, 'NaN is not a number from 0 to 2'],
	[true, 'true is not a number from 0 to 2'],
	[[1], '[1] is not a number from 0 to 2'],
	['', 'no value'],
	['  ', 'no value'],
	[null, 'no value'],
	[undefined, 'no value'],
])('notAccepted(temperature, %j) = %s', (value, text) => {
	expect(notAccepted(numberRule(collection, 'temperature'), value)).toBe(text);
});

test('blank: not set, null, or text with nothing in it', () => {
	expect([undefined, null, '', ' \n'].map(isBlank)).toEqual([true, true, true, true]);
	expect([0, 'x', false, []].map(isBlank)).toEqual([false, false, false, false]);
});
