// Notebook servers for the notebook tests: JupyterLab or marimo from the environment that
// `cargo xtask wheel` made (the wheel and the pinned stack, $GANGLION_NOTEBOOK_VENV),
// serving a scratch copy of tests/notebook/ on a free loopback port.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './harness.js';

/** The notebook environment's folder; the tests cannot run without it. */
export function notebookEnv() {
  const env = process.env.GANGLION_NOTEBOOK_VENV;
  if (!env) throw new Error('GANGLION_NOTEBOOK_VENV is not set: run the tests through `cargo xtask test` (it builds the wheel and its environment)');
  return env;
}

async function freePort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
  await new Promise((ok) => probe.close(ok));
  return port;
}

/** Polls `url` until it answers 200, the process exits, or `seconds` pass. */
async function answering(url, child, log, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log.join('')}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error(`${url} did not answer in ${seconds} s:\n${log.join('')}`);
}

/**
 * Starts `program` (a script of the notebook environment) with `args(port, dir)` in a scratch
 * copy of tests/notebook/, with every Jupyter and marimo setting folder inside it, and waits
 * until `readyPath` answers. Returns `{ origin, dir, log, stop }`.
 */
export async function startNotebookServer(program, args, readyPath) {
  const dir = await mkdtemp(join(tmpdir(), 'ganglion-notebook-'));
  await cp(join(repoRoot, 'tests/notebook'), dir, { recursive: true });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    HOME: dir,
    JUPYTER_CONFIG_DIR: join(dir, '.jupyter'),
    JUPYTER_DATA_DIR: join(dir, '.jupyter-data'),
    JUPYTER_RUNTIME_DIR: join(dir, '.jupyter-runtime'),
    JUPYTERLAB_SETTINGS_DIR: join(dir, '.jupyterlab-settings'),
    JUPYTERLAB_WORKSPACES_DIR: join(dir, '.jupyterlab-workspaces'),
    MARIMO_SKIP_UPDATE_CHECK: '1',
    PYTHONPATH: dir,
  };
  const child = spawn(join(notebookEnv(), 'bin', program), args(port, dir), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (chunk) => log.push(String(chunk)));
  child.stderr.on('data', (chunk) => log.push(String(chunk)));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((ok) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => ok(clearTimeout(timer)));
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await answering(`${origin}${readyPath}`, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, dir, log, stop };
}
