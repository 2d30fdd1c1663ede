import type { INodeProperties } from 'n8n-workflow';

/** How messages name an option: its collection and itself, as the editor shows them. */
export function labelOf(collection: INodeProperties, name: string): string {
	const option = (collection.options as INodeProperties[]).find((o) => o.name === name);
	return `${collection.displayName} → ${option?.displayName ?? name}`;
}
