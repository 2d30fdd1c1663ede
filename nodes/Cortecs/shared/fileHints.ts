import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { readsInput, type InputKind } from './catalogue';
import { catalogueForRun } from './cost';
import { kindOf, sizeText } from './fileParts';
import { filesSentOf } from './sentFiles';

const WORDS: Record<InputKind, string> = { image: 'images', document: 'documents (PDF)' };

/**
 * What to add to the hint of a failed answer when the item's request carried files: for a 413 how large
 * they were, for a 400 or 422 which models read the images and documents it sent (from the catalogue).
 */
export async function filesHint(
	ctx: IExecuteSingleFunctions,
	status: number,
): Promise<string | undefined> {
	const files = filesSentOf(ctx);
	if (!files?.length) return undefined;
	if (status === 413) {
		// URLs alone are a few bytes: the request is too large for other reasons.
		const bytes = files.reduce((sum, file) => sum + (file.bytes ?? 0), 0);
		if (!bytes) return undefined;
		return `The request carried ${sizeText(bytes)} of files, which travel base64-encoded (a third larger). Send fewer or smaller files per item (one per request, scaled-down images, fewer PDF pages), or an https:// URL for an image.`;
	}
	if (status !== 400 && status !== 422) return undefined;
	const kinds = new Set<InputKind>();
	for (const file of files) {
		const kind = file.mimeType === null ? 'image' : kindOf(file.mimeType);
		if (kind === 'image') kinds.add('image');
		if (kind === 'pdf') kinds.add('document');
	}
	if (!kinds.size) return undefined;
	const models = await catalogueForRun(ctx, ['Image', 'Document']);
	const lists = [...kinds].map((kind) => {
		const ids = models.filter((model) => readsInput(model, kind)).map((model) => model.id);
		return `${WORDS[kind]}: ${ids.length ? ids.join(', ') : 'none in the catalogue right now'}`;
	});
	return `The request sent ${[...kinds].map((kind) => WORDS[kind]).join(' and ')}, which only some models read. Models that read ${lists.join('; ')}.`;
}
