#!/usr/bin/env node
// `npm run receiver -- <kind> ...`: runs a software receiver of one kind (for the demo and for
// trying a sender by hand). One line per kind; each kind's CLI exports `main(argv)` and `usage`.
interface KindCli {
  main(argv: string[]): Promise<void>;
  usage: string;
}

/**
 * A kind with several devices (`airplay speaker …`, `airplay tv …`): the first word picks one.
 * Each device's usage is shown under `<kind> <device>`, whatever name its own module uses.
 */
function devices(kind: string, byName: Record<string, () => Promise<KindCli>>): () => Promise<KindCli> {
  return async () => {
    const names = Object.keys(byName);
    const all = await Promise.all(Object.values(byName).map((load) => load()));
    const usages = all.map((d, i) => `${kind} ${names[i]} ${d.usage.slice(Math.max(0, d.usage.indexOf('--')))}`);
    return {
      usage: usages.join(`\n  npm run receiver -- `),
      async main(argv) {
        const [device, ...rest] = argv;
        const load = device ? byName[device] : undefined;
        if (!load) throw new Error(`${kind}: say which device (${names.join(' or ')}), e.g. npm run receiver -- ${usages[0]}`);
        await (await load()).main(rest);
      },
    };
  };
}

const kinds: Record<string, () => Promise<KindCli>> = {
  chromecast: () => import('./chromecast/emulator/cli.js'),
  airplay: devices('airplay', {
    speaker: () => import('./airplay/emulator/speaker-cli.js'),
    tv: () => import('./airplay/emulator/video-cli.js'),
  }),
  dlna: () => import('./dlna/emulator/cli.js'),
};

/** Other spellings that work but are not listed (`airplay-video` is the Apple TV module's own name). */
const aliases: Record<string, () => Promise<KindCli>> = {
  'airplay-video': () => import('./airplay/emulator/video-cli.js'),
};

async function run(): Promise<void> {
  const [kind, ...rest] = process.argv.slice(2);
  const load = kind ? (kinds[kind] ?? aliases[kind]) : undefined;
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
