// n8n loads the node and credential through the `n8n` section of package.json, not through this file;
// it is the package's entry point for anyone who imports the classes.
export { Cortecs } from './nodes/Cortecs/Cortecs.node';
export { CortecsApi } from './credentials/CortecsApi.credentials';
export { LmChatCortecs } from './nodes/LmChatCortecs/LmChatCortecs.node';
export { EmbeddingsCortecs } from './nodes/EmbeddingsCortecs/EmbeddingsCortecs.node';
