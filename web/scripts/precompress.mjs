// Writes X.gz beside every compressible file in dist/ so the server can send it as-is.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const compressible = /\.(js|css|html|svg|json|map)$/;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (compressible.test(entry.name)) yield path;
  }
}

let files = 0;
let before = 0;
let after = 0;
for await (const path of walk(dist)) {
  const data = await readFile(path);
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
  await writeFile(`${path}.gz`, gz);
  files += 1;
  before += data.length;
  after += gz.length;
}
console.log(`precompress: ${files} files, ${before} → ${after} bytes gzipped`);
