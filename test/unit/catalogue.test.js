/** fetchModels and fetchAllModels (shared/catalogue.ts): the requests they make and how they merge the lists; readsInput. */
const path = require('node:path');

const { fetchModels, fetchAllModels, MODEL_TAGS, readsInput } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'catalogue.js'),
);

const BASE = 'http://127.0.0.1:9/v1';

/** A fake `helpers.httpRequest` answering GET /models?tag=… from `byTag`, recording each request. */
function catalogueByTag(byTag) {
	const requests = [];
	const httpRequest = async (options) => {
		requests.push(options);
		return { object: 'list', data: byTag[options.qs.tag] ?? [] };
	};
	return { httpRequest, requests };
}

test('fetchModels: one GET /models with the query as given and no credentials; the data list', async () => {
	const { httpRequest, requests } = catalogueByTag({ Embedding: [{ id: 'e5' }] });
	expect(await fetchModels(httpRequest, BASE, { tag: 'Embedding' })).toEqual([{ id: 'e5' }]);
	expect(requests).toEqual([
		{
			method: 'GET',
			url: `${BASE}/models`,
			qs: { tag: 'Embedding' },
			arrayFormat: 'repeat',
			json: true,
		},
	]);
});

test.each([[null], [{}], [{ data: 'not a list' }], ['<html>']])(
	'fetchModels: an answer without a data list (%j) is an empty catalogue',
	async (answer) => {
		expect(await fetchModels(async () => answer, BASE, {})).toEqual([]);
	},
);

test('fetchAllModels: one request per tag, a model in several tags once (first seen), sorted by id', async () => {
	const { httpRequest, requests } = catalogueByTag({
		Instruct: [
			{ id: 'mistral-small', tags: ['Instruct'] },
			{ id: 'b-both', tags: ['Instruct', 'Code'] },
		],
		Code: [
			{ id: 'b-both', tags: ['Code'] },
			{ id: 'a-coder', tags: ['Code'] },
		],
	});
	const models = await fetchAllModels(httpRequest, BASE, ['Instruct', 'Code']);
	expect(models).toEqual([
		{ id: 'a-coder', tags: ['Code'] },
		{ id: 'b-both', tags: ['Instruct', 'Code'] },
		{ id: 'mistral-small', tags: ['Instruct'] },
	]);
	expect(requests.map((r) => r.qs)).toEqual([{ tag: 'Instruct' }, { tag: 'Code' }]);
});

test('fetchAllModels: without tags it asks for every tag the endpoint knows', async () => {
	const { httpRequest, requests } = catalogueByTag({});
	expect(await fetchAllModels(httpRequest, BASE)).toEqual([]);
	expect(requests.map((r) => r.qs.tag)).toEqual(MODEL_TAGS);
	expect(MODEL_TAGS).toContain('Embedding');
});

describe('readsInput: from input_modalities, else from the tags', () => {
	test.each([
		[{ input_modalities: ['text', 'image'] }, true, false],
		[{ input_modalities: ['image', 'document'] }, true, true],
		[{ input_modalities: ['text', 'file'] }, false, true],
		[{ input_modalities: ['text'], tags: ['Image', 'Document'] }, false, false],
		[{ tags: ['Instruct', 'Image'] }, true, false],
		[{ tags: ['OCR', 'Document'] }, false, true],
		[{}, false, false],
	])('%j: images %s, documents %s', (model, image, document) => {
		expect(readsInput({ id: 'm', ...model }, 'image')).toBe(image);
		expect(readsInput({ id: 'm', ...model }, 'document')).toBe(document);
	});
});
