'use strict';
/*
 * Reads `npm install --loglevel=info` output line by line and says what the install is doing: resolving
 * the dependency tree (package manifests), downloading and unpacking packages (tarballs), or running
 * install scripts, naming the native modules that compile from source and how long they usually take.
 */
const fs = require('fs');
const path = require('path');

/**
 * Install scripts that take long enough to look like a hang, with what they do. The times were measured
 * on 2 cores during the n8n 2.8.4 installs CONTRIBUTING.md states (`npm start`).
 */
const SLOW_SCRIPTS = {
	sqlite3:
		'compiles SQLite from C/C++ source, no prebuilt binary is reachable offline: usually 4-6 minutes on 2 cores',
	'cpu-features': 'compiles a small C++ addon: usually under a minute',
	'isolated-vm': 'compiles a C++ addon against Node 24: usually 1-2 minutes on 2 cores',
};

function fmtTime(ms) {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

// "npm info run sqlite3@5.1.7 install node_modules/sqlite3 prebuild-install -r napi || node-gyp rebuild"
// "npm info run sqlite3@5.1.7 install { code: 0, signal: null }"
const RUN = /^npm info run ((?:@[^@\s/]+\/)?[^@\s]+)@\S+ (\S+) (.*)$/;
const TARBALL = /^npm http (?:fetch GET 200|cache \S+@)\s*(\S+\.tgz)\b/;
const MANIFEST = /^npm http fetch GET 200 (\S+)/;

class InstallProgress {
	constructor(now = Date.now) {
		this.now = now;
		this.manifests = 0;
		this.tarballs = new Set();
		/** @type {Map<string, number>} install scripts running: name → start time */
		this.running = new Map();
		this.scriptsDone = 0;
	}

	/**
	 * Takes one line of npm's output; returns a message worth printing on its own line (a slow install
	 * script starting or ending), or null.
	 */
	feed(line) {
		const tarball = TARBALL.exec(line);
		if (tarball) {
			this.tarballs.add(tarball[1]);
			return null;
		}
		if (MANIFEST.test(line)) {
			this.manifests++;
			return null;
		}
		const run = RUN.exec(line);
		if (!run) return null;
		const [, name, event, rest] = run;
		const key = `${name} ${event}`;
		if (rest.startsWith('{')) {
			const started = this.running.get(key);
			this.running.delete(key);
			this.scriptsDone++;
			if (started === undefined || !SLOW_SCRIPTS[name]) return null;
			const took = fmtTime(this.now() - started);
			return /code: 0\b/.test(rest)
				? `${name} built in ${took}`
				: `${name}'s ${event} script failed after ${took}`;
		}
		this.running.set(key, this.now());
		return SLOW_SCRIPTS[name] ? `building ${name} (native module): ${SLOW_SCRIPTS[name]}` : null;
	}

	/**
	 * One line for the progress display: the current phase and its counters.
	 * @param {number} [unpacked] packages whose files are in place so far (see countUnpacked)
	 */
	status(unpacked) {
		if (this.running.size > 0) {
			const now = this.now();
			const list = [...this.running].map(([key, t]) => `${key.split(' ')[0]} ${fmtTime(now - t)}`);
			return `running install scripts: ${list.join(', ')}`;
		}
		if (this.scriptsDone > 0) return `running install scripts: ${this.scriptsDone} finished`;
		if (this.tarballs.size > 0) {
			const done =
				unpacked === undefined ? '' : `, ${Math.min(unpacked, this.tarballs.size)} unpacked`;
			return `downloading and unpacking packages: ${this.tarballs.size} fetched${done}`;
		}
		return `resolving the dependency tree: ${this.manifests} package manifests fetched`;
	}
}

/** Packages under `nodeModules` (top level and scoped) whose package.json has been written. */
function countUnpacked(nodeModules) {
	let n = 0;
	const has = (dir) => fs.existsSync(path.join(dir, 'package.json'));
	let entries = [];
	try {
		entries = fs.readdirSync(nodeModules);
	} catch {
		return 0;
	}
	for (const e of entries) {
		if (e.startsWith('.')) continue;
		const dir = path.join(nodeModules, e);
		if (!e.startsWith('@')) {
			if (has(dir)) n++;
			continue;
		}
		try {
			for (const s of fs.readdirSync(dir)) if (has(path.join(dir, s))) n++;
		} catch {
			/* racing with npm */
		}
	}
	return n;
}

module.exports = { InstallProgress, SLOW_SCRIPTS, fmtTime, countUnpacked };
