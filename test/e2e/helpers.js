'use strict';
/*
 * What every e2e file shares: the state global-setup.js prepared (n8n install, Chromium, the packed
 * package, an n8n user folder with the workflows imported),
 * `useN8n()` for the per-file lifecycle, helpers to run workflows and compare their outputs and the
 * requests the test server received with test/e2e/expected/*.json, to drive the editor in headless
 * Chromium, and to start `npm start`.
 */
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { N8n, ROOT, getFreePort, sleep, stopAll } = require('../../tools/n8n/runner');
const {
	EXAMPLES_DIR,
	importAll,
	chatModelMinN8n,
	runsChatModel,
} = require('../../tools/n8n/setup');
const { startCortecsServer, VALID_KEY } = require('../../tools/cortecs-server');

const state = JSON.parse(process.env.E2E_STATE || 'null');
if (!state)
	throw new Error(
		'E2E_STATE is missing: run the suite with `npm run test:e2e` (jest -c test/e2e/jest.config.js)',
	);

const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const EXPECTED = path.join(__dirname, 'expected');
const E2E_WORKFLOWS = path.join(__dirname, 'workflows');
const UPDATE = process.env.E2E_UPDATE === '1';
const OWNER = {
	email: 'e2e@example.com',
	password: 'Cortecs-e2e-1',
	firstName: 'E2E',
	lastName: 'Runner',
};
const NODE_TYPE = 'n8n-nodes-cortecs.cortecs';
const TOOL_TYPE = 'n8n-nodes-cortecs.cortecsTool';
/** A copy of the scheduled example that fires every 3 seconds (made by global-setup.js). */
const SCHEDULED_COPY_ID = state.scheduledCopyId;
const N8N = state.install.version;

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const example = (file) => readJson(path.join(EXAMPLES_DIR, file));
const e2eWorkflow = (file) => readJson(path.join(E2E_WORKFLOWS, file));
const tail = (text, n = 60) => String(text).split('\n').slice(-n).join('\n');

/**
 * The test server and n8n of the current test file (each e2e file has its own module registry, so this
 * is per file).
 * @type {{mock: import('../../tools/cortecs-server').CortecsServer | null, n8n: N8n | null}}
 */
const running = { mock: null, n8n: null };

/**
 * Before the file's tests: the test server on a free port, and n8n on the prepared user folder with the
 * credentials imported again to point at that server (with `server: true` also n8n's HTTP server, signed
 * in as the owner; files run one at a time, so they take turns on the folder). After
 * them: n8n's server log goes to artifacts/n8n-<version>-<name>-server.log, and everything is stopped.
 * @param {string} name the file's concern, e.g. 'examples'
 * @param {{server?: boolean}} [o]
 */
function useN8n(name, { server = false } = {}) {
	beforeAll(
		async () => {
			fs.mkdirSync(ARTIFACTS, { recursive: true });
			running.mock = await startCortecsServer({ quiet: true });
			running.n8n = new N8n({ install: state.install, userFolder: state.n8nHome });
			await importAll(running.n8n, {
				apiKey: VALID_KEY,
				baseUrl: running.mock.url,
				workDir: path.join(state.work, 'import', name),
				workflowDirs: [],
			});
			if (server) {
				await running.n8n.start({ readyTimeoutMs: 3 * 60 * 1000 });
				await running.n8n.ensureOwnerAndLogin(OWNER);
			}
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		const { n8n, mock } = running;
		if (n8n) {
			if (n8n.serverLog.length) {
				const log = path.join(ARTIFACTS, `n8n-${N8N}-${name}-server.log`);
				fs.writeFileSync(log, n8n.serverLog.join('\n') + '\n');
			}
			await n8n.stop();
		}
		if (mock) await mock.close();
		await stopAll();
	}, 60 * 1000);

	return running;
}

/**
 * For the tests of a describe block that come after its file's `n8n execute` tests: n8n serving (REST, the
 * editor), signed in as the owner.
 */
function serveN8n() {
	beforeAll(
		async () => {
			await running.n8n.start({ readyTimeoutMs: 3 * 60 * 1000 });
			await running.n8n.ensureOwnerAndLogin(OWNER);
		},
		5 * 60 * 1000,
	);
}

/** A sub-node type as n8n's REST API lists it: no inputs, `output`, the credential, no tool variant. */
async function expectSubNodeListed(type, displayName, output) {
	const nodes = await running.n8n.restOk('GET', '/types/nodes.json');
	expect(nodes.find((n) => n.name === type)).toMatchObject({
		displayName,
		inputs: [],
		outputs: [output],
		credentials: [expect.objectContaining({ name: 'cortecsApi', required: true })],
	});
	expect(nodes.find((n) => n.name === `${type}Tool`)).toBeUndefined();
}

/** A Model list of node `type` (list search `methodName`) through n8n's REST API, as the editor loads it. */
async function modelListOverRest(type, methodName) {
	running.mock.reset();
	return await running.n8n.restOk(
		'POST',
		'/rest/dynamic-node-parameters/resource-locator-results',
		{
			nodeTypeAndVersion: { name: type, version: 1 },
			path: 'parameters.model',
			methodName,
			filter: '',
			currentNodeParameters: { model: { __rl: true, mode: 'list', value: '' } },
			credentials: { cortecsApi: { id: 'CortecsCredDemo1', name: 'Cortecs account' } },
		},
	);
}

/** `n8n execute` of an imported workflow (with `env` added), with the server's request log cleared first. */
async function execute(id, { env = {} } = {}) {
	running.mock.reset();
	const r = await running.n8n.execute(id, {
		env: { N8N_LOG_LEVEL: 'info', ...env },
		timeoutMs: 3 * 60 * 1000,
	});
	if (!r.result)
		throw new Error(
			`n8n execute --id=${id} printed no run data (exit ${r.code}):\n${tail(r.stdout)}\n${tail(r.stderr)}`,
		);
	fs.writeFileSync(
		path.join(ARTIFACTS, `n8n-${N8N}-${id}.json`),
		JSON.stringify(r.result, null, 2),
	);
	return { code: r.code, resultData: r.result.data.resultData, stdout: r.stdout, stderr: r.stderr };
}

/** `execute`, and the run must succeed: no execution error, exit code 0. */
async function executeOk(id, options) {
	const run = await execute(id, options);
	expect(run.resultData.error).toBeUndefined();
	expect(run.code).toBe(0);
	return run;
}

/** A node's output items (`json`, plus a normalised `error` on error items) for one connection type. */
function itemsOf(resultData, nodeName, { run = 0, type = 'main', output = 0 } = {}) {
	const runs = resultData.runData[nodeName];
	if (!runs)
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(resultData.runData).join(', ')}`,
		);
	const r = runs[run];
	if (!r) throw new Error(`node "${nodeName}" has no run ${run}`);
	if (r.error) throw new Error(`node "${nodeName}" failed: ${r.error.message}`);
	return ((r.data && r.data[type] && r.data[type][output]) || []).map(normaliseItem);
}

function normaliseItem(item) {
	const out = { json: item.json };
	if (item.error) {
		const { name, message, description, httpCode } = item.error;
		out.error = JSON.parse(JSON.stringify({ name, message, description, httpCode }));
	}
	return out;
}

const jsonOf = (items) => items.map((i) => i.json);

/** The requests the Cortecs-compatible server received: what matters of each, in arrival order. */
function requestsSeen() {
	return running.mock.requests.map((r) => ({
		method: r.method,
		path: r.path,
		...(Object.keys(r.query || {}).length ? { query: r.query } : {}),
		authorization: r.headers.authorization,
		status: r.status,
		...(r.body !== undefined ? { body: r.body } : {}),
	}));
}

const chatRequests = () =>
	requestsSeen().filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

/**
 * A copy of `list` in a fixed order (by JSON text), for comparing what concurrent requests carried: the
 * items of one node run are sent concurrently, so the order in which they
 * arrive is not defined; what they carry is.
 */
function inCanonicalOrder(list) {
	const key = (value) => JSON.stringify(value);
	return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The bodies of the chat requests the server received, compared with `expected` in canonical order. */
function expectChatBodies(expected) {
	expect(inCanonicalOrder(chatRequests().map((r) => r.body))).toEqual(inCanonicalOrder(expected));
}

/** Every node's output (all runs, all outputs, every connection type) except those of trigger nodes. */
function allOutputs(resultData, workflow) {
	const triggers = new Set(
		workflow.nodes.filter((n) => /trigger/i.test(n.type)).map((n) => n.name),
	);
	const outputs = {};
	for (const [name, runs] of Object.entries(resultData.runData)) {
		if (triggers.has(name)) continue;
		outputs[name] = runs.map((r) => {
			if (r.error)
				return {
					error: { name: r.error.name, message: r.error.message, description: r.error.description },
				};
			const byType = {};
			for (const [type, outs] of Object.entries(r.data || {}))
				byType[type] = outs.map((items) => (items || []).map(normaliseItem));
			return byType;
		});
	}
	return outputs;
}

/**
 * Compares with test/e2e/expected/<name>.json (E2E_UPDATE=1 writes it instead). Rather than jest
 * snapshots: readable JSON files that a reviewer diffs like any other file.
 */
function expectRecorded(name, actual) {
	const file = path.join(EXPECTED, `${name}.json`);
	if (UPDATE) {
		fs.mkdirSync(EXPECTED, { recursive: true });
		fs.writeFileSync(file, JSON.stringify(recordable(actual), null, 2) + '\n');
		return;
	}
	if (!fs.existsSync(file)) {
		throw new Error(
			`${path.relative(ROOT, file)} is missing: run E2E_UPDATE=1 npm run test:e2e, review and commit it`,
		);
	}
	expect(recordable(actual)).toEqual(readJson(file));
}

/** Every node's output and the requests the server received, compared with the recording `name`. */
function expectRecordedRun(name, resultData, workflow) {
	expectRecorded(name, { outputs: allOutputs(resultData, workflow), requests: requestsSeen() });
}

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

/**
 * n8n's editor in headless Chromium, signed in as the owner: `drive({ page, shot })` works in it, where
 * `shot(name)` is the path of artifacts/n8n-<version>-<name>.png; when it throws, the page is captured as
 * `failureShot`. The browser reaches loopback only: anything else the editor tries to fetch is refused.
 * @param {N8n} n8n a started n8n
 * @param {string} failureShot
 * @param {(editor: {page: import('playwright-core').Page, shot: (name: string) => string}) => Promise<void>} drive
 * @returns {Promise<string[]>} the origins off loopback the editor tried to reach
 */
async function inEditor(n8n, failureShot, drive) {
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({
		executablePath: state.chromium,
		args: CHROMIUM_ARGS,
		timeout: 60 * 1000,
	});
	const shot = (name) => path.join(ARTIFACTS, `n8n-${N8N}-${name}.png`);
	const offHost = [];
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60 * 1000);
		await page.route('**/*', (route) => {
			const u = new URL(route.request().url());
			if (
				['127.0.0.1', 'localhost'].includes(u.hostname) ||
				u.protocol === 'data:' ||
				u.protocol === 'blob:'
			)
				return route.continue();
			offHost.push(u.origin);
			return route.abort();
		});
		try {
			await page.goto(`${n8n.url}/signin`);
			await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
			await page.fill('input[name="password"]', OWNER.password);
			await page.click('[data-test-id="form-submit-button"]');
			await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
			await drive({ page, shot });
		} catch (err) {
			await page.screenshot({ path: shot(failureShot) }).catch(() => {});
			throw err;
		}
	} finally {
		await browser.close();
	}
	return offHost;
}

/**
 * Opens a canvas node's parameters (its NDV). `label(text)` is a parameter's label, matched by its whole
 * text; `modelInput` the Model parameter's text field.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} node
 */
async function openNode(page, node) {
	await node.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	const label = (text) =>
		ndv.locator('label.n8n-input-label').getByText(text, { exact: true }).first();
	const modelInput = ndv.locator(
		'[data-test-id="resource-locator-model"] [data-test-id="rlc-input"]',
	);
	return { ndv, label, modelInput };
}

/** Each of these parameter labels, scrolled to, is visible. */
async function expectLabelsVisible(label, texts) {
	for (const text of texts) {
		await label(text).scrollIntoViewIfNeeded();
		await expect(label(text).isVisible()).resolves.toBe(true);
	}
}

/**
 * `npm start` on a free port, in the folder `home`, without an API key (so with the bundled server),
 * waited for until it says n8n is ready or 3 minutes have passed. `viaNpm`: through npm, in a process
 * group of its own as a terminal's foreground job; otherwise scripts/start.js itself.
 * @param {string} home
 * @param {{viaNpm?: boolean}} [o]
 */
async function startNpmStart(home, { viaNpm = false } = {}) {
	const port = await getFreePort();
	const env = { ...process.env, N8N_START_HOME: home };
	delete env.CORTECS_API_KEY;
	const options = ['--no-build', '--port', String(port)];
	if (state.profileName === 'latest') options.push('--latest');
	const stdio = ['ignore', 'pipe', 'pipe'];
	const child = viaNpm
		? spawn('npm', ['start', '--', ...options], { cwd: ROOT, env, stdio, detached: true })
		: spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js'), ...options], {
				cwd: ROOT,
				env,
				stdio,
			});
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	const deadline = Date.now() + 3 * 60 * 1000;
	while (!out.includes('Press Ctrl-C to stop.') && Date.now() < deadline && child.exitCode === null)
		await sleep(250);
	/** How it exited, or `{code: 'timeout'}` when it has not within `ms`. */
	async function exitWithin(ms) {
		let timer;
		const timeout = new Promise(
			(resolve) => (timer = setTimeout(() => resolve({ code: 'timeout' }), ms)),
		);
		const result = await Promise.race([exited, timeout]);
		clearTimeout(timer);
		return result;
	}
	return { child, port, output: () => out, exitWithin };
}

/** The first n8n that ships @n8n/ai-node-sdk, which the Cortecs Chat Model needs. */
const CHAT_MODEL_MIN_N8N = chatModelMinN8n();
/** Whether the n8n under test can run the Cortecs Chat Model. */
const HAS_SDK = runsChatModel(N8N);

/** What a recording holds: the requests in canonical order (see inCanonicalOrder). */
function recordable(actual) {
	return actual.requests ? { ...actual, requests: inCanonicalOrder(actual.requests) } : actual;
}

module.exports = {
	// the n8n under test and what global-setup.js prepared
	state,
	N8N,
	CHAT_MODEL_MIN_N8N,
	HAS_SDK,
	ROOT,
	ARTIFACTS,
	EXAMPLES_DIR,
	OWNER,
	NODE_TYPE,
	TOOL_TYPE,
	SCHEDULED_COPY_ID,
	// workflows and runs
	readJson,
	example,
	e2eWorkflow,
	useN8n,
	execute,
	executeOk,
	// n8n serving
	serveN8n,
	expectSubNodeListed,
	modelListOverRest,
	// what a run did
	itemsOf,
	jsonOf,
	allOutputs,
	requestsSeen,
	chatRequests,
	inCanonicalOrder,
	// comparisons
	expectChatBodies,
	expectRecordedRun,
	expectRecorded,
	// npm start
	startNpmStart,
	// the editor
	inEditor,
	openNode,
	expectLabelsVisible,
};
