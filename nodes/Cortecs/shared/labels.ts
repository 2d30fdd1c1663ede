import type { INodeProperties } from 'n8n-workflow';

/** Option `name` of a collection (Options, Routing, Throughput…), as its description has it. */
export function optionOf(collection: INodeProperties, name: string): INodeProperties | undefined {
	return (collection.options as INodeProperties[]).find((o) => o.name === name);
}

/** The API field the Cortecs node sends an option as (its `routing.send.property`). */
export function apiFieldOf(collection: INodeProperties, name: string): string | undefined {
	return optionOf(collection, name)?.routing?.send?.property as string | undefined;
}

/**
 * How messages name an option by itself. n8n's lint rules make a list option's display name "Allowed
 * Provider Names or IDs"; messages use the short form, "Allowed Providers".
 */
export function nameOf(collection: INodeProperties, name: string): string {
	const displayName = optionOf(collection, name)?.displayName ?? name;
	return displayName.replace(/ Names or IDs$/, 's');
}

/** How messages name an option: its collection and itself, as the editor shows them. */
export function labelOf(collection: INodeProperties, name: string): string {
	return `${collection.displayName} → ${nameOf(collection, name)}`;
}
