'use strict';
/*
 * The Cortecs Embeddings sub-node (n8n-nodes-cortecs.embeddingsCortecs) under n8n's own In-Memory Vector
 * Store (Simple Vector Store), in a real n8n with `n8n execute`: the example examples/vector-store-search.json
 * stores three facts through the Default Data Loader, then searches for one of them. Runs on every n8n the suite runs (the sub-node needs no SDK).
 * The requests the test server saw, the stored documents, the search results and the sub-node's panel are
 * asserted exactly. Then, with n8n serving: the node type and its model list over REST, and the editor
 * showing the sub-node connected to both stores.
 */
const {
	N8N,
	example,
	useN8n,
	serveN8n,
	expectSubNodeListed,
	modelListOverRest,
	executeOk,
	itemsOf,
	jsonOf,
	requestsSeen,
	inEditor,
	openNode,
	expectLabelsVisible,
} = require('./helpers');
const { VALID_KEY, MODELS } = require('../../tools/cortecs-server');
const { vectorOf, tokensOf } = require('../../tools/cortecs-server/embedding');

const running = useN8n('vector-store');

const SUB_NODE_TYPE = 'n8n-nodes-cortecs.embeddingsCortecs';

const EXAMPLE = 'vector-store-search.json';
const MODEL = 'multilingual-e5-large';

/** Cosine similarity, as LangChain's MemoryVectorStore ranks by it. */
function cosine(a, b) {
	const dot = a.reduce((sum, x, i) => sum + x * b[i], 0);
	const norm = (v) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
	return dot / (norm(a) * norm(b));
}

describe(`n8n ${N8N}: the In-Memory Vector Store on Cortecs Embeddings`, () => {
	test('three facts stored in two requests (Batch Size 2), then one search request; the nearest facts come back', async () => {
		const wf = example(EXAMPLE);
		const { resultData } = await executeOk(wf.id);
		const facts = jsonOf(itemsOf(resultData, 'Facts')).map((f) => f.text);
		const query = wf.nodes.find((n) => n.name === 'Search').parameters.prompt;
		expect(facts).toHaveLength(3);
		expect(facts).toContain(query);

		// Stored: the store hands all three texts to embedDocuments at once; the sub-node sends two per
		// request, one request after the other. Then the query, alone.
		const sent = requestsSeen();
		expect(sent.map((r) => [r.method, r.path, r.status, r.authorization])).toEqual(
			sent.map(() => ['POST', '/v1/embeddings', 200, `Bearer ${VALID_KEY}`]),
		);
		expect(sent.map((r) => r.body)).toEqual([
			{ model: MODEL, eu_native: true, input: facts.slice(0, 2) },
			{ model: MODEL, eu_native: true, input: facts.slice(2) },
			{ model: MODEL, eu_native: true, input: [query] },
		]);

		const stored = jsonOf(itemsOf(resultData, 'Store facts'));
		expect(stored.map((d) => d.pageContent)).toEqual(facts);

		// The search: the query's own fact first (its vector is the query's), then the next nearest.
		const ranked = facts
			.map((text) => ({ text, score: cosine(vectorOf(query), vectorOf(text)) }))
			.sort((a, b) => b.score - a.score)
			.slice(0, 2);
		const found = itemsOf(resultData, 'Search');
		expect(found.map((i) => i.json.document.pageContent)).toEqual(ranked.map((r) => r.text));
		expect(ranked[0].text).toBe(query);
		found.forEach((item, i) => expect(item.json.score).toBeCloseTo(ranked[i].score, 10));
		expect(found.map((i) => Object.keys(i.json.document).sort())).toEqual([
			['metadata', 'pageContent'],
			['metadata', 'pageContent'],
		]);

		// The sub-node's panel: each call of the stores, its texts in, its vectors, usage and cost out.
		const runs = resultData.runData['Cortecs Embeddings'];
		expect(runs.map((r) => r.inputOverride)).toEqual([
			{ ai_embedding: [[{ json: { documents: facts } }]] },
			{ ai_embedding: [[{ json: { query } }]] },
		]);
		const tokens = (texts) => texts.reduce((sum, t) => sum + tokensOf(t), 0);
		const cost = (texts) => Math.round(tokens(texts) * 0.02) / 1e6;
		expect(runs.map((r) => r.data.ai_embedding[0][0].json)).toEqual([
			{
				response: facts.map(vectorOf),
				usage: { prompt_tokens: tokens(facts), total_tokens: tokens(facts) },
				cost_eur: cost(facts.slice(0, 2)) + cost(facts.slice(2)),
			},
			{
				response: vectorOf(query),
				usage: { prompt_tokens: tokens([query]), total_tokens: tokens([query]) },
				cost_eur: cost([query]),
			},
		]);
	});
});

describe(`n8n ${N8N} server: the Cortecs Embeddings in the REST API and the editor`, () => {
	serveN8n();

	test('the sub-node type is listed: embeddings for vector stores, no inputs, no tool variant', async () => {
		await expectSubNodeListed(SUB_NODE_TYPE, 'Cortecs Embeddings', 'ai_embedding');
	});

	test("the model list loads through n8n's REST API: the embedding models, sorted by id", async () => {
		const list = await modelListOverRest(SUB_NODE_TYPE, 'searchEmbeddingModels');
		const embedding = MODELS.filter((m) => m.tags.includes('Embedding'))
			.map((m) => m.id)
			.sort();
		expect(list.results.map((r) => r.value)).toEqual(embedding);
		expect(requestsSeen().map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', '/v1/models', { tag: 'Embedding' }],
		]);
	});

	test('the editor shows the sub-node connected to both vector stores, and its parameters (headless Chromium)', async () => {
		await inEditor(running.n8n, 'editor-embeddings-failure', async ({ page, shot }) => {
			await page.goto(`${running.n8n.url}/workflow/${example(EXAMPLE).id}`);
			const subNode = page.locator(
				'[data-test-id="canvas-node"][data-node-name="Cortecs Embeddings"]',
			);
			await subNode.waitFor();
			for (const store of ['Store facts', 'Search']) {
				await page
					.locator(
						`[data-test-id="edge"][data-source-node-name="Cortecs Embeddings"][data-target-node-name="${store}"]`,
					)
					.first()
					.waitFor({ state: 'attached' });
			}
			await page.screenshot({ path: shot('editor-embeddings-canvas') });

			const { label, modelInput } = await openNode(page, subNode);
			await expectLabelsVisible(label, ['Model', 'Options', 'Batch Size', 'Routing', 'EU Native']);
			await expect(modelInput.inputValue()).resolves.toBe(MODEL);
			await page.screenshot({ path: shot('editor-embeddings-node') });
		});
	});
});
