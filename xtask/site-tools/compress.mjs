// Precompresses the release site: a `.br` (brotli, quality 11) and a `.gz` (gzip, level 9)
// beside every file a browser downloads, so a static host that serves precompressed files
// (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`, most CDNs) sends the small
// ones without compressing on each request. Prints each file's raw, gzip and brotli bytes
// as one JSON object, which `cargo xtask site --release` reports.
//
// Usage: node compress.mjs DIR
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSED = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.svg', '.ts']);

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node compress.mjs DIR');
  process.exit(2);
}

const sizes = {};
for (const name of (await readdir(dir)).sort()) {
  if (!COMPRESSED.has(extname(name))) continue;
  const raw = await readFile(join(dir, name));
  const text = extname(name) !== '.wasm';
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  await writeFile(join(dir, `${name}.br`), br);
  await writeFile(join(dir, `${name}.gz`), gz);
  sizes[name] = { raw: raw.length, gzip: gz.length, brotli: br.length };
}
process.stdout.write(`${JSON.stringify(sizes)}\n`);
