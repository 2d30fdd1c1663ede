import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { modelField } from '../Cortecs/descriptions/shared';
import { CHAT_TAGS, searchModelsNeeding } from '../Cortecs/listSearch/searchModels';
import { baseUrlOf } from '../Cortecs/shared/baseUrl';
import { checkedModel } from '../Cortecs/shared/fieldChecks';
import { Pauses } from '../Cortecs/shared/pauses';
import { cortecsLangchainModel } from './adapter';
import { CortecsChatModel } from './chatModel';
import { options } from './properties/options';
import { routerOptions } from './properties/router';
import { loadAiNodeSdk } from './sdk';
import { chatModelSettings } from './settings';

/** An AI Agent calls its tools through the model; JSON Object needs JSON mode. */
function neededFeatures(ctx: ILoadOptionsFunctions): string[] {
	const options = (ctx.getCurrentNodeParameter('options') ?? {}) as IDataObject;
	return options.responseFormat === 'json_object' ? ['tools', 'json_mode'] : ['tools'];
}

export class LmChatCortecs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cortecs Chat Model',
		name: 'lmChatCortecs',
		icon: { light: 'file:../../icons/cortecs.svg', dark: 'file:../../icons/cortecs.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].value }}',
		description: 'Chat model for AI Agents and chains, served through the Cortecs EU LLM router',
		defaults: { name: 'Cortecs Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'cortecsApi', required: true }],
		properties: [
			modelField(
				'searchModels',
				'mistral-small-2503',
				'The model to run: the live Cortecs catalogue with prices per 1M tokens. An AI Agent needs a model with the tools feature; the others are marked.',
			),
			options,
			routerOptions,
		],
	};

	methods = {
		listSearch: { searchModels: searchModelsNeeding(neededFeatures, CHAT_TAGS) },
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		// Bad parameters fail first, as in the Cortecs node, whatever the n8n version.
		const model = checkedModel(
			this.getNode(),
			this.getNodeParameter('model', itemIndex, '', { extractValue: true }),
			'mistral-small-2503',
		);
		const router = this.getNodeParameter('routerOptions', itemIndex, {}) as IDataObject;
		const settings = chatModelSettings(
			this.getNode(),
			model,
			this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			router,
		);
		const sdk = await loadAiNodeSdk(this);
		const credentials = await this.getCredentials('cortecsApi');
		const chatModel = new CortecsChatModel(this, itemIndex, settings, {
			url: `${baseUrlOf(credentials)}/chat/completions`,
			router,
			jsonSchemaOf: sdk.getParametersJsonSchema,
			pauses: new Pauses(this.getExecutionCancelSignal()),
		});
		return cortecsLangchainModel(sdk.supplyModel(this, chatModel), chatModel, this);
	}
}
