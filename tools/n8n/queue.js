'use strict';
/*
 * n8n in queue mode on loopback, for `npm run test:queue` and `npm run bench:queue`: Postgres and Redis
 * (Debian's packages, installed with apt-get when missing), one main process and N `n8n worker` processes
 * of the pinned n8n. Every process has its own user folder, and the packed package is installed into each
 * with `npm install` in `.n8n/nodes`, as the README tells queue-mode users to.
 *
 * Every process goes through n8n-runner's spawnTracked, so stopAll() and exitOnSignals() stop them too;
 * a detached reaper (reaper.js) stops them and removes the folders if this process dies first.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { spawn, execFileSync } = require('child_process');
const { isRoot, sh, aptInstall } = require('./apt');
const { N8n, request, getFreePort, sleep, spawnTracked, stopChild, tmpDir } = require('./runner');
const { CREDENTIALS } = require('./setup');

const WORKFLOW_FILE = path.join(__dirname, 'prompts-webhook.json');
const WORKFLOW = JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8'));
const WEBHOOK_PATH = WORKFLOW.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters
	.path;

/** The newest Postgres server under /usr/lib/postgresql/<version>/bin (PG_BIN overrides). */
function findPostgres() {
	if (process.env.PG_BIN)
		return fs.existsSync(path.join(process.env.PG_BIN, 'postgres')) ? process.env.PG_BIN : null;
	let versions = [];
	try {
		versions = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v));
	} catch {
		return null;
	}
	const bin = versions
		.sort((a, b) => Number(b) - Number(a))
		.map((v) => path.join('/usr/lib/postgresql', v, 'bin'))
		.find((b) => ['initdb', 'postgres', 'createdb'].every((f) => fs.existsSync(path.join(b, f))));
	return bin || null;
}

function findRedis() {
	const candidates = [
		process.env.REDIS_SERVER,
		'/usr/bin/redis-server',
		'/usr/local/bin/redis-server',
	];
	return candidates.find((p) => p && fs.existsSync(p)) || null;
}

async function ensurePostgres() {
	let bin = findPostgres();
	if (bin) return bin;
	await aptInstall(['postgresql'], { why: 'Postgres is missing', tag: 'queue' });
	bin = findPostgres();
	if (!bin)
		throw new Error(
			'apt-get installed postgresql but no server binaries were found under /usr/lib/postgresql',
		);
	return bin;
}

async function ensureRedis() {
	let exe = findRedis();
	if (exe) return exe;
	await aptInstall(['redis-server'], { why: 'Redis is missing', tag: 'queue' });
	exe = findRedis();
	if (!exe) throw new Error('apt-get installed redis-server but /usr/bin/redis-server is missing');
	return exe;
}

/** Keeps the last lines of a child's output (for error messages). */
function capture(child, lines, max = 3000) {
	const onData = (d) => {
		for (const line of d.toString().split('\n')) {
			if (!line.trim()) continue;
			lines.push(line);
			if (lines.length > max) lines.shift();
		}
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
}

function exited(child) {
	return child.exitCode !== null || child.signalCode !== null;
}

async function waitFor(what, check, { timeoutMs = 60000, child, lines } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && exited(child)) {
			throw new Error(
				`${what}: the process exited (${child.exitCode ?? child.signalCode})\n${(lines || []).slice(-40).join('\n')}`,
			);
		}
		try {
			if (await check()) return;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline)
			throw new Error(
				`${what}: not ready within ${timeoutMs} ms\n${(lines || []).slice(-40).join('\n')}`,
			);
		await sleep(300);
	}
}

/**
 * Postgres in a folder of its own (initdb), on a free port, trust authentication on 127.0.0.1 only.
 * Postgres refuses to run as root: as root, the folder belongs to the `postgres` user and the server runs as it.
 */
async function startPostgres({ onDir = () => {} } = {}) {
	const bin = await ensurePostgres();
	const dir = tmpDir('cortecs-queue-pg-');
	onDir(dir);
	const data = path.join(dir, 'data');
	const asPostgres = (cmd, args) =>
		isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	if (isRoot) execFileSync('chown', ['-R', 'postgres:', dir]);
	await sh(
		...asPostgres(path.join(bin, 'initdb'), [
			'-D',
			data,
			'-U',
			'postgres',
			'-A',
			'trust',
			'-E',
			'UTF8',
			'--no-sync',
		]),
	);
	const port = await getFreePort();
	const lines = [];
	const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		// a throw-away database: durability only costs time here
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
	]);
	const child = spawnTracked(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	capture(child, lines);
	const createdb = path.join(bin, 'createdb');
	await waitFor(
		'Postgres',
		async () => {
			await sh(createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n'], {
				timeoutMs: 10000,
			});
			return true;
		},
		{ timeoutMs: 60000, child, lines },
	);
	return { child, port, dir, lines, version: path.basename(path.dirname(bin)) };
}

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(2000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d;
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
	});
}

/** Redis on a free port, in memory only (no RDB snapshots, no AOF). */
async function startRedis({ onDir = () => {} } = {}) {
	const exe = await ensureRedis();
	const dir = tmpDir('cortecs-queue-redis-');
	onDir(dir);
	const port = await getFreePort();
	const lines = [];
	const child = spawnTracked(
		exe,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	capture(child, lines);
	await waitFor('Redis', () => redisPing(port), { timeoutMs: 30000, child, lines });
	return { child, port, dir, lines };
}

/** The environment of npm without what `npm run` exports about this package (so it installs elsewhere). */
function npmEnv() {
	const env = {
		...process.env,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
	};
	for (const k of Object.keys(env))
		if (/^npm_(package|lifecycle)_|^npm_config_(local_prefix|global|save.*)$/i.test(k))
			delete env[k];
	return env;
}

/**
 * The README's manual install, on one n8n process's user folder: `npm install --legacy-peer-deps <package>`
 * in `<N8N_USER_FOLDER>/.n8n/nodes` (with the package.json n8n itself keeps there). Without the flag, npm
 * also installs the peer dependency n8n-workflow (its newest release, ~160 packages) next to the package,
 * and the package would load that copy instead of the one of the n8n running it.
 */
async function npmInstallPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest))
		fs.writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
		);
	await sh(
		'npm',
		['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error', tarball],
		{ cwd: nodesDir, env: npmEnv(), timeoutMs: 3 * 60 * 1000 },
	);
	const installed = fs
		.readdirSync(path.join(nodesDir, 'node_modules'))
		.filter((f) => !f.startsWith('.'));
	if (installed.join() !== 'n8n-nodes-cortecs')
		throw new Error(
			`npm installed more than the package into ${nodesDir}: ${installed.join(', ')}`,
		);
	return nodesDir;
}

/** Reads the JSON lines of an n8n event log (`<N8N_USER_FOLDER>/.n8n/n8nEventLog*.log`). */
function readEventLog(file) {
	let text = '';
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	const events = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			events.push(JSON.parse(line));
		} catch {
			/* a line being written */
		}
	}
	return events;
}

/**
 * One main process (webhooks, enqueues executions) and `workers` worker processes, on one Postgres and one
 * Redis. The workflow of tools/n8n/prompts-webhook.json is imported with the Cortecs credential pointing at
 * `baseUrl`, and published (active), so `POST <main>/webhook/<path>` with `{ prompts: [...] }` runs it.
 */
class QueueCluster {
	/**
	 * @param {object} o
	 * @param {{n8nBin:string,nodeBin:string,env:object,version:string,dir:string}} o.install from tools/n8n/install.js
	 * @param {string} o.tarball the packed package
	 * @param {string} o.baseUrl the Cortecs-compatible server's base URL (…/v1)
	 * @param {string} o.apiKey
	 * @param {number} [o.workers=2]
	 * @param {number} [o.concurrency=5] each worker's `--concurrency` (executions at once)
	 * @param {object} [o.workerEnv] extra environment of the workers
	 * @param {(line:string)=>void} [o.log] progress lines
	 */
	constructor({
		install,
		tarball,
		baseUrl,
		apiKey,
		workers = 2,
		concurrency = 5,
		workerEnv = {},
		log = () => {},
	}) {
		Object.assign(this, {
			install,
			tarball,
			baseUrl,
			apiKey,
			workerCount: workers,
			concurrency,
			workerEnv,
			log,
		});
		this.workflowId = WORKFLOW.id;
		this.workers = [];
		this.folders = [];
	}

	/** Settings every process shares: one database, one Redis, one encryption key (N8n's default). */
	sharedEnv() {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			N8N_LOG_LEVEL: 'info',
		};
	}

	/**
	 * Has `dir` (and every process running in it or naming it) removed if this process dies without
	 * stop(): see reaper.js.
	 */
	guard(dir) {
		if (!this.reaperList) {
			this.reaperList = path.join(
				os.tmpdir(),
				`cortecs-queue-reaper-${process.pid}-${Date.now()}.list`,
			);
			fs.writeFileSync(this.reaperList, '');
			spawn(
				process.execPath,
				[path.join(__dirname, 'reaper.js'), String(process.pid), this.reaperList],
				{
					detached: true,
					stdio: 'ignore',
				},
			).unref();
		}
		fs.appendFileSync(this.reaperList, `${dir}\n`);
		return dir;
	}

	async start() {
		const started = Date.now();
		this.work = this.guard(tmpDir('cortecs-queue-'));
		const onDir = (dir) => this.guard(dir);
		[this.postgres, this.redis] = await Promise.all([
			startPostgres({ onDir }),
			startRedis({ onDir }),
		]);
		this.log(
			`Postgres ${this.postgres.version} on :${this.postgres.port}, Redis on :${this.redis.port}`,
		);

		const names = [
			'main',
			...Array.from({ length: this.workerCount }, (_, i) => `worker-${i + 1}`),
		];
		const folders = names.map((name) => path.join(this.work, name));
		await Promise.all(folders.map((f) => npmInstallPackage(f, this.tarball)));
		this.log(`package installed with npm in ${names.length} user folders`);

		this.main = new N8n({ install: this.install, userFolder: folders[0], env: this.sharedEnv() });
		const credFile = path.join(this.work, 'credentials.json');
		fs.writeFileSync(
			credFile,
			JSON.stringify([
				{ ...CREDENTIALS.cortecs, data: { apiKey: this.apiKey, baseUrl: this.baseUrl } },
			]),
			{
				mode: 0o600,
			},
		);
		try {
			// the first n8n command migrates the database
			await this.main.importCredentials(credFile);
		} finally {
			fs.rmSync(credFile, { force: true });
		}
		// workers need no workflow to start: they start while the main process gets its workflow
		const workers = folders.slice(1).map((folder, i) => this.startWorker(names[i + 1], folder));
		const main = (async () => {
			await this.main.importWorkflow(WORKFLOW_FILE);
			await this.main.cliOk(['publish:workflow', `--id=${this.workflowId}`]);
			await this.main.start({ readyTimeoutMs: 180000 });
		})();
		await Promise.all([main, ...workers]);
		await this.waitForWebhook();
		this.log(
			`main on :${this.main.port} and ${this.workers.length} workers ready (${Math.round((Date.now() - started) / 1000)}s)`,
		);
		return this;
	}

	/** Starts `n8n worker` on a user folder; resolves once its health check answers ready. */
	async startWorker(name, userFolder, env = {}, { concurrency = this.concurrency } = {}) {
		const n8n = new N8n({ install: this.install, userFolder, env: this.sharedEnv() });
		const [port, brokerPort, healthPort] = await Promise.all([
			getFreePort(),
			getFreePort(),
			getFreePort(),
		]);
		const child = spawnTracked(
			this.install.nodeBin,
			[this.install.n8nBin, 'worker', `--concurrency=${concurrency}`],
			{
				env: n8n.baseEnv({
					N8N_PORT: String(port),
					N8N_RUNNERS_BROKER_PORT: String(brokerPort),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					...this.workerEnv,
					...env,
				}),
				stdio: ['ignore', 'pipe', 'pipe'],
				cwd: userFolder,
			},
		);
		const worker = { name, userFolder, child, pid: child.pid, lines: [], healthPort, env };
		capture(child, worker.lines);
		this.workers.push(worker);
		await waitFor(
			`n8n worker ${name}`,
			async () =>
				(
					await request('GET', `http://127.0.0.1:${healthPort}/healthz/readiness`, {
						timeoutMs: 2000,
					})
				).status === 200,
			{ timeoutMs: 180000, child, lines: worker.lines },
		);
		return worker;
	}

	/** Stops a worker (SIGTERM: n8n lets its running executions finish first) and forgets it. */
	async stopWorker(worker) {
		await stopChild(worker.child, 60000);
		this.workers = this.workers.filter((w) => w !== worker);
	}

	/** SIGKILL to the worker's process group (the worker and its task runner): no chance to clean up. */
	killWorker(worker) {
		process.kill(-worker.child.pid, 'SIGKILL');
		return new Promise((resolve) =>
			exited(worker.child) ? resolve() : worker.child.once('exit', resolve),
		);
	}

	/** Execution ids a worker started, from its log (`Worker started execution N (job N)`). */
	startedBy(worker) {
		return worker.lines
			.map((l) => /Worker started execution (\d+)/.exec(l))
			.filter(Boolean)
			.map((m) => m[1]);
	}

	/**
	 * What a worker's own event log says it did: `n8n.queue.job.dequeued` and `n8n.workflow.success` events
	 * (the worker writes `<user folder>/.n8n/n8nEventLog-worker.log`).
	 */
	workerEvents(worker) {
		return readEventLog(path.join(worker.userFolder, '.n8n', 'n8nEventLog-worker.log'));
	}

	get webhookUrl() {
		return `${this.main.url}/webhook/${WEBHOOK_PATH}`;
	}

	/** The production webhook answers once the main process has registered it. */
	async waitForWebhook() {
		await waitFor(
			'the production webhook',
			async () => {
				const r = await request('GET', this.webhookUrl, { timeoutMs: 5000 });
				// registered for POST only: n8n names the method it expects instead of "not registered"
				return r.status !== 404 || /POST/.test(r.text);
			},
			{ timeoutMs: 60000, child: this.main.server, lines: this.main.serverLog },
		);
	}

	/** Posts one batch of prompts to the production webhook (one execution); resolves with the HTTP answer. */
	postPrompts(prompts, { timeoutMs = 10 * 60 * 1000 } = {}) {
		return request('POST', this.webhookUrl, { body: { prompts }, timeoutMs });
	}

	async db() {
		if (!this.pg) {
			const { Client } = require(path.join(this.install.dir, 'node_modules', 'pg'));
			this.pg = new Client({
				host: '127.0.0.1',
				port: this.postgres.port,
				user: 'postgres',
				database: 'n8n',
			});
			await this.pg.connect();
		}
		return this.pg;
	}

	/**
	 * n8n's execution records of the workflow (execution_entity + execution_data), oldest first, with the
	 * run data decoded (n8n stores it `flatted`).
	 * @returns {Promise<Array<{id:string,status:string,mode:string,finished:boolean,startedAt:Date,stoppedAt:Date,data:any}>>}
	 */
	async executions({ afterId = 0 } = {}) {
		const { parse } = require(path.join(this.install.dir, 'node_modules', 'flatted'));
		const pg = await this.db();
		const { rows } = await pg.query(
			`select e.id, e.status, e.mode, e.finished, e."startedAt", e."stoppedAt", d.data
			   from execution_entity e left join execution_data d on d."executionId" = e.id
			  where e."workflowId" = $1 and e.id > $2 order by e.id`,
			[this.workflowId, afterId],
		);
		return rows.map((r) => ({ ...r, id: String(r.id), data: r.data ? parse(r.data) : null }));
	}

	/**
	 * Waits until `count` executions after `afterId` have a final status: a webhook can be answered (by its
	 * Respond to Webhook node) a moment before the worker has saved the execution.
	 */
	async settledExecutions({ afterId = 0, count, timeoutMs = 120000 }) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.executions({ afterId });
			if (
				list.length >= count &&
				list.every((e) => !['new', 'running', 'waiting'].includes(e.status))
			)
				return list;
			if (Date.now() > deadline) return list;
			await sleep(500);
		}
	}

	async stop() {
		if (this.pg) await this.pg.end().catch(() => {});
		this.pg = null;
		await Promise.all([
			...this.workers.map((w) => stopChild(w.child, 15000)),
			this.main && this.main.stop(),
		]);
		await Promise.all([
			this.redis && stopChild(this.redis.child),
			this.postgres && stopChild(this.postgres.child, 15000),
		]);
		if (!process.env.QUEUE_KEEP) {
			for (const dir of [
				this.work,
				this.postgres && this.postgres.dir,
				this.redis && this.redis.dir,
			]) {
				if (dir) fs.rmSync(dir, { recursive: true, force: true });
			}
		} else this.log(`kept ${this.work} (QUEUE_KEEP is set)`);
		// everything is stopped: the reaper can go
		if (this.reaperList) fs.rmSync(this.reaperList, { force: true });
	}
}

/** `executions` batches of `items` distinct prompts, tagged so every prompt names its batch and position. */
function promptBatches(tag, executions, items) {
	return Array.from({ length: executions }, (_, e) =>
		Array.from(
			{ length: items },
			(_, i) => `${tag} execution ${e + 1} prompt ${String(i + 1).padStart(3, '0')}`,
		),
	);
}

/**
 * Posts every batch at once (one execution each); resolves with each HTTP answer and the wall time from
 * the first post to the last answer.
 */
async function postAll(cluster, batches, opts) {
	const started = Date.now();
	const answers = await Promise.all(
		batches.map((prompts) =>
			cluster.postPrompts(prompts, opts).then(
				(r) => ({ ...r, at: Date.now() - started }),
				(error) => ({ status: null, error: error.message, at: Date.now() - started }),
			),
		),
	);
	return { answers, wallMs: Date.now() - started };
}

/** The chat requests the test server received, grouped by their (single) user prompt, statuses in order. */
function statusesByPrompt(server) {
	const byPrompt = new Map();
	for (const r of server.chatRequests()) {
		const prompt = r.body && r.body.messages && r.body.messages[r.body.messages.length - 1].content;
		if (!byPrompt.has(prompt)) byPrompt.set(prompt, []);
		byPrompt.get(prompt).push(r.status);
	}
	return byPrompt;
}

module.exports = {
	promptBatches,
	postAll,
	statusesByPrompt,
	QueueCluster,
	WORKFLOW,
	WORKFLOW_FILE,
	WEBHOOK_PATH,
	startPostgres,
	startRedis,
	npmInstallPackage,
	readEventLog,
};
