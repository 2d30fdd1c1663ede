// n8n loads the node and credential through the `n8n` section of package.json; these exports are for
// programmatic use (tests, other packages).
export { Cortecs } from './nodes/Cortecs/Cortecs.node';
export { CortecsApi } from './credentials/CortecsApi.credentials';
export { LmChatCortecs } from './nodes/LmChatCortecs/LmChatCortecs.node';
