// The Node-only mock entry by `import`, type-checked under nodenext with Node's types (as a Node project has them).
import { startPinMock, type PinMock } from 'equals-card-pin/mock';

export const start: () => Promise<PinMock> = () => startPinMock({ port: 0 });
