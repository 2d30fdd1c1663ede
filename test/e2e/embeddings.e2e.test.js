'use strict';
/*
 * Embedding → Create in a real n8n: the example examples/embed-chunks-to-file.json (a document split into
 * chunks with Edit Fields and Split Out, embedded by Cortecs in batches, written as one JSON file with
 * Convert to File and Read/Write Files from Disk) runs unmodified with `n8n execute`, in the user folder
 * set up as npm start sets up its own (tools/n8n/files.js); the requests the test server received, the
 * node's output and the file on disk are asserted exactly.
 */
const fs = require('fs');
const path = require('path');
const {
	state,
	N8N,
	ROOT,
	example,
	useN8n,
	executeOk,
	itemsOf,
	jsonOf,
	requestsSeen,
	inCanonicalOrder,
	expectRecordedRun,
} = require('./helpers');
const { FILES_FOLDER, filesFolder } = require('../../tools/n8n/files');
const { VALID_KEY } = require('../../tools/cortecs-server');
const { vectorOf, tokensOf } = require('../../tools/cortecs-server/embedding');
const { MODELS } = require('../../tools/cortecs-server');

const { splitByWeight } = require(
	path.join(ROOT, 'dist', 'nodes', 'Cortecs', 'shared', 'shares.js'),
);

useN8n('embeddings');

const EXAMPLE = 'embed-chunks-to-file.json';
const MODEL = 'multilingual-e5-large';

/** What the node gives each text of one batch: its vector, and its share of the batch's tokens and cost. */
function expectedOutputs(texts) {
	const price = MODELS.find((m) => m.id === MODEL).pricing.input_token;
	const tokens = texts.reduce((sum, t) => sum + tokensOf(t), 0);
	const shares = splitByWeight(
		tokens,
		texts.map((t) => t.length),
	);
	const costs = splitByWeight(Math.round(tokens * price), shares);
	return texts.map((t, i) => ({
		embedding: vectorOf(t),
		model: MODEL,
		provider: 'ionos',
		usage: { prompt_tokens: shares[i], total_tokens: shares[i] },
		cost_eur: costs[i] / 1e6,
	}));
}

describe(`n8n ${N8N}: embed a document's chunks and store them in a file`, () => {
	test('five chunks in two batch requests (Batch Size 4), one vector per chunk, written to one JSON file', async () => {
		const wf = example(EXAMPLE);
		const file = path.join(filesFolder(state.n8nHome), 'cortecs-embeddings.json');
		fs.rmSync(file, { force: true });
		const { resultData } = await executeOk(wf.id);

		const document = wf.nodes.find((n) => n.name === 'Document').parameters.assignments
			.assignments[1].value;
		const chunks = document.split(/\n\s*\n/).map((part) => part.trim());
		expect(chunks).toHaveLength(5);
		expect(jsonOf(itemsOf(resultData, 'One item per chunk'))).toEqual(
			chunks.map((chunk) => ({ chunk, title: 'Why EU embeddings' })),
		);

		// The RoutingNode of a real n8n hands every item to the node before sending: 4 + 1, not 5 requests.
		const requests = requestsSeen().filter((r) => r.path === '/v1/embeddings');
		expect(inCanonicalOrder(requests.map((r) => r.body))).toEqual(
			inCanonicalOrder([
				{ model: MODEL, input: chunks.slice(0, 4), eu_native: true },
				{ model: MODEL, input: chunks.slice(4), eu_native: true },
			]),
		);
		expect(
			requests.every((r) => r.status === 200 && r.authorization === `Bearer ${VALID_KEY}`),
		).toBe(true);
		expect(requestsSeen()).toHaveLength(2);

		const embedded = itemsOf(resultData, 'Embed chunks');
		expect(jsonOf(embedded)).toEqual([
			...expectedOutputs(chunks.slice(0, 4)),
			...expectedOutputs(chunks.slice(4)),
		]);
		const rows = chunks.map((text, i) => ({
			id: `Why EU embeddings #${i + 1}`,
			text,
			embedding: vectorOf(text),
			model: MODEL,
			cost_eur: jsonOf(embedded)[i].cost_eur,
		}));
		expect(jsonOf(itemsOf(resultData, 'Rows'))).toEqual(rows);

		// The file on disk, in the files folder of n8n's user folder: Convert to File's JSON of all rows.
		expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(rows);
		expect(jsonOf(itemsOf(resultData, 'Write to disk'))).toEqual([
			{ fileName: `${FILES_FOLDER}/cortecs-embeddings.json` },
		]);

		expectRecordedRun('embed-chunks-to-file', resultData, wf);
	});

	test('the file goes to .n8n-files/, which n8n may write to in its Docker image and under npm start', () => {
		const writer = example(EXAMPLE).nodes.find((n) => n.name === 'Write to disk');
		expect(writer.parameters.fileName).toBe(`${FILES_FOLDER}/cortecs-embeddings.json`);
		expect(writer.notes).toContain('/home/node/.n8n-files');
	});
});
