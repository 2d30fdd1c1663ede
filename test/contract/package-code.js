'use strict';

/**
 * The package's own compiled code that the checks run the API's answers through, so a check fails when
 * an answer would break the node, not when it merely differs from a hand-written copy of its logic.
 * `npm run test:contract` builds first.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const SHARED = path.join(ROOT, 'dist', 'nodes', 'Cortecs', 'shared');

function load(file) {
	const full = path.join(SHARED, file);
	if (!fs.existsSync(full)) {
		throw new Error(`${path.relative(ROOT, full)} is missing: run "npm run build" first (npm run test:contract does).`);
	}
	return require(full);
}

const { assembleStream } = load('sse.js');
const { apiMessage, hintFor, parseRetryAfter } = load('errors.js');
const { cortecsApiTest } = load('models.js');
const { KNOWN_PROVIDERS } = load('constants.js');

/** Whether the package sends POST /embeddings (its source names the path). */
function packageHasEmbeddings() {
	const found = (dir) =>
		fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) return found(full);
			return /\.ts$/.test(entry.name) && /['"`/]embeddings['"`]/.test(fs.readFileSync(full, 'utf8'));
		});
	return found(path.join(ROOT, 'nodes'));
}

module.exports = { KNOWN_PROVIDERS, assembleStream, apiMessage, hintFor, parseRetryAfter, cortecsApiTest, packageHasEmbeddings };
