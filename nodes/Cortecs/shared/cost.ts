import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import { fetchAllModels, fetchModels, type CatalogueModel } from './catalogue';
import { perRun } from './runCache';
import { baseUrlOf } from './baseUrl';

/** The API reports cost and prices in micro-EUR (per token). */
export const MICRO_EUR_PER_EUR = 1_000_000;

const CATALOGUE = Symbol('catalogue');

/** What a cost needs of the node's context: the credential, HTTP, and what keys the run (runCache.ts). */
export type CostContext = Pick<IExecuteSingleFunctions, 'getCredentials'> & {
	getExecuteData(): object | undefined;
	helpers: Pick<IExecuteSingleFunctions['helpers'], 'httpRequest'>;
};

/**
 * The catalogue's models of any of `tags` (none: the API's default tag, one GET /models), loaded at most
 * once per node run and tags, whatever the number of items; empty when it cannot be loaded.
 */
export async function catalogueForRun(
	ctx: CostContext,
	tags: string[] = [],
): Promise<CatalogueModel[]> {
	const loaded = perRun(ctx, CATALOGUE, () => new Map<string, Promise<CatalogueModel[]>>());
	const key = tags.join(',');
	if (!loaded.has(key)) {
		const load = async () => {
			const credentials = await ctx.getCredentials('cortecsApi');
			const httpRequest = async (o: Parameters<typeof ctx.helpers.httpRequest>[0]) =>
				await ctx.helpers.httpRequest(o);
			const baseUrl = baseUrlOf(credentials);
			return tags.length
				? await fetchAllModels(httpRequest, baseUrl, tags)
				: await fetchModels(httpRequest, baseUrl, {});
		};
		loaded.set(
			key,
			load().catch(() => []),
		);
	}
	return await loaded.get(key)!;
}

/** Cost in EUR from catalogue prices, when the API did not report usage.cost. */
export async function estimateCost(
	ctx: CostContext,
	usage: IDataObject,
	model: string | null,
): Promise<number | undefined> {
	if (!model) return undefined;
	const found = (await catalogueForRun(ctx)).find((m) => m.id === model);
	const pricing = found?.pricing;
	if (!pricing || (pricing.currency !== undefined && pricing.currency !== 'EUR')) return undefined;
	const promptTokens = Number(usage.prompt_tokens ?? 0);
	const completionTokens = Number(usage.completion_tokens ?? 0);
	const microEur =
		promptTokens * (pricing.input_token ?? 0) + completionTokens * (pricing.output_token ?? 0);
	return Math.round(microEur) / MICRO_EUR_PER_EUR;
}

/**
 * An answer's cost in EUR: the API's usage.cost, else the catalogue estimate (marked `cost_estimated`),
 * else null.
 */
export async function costOf(
	ctx: CostContext,
	usage: IDataObject | undefined,
	model: string | null,
): Promise<{ cost_eur: number | null; cost_estimated?: true }> {
	if (!usage) return { cost_eur: null };
	if (typeof usage.cost === 'number') return { cost_eur: usage.cost / MICRO_EUR_PER_EUR };
	const estimate = await estimateCost(ctx, usage, model);
	return estimate === undefined ? { cost_eur: null } : { cost_eur: estimate, cost_estimated: true };
}
