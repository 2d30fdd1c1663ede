import type { ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The first n8n release that ships @n8n/ai-node-sdk (as a dependency of the `n8n` package). */
export const MIN_N8N_VERSION = '2.16.0';

type AiNodeSdk = typeof import('@n8n/ai-node-sdk');

/**
 * n8n's AI node SDK, loaded when the model is first needed rather than when n8n loads the package:
 * older n8n releases do not have it, and the package (with its action node) must still load there.
 */
export async function loadAiNodeSdk(ctx: ISupplyDataFunctions): Promise<AiNodeSdk> {
	try {
		return await import('@n8n/ai-node-sdk');
	} catch (error) {
		const missing =
			(error as { code?: string }).code === 'MODULE_NOT_FOUND' &&
			String((error as Error).message).includes('@n8n/ai-node-sdk');
		if (!missing) throw new NodeOperationError(ctx.getNode(), error as Error);
		throw new NodeOperationError(
			ctx.getNode(),
			`The Cortecs Chat Model needs n8n ${MIN_N8N_VERSION} or newer: update n8n, or use the Cortecs node`,
			{
				description:
					`It is built on n8n's AI node SDK (@n8n/ai-node-sdk), which n8n ships from version ${MIN_N8N_VERSION} on. ` +
					'The Cortecs node (Chat → Message a Model) works on this version.',
			},
		);
	}
}
