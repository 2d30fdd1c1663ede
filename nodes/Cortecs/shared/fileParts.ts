import type { IDataObject } from 'n8n-workflow';

/** How a file is sent: an image part, a PDF file part, or its text inlined. */
export type FileKind = 'image' | 'pdf' | 'text';

/** The image types OpenAI-compatible models take in an `image_url` part. */
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** Types outside text/* that are text all the same (JSON, CSV, XML, Markdown, YAML). */
const TEXT_TYPES = [
	'application/json',
	'application/csv',
	'application/xml',
	'application/x-markdown',
	'application/yaml',
	'application/x-yaml',
];

/** What the node sends, in the words of its errors and docs. */
export const SUPPORTED_TYPES =
	'images (PNG, JPEG, WebP, GIF), PDFs, and text files (text/*, JSON, CSV, XML, Markdown)';

/** A MIME type without its parameters, lower case; `image/jpg` (written by some tools) as `image/jpeg`. */
export function baseMimeType(mimeType: string | undefined): string {
	const base = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return base === 'image/jpg' ? 'image/jpeg' : base;
}

/** How a file of this MIME type is sent, or undefined when the node cannot send it. */
export function kindOf(mimeType: string | undefined): FileKind | undefined {
	const type = baseMimeType(mimeType);
	if (IMAGE_TYPES.includes(type)) return 'image';
	if (type === 'application/pdf') return 'pdf';
	if (
		type.startsWith('text/') ||
		TEXT_TYPES.includes(type) ||
		/^application\/[\w.-]+\+(json|xml)$/.test(type)
	) {
		return 'text';
	}
	return undefined;
}

/** One entry of a Files field: the name of a binary property of the item, or an image URL. */
export type FileEntry = { property: string } | { url: string };

/**
 * The entries of a Files field: comma-separated, blanks dropped. Entries that start with a scheme
 * (`https://`, `http://`, `data:`) are URLs; the rest are binary property names.
 */
export function fileEntries(value: string): FileEntry[] {
	return value
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => (/^[a-z][a-z\d+.-]*:/i.test(entry) ? { url: entry } : { property: entry }));
}

/** The bytes a base64 text decodes to, without decoding it. */
export function base64Bytes(base64: string): number {
	const length = base64.replace(/\s/g, '').length;
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.max(0, Math.floor((length * 3) / 4) - padding);
}

/** "512 bytes", "12.3 kB", "20.5 MB" (decimal units, as n8n shows file sizes). */
export function sizeText(bytes: number): string {
	if (bytes < 1000) return `${bytes} bytes`;
	if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
	return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A file as it is sent, once its bytes are read. */
export interface FileToSend {
	kind: FileKind;
	mimeType: string;
	fileName: string;
}

/**
 * The content part of a file: an image as a data URL (with `detail` when set), a PDF as a file part, a
 * text file as text headed by its name (so that any model can read it).
 */
export function contentPart(file: FileToSend, bytes: Buffer, detail?: string): IDataObject {
	if (file.kind === 'image') {
		return imagePart(
			`data:${baseMimeType(file.mimeType)};base64,${bytes.toString('base64')}`,
			detail,
		);
	}
	if (file.kind === 'pdf') {
		return {
			type: 'file',
			file: {
				filename: file.fileName,
				file_data: `data:application/pdf;base64,${bytes.toString('base64')}`,
			},
		};
	}
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	return { type: 'text', text: `File ${file.fileName}:\n${text}` };
}

/** An `image_url` part for a URL (https:// or data:), with `detail` when set. */
export function imagePart(url: string, detail?: string): IDataObject {
	return { type: 'image_url', image_url: detail ? { url, detail } : { url } };
}
