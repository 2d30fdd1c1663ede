import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { embeddingModelField } from '../Cortecs/descriptions/embedding/create.operation';
import { withoutRouting } from '../Cortecs/descriptions/subNodes';
import { searchEmbeddingModels } from '../Cortecs/listSearch/searchModels';
import { baseUrlOf } from '../Cortecs/shared/baseUrl';
import { CortecsEmbeddings } from './embeddings';
import { options } from './properties/options';
import { routerOptions } from './properties/router';
import { embeddingsSettings } from './settings';

export class EmbeddingsCortecs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cortecs Embeddings',
		name: 'embeddingsCortecs',
		icon: { light: 'file:../../icons/cortecs.svg', dark: 'file:../../icons/cortecs.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].value }}',
		description: 'Embeddings for vector stores, served through the Cortecs EU LLM router',
		defaults: { name: 'Cortecs Embeddings' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiEmbedding],
		outputNames: ['Embeddings'],
		credentials: [{ name: 'cortecsApi', required: true }],
		properties: [withoutRouting(embeddingModelField), options, routerOptions],
	};

	methods = {
		listSearch: { searchEmbeddingModels },
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const router = this.getNodeParameter('routerOptions', itemIndex, {}) as IDataObject;
		const settings = embeddingsSettings(
			this.getNode(),
			this.getNodeParameter('model', itemIndex, '', { extractValue: true }),
			this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			router,
		);
		const credentials = await this.getCredentials('cortecsApi');
		const url = `${baseUrlOf(credentials)}/embeddings`;
		return { response: new CortecsEmbeddings(this, itemIndex, url, settings, router) };
	}
}
