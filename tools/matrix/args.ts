import { UserError } from '../../config/errors.ts';
import { DEFAULT_CELL_TIMEOUT_MS } from './files.ts';

export type MatrixMode = 'run' | 'json' | 'list' | 'summarize' | 'record-cell' | 'report' | 'help';

export interface MatrixArgs {
  mode: MatrixMode;
  /** `--cells bpf@1.20.2,smoke@none`: a subset (cell ids, `variant@minor` or bare variants). */
  cells?: string;
  dryRun: boolean;
  fresh: boolean;
  keep: boolean;
  verbose: boolean;
  cellTimeoutMs: number;
  /** Reports directory (default `reports`). */
  reports: string;
  /** --summarize: outcome logs; --report: the folder of downloaded artifacts. */
  inputs: string[];
  /** --report: where matrix.md, matrix.json and badges/ go. */
  out?: string;
  /** --record-cell: cell id, the test step's outcome, its start (epoch ms). */
  cell?: string;
  outcome?: string;
  startedAt?: number;
  title?: string;
}

export const USAGE = `usage: npm run matrix -- [options]

Runs the matrix (pinned Cilium versions × cluster variants) one cell after
another on this machine with local images, resuming an interrupted run.

  --cells <list>         subset: cell ids (bpf@1.20.2, smoke@none), bpf@1.20, or a variant
  --dry-run              print what would run and what each cell expects
  --fresh                run the selected cells again, forgetting their results
                         (without --cells: forget reports/matrix/ and start over)
  --keep                 keep each cell's kind cluster (NETREPRO_KEEP=1)
  --cell-timeout <t>     per-cell limit: minutes, or 90s / 45m / 1h (default 45m)
  --verbose              echo the cells' whole output, not only progress lines
  --reports <dir>        reports directory (default reports)

Other modes (CI):
  --json                 print {"include":[...]} for strategy.matrix via fromJSON
  --list                 print one cell id per line
  --summarize <file…>    Markdown table of outcome logs (for $GITHUB_STEP_SUMMARY)
  --record-cell <id> --outcome <success|failure|cancelled|skipped> [--started-at <epoch ms>]
                         write <reports>/cell.json for the report job
  --report <dir> [--out <dir>]
                         build matrix.md, matrix.json and badges/ from downloaded artifacts`;

/** Parses a duration: bare numbers are minutes; `s`, `m`, `h` suffixes. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h)?$/.exec(text.trim());
  if (!m) throw new UserError(`--cell-timeout "${text}" is not a duration: use minutes (45) or 90s, 45m, 1h`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  const ms = unit === 's' ? n * 1000 : unit === 'h' ? n * 3_600_000 : n * 60_000;
  if (ms <= 0) throw new UserError(`--cell-timeout must be more than zero`);
  return ms;
}

const MODE_FLAGS: Record<string, MatrixMode> = {
  '--json': 'json',
  '--list': 'list',
  '--summarize': 'summarize',
  '--record-cell': 'record-cell',
  '--report': 'report',
  '--help': 'help',
  '-h': 'help',
};

/** Parses argv (after the script name). Unknown flags and missing values are one-line UserErrors. */
export function parseMatrixArgs(argv: readonly string[]): MatrixArgs {
  const a: MatrixArgs = {
    mode: 'run',
    dryRun: false,
    fresh: false,
    keep: false,
    verbose: false,
    cellTimeoutMs: DEFAULT_CELL_TIMEOUT_MS,
    reports: 'reports',
    inputs: [],
  };
  const setMode = (m: MatrixMode, flag: string) => {
    if (a.mode !== 'run' && a.mode !== m) throw new UserError(`${flag} cannot be combined with --${a.mode}`);
    a.mode = m;
  };
  const args = argv.flatMap((x) => (x.startsWith('--') && x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x]));
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UserError(`${flag} needs a value (npm run matrix -- --help)`);
      return v;
    };
    const mode = MODE_FLAGS[flag];
    if (mode) {
      setMode(mode, flag);
      if (mode === 'record-cell') a.cell = value();
      if (mode === 'report') a.inputs.push(value());
      continue;
    }
    switch (flag) {
      case '--cells':
        a.cells = [a.cells, value()].filter(Boolean).join(',');
        break;
      case '--dry-run':
        a.dryRun = true;
        break;
      case '--fresh':
        a.fresh = true;
        break;
      case '--keep':
        a.keep = true;
        break;
      case '--verbose':
        a.verbose = true;
        break;
      case '--cell-timeout':
        a.cellTimeoutMs = parseDuration(value());
        break;
      case '--reports':
        a.reports = value();
        break;
      case '--out':
        a.out = value();
        break;
      case '--outcome':
        a.outcome = value();
        break;
      case '--title':
        a.title = value();
        break;
      case '--started-at': {
        const v = value();
        const n = Number(v);
        // An empty or unset shell variable means "unknown": no duration, not an error.
        if (v !== '' && !Number.isFinite(n)) throw new UserError(`--started-at "${v}" is not a number of milliseconds since the epoch`);
        if (v !== '') a.startedAt = n;
        break;
      }
      default:
        if (a.mode === 'summarize' && !flag.startsWith('-')) {
          a.inputs.push(flag);
          break;
        }
        throw new UserError(`unknown argument "${flag}" (npm run matrix -- --help)`);
    }
  }
  if (a.mode === 'summarize' && a.inputs.length === 0) throw new UserError('--summarize needs at least one outcome log (e.g. reports/outcomes.jsonl)');
  if (a.mode === 'record-cell' && !a.outcome) throw new UserError('--record-cell needs --outcome <success|failure|cancelled|skipped>');
  return a;
}
