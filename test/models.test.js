/**
 * The model catalogue: the Model field's list search, Model → Get Many, cost in chat outputs (reported
 * or estimated from catalogue prices). All through n8n-core against the loopback Cortecs server.
 */
const { MODELS } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');
const { runNode, searchModels, chatParameters } = require('../tools/harness/routing');

const server = useCortecsServer({}, { includeCost: true });

const modelRequests = () => server.requests.filter((r) => r.path === '/v1/models');
/** What a chat request can use: the catalogue without the models that only embed. */
const chatModels = MODELS.filter((m) => m.tags.some((tag) => tag !== 'Embedding'));
const chatIds = chatModels.map((m) => m.id).sort((a, b) => a.localeCompare(b));

describe('Model field: list search', () => {
	test('lists every chat model of the catalogue, sorted by id: the id first, then price and context in short', async () => {
		const { results } = await searchModels({ baseUrl: server.url });
		expect(results.map((r) => r.value)).toEqual(chatIds);
		expect(chatIds).not.toContain('multilingual-e5-large');
		expect(chatIds).toContain('mistral-ocr-2505');
		expect(results.find((r) => r.value === 'mistral-small-2503')).toEqual({
			name: 'mistral-small-2503 — €0.1/€0.3 · 131k',
			value: 'mistral-small-2503',
			description: '€0.1 in / €0.3 out per 1M tokens · 131k context · json_mode, tools',
		});
		// /models filters by tag (default Instruct): every tag but Embedding is asked for, one per request.
		expect(
			modelRequests()
				.map((r) => r.query.tag)
				.sort(),
		).toEqual(['Audio', 'Code', 'Document', 'Image', 'Instruct', 'OCR', 'Reasoning', 'Tools']);
		// The catalogue needs no key, so none is sent.
		expect(modelRequests().every((r) => r.headers.authorization === undefined)).toBe(true);
	});

	test('the filter matches ids, features, tags and providers', async () => {
		expect(
			(await searchModels({ baseUrl: server.url, filter: 'LLAMA' })).results.map((r) => r.value),
		).toEqual(['deepseek-r1-distill-llama-70b', 'llama-3.3-70b-instruct']);
		const reasoning = (
			await searchModels({ baseUrl: server.url, filter: 'reasoning' })
		).results.map((r) => r.value);
		const mentions = (m) =>
			[m.description ?? '', ...m.tags, ...m.supported_features]
				.join(' ')
				.toLowerCase()
				.includes('reasoning');
		expect(reasoning).toEqual(
			MODELS.filter(mentions)
				.map((m) => m.id)
				.sort(),
		);
		expect(reasoning).toContain('gpt-oss-120b');
		expect(
			(await searchModels({ baseUrl: server.url, filter: 'infercom' })).results.map((r) => r.value),
		).toEqual(['deepseek-r1-distill-llama-70b']);
	});

	test('with Tools set, models without tool support come last and are flagged, not hidden', async () => {
		const parameters = chatParameters({ options: { tools: '[]' } });
		const { results } = await searchModels({ baseUrl: server.url, parameters });
		expect(results.map((r) => r.value).sort()).toEqual(chatIds);
		const withTools = chatModels
			.filter((m) => m.supported_features.includes('tools'))
			.map((m) => m.id)
			.sort();
		expect(results.slice(0, withTools.length).map((r) => r.value)).toEqual(withTools);
		const flagged = results.slice(withTools.length);
		expect(
			flagged.every(
				(r) =>
					r.description.startsWith('⚠ no tools · ') &&
					r.name.startsWith(`${r.value} — `) &&
					r.name.endsWith(' · ⚠ no tools'),
			),
		).toBe(true);
		expect(results.find((r) => r.value === 'deepseek-r1-distill-llama-70b').name).toBe(
			'deepseek-r1-distill-llama-70b — €0.7/€0.9 · 66k · ⚠ no tools',
		);
	});

	describe('Files: models that cannot read them come last, flagged', () => {
		const flaggedBy = async (files, extra = {}) => {
			const parameters = chatParameters({
				messages: { message: [{ role: 'user', content: 'Hi', files }] },
				...extra,
			});
			const { results } = await searchModels({ baseUrl: server.url, parameters });
			expect(results.map((r) => r.value).sort()).toEqual(chatIds);
			const flagged = results.filter((r) => r.description.startsWith('⚠ no '));
			expect(results.slice(results.length - flagged.length)).toEqual(flagged);
			return Object.fromEntries(flagged.map((r) => [r.value, r.name.split(' · ').pop()]));
		};
		const textOnly = chatModels
			.filter((m) => !m.input_modalities.some((i) => i === 'image' || i === 'document'))
			.map((m) => m.id);

		test('a binary property may be an image or a PDF: models reading neither are flagged', async () => {
			expect(await flaggedBy('data')).toEqual(
				Object.fromEntries(textOnly.map((id) => [id, '⚠ no image or document input'])),
			);
		});

		test('a URL is an image: models without image input are flagged', async () => {
			const flagged = await flaggedBy('https://example.com/a.png');
			expect(Object.keys(flagged).sort()).toEqual(
				chatModels
					.filter((m) => !m.input_modalities.includes('image'))
					.map((m) => m.id)
					.sort(),
			);
			expect(new Set(Object.values(flagged))).toEqual(new Set(['⚠ no image input']));
		});

		test('with Tools too, both needs are named', async () => {
			const flagged = await flaggedBy('data', { options: { tools: '[]' } });
			expect(flagged['mistral-ocr-2505']).toBe('⚠ no tools');
			expect(flagged['deepseek-r1-distill-llama-70b']).toBe('⚠ no tools, image or document input');
		});

		test('no files, or Messages as JSON: nothing is flagged for files', async () => {
			expect(await flaggedBy('')).toEqual({});
			expect(await flaggedBy('data', { messagesMode: 'json' })).toEqual({});
		});
	});

	test('JSON response formats flag models without json_mode', async () => {
		const parameters = chatParameters({ options: { responseFormat: 'json_object' } });
		const { results } = await searchModels({ baseUrl: server.url, parameters });
		const flagged = results
			.filter((r) => r.description.startsWith('⚠ no json_mode'))
			.map((r) => r.value)
			.sort();
		expect(flagged).toEqual(
			chatModels
				.filter((m) => !m.supported_features.includes('json_mode'))
				.map((m) => m.id)
				.sort(),
		);
	});
});

describe('Model → Get Many', () => {
	const getMany = (extra = {}) => ({ resource: 'model', operation: 'getAll', ...extra });
	const run = async (parameters) => {
		const result = await runNode({ baseUrl: server.url, parameters });
		if (result.error) throw result.error;
		return result.items;
	};
	const instruct = MODELS.filter((m) => m.tags.includes('Instruct'));

	test('no tags: the API default (Instruct), simplified, limited to 50', async () => {
		const items = await run(getMany());
		expect(modelRequests()).toHaveLength(1);
		expect(modelRequests()[0].query).toEqual({ currency: 'EUR' });
		expect(items.map((i) => i.json.id)).toEqual(instruct.map((m) => m.id));
		const small = MODELS.find((m) => m.id === 'mistral-small-2503');
		expect(items[0]).toEqual({
			json: {
				id: small.id,
				owned_by: small.owned_by,
				description: small.description,
				input_price_per_1m: 0.1,
				output_price_per_1m: 0.3,
				currency: 'EUR',
				context_size: small.context_size,
				max_output_tokens: small.max_output_tokens,
				tags: small.tags,
				features: small.supported_features,
				providers: small.providers,
			},
			pairedItem: { item: 0 },
		});
	});

	test('several tags are sent as repeated keys and narrow the list', async () => {
		const items = await run(getMany({ tags: ['Reasoning', 'Tools'], returnAll: true }));
		expect(modelRequests()[0].query).toEqual({ tag: ['Reasoning', 'Tools'], currency: 'EUR' });
		expect(items.map((i) => i.json.id)).toEqual(
			MODELS.filter((m) => m.tags.includes('Reasoning') && m.tags.includes('Tools')).map(
				(m) => m.id,
			),
		);
	});

	test('currency USD gives prices in USD', async () => {
		const [first] = await run(getMany({ currency: 'USD', limit: 1 }));
		expect(first.json).toMatchObject({
			id: 'mistral-small-2503',
			input_price_per_1m: 0.11,
			output_price_per_1m: 0.33,
			currency: 'USD',
		});
	});

	test('Limit cuts the list; Return All does not', async () => {
		expect(await run(getMany({ limit: 2 }))).toHaveLength(2);
		expect(await run(getMany({ returnAll: true, limit: 2 }))).toHaveLength(instruct.length);
	});

	test('Simplify off returns the models as the API gave them', async () => {
		const items = await run(getMany({ simplify: false, limit: 3 }));
		expect(items.map((i) => i.json)).toEqual(
			instruct.slice(0, 3).map((m) => JSON.parse(JSON.stringify(m))),
		);
	});
});

describe('cost in chat outputs', () => {
	test('the API’s usage.cost (micro-EUR) becomes cost_eur', async () => {
		const { items } = await runNode({
			baseUrl: server.url,
			parameters: chatParameters({
				model: { __rl: true, mode: 'id', value: 'mistral-large-2411' },
			}),
		});
		const { usage, cost_eur } = items[0].json;
		// mistral-large-2411: 1.8 € / 5.4 € per 1M tokens = 1.8 / 5.4 micro-EUR per token
		expect(usage.cost).toBe(Math.round(usage.prompt_tokens * 1.8 + usage.completion_tokens * 5.4));
		expect(cost_eur).toBe(usage.cost / 1e6);
		expect(items[0].json.cost_estimated).toBeUndefined();
		expect(modelRequests()).toHaveLength(0);
	});

	test('without usage.cost: an estimate from catalogue prices, marked, with one catalogue request per node run', async () => {
		server.configure({ includeCost: false });
		const items = Array.from({ length: 5 }, (_, i) => ({ json: { text: `text number ${i}` } }));
		const parameters = chatParameters({
			model: { __rl: true, mode: 'id', value: 'llama-3.3-70b-instruct' },
			messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		});
		const first = await runNode({ baseUrl: server.url, parameters, items, executionId: 'exec-1' });
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(5);
		for (const { json } of first.items) {
			expect(json.usage.cost).toBeUndefined();
			const expected =
				Math.round(json.usage.prompt_tokens * 0.55 + json.usage.completion_tokens * 0.75) / 1e6;
			expect(json.cost_eur).toBe(expected);
			expect(json.cost_estimated).toBe(true);
		}
		expect(modelRequests()).toHaveLength(1);
		// The next node run (of the same execution or another) loads it again: prices may have changed.
		await runNode({ baseUrl: server.url, parameters, items, executionId: 'exec-1' });
		expect(modelRequests()).toHaveLength(2);
	});

	test('a model missing from the catalogue gets cost_eur null, not a guess', async () => {
		server.configure({ includeCost: false });
		const { items } = await runNode({
			baseUrl: server.url,
			parameters: chatParameters({ model: { __rl: true, mode: 'id', value: 'mistral-ocr-2505' } }),
			executionId: 'exec-3',
		});
		expect(items[0].json.cost_eur).toBeNull();
		expect(items[0].json.cost_estimated).toBeUndefined();
	});
});
