import type {
	IBinaryData,
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { isBinaryValue, NodeOperationError } from 'n8n-workflow';

import { chatOptions } from '../descriptions/chat/complete.operation';
import { FAILURE } from './errors';
import { fail, numberSetIn } from './fieldChecks';
import {
	base64Bytes,
	baseMimeType,
	contentPart,
	fileEntries,
	imagePart,
	kindOf,
	sizeText,
	SUPPORTED_TYPES,
	type FileEntry,
	type FileToSend,
} from './fileParts';
import { labelOf, optionOf } from './labels';
import { isBlank } from './numbers';
import { noteFilesSent, type SentFile } from './sentFiles';

/** A row of Messages as the editor stores it. */
export interface MessageRow {
	role: string;
	content: string;
	files?: unknown;
}

/**
 * A binary file checked at preparation and left in the body in its place: its bytes are read and encoded
 * only when the request leaves (sendWithFiles), so that the items waiting to be sent hold no file.
 */
class PendingFile implements FileToSend {
	constructor(
		readonly property: string,
		readonly kind: FileToSend['kind'],
		readonly mimeType: string,
		readonly fileName: string,
		readonly detail: string | undefined,
		/** The Files field it came from, for a read that fails. */
		readonly field: string,
	) {}
}

const MAX_FILE_SIZE = labelOf(chatOptions, 'maxFileSize');
const IMAGE_DETAIL = optionOf(chatOptions, 'imageDetail')!;
const DETAILS = (IMAGE_DETAIL.options as Array<{ value: string }>).map((o) => o.value);
const BYTES_PER_MB = 1_000_000;

/** Max File Size (in bytes) and Image Detail (when set), checked. */
function fileOptions(ctx: IExecuteSingleFunctions): { maxBytes: number; detail?: string } {
	const set = (ctx.getNodeParameter(chatOptions.name, {}) ?? {}) as IDataObject;
	const max = numberSetIn(ctx, chatOptions, 'maxFileSize', set);
	const detail = set[IMAGE_DETAIL.name];
	if (detail !== undefined && (typeof detail !== 'string' || !DETAILS.includes(detail))) {
		fail(ctx, {
			field: labelOf(chatOptions, IMAGE_DETAIL.name),
			problem: `unknown detail ${JSON.stringify(detail)}`,
			fix: `Use ${DETAILS.join(', ')}, or remove the option.`,
		});
	}
	return { maxBytes: max * BYTES_PER_MB, detail: detail as string | undefined };
}

/** The names of the item's binary properties (and, in n8n's combined binary mode, its JSON's files). */
function binaryNames(ctx: IExecuteSingleFunctions): string[] {
	const item = ctx.getInputData();
	const inJson = Object.entries(item.json ?? {})
		.filter(([, value]) => isBinaryValue(value))
		.map(([name]) => name);
	return [...Object.keys(item.binary ?? {}), ...inJson];
}

/** The file's size in bytes, from its metadata: nothing is read. */
async function sizeOf(ctx: IExecuteSingleFunctions, binary: IBinaryData): Promise<number> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) return (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize;
	return base64Bytes(binary.data);
}

/** One binary property of a Files field, checked: it exists, its type can be sent, it is not too large. */
async function pendingFile(
	ctx: IExecuteSingleFunctions,
	field: string,
	property: string,
	{ maxBytes, detail }: { maxBytes: number; detail?: string },
): Promise<{ pending: PendingFile; sent: SentFile }> {
	let binary: IBinaryData;
	try {
		binary = ctx.helpers.assertBinaryData(property);
	} catch {
		const names = binaryNames(ctx);
		fail(ctx, {
			field,
			problem: `the item has no binary property "${property}"`,
			fix: names.length
				? `The item's binary properties are: ${names.join(', ')}. Name one of them (comma-separated for several), or an https:// image URL.`
				: 'The item has no binary data. Read or download the file in a node before this one (Read Files from Disk, HTTP Request, an email or storage trigger…), then name its binary property here (usually "data").',
		});
	}
	const mimeType = baseMimeType(binary.mimeType);
	const fileName = binary.fileName ?? property;
	const described = `"${property}" (${fileName})`;
	const kind = kindOf(mimeType);
	if (!kind) {
		fail(ctx, {
			field,
			problem: `${described} is ${mimeType || 'of no known type'}, which the node cannot send`,
			fix: `Send ${SUPPORTED_TYPES}. Convert other files first (Extract from File turns spreadsheets and documents into text), or correct the MIME type if it is wrong.`,
		});
	}
	let bytes: number;
	try {
		bytes = await sizeOf(ctx, binary);
	} catch (error) {
		fail(ctx, {
			field,
			problem: `${described} cannot be read (${(error as Error).message})`,
			fix: "Check that the node before this one wrote the file, and that n8n's binary data storage is reachable.",
		});
	}
	if (bytes === 0) {
		fail(ctx, {
			field,
			problem: `${described} is empty`,
			fix: 'Check the node before this one: it wrote a file without content.',
		});
	}
	if (bytes > maxBytes) {
		fail(ctx, {
			field,
			problem: `${described} is ${sizeText(bytes)} (${bytes} bytes), larger than ${MAX_FILE_SIZE} (${sizeText(maxBytes)})`,
			fix: `Send a smaller file (a scaled-down image, fewer PDF pages), or raise ${MAX_FILE_SIZE} if the model's provider accepts larger files.`,
		});
	}
	return {
		pending: new PendingFile(property, kind, mimeType, fileName, detail, field),
		sent: { property, name: fileName, mimeType, bytes },
	};
}

/**
 * The entries of a row's Files: a comma-separated text, or (from an expression) a list of texts; none
 * when blank; undefined when it is neither.
 */
export function entriesOf(files: unknown): FileEntry[] | undefined {
	if (isBlank(files)) return [];
	if (typeof files === 'string') return fileEntries(files);
	if (Array.isArray(files) && files.every((name) => typeof name === 'string')) {
		return fileEntries(files.join(','));
	}
	return undefined;
}

/**
 * Turns the Files of each message row into content parts after the row's text (run at preparation):
 * URLs as they are, binary properties checked and left as placeholders that sendWithFiles fills. Bad
 * input fails the item here, before anything is sent.
 */
export async function attachFiles(
	ctx: IExecuteSingleFunctions,
	rows: MessageRow[],
	messages: IDataObject[],
): Promise<void> {
	const sent: SentFile[] = [];
	let options: ReturnType<typeof fileOptions> | undefined;
	for (const [index, { role, content, files }] of rows.entries()) {
		const field = `Messages → message ${index + 1} (${role}) → Files`;
		const entries = entriesOf(files);
		if (!entries) {
			fail(ctx, {
				field,
				problem: `${JSON.stringify(files)} is not a list of names`,
				fix: 'Give binary property names and https:// image URLs, comma-separated, e.g. data, invoice.',
			});
		}
		if (!entries.length) continue;
		if (role !== 'user') {
			fail(ctx, {
				field,
				problem: `a ${role} message cannot carry files`,
				fix: 'Move the files to a User message, or clear Files on this row.',
			});
		}
		options ??= fileOptions(ctx);
		const parts: unknown[] =
			typeof content === 'string' && content.trim() !== '' ? [{ type: 'text', text: content }] : [];
		for (const entry of entries) {
			if ('url' in entry) {
				if (!entry.url.startsWith('https://')) {
					fail(ctx, {
						field,
						problem: `${JSON.stringify(entry.url)} is not an https:// URL`,
						fix: 'Give image URLs as https://…, or the name of a binary property of the item.',
					});
				}
				parts.push(imagePart(entry.url, options.detail));
				sent.push({ name: entry.url, mimeType: null, bytes: null });
				continue;
			}
			const file = await pendingFile(ctx, field, entry.property, options);
			parts.push(file.pending);
			sent.push(file.sent);
		}
		messages[index].content = parts as IDataObject[];
	}
	if (sent.length) noteFilesSent(ctx, sent);
}

const hasPending = (message: unknown): boolean =>
	Array.isArray((message as IDataObject).content) &&
	((message as IDataObject).content as unknown[]).some((part) => part instanceof PendingFile);

/** A file whose bytes cannot be read when its request leaves: the item fails, and is not sent again. */
function unreadable(ctx: IExecuteSingleFunctions, file: PendingFile, error: unknown) {
	const failure = new NodeOperationError(
		ctx.getNode(),
		`${file.field}: "${file.property}" (${file.fileName}) could not be read`,
		{
			itemIndex: ctx.getItemIndex(),
			description: `n8n's binary data storage answered: ${(error as Error)?.message ?? String(error)}`,
		},
	);
	Object.defineProperty(failure, FAILURE, { value: { retryable: false }, enumerable: false });
	return failure;
}

async function filled(ctx: IExecuteSingleFunctions, message: IDataObject): Promise<IDataObject> {
	const parts: unknown[] = [];
	for (const part of message.content as unknown[]) {
		if (!(part instanceof PendingFile)) {
			parts.push(part);
			continue;
		}
		let bytes: Buffer;
		try {
			bytes = await ctx.helpers.getBinaryDataBuffer(part.property);
		} catch (error) {
			throw unreadable(ctx, part, error);
		}
		parts.push(contentPart(part, bytes, part.detail));
	}
	return { ...message, content: parts as IDataObject[] };
}

/**
 * One attempt of the delivery loop for a request with files: their bytes are read and encoded into
 * `requestOptions.body` right before `send`, and the placeholders put back once it has the answer (or
 * failed). The request data n8n keeps for the whole run, and a request waiting for its retry, hold no
 * file; the run holds at most as many encoded files as it has requests in flight.
 */
export async function sendWithFiles(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
	send: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const body = requestOptions.body as IDataObject | undefined;
	const messages = body?.messages;
	if (!body || !Array.isArray(messages) || !messages.some(hasPending)) return await send();
	const withBytes: IDataObject[] = [];
	for (const message of messages as IDataObject[]) {
		withBytes.push(hasPending(message) ? await filled(this, message) : message);
	}
	body.messages = withBytes;
	try {
		return await send();
	} finally {
		body.messages = messages;
	}
}
