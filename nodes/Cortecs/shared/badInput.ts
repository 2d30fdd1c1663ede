import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Bad input, as the user reads it: the field, what is wrong with its value, and what to do. */
export type Fix = { field: string; problem: string; fix: string };

/** Fails the item for bad input: a NodeOperationError naming the field and the fix; nothing is sent. */
export function fail(ctx: IExecuteSingleFunctions, { field, problem, fix }: Fix): never {
	throw new NodeOperationError(ctx.getNode(), `${field}: ${problem}`, {
		itemIndex: ctx.getItemIndex(),
		description: fix,
	});
}
