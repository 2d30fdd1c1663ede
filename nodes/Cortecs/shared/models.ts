import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { MICRO_EUR_PER_EUR } from './constants';

export const DEFAULT_BASE_URL = 'https://api.cortecs.ai/v1';

/** Every tag GET /models knows. The endpoint filters by tag (default Instruct), so "all" means each tag. */
export const MODEL_TAGS = ['Instruct', 'Reasoning', 'Tools', 'Code', 'Image', 'Document', 'Audio', 'OCR', 'Embedding'];

export interface CatalogueModel {
	id: string;
	owned_by?: string;
	description?: string | null;
	pricing?: { input_token?: number; output_token?: number; currency?: string; cache_read_cost?: number };
	providers?: string[];
	context_size?: number;
	max_output_tokens?: number;
	tags?: string[];
	supported_features?: string[];
}

export function baseUrlOf(credentials: IDataObject | undefined): string {
	const url = typeof credentials?.baseUrl === 'string' && credentials.baseUrl.trim() ? credentials.baseUrl.trim() : DEFAULT_BASE_URL;
	return url.replace(/\/+$/, '');
}

/** GET /models needs no API key, so none is sent: the key only ever goes to the chat endpoint. */
function modelsRequest(baseUrl: string, qs: IDataObject): IHttpRequestOptions {
	return { method: 'GET', url: `${baseUrl}/models`, qs, arrayFormat: 'repeat', json: true };
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

async function fetchModels(httpRequest: HttpRequest, baseUrl: string, qs: IDataObject): Promise<CatalogueModel[]> {
	const body = (await httpRequest(modelsRequest(baseUrl, qs))) as { data?: CatalogueModel[] };
	return Array.isArray(body?.data) ? body.data : [];
}

/** The whole catalogue: one request per tag, merged by id. */
export async function fetchAllModels(httpRequest: HttpRequest, baseUrl: string): Promise<CatalogueModel[]> {
	const lists = await Promise.all(MODEL_TAGS.map((tag) => fetchModels(httpRequest, baseUrl, { tag })));
	const byId = new Map<string, CatalogueModel>();
	for (const model of lists.flat()) if (!byId.has(model.id)) byId.set(model.id, model);
	return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

const compact = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

export function describeModel(model: CatalogueModel): string {
	const parts: string[] = [];
	const { pricing } = model;
	if (pricing && typeof pricing.input_token === 'number' && typeof pricing.output_token === 'number') {
		const cur = pricing.currency === 'USD' ? '$' : '€';
		parts.push(`${cur}${pricing.input_token} in / ${cur}${pricing.output_token} out per 1M tokens`);
	}
	if (model.context_size) parts.push(`${compact(model.context_size)} context`);
	if (model.supported_features?.length) parts.push(model.supported_features.join(', '));
	return parts.join(' · ');
}

/** Features the current node settings need from a model (tools, JSON mode), to flag models lacking them. */
function neededFeatures(ctx: ILoadOptionsFunctions): string[] {
	const options = (ctx.getCurrentNodeParameter('options') ?? {}) as IDataObject;
	const needs: string[] = [];
	if (options.tools) needs.push('tools');
	if (options.responseFormat === 'json_object' || options.responseFormat === 'json_schema') needs.push('json_mode');
	return needs;
}

/**
 * List search for the Model field: the live catalogue, sorted by name, with price and context size.
 * The filter matches id, description, tags, features and providers. Models that lack a feature the node
 * is set up for (tools, JSON mode) are listed last and flagged, not hidden.
 */
export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials('cortecsApi');
	const models = await fetchAllModels((o) => this.helpers.httpRequest(o), baseUrlOf(credentials));
	const needle = filter?.trim().toLowerCase();
	const needs = neededFeatures(this);
	const results: Array<INodeListSearchItems & { fits: boolean }> = [];
	for (const model of models) {
		const haystack = [model.id, model.description, ...(model.tags ?? []), ...(model.supported_features ?? []), ...(model.providers ?? [])]
			.filter(Boolean)
			.join(' ')
			.toLowerCase();
		if (needle && !haystack.includes(needle)) continue;
		const missing = needs.filter((f) => !model.supported_features?.includes(f));
		const description = missing.length ? `⚠ no ${missing.join(', ')} · ${describeModel(model)}` : describeModel(model);
		// n8n's model dropdown shows only the name, so price and context go into it; the value stays the id.
		results.push({
			name: `${model.id} · ${description}`,
			value: model.id,
			description,
			fits: missing.length === 0,
		});
	}
	results.sort((a, b) => Number(b.fits) - Number(a.fits));
	for (const item of results) delete (item as { fits?: boolean }).fits;
	return { results };
}

/**
 * Catalogue prices for cost estimates, loaded at most once per execution (one GET /models, default tag),
 * whatever the number of items.
 */
const catalogues = new Map<string, Promise<CatalogueModel[]>>();
const cataloguesByRun = new WeakMap<object, Promise<CatalogueModel[]>>();

async function catalogueForExecution(ctx: IExecuteSingleFunctions): Promise<CatalogueModel[]> {
	const executionId = ctx.getExecutionId?.();
	const cached = executionId ? catalogues.get(executionId) : cataloguesByRun.get(ctx.getExecuteData() ?? {});
	if (cached) return await cached;
	const credentials = await ctx.getCredentials('cortecsApi');
	const loading = fetchModels((o) => ctx.helpers.httpRequest(o), baseUrlOf(credentials), {}).catch(() => []);
	if (executionId) {
		catalogues.set(executionId, loading);
		// Keep only recent executions: the map lives as long as n8n does.
		while (catalogues.size > 20) catalogues.delete(catalogues.keys().next().value as string);
	} else {
		cataloguesByRun.set(ctx.getExecuteData() ?? {}, loading);
	}
	return await loading;
}

/** Cost in EUR from catalogue prices, when the API did not report usage.cost. */
export async function estimateCost(ctx: IExecuteSingleFunctions, usage: IDataObject, model: string | null): Promise<number | undefined> {
	if (!model) return undefined;
	const found = (await catalogueForExecution(ctx)).find((m) => m.id === model);
	const pricing = found?.pricing;
	if (!pricing || pricing.currency !== undefined && pricing.currency !== 'EUR') return undefined;
	const promptTokens = Number(usage.prompt_tokens ?? 0);
	const completionTokens = Number(usage.completion_tokens ?? 0);
	const microEur = promptTokens * (pricing.input_token ?? 0) + completionTokens * (pricing.output_token ?? 0);
	return Math.round(microEur) / MICRO_EUR_PER_EUR;
}
