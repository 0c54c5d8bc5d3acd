// MSW 2 and 3 request handlers over the sandbox, for `setupServer` in Node and `setupWorker` in browsers.
// Every matched request goes to the sandbox's Fetch-standard `handle`, so MSW adds routing and nothing
// else. Paths come from the generated operation table, typed from the generated `paths`.
import * as msw from 'msw';
import type { HttpHandler, HttpResponse } from 'msw';
import { operations, servers } from '../../generated/pin-constraints.js';
import type { paths } from '../../generated/pin.js';
import type { OperationId } from '../core/operations.js';
import { createPinSandbox, type PinSandbox } from '../sandbox/sandbox.js';

/** The msw versions these handlers are written and tested for (the peer dependency range). */
const MSW_RANGE = '^2 || ^3';

// Checked when this module loads, so a wrong msw fails here with one message, not later inside a test.
// msw has no version export and reading its package.json would need JSON imports in every bundler, so
// the check asks for the one thing the handlers use: `http`, which arrived in 2.0 (1.x had `rest`) and
// is unchanged in 3.x.
if (typeof msw.http?.get !== 'function') {
  throw new Error(
    `equals-card-pin/msw needs msw ${MSW_RANGE} (an optional peer dependency), and the msw installed has no \`http\` (msw 1.x?): npm install --save-dev msw@^3`,
  );
}

/** Where the handlers listen, and which sandbox answers. */
export interface PinHandlersOptions {
  /** Where the client under test sends requests; a path prefix is kept. Default: the spec's production server. */
  baseUrl?: string;
  /** The sandbox that answers; a new `createPinSandbox()` when none is given. Keep yours to `reset`, `pinOf` or `failNext` it. */
  sandbox?: PinSandbox;
  /**
   * Stands in for your backend too: a request without `Authorization` reaches the sandbox with
   * `Authorization: ApiKey <apiKey>`, as your backend sends it on. For a browser app whose client calls
   * your backend without a key (a request that has the header keeps it).
   */
  apiKey?: string;
}

/** The generated operation table: method and path template of each operation. */
type Table = typeof operations;
/** The generated `paths` entry of an operation, found by its path template and method in the table. */
type OperationOf<Id extends OperationId> = paths[Table[Id]['path']][Lowercase<Table[Id]['method']>];
/** The JSON body of a request body or response entry in `paths`. */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** Path parameters as MSW hands them to a resolver: strings, named as in the spec. */
export type PinPathParams<Id extends OperationId> = { [Name in keyof OperationOf<Id>['parameters']['path']]: string };
/** The JSON body the operation takes (`never` when it takes none). */
export type PinRequestBody<Id extends OperationId> =
  OperationOf<Id> extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;
/** Every JSON body the operation documents, success and errors alike. */
export type PinResponseBody<Id extends OperationId> = {
  [Status in keyof OperationOf<Id>['responses']]: JsonOf<OperationOf<Id>['responses'][Status]>;
}[keyof OperationOf<Id>['responses']];

/** `/v2/cards/{cardId}/pin` → `/v2/cards/:cardId/pin`, MSW's path parameter syntax. */
const mswPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

/** The table's method as the key of MSW's `http` (`GET` → `http.get`), typed per operation. */
const methodOf = <Id extends OperationId>(id: Id) =>
  operations[id].method.toLowerCase() as Lowercase<Table[Id]['method']>;

/**
 * The sandbox's answer as the resolver's result. The sandbox gives only bodies the spec documents
 * (test/sandbox checks every branch); a scripted network error is `Response.error()`, which MSW turns
 * into a failed fetch in the client.
 */
const sandboxResolver =
  (sandbox: PinSandbox, apiKey: string | undefined) =>
  async ({ request }: { request: Request }) =>
    (await sandbox.handle(apiKey === undefined ? request : withKey(request, apiKey))) as HttpResponse<any>;

/** The request as the backend would send it on: with its key, when the page sent none. */
function withKey(request: Request, apiKey: string): Request {
  if (request.headers.has('authorization')) return request;
  const headers = new Headers(request.headers);
  headers.set('authorization', `ApiKey ${apiKey}`);
  return new Request(request, { headers });
}

/** One handler per operation, each typed from `paths`; a new operation in the spec fails to compile here until added. */
const handlerOf: { [Id in OperationId]: (url: string, resolve: ReturnType<typeof sandboxResolver>) => HttpHandler } = {
  getPin: (url, resolve) =>
    msw.http[methodOf('getPin')]<PinPathParams<'getPin'>, never, PinResponseBody<'getPin'>>(url, resolve),
  updatePin: (url, resolve) =>
    msw.http[methodOf('updatePin')]<
      PinPathParams<'updatePin'>,
      PinRequestBody<'updatePin'>,
      PinResponseBody<'updatePin'>
    >(url, resolve),
};

/**
 * MSW handlers for both PIN operations, answered by one sandbox.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createPinSandbox } from 'equals-card-pin/sandbox';
 * import { createPinHandlers } from 'equals-card-pin/msw';
 *
 * const sandbox = createPinSandbox();
 * const server = setupServer(...createPinHandlers({ sandbox }));
 * server.listen({ onUnhandledRequest: 'error' }); // msw 3: { onUnhandledFrame: 'error' }
 * // in each test: sandbox.reset(), sandbox.failNext({ status: 429, retryAfter: 1 }), sandbox.pinOf(cardId)
 * ```
 */
export function createPinHandlers(options: PinHandlersOptions = {}): HttpHandler[] {
  const sandbox = options.sandbox ?? createPinSandbox();
  const baseUrl = (options.baseUrl ?? servers.production).replace(/\/+$/, '');
  const resolve = sandboxResolver(sandbox, options.apiKey);
  return (Object.keys(operations) as OperationId[]).map((id) =>
    handlerOf[id](baseUrl + mswPath(operations[id].path), resolve),
  );
}
