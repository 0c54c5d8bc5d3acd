// ESM consumer in Node, type-checked under node16 and nodenext: the Node-only mock entry, typed.
import { startPinMock, type PinMock } from 'equals-card-pin/mock';

export const start: () => Promise<PinMock> = () => startPinMock({ port: 0 });
