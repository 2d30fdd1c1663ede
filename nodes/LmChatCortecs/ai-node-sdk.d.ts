/**
 * The part of n8n's AI node SDK this package uses. The SDK is not installed here: n8n provides it at run
 * time (n8n 2.16.0 and newer), and a development copy would pull n8n's LangChain stack into node_modules.
 * Field names as in @n8n/ai-utilities' OpenAIModelOptions.
 */
declare module '@n8n/ai-node-sdk' {
	import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

	export interface OpenAiModel {
		type: 'openai';
		baseUrl: string;
		apiKey: string;
		model: string;
		temperature?: number;
		maxTokens?: number;
		topP?: number;
		frequencyPenalty?: number;
		presencePenalty?: number;
		stop?: string[];
		reasoning?: { effort?: 'low' | 'medium' | 'high' };
		timeout?: number;
		maxRetries?: number;
		streaming?: boolean;
		streamUsage?: boolean;
		defaultHeaders?: Record<string, string>;
		additionalParams?: Record<string, unknown>;
		onFailedAttempt?: (error: unknown) => void;
	}

	export function supplyModel(ctx: ISupplyDataFunctions, model: OpenAiModel): SupplyData;
}
