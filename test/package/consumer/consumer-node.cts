// The Node-only mock entry by `require`, type-checked under nodenext with Node's types (as a Node project has them).
import mock = require('equals-card-pin/mock');

export const start: () => Promise<mock.PinMock> = () => mock.startPinMock({ port: 0 });
