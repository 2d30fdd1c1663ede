import type { IDataObject } from 'n8n-workflow';

import { MICRO_EUR_PER_EUR } from './cost';
import { fromAnswer, servedBy } from './output';
import { splitByWeight } from './shares';

/**
 * postReceive for Embedding → Create: the answer of one batch request as one item (the batch hands
 * each of its items its own share, embeddingItems), with the serving provider from the header.
 */
export const toEmbeddingAnswer = fromAnswer(async (_ctx, body, response) => [
	{ json: { ...body, ...servedBy(body, response) } },
]);

/** An answer that does not give every text of the batch its vector. */
export class EmbeddingAnswerError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/** One text of a batch, in the order it was sent. */
export interface EmbeddedText {
	text: string;
	includeInput: boolean;
}

/** A vector as numbers: JSON numbers as they came, or base64 little-endian float32 unpacked. */
function vectorOf(value: unknown): number[] | undefined {
	if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
	if (typeof value !== 'string') return undefined;
	const bytes = Buffer.from(value, 'base64');
	if (bytes.length % 4 !== 0) return undefined;
	const vector: number[] = [];
	for (let offset = 0; offset < bytes.length; offset += 4) vector.push(bytes.readFloatLE(offset));
	return vector;
}

/**
 * The output of each text of one batch answer, in the order sent: its vector (matched by `index`), the
 * model and provider, and its share of the batch's usage and cost.
 *
 * The API reports tokens and cost for the whole request only. Each text's share of the tokens is in
 * proportion to its length in characters, and its share of the cost in proportion to its tokens, both in
 * whole units (tokens, micro-EUR) that add up exactly to the batch's figures.
 */
export function embeddingItems(answer: IDataObject, texts: EmbeddedText[]): IDataObject[] {
	const data = Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [];
	const vectors = new Map<number, number[]>();
	data.forEach((entry, position) => {
		const index = typeof entry?.index === 'number' ? entry.index : position;
		const vector = vectorOf(entry?.embedding);
		if (vector) vectors.set(index, vector);
	});
	const missing = texts.findIndex((_, i) => !vectors.has(i));
	if (data.length !== texts.length || missing !== -1) {
		const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
		throw new EmbeddingAnswerError(
			data.length !== texts.length
				? `Cortecs API returned ${plural(data.length, 'vector')} for ${plural(texts.length, 'text')}`
				: `Cortecs API returned no usable vector for text ${missing + 1} of ${texts.length}`,
			'The answer did not hold one vector per text sent. Check that the Base URL points at the Cortecs API; if it does, try a smaller Options → Batch Size.',
		);
	}

	const usage = answer.usage as IDataObject | undefined;
	const count = (value: unknown) =>
		typeof value === 'number' && Number.isFinite(value) ? value : undefined;
	const promptTokens = count(usage?.prompt_tokens);
	const totalTokens = count(usage?.total_tokens) ?? promptTokens;
	const cost = count(usage?.cost);
	const lengths = texts.map(({ text }) => text.length);
	const prompt = promptTokens === undefined ? undefined : splitByWeight(promptTokens, lengths);
	const total = totalTokens === undefined ? undefined : splitByWeight(totalTokens, lengths);
	const costs = cost === undefined ? undefined : splitByWeight(cost, prompt ?? lengths);

	return texts.map(({ text, includeInput }, i) => {
		const json: IDataObject = {
			embedding: vectors.get(i)!,
			model: (answer.model as string | null) ?? null,
			provider: (answer.provider as string | null) ?? null,
			usage: usage
				? { prompt_tokens: prompt?.[i] ?? null, total_tokens: total?.[i] ?? null }
				: null,
			cost_eur: costs ? costs[i] / MICRO_EUR_PER_EUR : null,
		};
		if (includeInput) json.input = text;
		return json;
	});
}
