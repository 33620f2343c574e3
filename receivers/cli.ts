#!/usr/bin/env node
// `npm run receiver -- <kind> ...`: runs a software receiver of one kind (for the demo and for
// trying a sender by hand). One line per kind; each kind's CLI exports `main(argv)` and `usage`.
interface KindCli {
  main(argv: string[]): Promise<void>;
  usage: string;
}

const kinds: Record<string, () => Promise<KindCli>> = {
  chromecast: () => import('./chromecast/emulator/cli.js'),
};

async function run(): Promise<void> {
  const [kind, ...rest] = process.argv.slice(2);
  const load = kind ? kinds[kind] : undefined;
  if (!load) {
    const lines = await Promise.all(Object.values(kinds).map(async (k) => `  npm run receiver -- ${(await k()).usage}`));
    process.stderr.write(`${kind ? `unknown receiver kind "${kind}"\n` : ''}usage:\n${lines.join('\n')}\n`);
    process.exit(2);
  }
  await (await load()).main(rest);
}

run().catch((err: Error) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
});
