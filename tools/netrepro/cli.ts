#!/usr/bin/env -S npx tsx
// netrepro: the front door. Each command is the suite's own entry point.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runRepeated, takeRepeat } from './run-repeated.ts';
import { VARIANT_NAMES } from '../../clusters/types.ts';
import { formatChecks, runDoctor } from './doctor.ts';
import { checkRequest, runBisect } from './run-bisect.ts';
import { parseCliArgs } from '../cli-args.ts';
import { isUserError } from '../../config/errors.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const RUN_USAGE = `usage: netrepro run <variant> [--repeat N] [vitest args]

  Runs one cluster variant's stories: npx vitest run --project <variant> [vitest args].
  variants: ${VARIANT_NAMES.join(', ')}
  --repeat N   N runs on one cluster (kept between runs); reports/repeat-<variant>.md lists, per
               case, the outcome of each run, flaky cases and the spread of their figures`;

const DOCTOR_USAGE = `usage: netrepro doctor

  Checks Docker, kind, helm, kubectl, host limits, kernel features and which local images are
  built; each failing check says its fix. Exit 1 when any check fails.`;

const BISECT_USAGE = `usage: netrepro bisect --story <id> --case <case> --good <x.y.z> --bad <x.y.z> [--variant <name>] [-t <test name>]
       netrepro bisect --story <id> --case <case> --src <cilium git tree> --good <rev> --bad <rev> [...]

  Finds the first Cilium release between --good and --bad (both included) whose outcome for the
  case differs from the older end's. Only releases the Go module proxy serves are tried; each is
  built (CILIUM_REF=v<release> npm run images -- cilium) and run on a fresh cluster of the variant
  that runs the case, and only as many as a binary search needs. Verdicts are kept in
  reports/bisect/<story>-<case>-<variant>/ and reused by the next bisect; the report with each
  probed release's outcome, figures, times and evidence goes to reports/bisect/<...>.md.
  With --src, the search runs over the commits of that tree's history from --good to --bad (first
  parents, either order): each probed commit is written out with git archive (the repository is only
  read) and built and run like CILIUM_SRC; verdicts are kept by short commit hash.
  -t <name>   run only this test (vitest -t), e.g. the one that concludes the case`;

const USAGE = `usage: netrepro <command> [args]   (netrepro <command> --help for one command)

  doctor               check Docker, kind, helm, kubectl, host limits, kernel features and
                       which local images are built; each failing check says its fix
  run <variant> [...]  run one cluster variant's stories (npx vitest run --project <variant> ...)
                       variants: ${VARIANT_NAMES.join(', ')}
      --repeat N       run it N times on one cluster (kept between runs) and report, per case,
                       the outcome of each run, flaky cases (outcomes that differ), their flake
                       rate and the spread of their figures: reports/repeat-<variant>.md
  bisect --story <id> --case <case> --good <x.y.z> --bad <x.y.z>
                       the first release whose outcome differs, building and running only the
                       releases a binary search needs (netrepro bisect --help)
  matrix [...]         every variant × pinned Cilium version (npm run matrix -- --help)
  images [...]         build every image from source (npm run images -- --help)
  --help               this text`;

/** Runs another entry point in this process's terminal and exits with its status. */
function delegate(command: string, args: string[]): never {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  switch (command) {
    case 'doctor': {
      if (wantsHelp) return void console.log(DOCTOR_USAGE);
      const checks = await runDoctor();
      console.log(formatChecks(checks));
      process.exit(checks.every((c) => c.ok) ? 0 : 1);
    }
    case 'run': {
      if (wantsHelp && !rest[0]?.match(/^[a-z]/)) return void console.log(RUN_USAGE);
      const variant = rest[0];
      if (!variant || !(VARIANT_NAMES as readonly string[]).includes(variant)) {
        console.error(`netrepro run: ${variant ? `unknown variant "${variant}"` : 'name a variant'}: choose one of ${VARIANT_NAMES.join(', ')}`);
        process.exit(2);
      }
      const repeat = takeRepeat(rest.slice(1));
      if (!repeat) delegate('npx', ['vitest', 'run', '--project', variant, ...rest.slice(1)]);
      process.exit(await runRepeated(ROOT, variant, repeat.times, repeat.args));
    }
    case 'bisect': {
      if (wantsHelp) return void console.log(BISECT_USAGE);
      const { values } = parseCliArgs(rest, {
        story: { type: 'string' }, case: { type: 'string' }, good: { type: 'string' }, bad: { type: 'string' },
        variant: { type: 'string' }, t: { type: 'string', short: 't' }, src: { type: 'string' },
      }, 'netrepro bisect');
      const missing = ['story', 'case', 'good', 'bad'].filter((k) => !values[k as keyof typeof values]);
      if (missing.length) {
        console.error(`netrepro bisect: --${missing.join(', --')} missing (netrepro bisect --help)`);
        process.exit(2);
      }
      // Releases are written without the v; with --src, good and bad are git revisions as given (a tag v1.16.4 too).
      const end = (rev: string) => (values.src === undefined ? rev.replace(/^v/, '') : rev);
      const request = { story: values.story!, case: values.case!, good: end(values.good!), bad: end(values.bad!), variant: values.variant, testFilter: values.t, src: values.src };
      const checked = checkRequest(request);
      if ('error' in checked) {
        console.error(`netrepro bisect: ${checked.error}`);
        process.exit(2);
      }
      process.exit(await runBisect(request, checked.variant));
    }
    case 'matrix':
      delegate('npx', ['tsx', 'tools/matrix/cli.ts', ...rest]);
    case 'images':
      delegate('npx', ['tsx', 'tools/images/cli.ts', ...rest]);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return;
    default:
      console.error(`netrepro: unknown command "${command}" (netrepro --help)`);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (!isUserError(e)) throw e;
  console.error(`netrepro: ${(e as Error).message}`);
  process.exit(2);
});
