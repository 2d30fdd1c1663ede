import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { baseUrlOf } from '../shared/baseUrl';
import { fetchAllModels, MODEL_TAGS, readsInput, type CatalogueModel } from '../shared/catalogue';
import { fileEntries } from '../shared/fileParts';

const compact = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

function currencySign(model: CatalogueModel): string {
	return model.pricing?.currency === 'USD' ? '$' : '€';
}

function hasPrices(model: CatalogueModel): boolean {
	const { pricing } = model;
	return typeof pricing?.input_token === 'number' && typeof pricing?.output_token === 'number';
}

/** A model that only embeds answers with vectors, not tokens: it has an input price only. */
const onlyEmbeds = (model: CatalogueModel): boolean =>
	!!model.tags?.length && model.tags.every((tag) => tag === 'Embedding');

/**
 * One line short enough for the picker at its default width: `id — €in/€out · context`, or
 * `id — €in · context` for a model that only embeds.
 */
function shortLabel(model: CatalogueModel, missing: string[]): string {
	const parts: string[] = [];
	if (hasPrices(model)) {
		const sign = currencySign(model);
		const { input_token: input, output_token: output } = model.pricing!;
		parts.push(onlyEmbeds(model) ? `${sign}${input}` : `${sign}${input}/${sign}${output}`);
	}
	if (model.context_size) parts.push(compact(model.context_size));
	if (missing.length) parts.push(`⚠ no ${missing.join(', ')}`);
	return parts.length ? `${model.id} — ${parts.join(' · ')}` : model.id;
}

/** The details, spelled out, for where n8n shows a description. */
function details(model: CatalogueModel, missing: string[]): string {
	const parts: string[] = [];
	if (missing.length) parts.push(`⚠ no ${missing.join(', ')}`);
	if (hasPrices(model)) {
		const sign = currencySign(model);
		const { input_token: input, output_token: output } = model.pricing!;
		parts.push(
			onlyEmbeds(model)
				? `${sign}${input} per 1M tokens`
				: `${sign}${input} in / ${sign}${output} out per 1M tokens`,
		);
	}
	if (model.context_size) parts.push(`${compact(model.context_size)} context`);
	if (model.supported_features?.length) parts.push(model.supported_features.join(', '));
	return parts.join(' · ');
}

/** Needs that are inputs, not features: named as the picker flags them. */
const IMAGE_INPUT = 'image input';
const FILE_INPUT = 'image or document input';

/**
 * Whether `model` has what the node needs: a feature it lists (tools, json_mode), or the input its
 * files need. The editor knows the binary properties' names, not their types: one may be an image or a
 * PDF, so it needs either; a URL is an image.
 */
function meets(model: CatalogueModel, need: string): boolean {
	if (need === IMAGE_INPUT) return readsInput(model, 'image');
	if (need === FILE_INPUT) return readsInput(model, 'image') || readsInput(model, 'document');
	return model.supported_features?.includes(need) ?? false;
}

/** What the files of the message rows need of a model, by the kinds of their entries. */
function neededInputs(ctx: ILoadOptionsFunctions): string[] {
	if (ctx.getCurrentNodeParameter('messagesMode') === 'json') return [];
	const messages = (ctx.getCurrentNodeParameter('messages') ?? {}) as { message?: IDataObject[] };
	const entries = (messages.message ?? []).flatMap((row) =>
		typeof row.files === 'string' ? fileEntries(row.files) : [],
	);
	if (entries.some((entry) => 'property' in entry)) return [FILE_INPUT];
	return entries.length ? [IMAGE_INPUT] : [];
}

/**
 * What the current node settings need from a model (tools, JSON mode, reading its files), to flag
 * models lacking it.
 */
function neededFeatures(ctx: ILoadOptionsFunctions): string[] {
	const options = (ctx.getCurrentNodeParameter('options') ?? {}) as IDataObject;
	const needs: string[] = [];
	if (options.tools) needs.push('tools');
	if (options.responseFormat === 'json_object' || options.responseFormat === 'json_schema') {
		needs.push('json_mode');
	}
	return [...needs, ...neededInputs(ctx)];
}

/**
 * List search for a Model field (any node with the `cortecsApi` credential): the live catalogue's
 * models with one of `tags`, sorted by id, with price and context size. The filter matches id, description, tags, features and
 * providers. Models that lack what the node is set up for (`needs`: tools, JSON mode, reading images or
 * documents) are listed last and flagged, not hidden.
 */
export function searchModelsNeeding(
	needs: (ctx: ILoadOptionsFunctions) => string[],
	tags: string[],
) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await listModels(this, filter, tags, needs(this));
	};
}

/**
 * The tags of models a chat completion can use: every tag but Embedding (an embedding model cannot answer
 * a chat request; one that also has a chat tag is still listed through that tag).
 */
export const CHAT_TAGS = MODEL_TAGS.filter((tag) => tag !== 'Embedding');

/** The Cortecs node's chat list: flags models without the features its Options ask for. */
export const searchModels = searchModelsNeeding(neededFeatures, CHAT_TAGS);

/** List search for the Model field of Embedding → Create: the catalogue's models tagged Embedding. */
export const searchEmbeddingModels = searchModelsNeeding(() => [], ['Embedding']);

async function listModels(
	ctx: ILoadOptionsFunctions,
	filter: string | undefined,
	tags: string[],
	needs: string[],
): Promise<INodeListSearchResult> {
	const credentials = await ctx.getCredentials('cortecsApi');
	const models = await fetchAllModels(
		async (o) => await ctx.helpers.httpRequest(o),
		baseUrlOf(credentials),
		tags,
	);
	const needle = filter?.trim().toLowerCase();
	const fitting: INodeListSearchItems[] = [];
	const lacking: INodeListSearchItems[] = [];
	for (const model of models) {
		const haystack = [
			model.id,
			model.description,
			...(model.tags ?? []),
			...(model.supported_features ?? []),
			...(model.providers ?? []),
		]
			.filter(Boolean)
			.join(' ')
			.toLowerCase();
		if (needle && !haystack.includes(needle)) continue;
		const missing = needs.filter((need) => !meets(model, need));
		// n8n's picker shows only the name, so the price and context go into it; the value stays the id.
		const item = {
			name: shortLabel(model, missing),
			value: model.id,
			description: details(model, missing),
		};
		(missing.length ? lacking : fitting).push(item);
	}
	return { results: [...fitting, ...lacking] };
}
