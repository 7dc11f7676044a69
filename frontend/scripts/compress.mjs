// Writes .br and .gz beside each built text asset; WhiteNoise serves them to browsers that
// accept them, so pages cost the compressed size without compressing on every request.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = process.argv[2] ?? "dist";
const compressible = /\.(js|mjs|css|svg|json|txt|html|map)$/;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

let count = 0;
for await (const path of walk(root)) {
  if (!compressible.test(path)) continue;
  const body = await readFile(path);
  const brotli = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
  });
  const gzip = gzipSync(body, { level: 9 });
  // Like WhiteNoise's own compressor: keep a variant only when it saves something.
  if (brotli.length < body.length * 0.95) await writeFile(`${path}.br`, brotli);
  if (gzip.length < body.length * 0.95) await writeFile(`${path}.gz`, gzip);
  count += 1;
}
console.log(`compressed ${count} files in ${root}`);
