// Prints what `npm pack` would ship and fails when it unpacks to 5 MB or more. Run it after
// `bash build.sh --release` (a debug addon alone is over the limit):
//   node scripts/check-pack-size.mjs
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LIMIT = 5 * 1000 * 1000;
const cwd = fileURLToPath(new URL('..', import.meta.url));
const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd, encoding: 'utf8' });
const [pack] = JSON.parse(out);
const mb = (n) => (n / 1e6).toFixed(2);
for (const f of pack.files) console.log(`${String(f.size).padStart(9)}  ${f.path}`);
console.log(`packed ${mb(pack.size)} MB, unpacked ${mb(pack.unpackedSize)} MB, ${pack.entryCount} files`);
if (!pack.files.some((f) => f.path.endsWith('.node'))) {
  console.error('no native addon in the package: run bash build.sh --release first');
  process.exit(1);
}
if (pack.unpackedSize >= LIMIT) {
  console.error(`the package unpacks to ${mb(pack.unpackedSize)} MB, over the 5 MB limit`);
  process.exit(1);
}
