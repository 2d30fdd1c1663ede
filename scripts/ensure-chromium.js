#!/usr/bin/env node
'use strict';
/*
 * Finds Debian's Chromium (the only browser the editor test drives; never a downloaded browser build) and,
 * when it is missing and we are root, installs it with apt-get.
 *
 *   node scripts/ensure-chromium.js        # prints the executable's path
 *   const { ensureChromium } = require('./ensure-chromium'); const exe = await ensureChromium();
 *
 * CHROMIUM_PATH overrides the location.
 */
const fs = require('fs');
const { spawn } = require('child_process');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function find() {
	if (process.env.CHROMIUM_PATH)
		return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
	return CANDIDATES.find((p) => fs.existsSync(p)) || null;
}

function sh(cmd, args, timeoutMs) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		let out = '';
		child.stdout.on('data', (d) => (out = (out + d).slice(-6000)));
		child.stderr.on('data', (d) => (out = (out + d).slice(-6000)));
		const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(t);
			if (code === 0) resolve(out);
			else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out}`));
		});
	});
}

async function ensureChromium() {
	const found = find();
	if (found) return found;
	if (process.env.CHROMIUM_PATH)
		throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(
			"Chromium is missing: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH",
		);
	}
	const started = Date.now();
	process.stderr.write(
		"[chromium] /usr/bin/chromium is missing: installing Debian's chromium package with apt-get…\n",
	);
	await sh('apt-get', ['update', '-qq'], 5 * 60 * 1000);
	await sh('apt-get', ['install', '-y', '-qq', 'chromium'], 10 * 60 * 1000);
	const exe = find();
	if (!exe) throw new Error('apt-get installed chromium but no executable was found');
	process.stderr.write(
		`[chromium] installed ${exe} in ${Math.round((Date.now() - started) / 1000)}s\n`,
	);
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
