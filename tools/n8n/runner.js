'use strict';
/*
 * Runs a real n8n for `npm start` and the end-to-end suite: an isolated user folder with this package
 * installed the way n8n loads community packages, CLI calls (import, execute), the server, and the
 * editor's REST API (owner set-up, login, credential test, dynamic parameters).
 *
 * Every process started here is tracked and stopped (its whole process group) by stopAll() (processes.js).
 */
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const { execFileSync } = require('child_process');
const { fileAccessEnv } = require('./files');
const { externalRunnerEnv, newAuthToken, keepTaskRunner } = require('./task-runner');
const { spawnTracked, stopChild, stopAll, killGroup, exitOnSignals } = require('./processes');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

function getFreePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function isPortFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** `npm pack` into `destDir`; returns the tarball's path. */
function packPackage(destDir) {
	fs.mkdirSync(destDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, npm_config_loglevel: 'error' },
	});
	const info = JSON.parse(out.slice(out.indexOf('[')));
	return { tarball: path.join(destDir, info[0].filename), files: info[0].files.map((f) => f.path) };
}

/**
 * Installs the packed tarball the way n8n installs community packages: into
 * `<userFolder>/.n8n/nodes/node_modules/<name>`, listed in `<userFolder>/.n8n/nodes/package.json`.
 */
function installTarball(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const version = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).version;
	const pj = path.join(nodesDir, 'package.json');
	let manifest = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		manifest = JSON.parse(fs.readFileSync(pj, 'utf8'));
	} catch {
		/* new */
	}
	manifest.dependencies = { ...(manifest.dependencies || {}), [PACKAGE_NAME]: version };
	fs.writeFileSync(pj, JSON.stringify(manifest, null, 2) + '\n');
	return target;
}

/** A tiny fetch-like HTTP client (no dependencies), for loopback only. */
function request(method, url, { headers = {}, body, timeoutMs = 60000 } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
			reject(new Error(`refusing to talk to ${u.hostname}: loopback only`));
			return;
		}
		const data =
			body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = http.request(
			u,
			{
				method,
				headers: {
					...(data !== undefined
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }
						: {}),
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () =>
			req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)),
		);
		req.on('error', reject);
		if (data !== undefined) req.write(data);
		req.end();
	});
}

/**
 * n8n 2.41's MCP server registry module fetches api.n8n.io at every start, and offline that logs a stack
 * trace. Versions without the module reject its name in N8N_DISABLED_MODULES, so it is named only where
 * it exists.
 */
function offlineModules(install) {
	const module = path.join(install.n8nBin, '..', '..', 'dist', 'modules', 'mcp-registry');
	return fs.existsSync(module) ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {};
}

class N8n {
	/**
	 * @param {object} o
	 * @param {{n8nBin:string,nodeBin:string,env:object,version:string}} o.install from tools/n8n/install.js
	 * @param {string} o.userFolder N8N_USER_FOLDER
	 * @param {object} [o.env] extra environment
	 * @param {(line:string)=>void} [o.onLog] receives the server's output lines
	 */
	constructor({ install, userFolder, env = {}, onLog }) {
		this.install = install;
		this.userFolder = userFolder;
		this.extraEnv = env;
		this.onLog = onLog;
		this.server = null;
		this.taskRunner = null;
		this.port = null;
		this.cookie = null;
		this.browserId = 'e2e-browser-id';
		this.serverLog = [];
	}

	baseEnv(extra = {}) {
		const env = { ...process.env };
		for (const k of Object.keys(env))
			if (/^(npm_|N8N_|DB_|NODE_OPTIONS$|NODE_ENV$|DEBUG$)/.test(k)) delete env[k];
		return {
			...env,
			...this.install.env,
			...offlineModules(this.install),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'n8n-nodes-cortecs-local-encryption-key',
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_PYTHON_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			// n8n's catalogue of verified community nodes is fetched from api.n8n.io when the nodes panel
			// opens; offline that only logs errors. Installed packages load without it.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			// Set explicitly, as n8n 2.41 asks at start-up (a deprecation notice for each one left at a default
			// it will change; n8n 2.8.4 has no Compression limits and ignores those): this package is unverified;
			// the Code node's task timeout and the Compression node's limits at the values n8n will default to.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_TASK_TIMEOUT: '60',
			N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
			N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_PROTOCOL: 'http',
			N8N_LOG_LEVEL: 'warn',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			...fileAccessEnv(this.userFolder),
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs an n8n CLI command; resolves {code, stdout, stderr} (never rejects on a non-zero exit). */
	async cli(args, { timeoutMs = 180000, env = {} } = {}) {
		const brokerPort = await getFreePort();
		const authToken = newAuthToken();
		const childEnv = this.baseEnv({
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...externalRunnerEnv(authToken),
			...env,
		});
		const runner = keepTaskRunner({ install: this.install, brokerPort, authToken, env: childEnv });
		return new Promise((resolve, reject) => {
			const child = spawnTracked(this.install.nodeBin, [this.install.n8nBin, ...args], {
				env: childEnv,
				stdio: ['ignore', 'pipe', 'pipe'],
				cwd: this.userFolder,
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				stderr += `\n[e2e] n8n ${args[0]} timed out after ${timeoutMs} ms\n`;
				killGroup(child, 'SIGKILL');
			}, timeoutMs);
			child.on('error', reject);
			child.on('close', async (code, signal) => {
				clearTimeout(timer);
				stopChild(child);
				await runner.stop();
				resolve({ code: code === null ? signal : code, stdout, stderr });
			});
		});
	}

	async cliOk(args, opts) {
		const r = await this.cli(args, opts);
		if (r.code !== 0)
			throw new Error(`n8n ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
		return r;
	}

	importCredentials(file) {
		return this.cliOk(['import:credentials', `--input=${file}`]);
	}

	importWorkflow(file) {
		return this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: returns {code, result (the printed JSON or null), stdout, stderr}.
	 */
	async execute(id, opts) {
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], opts);
		const lines = r.stdout.split('\n');
		const start = lines.findIndex((l) => l === '{');
		let result = null;
		if (start >= 0) {
			const rest = lines.slice(start).join('\n');
			// the JSON is followed by nothing (or log lines): cut at the matching closing brace line
			const end = rest.search(/\n\}\s*(\n|$)/);
			try {
				result = JSON.parse(end >= 0 ? rest.slice(0, end + 2) : rest);
			} catch {
				result = null;
			}
		}
		return { ...r, result };
	}

	async start({ port, readyTimeoutMs = 120000 } = {}) {
		this.port = port || (await getFreePort());
		const brokerPort = await getFreePort();
		const authToken = newAuthToken();
		const env = this.baseEnv({
			N8N_PORT: String(this.port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...externalRunnerEnv(authToken),
		});
		const child = spawnTracked(this.install.nodeBin, [this.install.n8nBin, 'start'], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			cwd: this.userFolder,
		});
		this.server = child;
		const log = (line) => {
			this.serverLog.push(line);
			if (this.serverLog.length > 2000) this.serverLog.shift();
			if (this.onLog) this.onLog(line);
		};
		this.taskRunner = keepTaskRunner({
			install: this.install,
			brokerPort,
			authToken,
			env,
			onLog: log,
		});
		const onData = (d) => {
			for (const line of d.toString().split('\n')) if (line.trim()) log(line);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const deadline = Date.now() + readyTimeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) {
				await this.stop();
				throw new Error(
					`n8n start exited (${child.exitCode ?? child.signalCode}):\n${this.serverLog.slice(-60).join('\n')}`,
				);
			}
			try {
				// readiness answers as soon as the database is up; the REST routes come a moment later
				const r = await request('GET', `${this.url}/healthz/readiness`, { timeoutMs: 2000 });
				if (r.status === 200) {
					const s = await request('GET', `${this.url}/rest/settings`, { timeoutMs: 5000 });
					if (s.status === 200) return this;
				}
			} catch {
				/* not yet */
			}
			await sleep(500);
		}
		await this.stop();
		throw new Error(
			`n8n did not become ready within ${readyTimeoutMs} ms:\n${this.serverLog.slice(-60).join('\n')}`,
		);
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	async stop() {
		if (this.server) await stopChild(this.server);
		if (this.taskRunner) await this.taskRunner.stop();
		this.server = null;
		this.taskRunner = null;
	}

	/** Calls the editor's REST API with the login cookie. */
	async rest(method, p, body, { headers = {}, timeoutMs } = {}) {
		const r = await request(method, `${this.url}${p}`, {
			body,
			timeoutMs,
			headers: {
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
		});
		const setCookie = r.headers['set-cookie'];
		if (setCookie) {
			const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
			if (auth) this.cookie = auth;
		}
		return r;
	}

	async restOk(method, p, body, opts) {
		const r = await this.rest(method, p, body, opts);
		if (r.status < 200 || r.status >= 300)
			throw new Error(`${method} ${p} → ${r.status}: ${r.text.slice(0, 2000)}`);
		return r.json && 'data' in r.json ? r.json.data : r.json;
	}

	/**
	 * Publishes (activates) an imported workflow and waits until its production webhook at `webhookPath`
	 * listens: n8n registers the webhooks after it has answered the activation (until then a CORS preflight
	 * to the path answers 404 or 500).
	 */
	async publishWorkflow(id, webhookPath, { timeoutMs = 30000 } = {}) {
		const wf = await this.restOk('GET', `/rest/workflows/${id}`);
		await this.restOk('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId });
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const preflight = await request('OPTIONS', `${this.url}/webhook/${webhookPath}`, {
				headers: { origin: this.url, 'access-control-request-method': 'POST' },
			});
			if (preflight.status < 300) return;
			if (Date.now() > deadline)
				throw new Error(`webhook/${webhookPath} is not listening ${timeoutMs} ms after publishing`);
			await sleep(250);
		}
	}

	/** Sets up the owner account if there is none yet, then logs in (keeps the cookie). */
	async ensureOwnerAndLogin({ email, password, firstName = 'Demo', lastName = 'User' }) {
		const settings = await this.restOk('GET', '/rest/settings');
		const needsSetup =
			settings && settings.userManagement && settings.userManagement.showSetupOnFirstLoad;
		if (needsSetup) {
			await this.restOk('POST', '/rest/owner/setup', { email, password, firstName, lastName });
		}
		return this.login({ email, password });
	}

	async login({ email, password }) {
		// n8n 2.x takes `emailOrLdapLoginId`; older releases took `email`. Send both.
		return this.restOk('POST', '/rest/login', { email, emailOrLdapLoginId: email, password });
	}
}

function tmpDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	N8n,
	request,
	getFreePort,
	isPortFree,
	sleep,
	packPackage,
	installTarball,
	stopAll,
	stopChild,
	exitOnSignals,
	spawnTracked,
	tmpDir,
};
