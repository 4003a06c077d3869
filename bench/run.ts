/**
 * `npm run bench -- NAME [options]`: runs one benchmark from bench/. Each prints its figures
 * beside a baseline measured in the same run, as ratios, so the numbers mean something on
 * any machine.
 */
const benches: Record<string, () => Promise<{ main: (args: string[]) => Promise<void> }>> = {
  transport: () => import('./transport.js'),
  reference: () => import('./reference.js'),
  suite: () => import('./suite.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exitCode = 2;
} else {
  await (await load()).main(args);
}
