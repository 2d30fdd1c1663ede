import type { INodeProperties } from 'n8n-workflow';

/** Read by the output hooks (shared/output.ts), not sent. */
export const simplifyOutput: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return compact items (one per choice, or one per model) instead of the raw API response',
};
