import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import { fetchModels, type CatalogueModel } from './catalogue';
import { perRun } from './runCache';
import { baseUrlOf } from './baseUrl';

/** The API reports cost and prices in micro-EUR (per token). */
export const MICRO_EUR_PER_EUR = 1_000_000;

const CATALOGUE = Symbol('catalogue');

/** Catalogue prices, loaded at most once per node run (one GET /models), whatever the number of items. */
async function catalogueForRun(ctx: IExecuteSingleFunctions): Promise<CatalogueModel[]> {
	return await perRun(ctx, CATALOGUE, async () => {
		const credentials = await ctx.getCredentials('cortecsApi');
		const httpRequest = async (o: Parameters<typeof ctx.helpers.httpRequest>[0]) =>
			await ctx.helpers.httpRequest(o);
		return await fetchModels(httpRequest, baseUrlOf(credentials), {}).catch(() => []);
	});
}

/** Cost in EUR from catalogue prices, when the API did not report usage.cost. */
export async function estimateCost(
	ctx: IExecuteSingleFunctions,
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
