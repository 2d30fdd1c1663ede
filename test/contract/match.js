'use strict';

/**
 * Expectations for the contract checks: a plain value must be equal (deep), a matcher (made here) must
 * accept the value. `differences()` lists every path where the seen facts do not meet the expected ones,
 * in words a maintainer can put next to the notes.
 */

const MATCHER = Symbol('matcher');

/**
 * @param {string} label how the expectation reads in the table and the report
 * @param {(value: unknown) => boolean} test
 */
function matcher(label, test) {
	return { [MATCHER]: true, label, test };
}

const is = {
	integer: matcher('an integer', (v) => Number.isInteger(v)),
	nonNegativeInteger: matcher(
		'an integer >= 0',
		(v) => Number.isInteger(v) && /** @type {number} */ (v) >= 0,
	),
	positiveInteger: matcher(
		'an integer > 0',
		(v) => Number.isInteger(v) && /** @type {number} */ (v) > 0,
	),
	number: matcher('a number', (v) => typeof v === 'number' && Number.isFinite(v)),
	nonEmptyString: matcher('a non-empty string', (v) => typeof v === 'string' && v.trim() !== ''),
	string: matcher('a string', (v) => typeof v === 'string'),
	present: matcher('present', (v) => v !== undefined && v !== null),
	/** @param {unknown[]} values */
	oneOf: (values) =>
		matcher(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => values.includes(v)),
	/** @param {RegExp} re */
	matching: (re) => matcher(`matching ${re}`, (v) => typeof v === 'string' && re.test(v)),
	/** @param {number} min @param {number} max */
	between: (min, max) =>
		matcher(`between ${min} and ${max}`, (v) => typeof v === 'number' && v >= min && v <= max),
};

/** @param {unknown} v */
function isMatcher(v) {
	return typeof v === 'object' && v !== null && /** @type {any} */ (v)[MATCHER] === true;
}

/** @param {unknown} v */
function isPlainObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !isMatcher(v);
}

/** The expectation as plain JSON (matchers become their labels), for the report file. */
function describeExpected(expected) {
	if (isMatcher(expected)) return `<${expected.label}>`;
	if (Array.isArray(expected)) return expected.map(describeExpected);
	if (isPlainObject(expected)) {
		/** @type {Record<string, unknown>} */
		const out = {};
		for (const [k, v] of Object.entries(expected)) out[k] = describeExpected(v);
		return out;
	}
	return expected;
}

/**
 * @param {unknown} expected
 * @param {unknown} seen
 * @param {string} [path]
 * @returns {Array<{path: string, expected: unknown, seen: unknown}>}
 */
function differences(expected, seen, path = '') {
	if (isMatcher(expected)) {
		return expected.test(seen)
			? []
			: [{ path: path || '.', expected: `<${expected.label}>`, seen }];
	}
	if (isPlainObject(expected)) {
		if (!isPlainObject(seen))
			return [{ path: path || '.', expected: describeExpected(expected), seen }];
		const out = [];
		for (const [key, value] of Object.entries(expected)) {
			out.push(
				...differences(
					value,
					/** @type {Record<string, unknown>} */ (seen)[key],
					path ? `${path}.${key}` : key,
				),
			);
		}
		return out;
	}
	if (Array.isArray(expected)) {
		if (!Array.isArray(seen) || seen.length !== expected.length)
			return [{ path: path || '.', expected: describeExpected(expected), seen }];
		return expected.flatMap((value, i) => differences(value, seen[i], `${path}[${i}]`));
	}
	return Object.is(expected, seen) ? [] : [{ path: path || '.', expected, seen }];
}

module.exports = { is, matcher, differences, describeExpected };
