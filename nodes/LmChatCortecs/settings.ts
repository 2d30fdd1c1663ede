import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DELIVERY_DEFAULTS } from '../Cortecs/shared/constants';

/** What the chat model is built with, besides the model, key and Base URL (n8n's SDK field names). */
export interface ChatModelSettings {
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	stop?: string[];
	timeout: number;
	maxRetries: number;
	/** Sent as they are, as extra fields of every request body. */
	additionalParams: IDataObject;
}

/**
 * Options the SDK sends itself (same names in the node and the SDK), with their names in the editor.
 * API fields: temperature, max_tokens (max_completion_tokens for o-series and gpt-5 model ids), top_p,
 * frequency_penalty, presence_penalty.
 */
const SDK_OPTIONS = {
	temperature: 'Temperature',
	maxTokens: 'Max Tokens',
	topP: 'Top P',
	frequencyPenalty: 'Frequency Penalty',
	presencePenalty: 'Presence Penalty',
} as const;

/**
 * Options sent as extra body fields, by API name. Reasoning effort is one of them: the SDK's own
 * `reasoning` setting only reaches OpenAI's o-series and gpt-5 models.
 */
const BODY_OPTIONS: Record<string, string> = {
	seed: 'seed',
	reasoningEffort: 'reasoning_effort',
};

/** The router fields by API name; all go into the body of every request. */
const ROUTER_FIELDS: Record<string, string> = {
	preference: 'preference',
	allowedProviders: 'allowed_providers',
	euNative: 'eu_native',
	allowQuantization: 'allow_quantization',
	allowZeroDataRetention: 'allow_zero_data_retention',
	enableModelFallback: 'enable_model_fallback',
};

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

function finiteNumber(node: INode, field: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
		fail(node, field, `${shown} is not a number`, 'Give a number, or remove the option.');
	}
	return value;
}

/**
 * The sub-node's parameters as the settings of n8n's OpenAI-compatible chat model. Only what the user
 * set is sent; the timeout and retries always apply, with defaults that suit long reasoning answers.
 */
export function chatModelSettings(node: INode, options: IDataObject, routing: IDataObject): ChatModelSettings {
	const settings: ChatModelSettings = {
		timeout: DELIVERY_DEFAULTS.timeoutSeconds * 1000,
		maxRetries: DELIVERY_DEFAULTS.maxRetries,
		additionalParams: {},
	};
	for (const [name, label] of Object.entries(SDK_OPTIONS)) {
		const key = name as keyof typeof SDK_OPTIONS;
		if (options[key] !== undefined) settings[key] = finiteNumber(node, `Options → ${label}`, options[key]);
	}
	if (options.stop !== undefined) {
		const stop = textList(node, 'Options → Stop Sequences', options.stop, false);
		if (stop.length) settings.stop = stop;
	}
	if (options.timeoutSeconds !== undefined) {
		const seconds = finiteNumber(node, 'Options → Timeout (Seconds)', options.timeoutSeconds);
		if (seconds <= 0) fail(node, 'Options → Timeout (Seconds)', 'must be above 0', 'Give a number of seconds, e.g. 600.');
		settings.timeout = seconds * 1000;
	}
	if (options.maxRetries !== undefined) {
		const retries = finiteNumber(node, 'Options → Max Retries', options.maxRetries);
		if (retries < 0 || !Number.isInteger(retries)) {
			fail(node, 'Options → Max Retries', 'must be a whole number of 0 or more', 'Give e.g. 2.');
		}
		settings.maxRetries = retries;
	}
	const body = settings.additionalParams;
	for (const [name, field] of Object.entries(BODY_OPTIONS)) {
		if (options[name] !== undefined && options[name] !== '') body[field] = options[name];
	}
	if (options.responseFormat !== undefined) body.response_format = { type: options.responseFormat };
	for (const [name, field] of Object.entries(ROUTER_FIELDS)) {
		if (routing[name] === undefined) continue;
		if (name === 'allowedProviders') {
			const providers = textList(node, 'Routing → Allowed Providers', routing[name], true);
			if (providers.length) body[field] = providers;
		} else {
			body[field] = routing[name];
		}
	}
	return settings;
}
