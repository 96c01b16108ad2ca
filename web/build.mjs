// Bundles the web view into OUT/ui/ (default: target/classes/dev/execlog/web/ui/) and writes OUT/assets.txt,
// the list of files the server may serve: the script and stylesheet carry a content hash in their
// names (cached for a year), index.html and the icon do not (revalidated with an ETag).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
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
  legalComments: 'none', // licences.txt carries each bundled package's licence whole
  logLevel: 'warning',
});

const built = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = built.find((f) => /^app-.*\.js$/.test(f));
const style = built.find((f) => /^app-.*\.css$/.test(f));
const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('{{app.js}}', script).replace('{{app.css}}', style);
writeFileSync(join(ui, 'index.html'), html);
copyFileSync(join(here, 'src/icon.svg'), join(ui, 'icon.svg'));

// licences.txt: every npm package the bundle took code from, with its version and licence text.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) {
    packages.add(m[1]);
  }
}
// Code a package bundles from other packages, which its own licence file does not name.
const inside = {
  'cytoscape-dagre': 'It bundles @dagrejs/dagre and @dagrejs/graphlib (https://github.com/dagrejs), MIT licence, '
    + 'Copyright (c) 2012-2014 Chris Pettitt, under the same MIT terms as above.',
};
const notices = [...packages].sort().map((name) => {
  const dir = join(here, 'node_modules', name);
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^licen[sc]e/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `(no licence file; package.json says ${meta.license})`;
  return `${name} ${meta.version} (${meta.license})\n${meta.homepage || ''}\n\n${text}\n${inside[name] ? `\n${inside[name]}\n` : ''}`;
});
writeFileSync(join(ui, 'licences.txt'), `The execlog web view bundles these packages from npm:\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`);

// One line a file: "immutable NAME" (its name changes with its content) or "revalidate NAME".
const lines = built.map((f) => (/-[A-Z0-9]{8}\./.test(f) ? 'immutable ' : 'revalidate ') + f)
  .concat(['revalidate index.html', 'revalidate icon.svg', 'revalidate licences.txt']).sort();
writeFileSync(join(out, 'assets.txt'), lines.join('\n') + '\n');
const digest = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);
console.log(`web view: ${built.length + 3} files in ${ui} (${digest})`);
