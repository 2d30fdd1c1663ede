'use strict';

/**
 * One run of the files benchmark (bench/files.js) in a fresh process, so that no earlier run counts in its
 * peak RSS: `node --expose-gc bench/files-run.js <baseUrl> <items> <image|text|axios>`. Prints one JSON line.
 *
 * `image`: every item carries its own 1 MiB PNG, stored by n8n-core's BinaryDataService in filesystem
 * mode (the item holds a reference, as in n8n with N8N_DEFAULT_BINARY_DATA_MODE=filesystem), and the
 * node sends it with the user message (Files: data). `text`: the same prompts without files. Both with
 * Max Concurrent Requests 8. `axios`: the image items without n8n: 8 workers read each file from the
 * binary data service as its request leaves and send the body the node sends (base64 data URL, JSON) with
 * axios, as n8n-core does: the least any client pays for these requests on this machine and server.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { BinaryDataConfig, BinaryDataService } = require(
	require.resolve('n8n-core', { paths: [root] }),
);
const { Container } = require(require.resolve('@n8n/di', { paths: [root] }));
const { png } = require('../tools/example-files');
const { MODEL, makeItems, cortecsNodeType, runWorkflowNode, runAxios } = require('./lib/runners');
const harness = require('../tools/harness/routing');

/** A 1024 × 1024 greyscale PNG of noise (it does not compress): 1,049,988 bytes. */
function noisePng() {
	let seed = 1;
	const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
	return png(1024, 1024, next);
}

const parameters = (mode) =>
	harness.chatParameters({
		messages: {
			message: [
				{
					role: 'user',
					content: '={{ $json.prompt }}',
					...(mode === 'image' ? { files: 'data' } : {}),
				},
			],
		},
		throughput: { maxConcurrency: 8 },
	});

async function main() {
	const [baseUrl, count = '1000', mode = 'image'] = process.argv.slice(2);
	const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-bench-files-'));
	try {
		const config = Container.get(BinaryDataConfig);
		config.mode = 'filesystem';
		config.localStoragePath = storage;
		const service = Container.get(BinaryDataService);
		await service.init();
		const image = noisePng();
		/** `count` items, each with its own copy of the image in the binary data store. */
		const itemsOf = async (n) => {
			const items = makeItems(n);
			if (mode === 'text') return items;
			for (const [i, item] of items.entries()) {
				const location = { type: 'execution', workflowId: 'bench', executionId: '1' };
				const meta = { mimeType: 'image/png', fileName: `receipt-${i + 1}.png`, data: '' };
				item.binary = { data: await service.store(location, image, meta) };
			}
			return items;
		};
		const type = cortecsNodeType();
		/** The body the node sends for an item with its file. */
		const imageBody = async (item) => {
			const bytes = await service.getAsBuffer(item.binary.data);
			const url = `data:image/png;base64,${bytes.toString('base64')}`;
			const text = { type: 'text', text: item.json.prompt };
			const image = { type: 'image_url', image_url: { url } };
			return { model: MODEL, messages: [{ role: 'user', content: [text, image] }] };
		};
		const run = (items) =>
			mode === 'axios'
				? runAxios({ baseUrl, items, concurrency: 8, body: imageBody })
				: runWorkflowNode({ baseUrl, type, parameters: parameters(mode), items });
		// Warm up (modules, JIT) on a few items, so the baseline holds everything but the run's own data.
		await run(await itemsOf(8));
		const items = await itemsOf(Number(count));
		global.gc?.();
		const baseline = process.memoryUsage();
		// What the peak is made of: V8's heap (strings: the base64 and the JSON bodies) and the memory
		// outside it (Buffers: the files read, the bodies written to sockets), sampled every 20 ms.
		const peak = { heapUsed: 0, external: 0 };
		const sampler = setInterval(() => {
			const now = process.memoryUsage();
			peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
			peak.external = Math.max(peak.external, now.external);
		}, 20);
		const result = await run(items);
		clearInterval(sampler);
		// maxRSS: the peak resident set size of this process so far, in KiB.
		const peakRss = process.resourceUsage().maxRSS * 1024;
		global.gc?.();
		// What is still alive once the run is over (the output items are not kept).
		const retainedHeap = process.memoryUsage().heapUsed - baseline.heapUsed;
		process.stdout.write(
			`${JSON.stringify({
				mode,
				items: items.length,
				imageBytes: image.length,
				...result,
				baselineRss: baseline.rss,
				peakRss,
				baselineHeap: baseline.heapUsed,
				peakHeap: peak.heapUsed,
				baselineExternal: baseline.external,
				peakExternal: peak.external,
				retainedHeap,
			})}\n`,
		);
	} finally {
		fs.rmSync(storage, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
