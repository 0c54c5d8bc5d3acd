// `Prefer: code=NNN`, read as Prism reads it: the request asks for one documented response by its status.
import { noStoreJson } from '../core/answer.js';
import type { OperationId } from '../core/operations.js';
import { documented, documentedAnswer } from './documented.js';

/** Seconds sent as `Retry-After` on a preferred response that documents the header. */
const PREFERRED_RETRY_AFTER = 30;

/** The documented response the request's `Prefer` header asks for, or `undefined` when it asks for none. */
export function preferredAnswer(request: Request, operation: OperationId): Response | undefined {
  const code = /(?:^|[;,\s])code=(\d{3})\b/.exec(request.headers.get('prefer') ?? '')?.[1];
  if (!code) return;
  const answers = documented[operation];
  if (!Object.hasOwn(answers, code)) {
    const message = `Prefer code=${code} is not a documented response of ${operation}`;
    return documentedAnswer(operation, 400, { message, code: 'prefer' });
  }
  const { example, headers } = answers[code]!;
  if (code.startsWith('2')) return noStoreJson(Number(code), example);
  const retryAfter = headers.includes('Retry-After') ? PREFERRED_RETRY_AFTER : undefined;
  return documentedAnswer(operation, Number(code), { retryAfter });
}
