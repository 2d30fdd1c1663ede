/** Unit layer for nodes/Cortecs/shared/shares.ts (the compiled module in dist/). */
const path = require('node:path');

const { splitByWeight } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'shares.js'),
);

const sum = (values) => values.reduce((a, b) => a + b, 0);

describe('splitByWeight', () => {
	test('exact proportions stay exact', () => {
		expect(splitByWeight(100, [1, 3])).toEqual([25, 75]);
		expect(splitByWeight(12, [2, 2, 2])).toEqual([4, 4, 4]);
	});

	test('left-over units go to the largest fractions, earlier items first on ties', () => {
		// 10 * [1,1,1] / 3 = 3.33 each: one unit left, to the first.
		expect(splitByWeight(10, [1, 1, 1])).toEqual([4, 3, 3]);
		// 7 * [5, 3, 2] / 10 = 3.5, 2.1, 1.4: floors 3, 2, 1 (6), the unit goes to 3.5.
		expect(splitByWeight(7, [5, 3, 2])).toEqual([4, 2, 1]);
		// 3 split over 4 equal weights: 0.75 each, the first three get one.
		expect(splitByWeight(3, [1, 1, 1, 1])).toEqual([1, 1, 1, 0]);
	});

	test('the shares always add up to the total', () => {
		const weights = [13, 1, 7, 250, 3, 3, 40, 1, 1, 9];
		for (const total of [0, 1, 2, 9, 10, 11, 99, 328, 1001]) {
			const shares = splitByWeight(total, weights);
			expect(sum(shares)).toBe(total);
			shares.forEach((share) => expect(Number.isInteger(share) && share >= 0).toBe(true));
		}
	});

	test('one weight takes everything; zero or bad weights take nothing unless all are zero', () => {
		expect(splitByWeight(42, [5])).toEqual([42]);
		expect(splitByWeight(10, [0, 5, Number.NaN, -3])).toEqual([0, 10, 0, 0]);
		expect(splitByWeight(5, [0, 0])).toEqual([3, 2]);
		expect(splitByWeight(5, [])).toEqual([]);
	});
});
