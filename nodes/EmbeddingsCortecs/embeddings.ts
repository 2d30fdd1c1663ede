import type {
	IDataObject,
	IN8nHttpFullResponse,
	ISupplyDataFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { MICRO_EUR_PER_EUR } from '../Cortecs/shared/cost';
import { NO_REDIRECTS } from '../Cortecs/shared/baseUrl';
import { deliver } from '../Cortecs/shared/delivery';
import { embeddingItems, EmbeddingAnswerError } from '../Cortecs/shared/embeddingOutput';
import { answerError, apiError, redactApiKey, type ErrorContext } from '../Cortecs/shared/errors';
import { responseJson, servedBy } from '../Cortecs/shared/output';
import { Pauses } from '../Cortecs/shared/pauses';
import type { EmbeddingsSettings } from './settings';

/** What one call of the vector store cost, as the sub-node's panel shows it. */
interface Spent {
	prompt_tokens: number;
	total_tokens: number;
	microEur: number;
	costKnown: boolean;
}

/**
 * The embeddings a vector store (or any n8n node with an Embeddings input) calls: `embedDocuments` for the
 * texts it stores, `embedQuery` for the text it searches with. The same methods as LangChain's
 * `Embeddings`, without importing it (a verified community package may not): the vector stores call
 * only these two.
 *
 * Texts go out Batch Size at a time, one request after the other (a vector store hands over a few hundred
 * at once), each retried like an item of the Cortecs node. Every call is recorded in the sub-node's panel,
 * as n8n records its own embeddings sub-nodes: the texts in, the vectors (and usage, cost) out.
 */
export class CortecsEmbeddings {
	private readonly pauses: Pauses;

	private readonly errorContext: ErrorContext;

	constructor(
		private readonly ctx: ISupplyDataFunctions,
		itemIndex: number,
		private readonly url: string,
		private readonly settings: EmbeddingsSettings,
		private readonly router: IDataObject,
	) {
		this.pauses = new Pauses(ctx.getExecutionCancelSignal());
		this.errorContext = { getNode: () => ctx.getNode(), getItemIndex: () => itemIndex };
	}

	async embedDocuments(documents: string[]): Promise<number[][]> {
		return await this.recorded({ documents }, async (spent) => {
			const vectors: number[][] = [];
			const { batchSize } = this.settings;
			for (let start = 0; start < documents.length; start += batchSize) {
				vectors.push(...(await this.embed(documents, start, batchSize, spent)));
			}
			return vectors;
		});
	}

	async embedQuery(query: string): Promise<number[]> {
		return await this.recorded({ query }, async (spent) => {
			const [vector] = await this.embed([query], 0, 1, spent);
			return vector;
		});
	}

	/** Runs one call of the vector store, with its input and output (or error) in the sub-node's panel. */
	private async recorded<T>(input: IDataObject, call: (spent: Spent) => Promise<T>): Promise<T> {
		const { index } = this.ctx.addInputData(NodeConnectionTypes.AiEmbedding, [[{ json: input }]]);
		const spent: Spent = { prompt_tokens: 0, total_tokens: 0, microEur: 0, costKnown: true };
		try {
			const response = await call(spent);
			const json: IDataObject = {
				response: response as IDataObject,
				usage: { prompt_tokens: spent.prompt_tokens, total_tokens: spent.total_tokens },
				cost_eur: spent.costKnown ? spent.microEur / MICRO_EUR_PER_EUR : null,
			};
			this.ctx.addOutputData(NodeConnectionTypes.AiEmbedding, index, [[{ json }]]);
			return response;
		} catch (error) {
			const failed =
				error instanceof NodeOperationError
					? error
					: await redactApiKey(this.ctx, error as NodeApiError);
			this.ctx.addOutputData(NodeConnectionTypes.AiEmbedding, index, failed);
			throw failed;
		}
	}

	/** The vectors of `texts[start…start + count)`, from one request. */
	private async embed(
		texts: string[],
		start: number,
		count: number,
		spent: Spent,
	): Promise<number[][]> {
		const batch = texts.slice(start, start + count);
		batch.forEach((text, i) => this.checkText(text, start + i, texts.length));
		const answer = await this.send(batch);
		let items;
		try {
			items = embeddingItems(
				answer,
				batch.map((text) => ({ text, includeInput: false })),
			);
		} catch (error) {
			if (!(error instanceof EmbeddingAnswerError)) {
				throw new NodeOperationError(this.ctx.getNode(), error as Error);
			}
			throw apiError(
				this.errorContext,
				{ status: 200, retryable: false },
				error.message,
				error.description,
			);
		}
		const usage = answer.usage as IDataObject | undefined;
		spent.prompt_tokens += Number(usage?.prompt_tokens) || 0;
		spent.total_tokens += Number(usage?.total_tokens ?? usage?.prompt_tokens) || 0;
		if (typeof usage?.cost === 'number')
			spent.microEur += Math.round(usage.cost * MICRO_EUR_PER_EUR);
		else spent.costKnown = false;
		return items.map((item) => item.embedding as number[]);
	}

	/** A text the API cannot embed fails here, before anything is sent. */
	private checkText(text: unknown, index: number, total: number): void {
		const which = total === 1 ? 'The text' : `Text ${index + 1} of ${total}`;
		const problem =
			typeof text !== 'string' ? 'is not text' : text.trim() === '' ? 'is empty' : undefined;
		if (!problem) return;
		throw new NodeOperationError(this.ctx.getNode(), `${which} to embed ${problem}`, {
			description:
				'The vector store handed over a text that cannot be embedded. Check what the document loader reads (the field or the text splitter), or filter out items without text before the vector store.',
		});
	}

	/** One request of `/embeddings` and its answer as JSON, through the delivery loop. */
	private async send(input: string[]): Promise<IDataObject> {
		const { body, timeout, maxRetries } = this.settings;
		return await deliver({
			context: this.errorContext,
			maxRetries,
			signal: this.ctx.getExecutionCancelSignal(),
			pauses: this.pauses,
			send: async () => {
				const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					'cortecsApi',
					{
						method: 'POST',
						url: this.url,
						body: { ...body, input },
						json: true,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						...NO_REDIRECTS,
						timeout,
					},
				)) as IN8nHttpFullResponse;
				if (response.statusCode >= 300) throw answerError(this.errorContext, response, this.router);
				const json = responseJson(this.errorContext, response);
				return { ...json, ...servedBy(json, response) };
			},
		});
	}
}
