'use strict';
/*
 * The packed package in n8n's queue mode: Postgres, Redis, the pinned n8n as one main process and two
 * workers (tools/n8n/queue.js), the package installed with npm into every process's user folder, and the
 * bundled test server (this process, loopback) answering after 50 ms and taking 8 requests at a time
 * (above that: 429 + Retry-After: 1).
 *   1. Six webhook executions of 200 prompts at once, default node settings: both workers ran executions,
 *      all succeeded, every prompt answered exactly once, back in its own execution, in order and paired.
 *   2. A worker killed (SIGKILL) while executions run: what n8n does with them, and the surviving worker
 *      serving new executions.
 * What happened is written to test/queue/artifacts/last-run.json and printed.
 */
const fs = require('fs');
const path = require('path');
const { ensureN8n, PROFILES } = require('../../tools/n8n/install');
const { ROOT, packPackage, stopAll, sleep, tmpDir } = require('../../tools/n8n/runner');
const {
	QueueCluster,
	promptBatches,
	postAll,
	statusesByPrompt,
	WORKFLOW,
} = require('../../tools/n8n/queue');
const { startCortecsServer, VALID_KEY } = require('../../tools/cortecs-server');

const LATENCY_MS = 50;
const CAPACITY = 8;
const EXECUTIONS = 6;
const ITEMS = 200;
// n8n's recommended minimum; with 6 executions at once it also means neither worker can take them all
const WORKER_CONCURRENCY = 5;
/*
 * Bull's job lock: a worker renews the lock of each running job; a job whose lock lapsed is "stalled" and,
 * as n8n sets maxStalledCount 0, failed by the next stalled-job check of any live worker. n8n's defaults
 * (60 s lock, 30 s check) would make the SIGKILL scenario wait up to 90 s; these notice it in 10-15 s.
 */
const WORKER_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};
const CORTECS = WORKFLOW.nodes.find((n) => n.type === 'n8n-nodes-cortecs.cortecs').name;
const WEBHOOK = WORKFLOW.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').name;

const ARTIFACTS = path.join(ROOT, 'test', 'queue', 'artifacts');
const report = {
	n8n: null,
	postgres: null,
	settings: {
		latencyMs: LATENCY_MS,
		capacity: CAPACITY,
		workerConcurrency: WORKER_CONCURRENCY,
		workerEnv: WORKER_ENV,
	},
};
const log = (line) => process.stderr.write(`[queue] ${line}\n`);

/** @type {import('../../tools/cortecs-server').CortecsServer} */
let server;
/** @type {QueueCluster} */
let cluster;
let work;

/** The prompts an execution received (its webhook's body) and the Cortecs node's output items. */
function runOf(execution) {
	const { resultData, executionData } = execution.data;
	const runData = resultData.runData || {};
	// an execution that never ran on a worker only has the webhook's output waiting on its execution stack
	const webhookOutput = runData[WEBHOOK]
		? runData[WEBHOOK][0].data.main[0]
		: executionData && executionData.nodeExecutionStack.length
			? executionData.nodeExecutionStack[0].data.main[0]
			: null;
	if (!webhookOutput)
		throw new Error(
			`execution ${execution.id} (${execution.status}) has no webhook data: ${JSON.stringify(execution.data).slice(0, 2000)}`,
		);
	const prompts = webhookOutput[0].json.body.prompts;
	const cortecs = runData[CORTECS] ? runData[CORTECS][0].data.main[0] : null;
	return { prompts, cortecs };
}

/** Which worker's own event log records having dequeued each execution. */
function dequeuedBy(workers) {
	const owner = new Map();
	for (const w of workers) {
		for (const e of cluster.workerEvents(w)) {
			if (e.eventName === 'n8n.queue.job.dequeued')
				owner.set(String(e.payload.executionId), w.name);
		}
	}
	return owner;
}

async function waitForEvents(workers, ids, timeoutMs = 15000) {
	const deadline = Date.now() + timeoutMs;
	let owner = dequeuedBy(workers);
	// the event log is written by a worker thread: give it a moment
	while (ids.some((id) => !owner.has(id)) && Date.now() < deadline) {
		await sleep(250);
		owner = dequeuedBy(workers);
	}
	return owner;
}

const lastId = async () => {
	const all = await cluster.executions();
	return all.length ? Number(all[all.length - 1].id) : 0;
};

beforeAll(
	async () => {
		if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Cortecs', 'Cortecs.node.js'))) {
			throw new Error(
				'dist/ is not built: run "npm run build" (npm run test:queue does it for you)',
			);
		}
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		const started = Date.now();
		const install = await ensureN8n(PROFILES.pinned);
		work = tmpDir('cortecs-queue-pack-');
		const { tarball } = packPackage(work);
		server = await startCortecsServer({
			quiet: true,
			latencyMs: LATENCY_MS,
			capacity: CAPACITY,
			retryAfter: '1',
		});
		cluster = new QueueCluster({
			install,
			tarball,
			baseUrl: server.url,
			apiKey: VALID_KEY,
			workers: 2,
			concurrency: WORKER_CONCURRENCY,
			workerEnv: WORKER_ENV,
			log,
		});
		cluster.guard(work);
		await cluster.start();
		report.n8n = install.version;
		report.postgres = cluster.postgres.version;
		report.startupSeconds = Math.round((Date.now() - started) / 1000);
	},
	20 * 60 * 1000,
);

afterAll(
	async () => {
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		fs.writeFileSync(path.join(ARTIFACTS, 'last-run.json'), JSON.stringify(report, null, 2) + '\n');
		log(`report: ${JSON.stringify(report, null, 2)}`);
		if (cluster) {
			for (const w of cluster.workers)
				fs.writeFileSync(path.join(ARTIFACTS, `${w.name}.log`), w.lines.join('\n') + '\n');
			if (cluster.main)
				fs.writeFileSync(
					path.join(ARTIFACTS, 'main.log'),
					cluster.main.serverLog.join('\n') + '\n',
				);
			await cluster.stop();
		}
		if (server) await server.close();
		await stopAll();
		if (work) fs.rmSync(work, { recursive: true, force: true });
	},
	3 * 60 * 1000,
);

test(`${EXECUTIONS} webhook executions × ${ITEMS} prompts at once on 2 workers, default node settings: every prompt answered once, in its own execution, in order and paired`, async () => {
	server.reset();
	const after = await lastId();
	const batches = promptBatches('load', EXECUTIONS, ITEMS);
	const { answers, wallMs } = await postAll(cluster, batches);
	const executions = await cluster.settledExecutions({ afterId: after, count: EXECUTIONS });
	// a failed execution shows n8n's error for it, not only a different HTTP status
	const failures = executions
		.filter((e) => e.status !== 'success')
		.map((e) => ({
			id: e.id,
			status: e.status,
			error: e.data && e.data.resultData.error && e.data.resultData.error.message,
		}));
	expect(failures).toEqual([]);

	// What the webhook callers got: every prompt's answer, in the order posted.
	expect(answers.map((a) => a.status)).toEqual(batches.map(() => 200));
	answers.forEach((a, e) => {
		expect(a.json.map((item) => item.content)).toEqual(batches[e].map((p) => `Echo: ${p}`));
	});

	// n8n's execution records: one per post, all succeeded, each with its own prompts, in order and paired.
	expect(executions.map((e) => [e.mode, e.status])).toEqual(
		batches.map(() => ['webhook', 'success']),
	);
	const seen = new Set();
	for (const execution of executions) {
		const { prompts, cortecs } = runOf(execution);
		const batch = batches.findIndex((b) => b[0] === prompts[0]);
		expect(batch).toBeGreaterThanOrEqual(0);
		expect(seen.has(batch)).toBe(false);
		seen.add(batch);
		expect(prompts).toEqual(batches[batch]);
		expect(cortecs.map((item) => item.json.content)).toEqual(
			batches[batch].map((p) => `Echo: ${p}`),
		);
		expect(cortecs.map((item) => item.pairedItem)).toEqual(
			batches[batch].map((_, i) => ({ item: i })),
		);
	}
	expect(seen.size).toBe(EXECUTIONS);

	// Both workers ran executions, by their own event logs; together exactly these six.
	const ids = executions.map((e) => e.id);
	const owner = await waitForEvents(cluster.workers, ids);
	const perWorker = Object.fromEntries(
		cluster.workers.map((w) => [w.name, ids.filter((id) => owner.get(id) === w.name)]),
	);
	expect(ids.filter((id) => owner.has(id))).toEqual(ids);
	for (const w of cluster.workers) expect(perWorker[w.name].length).toBeGreaterThan(0);
	// the workers' logs agree
	for (const w of cluster.workers)
		expect(
			cluster
				.startedBy(w)
				.filter((id) => ids.includes(id))
				.sort(),
		).toEqual([...perWorker[w.name]].sort());

	// At the server: each prompt answered exactly once; the only repeated requests are retried 429s.
	const byPrompt = statusesByPrompt(server);
	const all = batches.flat();
	expect([...byPrompt.keys()].sort()).toEqual([...all].sort());
	const repeated = [];
	for (const [prompt, statuses] of byPrompt) {
		expect({
			prompt,
			statuses: statuses.slice(0, -1).filter((s) => s !== 429),
			last: statuses[statuses.length - 1],
		}).toEqual({
			prompt,
			statuses: [],
			last: 200,
		});
		if (statuses.length > 1) repeated.push(statuses.length - 1);
	}
	const { stats } = server;
	expect(stats.count429).toBe(repeated.reduce((a, b) => a + b, 0));
	expect(stats.total).toBe(all.length + stats.count429);
	expect(stats.maxInFlight).toBeLessThanOrEqual(CAPACITY);

	report.load = {
		executions: EXECUTIONS,
		itemsPerExecution: ITEMS,
		wallSeconds: wallMs / 1000,
		itemsPerSecond: Math.round((all.length / wallMs) * 1000 * 10) / 10,
		idealSeconds: (Math.ceil(all.length / CAPACITY) * LATENCY_MS) / 1000,
		requests: stats.total,
		count429: stats.count429,
		promptsRetried: repeated.length,
		mostRetriesOfOnePrompt: Math.max(0, ...repeated),
		maxInFlight: stats.maxInFlight,
		executionsPerWorker: Object.fromEntries(
			Object.entries(perWorker).map(([k, v]) => [k, v.length]),
		),
	};
	log(`load: ${JSON.stringify(report.load)}`);
});

test('a worker killed (SIGKILL) while executions run: n8n fails its executions (not re-run), the other worker finishes its own and serves new ones; no prompt is answered twice', async () => {
	server.reset();
	const after = await lastId();
	const batches = promptBatches('kill', EXECUTIONS, ITEMS);
	const postedAt = Date.now();
	const posted = postAll(cluster, batches, { timeoutMs: 3 * 60 * 1000 });

	// Kill once both workers run executions and the server has answered a few hundred prompts.
	const startedAfter = (w) => cluster.startedBy(w).filter((id) => Number(id) > after);
	const deadline = Date.now() + 120000;
	while (!(
		cluster.workers.every((w) => startedAfter(w).length > 0) &&
		(server.stats.countByStatus['200'] || 0) >= 300
	)) {
		if (Date.now() > deadline)
			throw new Error(`no kill point within 120 s: ${JSON.stringify(server.stats)}`);
		await sleep(50);
	}
	const [victim, survivor] = cluster.workers;
	const victimIds = startedAfter(victim);
	// n8n replaces a failed execution's data with the error: note each execution's prompts beforehand
	const promptsOf = new Map(
		(await cluster.executions({ afterId: after })).map((e) => [e.id, runOf(e).prompts]),
	);
	expect(promptsOf.size).toBe(EXECUTIONS);
	const atKill = {
		answered: server.stats.countByStatus['200'] || 0,
		inFlight: server.stats.inFlight,
	};
	const killedAt = Date.now();
	await cluster.killWorker(victim);
	cluster.workers = [survivor];
	log(
		`killed ${victim.name} (running executions ${victimIds.join(', ')}) with ${atKill.inFlight} requests in flight`,
	);

	const { answers } = await posted;
	const executions = await cluster.settledExecutions({
		afterId: after,
		count: EXECUTIONS,
		timeoutMs: 60000,
	});
	const byId = new Map(executions.map((e) => [e.id, e]));
	const survivorIds = executions.map((e) => e.id).filter((id) => !victimIds.includes(id));

	// What the webhook callers got, per batch, and what n8n recorded, per execution.
	const batchOf = (e) => batches.findIndex((b) => b[0] === promptsOf.get(e.id)[0]);
	const outcome = executions.map((e) => ({
		id: e.id,
		worker: victimIds.includes(e.id) ? victim.name : survivor.name,
		status: e.status,
		error: e.data && e.data.resultData.error ? e.data.resultData.error.message : undefined,
		http: answers[batchOf(e)].status,
		httpBody:
			answers[batchOf(e)].status === 200
				? `${answers[batchOf(e)].json.length} items`
				: answers[batchOf(e)].text || answers[batchOf(e)].error,
		httpSecondsAfterKill: Math.round((answers[batchOf(e)].at - (killedAt - postedAt)) / 100) / 10,
	}));
	log(`after the kill: ${JSON.stringify(outcome, null, 1)}`);

	// The survivor's executions all completed, with every answer in order.
	expect(executions).toHaveLength(EXECUTIONS);
	for (const id of survivorIds) {
		const e = byId.get(id);
		expect(e.status).toBe('success');
		expect(runOf(e).prompts).toEqual(promptsOf.get(id));
		const b = batchOf(e);
		expect(answers[b].status).toBe(200);
		expect(answers[b].json.map((item) => item.content)).toEqual(
			batches[b].map((p) => `Echo: ${p}`),
		);
	}
	// The killed worker's executions were failed, not re-run elsewhere: no other worker picked them up.
	expect(victimIds.length).toBeGreaterThan(0);
	for (const id of victimIds) {
		const o = outcome.find((x) => x.id === id);
		expect([o.status, o.http, o.httpBody]).toEqual([
			'error',
			500,
			JSON.stringify({ message: 'Error in workflow' }),
		]);
		expect(o.error).toMatch(/failed to be processed too many times and will no longer retry/);
	}
	expect(cluster.startedBy(survivor).filter((id) => victimIds.includes(id))).toEqual([]);

	// Billing: no prompt was answered twice; the killed executions' answered prompts are paid for and lost.
	const byPrompt = statusesByPrompt(server);
	const answeredTwice = [...byPrompt]
		.filter(([, statuses]) => statuses.filter((s) => s === 200).length > 1)
		.map(([prompt]) => prompt);
	expect(answeredTwice).toEqual([]);
	const victimPrompts = victimIds.flatMap((id) => promptsOf.get(id));
	const paidAndLost = victimPrompts.filter((p) => (byPrompt.get(p) || []).includes(200)).length;

	// The survivor serves new executions.
	const more = promptBatches('after-kill', 2, 50);
	const afterKill = await lastId();
	const next = await postAll(cluster, more);
	expect(next.answers.map((a) => a.status)).toEqual([200, 200]);
	next.answers.forEach((a, i) =>
		expect(a.json.map((item) => item.content)).toEqual(more[i].map((p) => `Echo: ${p}`)),
	);
	const fresh = await cluster.settledExecutions({ afterId: afterKill, count: 2 });
	expect(fresh.map((e) => e.status)).toEqual(['success', 'success']);
	const owner = await waitForEvents(
		[survivor],
		fresh.map((e) => e.id),
	);
	expect(fresh.map((e) => owner.get(e.id))).toEqual([survivor.name, survivor.name]);

	report.kill = {
		killed: victim.name,
		atKill,
		executions: outcome,
		victimPrompts: victimPrompts.length,
		paidAndLost,
		promptsAnsweredTwice: answeredTwice.length,
		newExecutionsAfterKill: fresh.map((e) => ({
			id: e.id,
			status: e.status,
			worker: owner.get(e.id),
		})),
		mainLog: cluster.main.serverLog
			.filter((l) =>
				victimIds.some((id) => l.includes(`Execution ${id} `) || l.includes(`execution ${id}`)),
			)
			.slice(0, 10),
	};
});
