// Loopback server for the benchmark: answers both PIN operations with the seeds' bodies, keep-alive.
import { createServer } from 'node:http';

const get = JSON.stringify({ pin: '7268' });
const put = JSON.stringify({ success: true });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.method === 'PUT' ? put : get;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.stdin.on('end', () => process.exit(0)).resume();
