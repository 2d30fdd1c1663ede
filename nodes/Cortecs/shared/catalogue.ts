import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/** Every tag GET /models knows. The endpoint filters by tag (default Instruct), so "all" means each tag. */
export const MODEL_TAGS = [
	'Instruct',
	'Reasoning',
	'Tools',
	'Code',
	'Image',
	'Document',
	'Audio',
	'OCR',
	'Embedding',
];

export interface CatalogueModel {
	id: string;
	owned_by?: string;
	description?: string | null;
	pricing?: {
		input_token?: number;
		output_token?: number;
		currency?: string;
		cache_read_cost?: number;
	};
	providers?: string[];
	context_size?: number;
	max_output_tokens?: number;
	tags?: string[];
	supported_features?: string[];
	input_modalities?: string[];
}

/** What a model can be sent besides text. */
export type InputKind = 'image' | 'document';

/** The tag the catalogue gives models that read each input. */
const INPUT_TAGS: Record<InputKind, string> = { image: 'Image', document: 'Document' };

/**
 * Whether `model` reads images or documents: its `input_modalities` say so (documents may be named
 * `document` or `file`); a model without them, its tags.
 */
export function readsInput(model: CatalogueModel, kind: InputKind): boolean {
	const modalities = model.input_modalities;
	if (!Array.isArray(modalities)) return model.tags?.includes(INPUT_TAGS[kind]) ?? false;
	return kind === 'image'
		? modalities.includes('image')
		: modalities.includes('document') || modalities.includes('file');
}

/** n8n's `helpers.httpRequest`, from whichever context fetches the catalogue. */
type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** GET /models needs no API key, so none is sent: the key only ever goes to the chat endpoint. */
export async function fetchModels(
	httpRequest: HttpRequest,
	baseUrl: string,
	qs: IDataObject,
): Promise<CatalogueModel[]> {
	const body = (await httpRequest({
		method: 'GET',
		url: `${baseUrl}/models`,
		qs,
		arrayFormat: 'repeat',
		json: true,
	})) as { data?: CatalogueModel[] };
	return Array.isArray(body?.data) ? body.data : [];
}

/** The models of any of `tags` (default: the whole catalogue): one request per tag, merged by id, sorted by id. */
export async function fetchAllModels(
	httpRequest: HttpRequest,
	baseUrl: string,
	tags: string[] = MODEL_TAGS,
): Promise<CatalogueModel[]> {
	const lists = await Promise.all(
		tags.map(async (tag) => await fetchModels(httpRequest, baseUrl, { tag })),
	);
	const byId = new Map<string, CatalogueModel>();
	for (const model of lists.flat()) if (!byId.has(model.id)) byId.set(model.id, model);
	return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
