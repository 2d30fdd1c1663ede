import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { perRun } from './runCache';

/** A file an item's request carries, as its output shows it (Simplify off). */
export interface SentFile {
	/** The binary property it came from; none for a URL. */
	property?: string;
	/** The file name, or the URL. */
	name: string;
	/** Null for a URL: the model's provider fetches it. */
	mimeType: string | null;
	/** The file's bytes (before base64); null for a URL. */
	bytes: number | null;
}

const SENT = Symbol('filesSent');

const sentByItem = (ctx: IExecuteSingleFunctions) =>
	perRun(ctx, SENT, () => new Map<number, SentFile[]>());

/** Remembers the files of this item's request, for its output and its error hints. */
export function noteFilesSent(ctx: IExecuteSingleFunctions, files: SentFile[]): void {
	sentByItem(ctx).set(ctx.getItemIndex(), files);
}

/** The files this item's request carries, if any. */
export function filesSentOf(ctx: IExecuteSingleFunctions): SentFile[] | undefined {
	return sentByItem(ctx).get(ctx.getItemIndex());
}
