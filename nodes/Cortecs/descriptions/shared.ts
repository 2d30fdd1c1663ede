import type { INodeProperties } from 'n8n-workflow';

/** Routing that sends a parameter's value as the body field `property`. */
export const body = (property: string) => ({ send: { type: 'body' as const, property } });

/**
 * A Model field: the live catalogue through the list search `searchListMethod` (one implementation,
 * listSearch/searchModels.ts), or an ID typed in or given by an expression.
 */
export function modelField(
	searchListMethod: string,
	example: string,
	description: string,
): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${example}`,
			},
		],
	};
}
