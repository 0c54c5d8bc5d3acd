// Runs inside a private network namespace (test/package/quickstart.test.ts starts it with `unshare -rn`),
// so that the README's mock can take its default port, 4010, whatever else the machine is serving. Starts
// the mock command as a reader types it, waits for its "listening" line, runs the script command, stops the
// mock's whole process group, and prints one JSON report.
import { execFile, spawn } from 'node:child_process';

const [mockCommand, scriptCommand] = process.argv.slice(2);
const report = { listening: null, script: null, mockExit: null, leftovers: false, output: '' };

const mock = spawn('sh', ['-c', mockCommand], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
const exited = new Promise((done) => mock.once('exit', (code, signal) => done(code ?? signal)));
report.listening = await new Promise((done) => {
  const timer = setTimeout(() => done(null), 90_000).unref();
  const read = (chunk) => {
    report.output += chunk;
    const url = /listening on (http:\/\/\S+)/.exec(report.output)?.[1];
    if (url) {
      clearTimeout(timer);
      done(url);
    }
  };
  mock.stdout.on('data', read);
  mock.stderr.on('data', read);
  exited.then(() => done(null));
});

if (report.listening) {
  report.script = await new Promise((done) =>
    execFile('sh', ['-c', scriptCommand], { timeout: 60_000 }, (error, stdout, stderr) =>
      done({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

// The group: sh, npx, the bin and its Prism.
try {
  process.kill(-mock.pid, 'SIGTERM');
} catch {}
// unref: a timer that lost the race must not keep this process (and the run) waiting.
report.mockExit = await Promise.race([
  exited,
  new Promise((done) => setTimeout(() => done('still running'), 15_000).unref()),
]);
const groupAlive = () => {
  try {
    process.kill(-mock.pid, 0);
    return true;
  } catch {
    return false;
  }
};
for (let i = 0; i < 100 && groupAlive(); i++) await new Promise((done) => setTimeout(done, 50));
if (groupAlive()) {
  report.leftovers = true;
  process.kill(-mock.pid, 'SIGKILL');
}
console.log(JSON.stringify(report));
