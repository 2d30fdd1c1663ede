'use strict';

/**
 * The Cortecs Chat Model against n8n's own OpenAI Chat Model, side by side in one run of a real n8n 2.41.1
 * (npm run bench:chat-model): the same Basic LLM Chain over 200 items, under each model sub-node, against
 * the same test server (the OpenAI credential's Base URL points at it; Use Responses API off, so both send
 * Chat Completions). Each chain is a published workflow behind a webhook (Webhook → Code: one item per
 * prompt → Basic LLM Chain with Continue On Fail, its default batching of 5 items at a time), so a run is
 * one POST and n8n's start-up is not timed. Not a test: it prints numbers, and checks every answer it counts
 * as answered.
 *
 *   1. L = 50 ms, no capacity limit: wall time of each (median of --runs, alternating), the ratio
 *      Cortecs / OpenAI.
 *   2. L = 50 ms, capacity 2 (above it 429 + Retry-After: 1): failed items of each, and of the Cortecs
 *      Chat Model under a chain with Batch Size 2.
 *
 *   node bench/chat-model.js [--out report.md] [--runs 5]
 */
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const { startChildServer } = require('./lib/child-server');
const { median, loadAverage, cpuAndMemory, numberOption } = require('./lib/machine');
const { ensureN8n, PROFILES } = require('../tools/n8n/install');
const { N8n, request, stopAll, exitOnSignals, tmpDir } = require('../tools/n8n/runner');
const { installPackage, importAll, CREDENTIALS } = require('../tools/n8n/setup');
const { VALID_KEY } = require('../tools/cortecs-server');

const args = process.argv.slice(2);
const OUT = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const RUNS = numberOption(args, '--runs', 5);

const ITEMS = 200;
const LATENCY_MS = 50;
const CAPACITY = 2;
/** The Basic LLM Chain's default Batching: 5 items at a time, the next batch when all 5 are answered. */
const CHAIN_BATCH = 5;
const IDEAL_S = (Math.ceil(ITEMS / CHAIN_BATCH) * LATENCY_MS) / 1000;
const MODEL = 'mistral-small-2503';
const OWNER = { email: 'bench@example.com', password: 'Cortecs-bench-1' };

const log = (line) => process.stderr.write(`[bench:chat-model] ${line}\n`);

const CORTECS_MODEL = {
	type: 'n8n-nodes-cortecs.lmChatCortecs',
	typeVersion: 1,
	parameters: { model: { __rl: true, mode: 'id', value: MODEL }, options: {} },
	credentials: { cortecsApi: { id: CREDENTIALS.cortecs.id, name: CREDENTIALS.cortecs.name } },
};

/**
 * What runs: each model sub-node at its defaults but for the model (and Chat Completions for OpenAI's) under
 * the chain at its defaults; at capacity 2 also the Cortecs Chat Model under a chain that sends at most 2 at a
 * time (its Batching → Batch Size), to show what the chain's setting is worth.
 */
const SETUPS = {
	cortecs: { label: 'Cortecs Chat Model', model: CORTECS_MODEL },
	openAi: {
		label: "n8n's OpenAI Chat Model",
		model: {
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			parameters: {
				model: { __rl: true, mode: 'id', value: MODEL },
				responsesApiEnabled: false,
				options: {},
			},
			credentials: { openAiApi: { id: CREDENTIALS.openAi.id, name: CREDENTIALS.openAi.name } },
		},
	},
	cortecsBatch2: {
		label: 'Cortecs Chat Model, chain Batch Size 2',
		model: CORTECS_MODEL,
		batching: { batchSize: CAPACITY },
	},
};
/** The side-by-side comparison; the other setup runs at capacity 2 only. */
const COMPARED = ['cortecs', 'openAi'];

/** Webhook (answers with every item of the last node) → one item per prompt → the chain of `setup`. */
function chainWorkflow(key, setup) {
	const node = (name, position, rest) => ({ id: randomUUID(), name, position, ...rest });
	return {
		id: `benchChain${key[0].toUpperCase()}${key.slice(1)}`,
		name: `bench: Basic LLM Chain, ${setup.label}`,
		active: false,
		nodes: [
			node('Prompts in', [0, 0], {
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: `bench-${key}`,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			}),
			node('One item per prompt', [220, 0], {
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: 'return $json.body.prompts.map((prompt) => ({ json: { prompt } }));',
				},
			}),
			node('Answer', [440, 0], {
				type: '@n8n/n8n-nodes-langchain.chainLlm',
				typeVersion: 1.7,
				onError: 'continueRegularOutput',
				parameters: {
					promptType: 'define',
					text: '={{ $json.prompt }}',
					...(setup.batching ? { batching: setup.batching } : {}),
				},
			}),
			node('Model', [440, 220], setup.model),
		],
		connections: {
			'Prompts in': { main: [[{ node: 'One item per prompt', type: 'main', index: 0 }]] },
			'One item per prompt': { main: [[{ node: 'Answer', type: 'main', index: 0 }]] },
			Model: { ai_languageModel: [[{ node: 'Answer', type: 'ai_languageModel', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * One run: 200 prompts posted to the chain of `key`. Answered = the item's text is the test server's echo of
 * its prompt; every other item (an error item, or none) counts as failed.
 */
async function measure(n8n, server, key, tag) {
	await server.reset();
	const prompts = Array.from({ length: ITEMS }, (_, i) => `${tag} prompt ${i + 1}`);
	const started = performance.now();
	const res = await request('POST', `${n8n.url}/webhook/bench-${key}`, {
		body: { prompts },
		timeoutMs: 15 * 60 * 1000,
	});
	const wallS = (performance.now() - started) / 1000;
	const stats = await server.stats();
	const items = res.status === 200 && Array.isArray(res.json) ? res.json : [];
	const answered = prompts.filter((p, i) => items[i] && items[i].text === `Echo: ${p}`).length;
	const errors = [...new Set(items.filter((i) => i.error).map((i) => String(i.error)))];
	return {
		key,
		wallS,
		status: res.status,
		answered,
		failed: ITEMS - answered,
		errors,
		requests: stats.total,
		count429: stats.count429,
		maxInFlight: stats.maxInFlight,
	};
}

async function main() {
	const install = await ensureN8n(PROFILES.latest);
	const work = tmpDir('cortecs-bench-chat-model-');
	const userFolder = path.join(work, 'n8n-home');
	const workflowsDir = path.join(work, 'workflows');
	fs.mkdirSync(workflowsDir, { recursive: true });
	for (const [key, setup] of Object.entries(SETUPS))
		fs.writeFileSync(
			path.join(workflowsDir, `${key}.json`),
			JSON.stringify(chainWorkflow(key, setup), null, 2),
		);
	installPackage(userFolder, path.join(work, 'pack'));
	const server = await startChildServer({ latencyMs: LATENCY_MS, capacity: null, retryAfter: '1' });
	const n8n = new N8n({ install, userFolder });
	exitOnSignals(async () => {
		await n8n.stop();
		await server.close();
	});
	const loadBefore = loadAverage();
	const rows = { speed: [], capacity: [] };
	try {
		await importAll(n8n, {
			apiKey: VALID_KEY,
			baseUrl: server.url,
			workDir: path.join(work, 'import'),
			workflowDirs: [workflowsDir],
		});
		await n8n.start({ readyTimeoutMs: 3 * 60 * 1000 });
		await n8n.ensureOwnerAndLogin(OWNER);
		for (const [key, setup] of Object.entries(SETUPS))
			await n8n.publishWorkflow(chainWorkflow(key, setup).id, `bench-${key}`);
		log(`n8n ${install.version} on :${n8n.port}, test server ${server.url}`);

		// 1: no capacity limit; a warm-up run each loads the sub-node, its credential and the chain
		for (const key of Object.keys(SETUPS)) await measure(n8n, server, key, `warm-up ${key}`);
		for (let run = 1; run <= RUNS; run++) {
			for (const key of run % 2 ? COMPARED : [...COMPARED].reverse()) {
				const row = await measure(n8n, server, key, `speed r${run} ${key}`);
				rows.speed.push(row);
				log(`L=${LATENCY_MS} ms, run ${run}: ${JSON.stringify(row)}`);
			}
		}
		// 2: capacity 2
		await server.configure({ capacity: CAPACITY });
		for (const key of Object.keys(SETUPS)) {
			const row = await measure(n8n, server, key, `capacity ${key}`);
			rows.capacity.push(row);
			log(`C=${CAPACITY}: ${JSON.stringify(row)}`);
		}
	} finally {
		await n8n.stop();
		await server.close();
		await stopAll();
		fs.rmSync(work, { recursive: true, force: true });
	}

	const lines = [];
	const out = (line = '') => lines.push(line);
	out(`Machine: ${cpuAndMemory()}; n8n ${install.version} on Node ${PROFILES.latest.node}.`);
	out(`Load average before / after: ${loadBefore} / ${loadAverage()}.`);
	out();
	const of = (list, key) => list.filter((r) => r.key === key);
	const walls = (key) => of(rows.speed, key).map((r) => r.wallS);
	const fmt = (values) =>
		`${median(values).toFixed(2)} (${values.map((v) => v.toFixed(2)).join(', ')})`;
	out(
		`1. Basic LLM Chain, ${ITEMS} items, L = ${LATENCY_MS} ms, no capacity limit: median of ${RUNS} runs (all in brackets), alternating, after a warm-up run each. Ideal: ceil(${ITEMS}/${CHAIN_BATCH}) batches × ${LATENCY_MS} ms = ${IDEAL_S} s.`,
	);
	out();
	out('| Model sub-node | Wall (s) | Answered | Requests | 429s | Max in flight (server) |');
	out('| --- | ---: | ---: | ---: | ---: | ---: |');
	for (const key of COMPARED) {
		const list = of(rows.speed, key);
		out(
			`| ${SETUPS[key].label} | ${fmt(walls(key))} | ${list.map((r) => r.answered).join(', ')} | ${median(list.map((r) => r.requests))} | ${median(list.map((r) => r.count429))} | ${Math.max(...list.map((r) => r.maxInFlight))} |`,
		);
	}
	const ratio = median(walls('cortecs')) / median(walls('openAi'));
	// each run's two rows ran back to back, so their ratio is less exposed to the machine's other load
	const paired = walls('cortecs').map((wall, i) => wall / walls('openAi')[i]);
	out();
	out(
		`Wall time Cortecs / OpenAI: ${ratio.toFixed(2)} (medians); per run ${fmt(paired)} (target ≤ 1.0).`,
	);
	out();
	out(
		`2. The same at capacity ${CAPACITY} (above it 429 + Retry-After: 1), one run each: failed items (target 0 for Cortecs).`,
	);
	out();
	out('| Model sub-node | Failed items | Answered | Wall (s) | Requests | 429s | Errors |');
	out('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
	for (const r of rows.capacity)
		out(
			`| ${SETUPS[r.key].label} | ${r.failed} | ${r.answered} | ${r.wallS.toFixed(2)} | ${r.requests} | ${r.count429} | ${r.errors.join('; ').replace(/\|/g, '\\|') || (r.status === 200 ? '–' : `HTTP ${r.status}`)} |`,
		);
	const report = lines.join('\n');
	process.stdout.write(`${report}\n`);
	if (OUT) fs.writeFileSync(OUT, `${report}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exitCode = 1;
});
