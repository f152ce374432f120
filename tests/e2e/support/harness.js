// Test harness: a static server for the built demo (`cargo xtask site --release`'s folder) and headless
// Debian Chromium driven by playwright-core, recording every request the page makes.
import { createServer } from 'node:http';
import { readFile, readdir, mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const distDir = process.env.GANGLION_DIST ?? join(repoRoot, 'target/www-release');
export const artifactsDir = join(repoRoot, 'tests/e2e/artifacts');

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** The precompressed copy of `file` that a request accepting `accepted` gets, as a static
 *  host with precompression on serves it (brotli first), or none. */
async function precompressed(file, accepted) {
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
    if (!accepted.includes(encoding)) continue;
    try {
      return { encoding, body: await readFile(`${file}${suffix}`) };
    } catch { /* not precompressed: try the next */ }
  }
  return null;
}

/** Serves `root` (the release demo by default) on a free loopback port, its precompressed
 *  `.br`/`.gz` copies where the browser accepts them (so the tests load what a host with
 *  precompression sends). No COOP/COEP headers: any static host must work. Every
 *  response's path and content encoding is listed in `served`. */
export async function serveDemo(root = distDir) {
  const served = [];
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', vary: 'accept-encoding' };
      const packed = await precompressed(file, String(req.headers['accept-encoding'] ?? ''));
      const body = packed?.body ?? await readFile(file);
      if (packed) headers['content-encoding'] = packed.encoding;
      served.push({ path, encoding: packed?.encoding ?? 'identity' });
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, served, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium; `webgpu` adds SwiftShader WebGPU, without it there is no adapter. */
export async function launch({ webgpu = false } = {}) {
  const args = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
}

/** A new page (in its own context) that records every request URL, the page's and
 *  its workers', every page error and the console. */
export async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  const console = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
  page.on('worker', (w) => w.on('console', (m) => console.push(`worker ${m.type()}: ${m.text()}`)));
  await page.goto(url);
  return { page, requests, errors, console };
}

export async function screenshot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** Every request stays on `origin` (data: and blob: URLs never leave the page). */
export function foreignRequests(requests, origin) {
  return requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

/** Every .wasm file in `dir`: its name, its size, its size gzipped (the site's `.gz` copy,
 *  or gzipped here as a server would where it has none), and the size of its brotli copy
 *  (null where the site has none). */
export async function wasmSizes(dir) {
  const sizes = [];
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.wasm')).sort()) {
    const bytes = await readFile(join(dir, name));
    const stored = (suffix) => readFile(join(dir, `${name}${suffix}`)).then((b) => b.length, () => null);
    const gzip = (await stored('.gz')) ?? gzipSync(bytes, { level: 9 }).length;
    sizes.push({ name, bytes: bytes.length, gzip_bytes: gzip, brotli_bytes: await stored('.br') });
  }
  return sizes;
}

/** The release demo served and one headless Chromium, for every test of the spec file that
 *  calls this (node:test hooks start them before its first test and close them after its
 *  last): `{ server, browser }`, filled in once the hooks have run. */
export function demoForThisFile() {
  const shared = { server: null, browser: null };
  before(async () => {
    shared.server = await serveDemo();
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}
