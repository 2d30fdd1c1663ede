import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chatOptions, routingOptions } from '../Cortecs/descriptions/chat/complete.operation';
import { labelOf } from '../Cortecs/shared/labels';
import { notAccepted, numberIn, numberRule, rangeText } from '../Cortecs/shared/numbers';
import { options as optionsCollection } from './properties/options';

/** What the chat model is built with, besides the model, key and Base URL (n8n's SDK field names). */
export interface ChatModelSettings {
	maxTokens?: number;
	timeout: number;
	maxRetries: number;
	/** Sent as they are, as extra fields of every request body. */
	additionalParams: IDataObject;
}

/** The API field the Cortecs node sends an option as (its `routing.send.property`). */
function apiFieldOf(collection: INodeProperties, name: string): string | undefined {
	const option = (collection.options as INodeProperties[]).find((o) => o.name === name);
	return option?.routing?.send?.property as string | undefined;
}

function fail(node: INode, field: string, problem: string, fix: string): never {
	throw new NodeOperationError(node, `${field}: ${problem}`, { description: fix });
}

/** A list of texts from the editor (a list) or an expression (a list or a comma-separated string). */
function textList(node: INode, field: string, value: unknown, splitCommas: boolean): string[] {
	let list = value;
	if (typeof list === 'string') list = splitCommas ? list.split(',').map((v) => v.trim()) : [list];
	if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
		fail(node, field, 'not a list of texts', 'Give a list of strings, or remove the option.');
	}
	return (list as string[]).filter((v) => v !== '');
}

/** A number option's value, within the range the editor gives it (values from expressions are checked here). */
function checkedNumber(node: INode, name: string, value: unknown): number {
	const rule = numberRule(optionsCollection, name);
	const number = numberIn(rule, value);
	if (number === undefined) {
		fail(
			node,
			rule.field,
			notAccepted(rule, value),
			`Set ${rangeText(rule)}, or remove the option.`,
		);
	}
	return number;
}

const defaultOf = (name: string) =>
	(optionsCollection.options as INodeProperties[]).find((o) => o.name === name)?.default as number;

/**
 * The sub-node's parameters as the settings of n8n's OpenAI-compatible chat model. Every option the user
 * set and every Routing field goes into the request body under the API name the Cortecs node uses for it;
 * Max Tokens goes through the SDK (LangChain's model writes max_tokens itself, after the extra fields).
 * The timeout and retries always apply, with the Cortecs node's defaults (long enough for reasoning).
 */
export function chatModelSettings(
	node: INode,
	options: IDataObject,
	routing: IDataObject,
): ChatModelSettings {
	const label = (name: string) => labelOf(optionsCollection, name);
	const settings: ChatModelSettings = {
		timeout: defaultOf('timeout') * 1000,
		maxRetries: defaultOf('maxRetries'),
		additionalParams: {},
	};
	const body = settings.additionalParams;
	for (const [name, value] of Object.entries(options)) {
		if (value === undefined) continue;
		if (name === 'timeout') {
			settings.timeout = checkedNumber(node, name, value) * 1000;
		} else if (name === 'maxRetries') {
			settings.maxRetries = checkedNumber(node, name, value);
		} else if (name === 'maxTokens') {
			settings.maxTokens = checkedNumber(node, name, value);
		} else if (name === 'stop') {
			const stop = textList(node, label(name), value, false);
			if (stop.length) body[apiFieldOf(chatOptions, name)!] = stop;
		} else if (name === 'responseFormat') {
			body[apiFieldOf(chatOptions, name)!] = { type: value };
		} else {
			const field = apiFieldOf(chatOptions, name);
			if (!field) continue;
			const option = (optionsCollection.options as INodeProperties[]).find((o) => o.name === name);
			body[field] = option?.type === 'number' ? checkedNumber(node, name, value) : value;
		}
	}
	for (const [name, value] of Object.entries(routing)) {
		const field = apiFieldOf(routingOptions, name);
		if (value === undefined || !field) continue;
		if (name === 'allowedProviders') {
			const providers = textList(node, labelOf(routingOptions, name), value, true);
			if (providers.length) body[field] = providers;
		} else {
			body[field] = value;
		}
	}
	return settings;
}
