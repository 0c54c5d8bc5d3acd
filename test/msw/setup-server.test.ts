// msw 2 (installed as `msw`) in Node: the handlers' own tests and the flow table through setupServer.
// The same suites run against msw 3 in msw-3.test.ts.
import { flowTableSuite } from './flows.suite.js';
import { handlersSuite } from './handlers.suite.js';

handlersSuite('msw 2');
flowTableSuite('msw 2');
