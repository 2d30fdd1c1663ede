import type { INodeProperties } from 'n8n-workflow';

/** Read by the output hooks (shared/output.ts), not sent. */
export const simplifyOutput: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	// Embedding → Create gives one compact item per input item whatever this says: a batch's raw answer
	// belongs to many items.
	displayOptions: { hide: { resource: ['embedding'] } },
	description:
		'Whether to return compact items (one per choice, or one per model) instead of the raw API response',
};
