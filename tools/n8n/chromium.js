#!/usr/bin/env node
'use strict';
/*
 * Finds Debian's Chromium (the only browser the editor test drives; never a downloaded browser build) and,
 * when it is missing, installs it with apt-get (as root or through passwordless sudo).
 *
 *   node tools/n8n/chromium.js        # prints the executable's path
 *   const { ensureChromium } = require('./chromium'); const exe = await ensureChromium();
 *
 * CHROMIUM_PATH overrides the location.
 */
const fs = require('fs');
const { aptInstall } = require('./apt');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function find() {
	if (process.env.CHROMIUM_PATH)
		return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
	return CANDIDATES.find((p) => fs.existsSync(p)) || null;
}

async function ensureChromium() {
	const found = find();
	if (found) return found;
	if (process.env.CHROMIUM_PATH)
		throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
	await aptInstall(['chromium'], {
		why: 'Chromium is missing',
		tag: 'chromium',
		otherwise: 'or set CHROMIUM_PATH',
	});
	const exe = find();
	if (!exe) throw new Error('apt-get installed chromium but no executable was found');
	return exe;
}

module.exports = { ensureChromium, findChromium: find };

if (require.main === module) {
	ensureChromium().then(
		(p) => console.log(p),
		(e) => {
			console.error(e.message);
			process.exit(1);
		},
	);
}
