'use strict';

/**
 * The node types and runs the benchmarks compare. For chat (bench/run.js), three ways to send 1,000 chat
 * completions:
 * - the Cortecs node, compiled (dist/), run by n8n-core's RoutingNode through tools/harness/routing.js;
 * - a "probe": the smallest declarative node that sends the same body with the same cap on requests in
 *   flight, run the same way. It has no node code besides a 10-line semaphore, so its cost is n8n's;
 * - axios alone, with the same bodies, headers, concurrency and connection handling as n8n-core.
 * For embeddings (bench/embeddings.js), a "floor": the smallest declarative node that turns items into
 * requests, answered without HTTP, so its time is n8n's preparation of the items alone.
 */
const http = require('node:http');
const path = require('node:path');
const dc = require('node:diagnostics_channel');

const root = path.join(__dirname, '..', '..');
const harness = require(path.join(root, 'tools', 'harness', 'routing'));
const axios = require(require.resolve('axios', { paths: [root] }));
const { DirectoryLoader } = require(require.resolve('n8n-core', { paths: [root] }));

const MODEL = 'mistral-small-2503';
const API_KEY = 'test-key-valid';

/** The first HTTP request any client in this process starts after `since` (performance.now()). */
let firstRequestAt = 0;
dc.subscribe('http.client.request.start', () => {
	if (!firstRequestAt) firstRequestAt = performance.now();
});

function makeItems(count) {
	return Array.from({ length: count }, (_, i) => ({
		json: {
			prompt: `Summarise support ticket #${i + 1}: the customer cannot export the monthly invoice as PDF.`,
		},
	}));
}

/** The body the node sends for one item (checked against the node's real request in run.js). */
const bodyFor = (item) => ({
	model: MODEL,
	messages: [{ role: 'user', content: item.json.prompt }],
});

/**
 * The node type as n8n's loader prepares it: the harness adds n8n's own Request Options (Batching,
 * Timeout) once, as the loader does.
 */
const cortecsNodeType = () => harness.nodeType();

/**
 * The node's parameters for one user message from `$json.prompt`, with the Throughput options
 * (`throughput`) and n8n's Batching when given.
 */
function cortecsParameters({ throughput, batching } = {}) {
	return harness.chatParameters({
		messages: { message: [{ role: 'user', content: '={{ $json.prompt }}' }] },
		...(throughput ? { throughput } : {}),
		...(batching ? { requestOptions: { batching: { batch: batching } } } : {}),
	});
}

/** A per-run semaphore around makeRoutingRequest: the least a declarative node can do to cap requests. */
function semaphorePagination(limit) {
	const runs = new WeakMap();
	return async function (requestData) {
		const key = this.getExecuteData();
		let sem = runs.get(key);
		if (!sem) runs.set(key, (sem = { active: 0, queue: [] }));
		if (sem.active >= limit) await new Promise((resolve) => sem.queue.push(resolve));
		else sem.active++;
		try {
			return await this.makeRoutingRequest(requestData);
		} finally {
			const next = sem.queue.shift();
			if (next) next();
			else sem.active--;
		}
	};
}

/**
 * A bare declarative node with the Cortecs credential: what the benchmark's baselines are made of. It is
 * named `cortecs` so that the harness runs it where it runs the Cortecs node.
 */
function declarativeNode(displayName, description, requestDefaults, properties) {
	return {
		description: {
			displayName,
			name: 'cortecs',
			group: ['transform'],
			version: 1,
			description,
			defaults: { name: displayName },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'cortecsApi', required: true }],
			requestDefaults,
			properties,
		},
	};
}

/** The probe node: model and one user message, routed to the body; nothing else. */
function probeNodeType(baseUrl, limit) {
	return declarativeNode(
		'Probe',
		'The smallest declarative node that sends a chat completion',
		{
			baseURL: baseUrl,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		[
			{
				displayName: 'Model',
				name: 'model',
				type: 'string',
				default: '',
				routing: {
					request: { method: 'POST', url: '/chat/completions' },
					send: { type: 'body', property: 'model', paginate: true },
					operations: { pagination: semaphorePagination(limit) },
				},
			},
			{
				displayName: 'Role',
				name: 'role',
				type: 'string',
				default: 'user',
				routing: { send: { type: 'body', property: 'messages[0].role' } },
			},
			{
				displayName: 'Content',
				name: 'content',
				type: 'string',
				default: '',
				routing: { send: { type: 'body', property: 'messages[0].content' } },
			},
		],
	);
}

const probeParameters = () => ({ model: MODEL, role: 'user', content: '={{ $json.prompt }}' });

/**
 * The floor node: one Text property routed to the body's `input`, whose pagination hook answers every
 * item at once with an empty vector and sends nothing. RoutingNode still builds each item's request
 * (its properties, the expression, n8n's Request Options, which the loader adds to every declarative
 * node as it does to Cortecs): what any declarative node pays per item before its first request.
 */
function floorNodeType() {
	const type = declarativeNode(
		'Floor',
		'The smallest declarative node that turns items into requests',
		{ baseURL: 'http://127.0.0.1:9' },
		[
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				default: '',
				routing: {
					request: { method: 'POST', url: '/embeddings' },
					send: { type: 'body', property: 'input', paginate: true },
					operations: { pagination: async () => [{ json: { embedding: [] } }] },
				},
			},
		],
	);
	DirectoryLoader.applyDeclarativeNodeOptionParameters(type);
	return type;
}

/** The floor node's parameters: the text from the item, as the embedding benchmark gives Cortecs. */
const floorParameters = (text = '={{ $json.text }}') => ({ text });

const isSuccess = (item) =>
	!item.error &&
	!(item.json && item.json.error) &&
	(typeof item.json.content === 'string' || Array.isArray(item.json.choices));

/**
 * One node execution over `items`. Returns wall time, time until the first request left, CPU time of this
 * process, and how many items came back as successes.
 */
async function runWorkflowNode(options) {
	const { baseUrl, type, parameters, items, continueOnFail = true, keepOutput = false } = options;
	firstRequestAt = 0;
	const cpu = process.cpuUsage();
	const started = performance.now();
	const result = await harness.runNode({
		baseUrl,
		apiKey: API_KEY,
		type,
		parameters,
		items,
		continueOnFail,
	});
	const wallMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	const ok = result.error ? 0 : result.items.filter(isSuccess).length;
	return {
		wallMs,
		firstRequestMs: firstRequestAt ? firstRequestAt - started : NaN,
		cpuMs: (used.user + used.system) / 1000,
		ok,
		failed: items.length - ok,
		error: result.error ? String(result.error.message).slice(0, 120) : undefined,
		...(keepOutput ? { output: result.items } : {}),
	};
}

/**
 * axios alone: `concurrency` workers take the next item and send its body until none is left. Like
 * n8n-core, every request gets a new http.Agent (no keep-alive, a new connection each time) unless
 * `keepAlive` is set. `body` builds an item's body as its request leaves (the files benchmark reads the
 * item's file there); by default the node's body for a prompt, built before the clock starts.
 */
async function runAxios({ baseUrl, items, concurrency, keepAlive = false, body: bodyOf }) {
	// A fresh instance: n8n-core installs interceptors on axios' default instance when it loads.
	const client = axios.create();
	const shared = keepAlive ? new http.Agent({ keepAlive: true }) : undefined;
	const bodies = bodyOf ? items : items.map(bodyFor);
	const headers = {
		Authorization: `Bearer ${API_KEY}`,
		Accept: 'application/json',
		'Content-Type': 'application/json',
		'User-Agent': 'n8n',
	};
	let next = 0;
	let ok = 0;
	firstRequestAt = 0;
	const cpu = process.cpuUsage();
	const started = performance.now();
	const worker = async () => {
		while (next < bodies.length) {
			const body = bodyOf ? await bodyOf(bodies[next++]) : bodies[next++];
			const response = await client.post(`${baseUrl}/chat/completions`, body, {
				headers,
				httpAgent: shared ?? new http.Agent(),
				validateStatus: () => true,
				timeout: 600_000,
			});
			if (response.status === 200) ok++;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const wallMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	shared?.destroy();
	return {
		wallMs,
		firstRequestMs: firstRequestAt - started,
		cpuMs: (used.user + used.system) / 1000,
		ok,
		failed: items.length - ok,
	};
}

/**
 * A node with its parameters, at most `maxConcurrency` requests in flight: the Cortecs node (its
 * Throughput option) or the probe (its own limit).
 * @param {'cortecs'|'probe'} which
 */
function nodeAt(which, baseUrl, maxConcurrency) {
	return which === 'probe'
		? { type: probeNodeType(baseUrl, maxConcurrency), parameters: probeParameters() }
		: {
				type: cortecsNodeType(),
				parameters: cortecsParameters({ throughput: { maxConcurrency } }),
			};
}

module.exports = {
	MODEL,
	makeItems,
	bodyFor,
	cortecsNodeType,
	cortecsParameters,
	probeNodeType,
	probeParameters,
	floorNodeType,
	floorParameters,
	runWorkflowNode,
	runAxios,
	nodeAt,
};
