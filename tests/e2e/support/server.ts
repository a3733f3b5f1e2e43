import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
  /** Everything the server printed so far, standard output and standard error together. */
  output: () => string;
}

/**
 * Starts the real api-mock binary serving the release build of the client on a free loopback
 * port (`--port 0`), in memory, and resolves once it prints its address.
 */
export async function startServer(
  extraArgs: string[] = [],
  startTimeoutMs = 20_000,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const bin = process.env.API_MOCK_BIN ?? resolve(root, 'target/release/api-mock');
  const staticDir = process.env.CLIENT_DIST ?? resolve(root, 'dist');
  const child: ChildProcess = spawn(
    bin,
    ['--host', '127.0.0.1', '--port', '0', '--in-memory', '--static', staticDir, ...extraArgs],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stderr = '';
  let printed = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
    printed += chunk;
  });
  child.stdout?.on('data', (chunk) => (printed += chunk));

  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`api-mock did not start: ${stderr}`)), startTimeoutMs);
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`api-mock exited with ${code}: ${stderr}`));
    });
  });

  return {
    url,
    output: () => printed,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
