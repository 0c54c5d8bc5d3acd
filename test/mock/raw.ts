// One HTTP/1.1 request with exactly the headers given: fetch sets its own Host and refuses to send
// Cookie, Origin or Sec-Fetch-*, which these tests send as a browser or an attacker would.
import { type IncomingHttpHeaders, request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends `method path` to the loopback port of `base` with `headers` and `body`, and reads the whole answer. */
export function sendRaw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const call = request({ hostname: '127.0.0.1', port, method, path, headers }, (answer) => {
      let text = '';
      answer.on('data', (chunk) => {
        text += chunk;
      });
      answer.on('end', () => resolve({ status: answer.statusCode!, headers: answer.headers, body: text }));
    });
    call.on('error', reject);
    call.end(body);
  });
}
