'use strict';

const { is, matcher, differences, describeExpected } = require('./match');

describe('differences', () => {
	test('equal facts: none', () => {
		expect(
			differences(
				{ status: 200, usage: { cost: is.nonNegativeInteger } },
				{ status: 200, usage: { cost: 0 }, extra: 'x' },
			),
		).toEqual([]);
	});

	test('every path that differs, with the expectation in words', () => {
		expect(
			differences(
				{
					status: 200,
					usage: { cost: is.integer, cost_details: { prompt_cost: is.number } },
					tags: ['a', 'b'],
					hint: 'unknown model',
				},
				{ status: 404, usage: { cost: 1.5 }, tags: ['a', 'c'], hint: 'other' },
			),
		).toEqual([
			{ path: 'status', expected: 200, seen: 404 },
			{ path: 'usage.cost', expected: '<an integer>', seen: 1.5 },
			{ path: 'usage.cost_details', expected: { prompt_cost: '<a number>' }, seen: undefined },
			{ path: 'tags[1]', expected: 'b', seen: 'c' },
			{ path: 'hint', expected: 'unknown model', seen: 'other' },
		]);
	});

	test('an array of another length differs as a whole', () => {
		expect(differences({ items: [{ index: 0 }] }, { items: [] })).toEqual([
			{ path: 'items', expected: [{ index: 0 }], seen: [] },
		]);
	});

	test('matchers accept exactly what their label says', () => {
		expect(is.positiveInteger.test(0)).toBe(false);
		expect(is.nonNegativeInteger.test(0)).toBe(true);
		expect(is.nonEmptyString.test('  ')).toBe(false);
		expect(is.oneOf([403, 200]).test(403)).toBe(true);
		expect(is.oneOf([403, 200]).test('403')).toBe(false);
		expect(is.matching(/invalid/i).test('The API key is invalid')).toBe(true);
		expect(is.between(1, 3).test(4)).toBe(false);
		expect(
			differences(
				matcher('even', (v) => v % 2 === 0),
				3,
			),
		).toEqual([{ path: '.', expected: '<even>', seen: 3 }]);
	});
});

test('describeExpected: matchers become their labels', () => {
	expect(describeExpected({ a: is.oneOf([403, 200]), b: [is.string, 1] })).toEqual({
		a: '<one of 403, 200>',
		b: ['<a string>', 1],
	});
});
