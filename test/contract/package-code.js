'use strict';

/**
 * The package's own compiled code that the checks run the API's answers through, so a check fails when
 * an answer would break the node, not when it merely differs from a hand-written copy of its logic.
 * `npm run test:contract` builds first.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return jsFiles(full);
		return entry.name.endsWith('.js') ? [full] : [];
	});
}

/**
 * The compiled exports with these names, wherever the source keeps them (found by name, so moving a
 * function to another file does not break the contract).
 * @param {string[]} names
 */
function load(names) {
	if (!fs.existsSync(DIST))
		throw new Error('dist/ is missing: run "npm run build" first (npm run test:contract does).');
	/** @type {Record<string, any>} */
	const found = {};
	for (const file of jsFiles(DIST)) {
		const text = fs.readFileSync(file, 'utf8');
		const here = names.filter((name) => !(name in found) && text.includes(`exports.${name} = `));
		if (here.length) for (const name of here) found[name] = require(file)[name];
	}
	const missing = names.filter((name) => typeof found[name] === 'undefined');
	if (missing.length)
		throw new Error(
			`dist/ exports no ${missing.join(', ')}: the checks need them (rebuild, or update test/contract/package-code.js).`,
		);
	return found;
}

const { assembleStream, apiMessage, hintFor, parseRetryAfter, CortecsApi, KNOWN_PROVIDERS } = load([
	'assembleStream',
	'apiMessage',
	'hintFor',
	'parseRetryAfter',
	'CortecsApi',
	'KNOWN_PROVIDERS',
]);

/** The credential as n8n loads it: its declarative `test` (request and rules) and `authenticate`. */
const credential = new CortecsApi();

module.exports = {
	KNOWN_PROVIDERS,
	assembleStream,
	apiMessage,
	hintFor,
	parseRetryAfter,
	credential,
};
