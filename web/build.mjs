// Bundles the web view into OUT/ui/ (default: target/classes/dev/execlog/web/ui/) and writes OUT/assets.txt,
// the list of files the server may serve: the script and stylesheet carry a content hash in their
// names (cached for a year), index.html and the icon do not (revalidated with an ETag).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, 'target/classes/dev/execlog/web');
const ui = join(out, 'ui');
rmSync(ui, { recursive: true, force: true });
mkdirSync(ui, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'src/app.js'), join(here, 'src/app.css')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox115', 'safari16'],
  entryNames: '[name]-[hash]',
  outdir: ui,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const built = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = built.find((f) => /^app-.*\.js$/.test(f));
const style = built.find((f) => /^app-.*\.css$/.test(f));
const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('{{app.js}}', script).replace('{{app.css}}', style);
writeFileSync(join(ui, 'index.html'), html);
copyFileSync(join(here, 'src/icon.svg'), join(ui, 'icon.svg'));

// One line a file: "immutable NAME" (its name changes with its content) or "revalidate NAME".
const lines = built.map((f) => (/-[A-Z0-9]{8}\./.test(f) ? 'immutable ' : 'revalidate ') + f)
  .concat(['revalidate index.html', 'revalidate icon.svg']).sort();
writeFileSync(join(out, 'assets.txt'), lines.join('\n') + '\n');
const digest = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);
console.log(`web view: ${built.length + 2} files in ${ui} (${digest})`);
