import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { chatOptions, chatRouterOptions } from '../descriptions/chat/complete.operation';
import { checkedModel, checkedNumber, checkListsIn, fail, type CheckedIn } from './fieldChecks';
import { attachFiles, entriesOf, type MessageRow } from './files';
import { labelOf } from './labels';

const MESSAGE_ROLES = ['system', 'user', 'assistant', 'tool', 'developer'];

/** Numeric body fields: their API names and the options they come from. */
const NUMBER_OPTIONS: Array<[key: string, name: string]> = (
	chatOptions.options as INodeProperties[]
)
	.filter((option) => option.type === 'number' && option.routing?.send?.property)
	.map((option) => [option.routing!.send!.property as string, option.name]);

function checkNumbers(ctx: IExecuteSingleFunctions, body: IDataObject) {
	for (const [key, name] of NUMBER_OPTIONS) {
		if (key in body) body[key] = checkedNumber(ctx, chatOptions, name, body[key]);
	}
}

function parseJsonField(ctx: CheckedIn, field: string, value: unknown, example: string): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		fail(ctx, {
			field,
			problem: `not valid JSON (${(error as Error).message})`,
			fix: `Write valid JSON, for example ${example}.`,
		});
	}
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

async function listMessages(ctx: IExecuteSingleFunctions): Promise<IDataObject[]> {
	const rows = ctx.getNodeParameter('messages.message', []) as MessageRow[];
	if (!rows.length) {
		fail(ctx, {
			field: 'Messages',
			problem: 'no messages',
			fix: 'Add at least one message with the role User and the text to send.',
		});
	}
	const messages = rows.map(({ role, content, files }, index) => {
		if (!MESSAGE_ROLES.includes(role)) {
			fail(ctx, {
				field: `Messages → message ${index + 1}`,
				problem: `unknown role "${role}"`,
				fix: 'Use System, User or Assistant.',
			});
		}
		// A row with files may leave its text empty (attachFiles checks the files).
		if ((typeof content !== 'string' || content.trim() === '') && entriesOf(files)?.length === 0) {
			fail(ctx, {
				field: `Messages → message ${index + 1} (${role})`,
				problem: 'the content is empty',
				fix: 'Write the message text, or remove the row. If it comes from an expression, check that the field exists on the input item.',
			});
		}
		return { role, content };
	});
	await attachFiles(ctx, rows, messages);
	return messages;
}

function jsonMessages(ctx: IExecuteSingleFunctions): IDataObject[] {
	const field = 'Messages (JSON)';
	const example = '[{"role": "user", "content": "Hello"}]';
	const parsed = parseJsonField(ctx, field, ctx.getNodeParameter('messagesJson', ''), example);
	// An expression like {{ $json.message }} may hand over a single message: accept it as a list of one.
	const messages = isObject(parsed) && 'role' in parsed ? [parsed] : parsed;
	if (!Array.isArray(messages)) {
		fail(ctx, {
			field,
			problem: 'not an array',
			fix: `Give an array of messages, for example ${example}.`,
		});
	}
	if (!messages.length) {
		fail(ctx, {
			field,
			problem: 'no messages',
			fix: `Give at least one message, for example ${example}.`,
		});
	}
	messages.forEach((message: unknown, index: number) => {
		const where = `${field} → message ${index + 1}`;
		if (!isObject(message)) {
			fail(ctx, {
				field: where,
				problem: 'not an object',
				fix: `Each message is an object, for example ${example}.`,
			});
		}
		const { role, content } = message;
		if (typeof role !== 'string' || !MESSAGE_ROLES.includes(role)) {
			fail(ctx, {
				field: where,
				problem: role === undefined ? 'has no role' : `unknown role ${JSON.stringify(role)}`,
				fix: `Set "role" to one of ${MESSAGE_ROLES.join(', ')}.`,
			});
		}
		const hasToolCalls =
			role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
		const emptyContent =
			content === undefined ||
			content === null ||
			(typeof content === 'string' && content.trim() === '') ||
			(Array.isArray(content) && content.length === 0);
		if (emptyContent && !hasToolCalls) {
			fail(ctx, {
				field: where,
				problem: `the ${role} message has no content`,
				fix: 'Give "content" a text (only an assistant message with tool_calls may leave it empty).',
			});
		}
		if (!emptyContent && typeof content !== 'string' && !Array.isArray(content)) {
			fail(ctx, {
				field: where,
				problem: '"content" is neither text nor a list of content parts',
				fix: 'Make "content" a string, or an array like [{"type": "text", "text": "..."}].',
			});
		}
		if (role === 'tool' && typeof message.tool_call_id !== 'string') {
			fail(ctx, {
				field: where,
				problem: 'a tool message has no tool_call_id',
				fix: 'Set "tool_call_id" to the id of the tool call this message answers.',
			});
		}
	});
	return messages as IDataObject[];
}

/** A JSON option added but left empty is not sent, as if it had not been added. */
function dropIfBlank(body: IDataObject, key: string): boolean {
	if (typeof body[key] === 'string' && (body[key] as string).trim() === '') delete body[key];
	return key in body;
}

function checkTools(ctx: IExecuteSingleFunctions, body: IDataObject) {
	if (!dropIfBlank(body, 'tools')) return;
	const field = labelOf(chatOptions, 'tools');
	const example =
		'[{"type": "function", "function": {"name": "get_weather", "parameters": {...}}}]';
	const tools = parseJsonField(ctx, field, body.tools, example);
	if (!Array.isArray(tools)) {
		fail(ctx, {
			field,
			problem: 'not an array',
			fix: `Give an array of tools, for example ${example}.`,
		});
	}
	tools.forEach((tool: unknown, index: number) => {
		const fn = isObject(tool) ? tool.function : undefined;
		const name = isObject(fn) ? fn.name : undefined;
		if (
			!isObject(tool) ||
			tool.type !== 'function' ||
			!isObject(fn) ||
			typeof name !== 'string' ||
			!/^[\w-]{1,64}$/.test(name)
		) {
			fail(ctx, {
				field: `${field} → tool ${index + 1}`,
				problem: 'not a function tool with a valid name',
				fix: `Each tool is {"type": "function", "function": {"name": "letters_digits_-_only", "description": "...", "parameters": {JSON Schema}}}.`,
			});
		}
		if (fn.parameters !== undefined && !isObject(fn.parameters)) {
			fail(ctx, {
				field: `${field} → tool ${index + 1} (${name})`,
				problem: '"parameters" is not a JSON Schema object',
				fix: 'Set "parameters" to an object schema, e.g. {"type": "object", "properties": {...}}, or leave it out.',
			});
		}
	});
	body.tools = tools as IDataObject[];
}

/**
 * The response_format of a Response JSON Schema: a bare schema, or OpenAI's {"name", "schema", "strict"}
 * as it is (named "response" unless it has a name).
 */
export function jsonSchemaFormat(schema: IDataObject): IDataObject {
	const wrapped = isObject(schema.schema);
	return {
		type: 'json_schema',
		json_schema: wrapped ? { name: 'response', ...schema } : { name: 'response', schema },
	};
}

/** The Response JSON Schema option as the user gave it (JSON text, or an object), checked. */
export function checkedJsonSchema(at: CheckedIn, given: unknown): IDataObject {
	const field = labelOf(chatOptions, 'jsonSchema');
	const example = '{"type": "object", "properties": {"name": {"type": "string"}}}';
	if (given === undefined || given === '') {
		fail(at, {
			field,
			problem: 'missing while Response Format is JSON Schema',
			fix: `Add the Response JSON Schema option, for example ${example}.`,
		});
	}
	const schema = parseJsonField(at, field, given, example);
	if (!isObject(schema)) {
		fail(at, {
			field,
			problem: 'not a JSON object',
			fix: `Give a schema object, for example ${example}.`,
		});
	}
	return schema;
}

function applyResponseFormat(ctx: IExecuteSingleFunctions, body: IDataObject) {
	if (!('response_format' in body)) return;
	const type = body.response_format;
	if (type === 'json_schema') {
		const given = ctx.getNodeParameter('options.jsonSchema', '');
		body.response_format = jsonSchemaFormat(checkedJsonSchema(ctx, given));
	} else if (type === 'json_object' || type === 'text') {
		body.response_format = { type };
	} else {
		fail(ctx, {
			field: labelOf(chatOptions, 'responseFormat'),
			problem: `unknown format ${JSON.stringify(type)}`,
			fix: 'Use text, json_object or json_schema.',
		});
	}
}

function checkPrediction(ctx: IExecuteSingleFunctions, body: IDataObject) {
	if (!dropIfBlank(body, 'prediction')) return;
	const field = labelOf(chatOptions, 'prediction');
	const example = '{"type": "content", "content": "the text you expect"}';
	const prediction = parseJsonField(ctx, field, body.prediction, example);
	if (
		!isObject(prediction) ||
		prediction.type !== 'content' ||
		(typeof prediction.content !== 'string' && !Array.isArray(prediction.content))
	) {
		fail(ctx, { field, problem: 'not a content prediction', fix: `Give ${example}.` });
	}
	body.prediction = prediction;
}

function normalizeLists(ctx: IExecuteSingleFunctions, body: IDataObject) {
	checkListsIn(ctx, body, chatRouterOptions, [['allowedProviders', 'names']]);
	checkListsIn(ctx, body, chatOptions, [['stop', 'texts']]);
}

/**
 * Prepares the request of Chat → Complete (run by the Throughput loop, as a preSend would be): builds
 * the messages and the response format, and checks every field the user set, so bad input fails this
 * item with a NodeOperationError naming the field and the fix, and is never sent.
 */
export async function buildChatRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return await build(this, requestOptions);
}

async function build(
	ctx: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	body.model = checkedModel(ctx, body.model, 'mistral-small-2503');
	const mode = ctx.getNodeParameter('messagesMode', 'list') as string;
	body.messages = mode === 'json' ? jsonMessages(ctx) : await listMessages(ctx);
	checkNumbers(ctx, body);
	checkTools(ctx, body);
	applyResponseFormat(ctx, body);
	checkPrediction(ctx, body);
	normalizeLists(ctx, body);
	if (body.stream === true) {
		// SSE is read as text and assembled in toChatItems.
		requestOptions.encoding = 'text';
		requestOptions.json = false;
	}
	requestOptions.body = body;
	return requestOptions;
}
