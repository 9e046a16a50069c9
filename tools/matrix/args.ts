import type { ParseArgsConfig } from 'node:util';
import { parseCliArgs } from '../cli-args.ts';
import { UserError } from '../../config/errors.ts';
import { DEFAULT_CELL_TIMEOUT_MS } from './files.ts';
import { MEMORY_PER_CELL_GIB } from './schedule.ts';

export type MatrixMode = 'run' | 'json' | 'list' | 'summarize' | 'record-cell' | 'report' | 'timings' | 'help';

export interface MatrixArgs {
  mode: MatrixMode;
  /** `--cells bpf@1.20.2,smoke@none`: a subset (cell ids, `variant@minor` or bare variants). */
  cells?: string;
  dryRun: boolean;
  fresh: boolean;
  keep: boolean;
  verbose: boolean;
  /** Cells at once; default from memory and cores. */
  parallel?: number;
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

Runs the matrix (pinned Cilium versions × cluster variants) on this machine
with local images, cells side by side, resuming an interrupted run.

  --cells <list>         subset: cell ids (bpf@1.20.2, smoke@none), bpf@1.20, or a variant
  --dry-run              print what would run and what each cell expects
  --fresh                run the selected cells again, forgetting their results
                         (without --cells: forget reports/matrix/ and start over)
  --keep                 keep each cell's kind cluster (NETREPRO_KEEP=1)
  --parallel <n>         cells at once (default: what memory and cores allow,
                         one per ${MEMORY_PER_CELL_GIB} GiB, at most one per core), longest first
  --cell-timeout <t>     per-cell limit: minutes, or 90s / 45m / 1h (default 45m)
  --verbose              echo the cells' whole output, not only progress lines
  --reports <dir>        reports directory (default reports)
  --timings              where the last local run's time went, per cell: bring-up phases, and each
                         story's tests against its timer floor (also written at the end of a run)

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

const OPTIONS = {
  cells: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  fresh: { type: 'boolean' },
  keep: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'cell-timeout': { type: 'string' },
  parallel: { type: 'string' },
  reports: { type: 'string' },
  json: { type: 'boolean' },
  list: { type: 'boolean' },
  summarize: { type: 'boolean' },
  'record-cell': { type: 'string' },
  outcome: { type: 'string' },
  'started-at': { type: 'string' },
  title: { type: 'string' },
  report: { type: 'string' },
  timings: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const MODES = ['json', 'list', 'summarize', 'record-cell', 'report', 'timings', 'help'] as const;

/** Parses argv (after the script name). Unknown flags and missing values are one-line UserErrors. */
export function parseMatrixArgs(argv: readonly string[]): MatrixArgs {
  const { values: v, positionals } = parseCliArgs(argv, OPTIONS, 'npm run matrix --');
  const modes = MODES.filter((m) => v[m] !== undefined && v[m] !== false);
  if (modes.length > 1) throw new UserError(`--${modes[1]} cannot be combined with --${modes[0]}`);
  const mode: MatrixMode = modes[0] ?? 'run';
  if (positionals.length > 0 && mode !== 'summarize') throw new UserError(`unknown argument "${positionals[0]}" (npm run matrix -- --help)`);
  const a: MatrixArgs = {
    mode,
    dryRun: v['dry-run'] ?? false,
    fresh: v.fresh ?? false,
    keep: v.keep ?? false,
    verbose: v.verbose ?? false,
    cellTimeoutMs: v['cell-timeout'] === undefined ? DEFAULT_CELL_TIMEOUT_MS : parseDuration(v['cell-timeout']),
    reports: v.reports ?? 'reports',
    inputs: mode === 'summarize' ? positionals : v.report !== undefined ? [v.report] : [],
  };
  if (v.cells) a.cells = v.cells.join(',');
  if (v.parallel !== undefined) {
    const n = Number(v.parallel);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`--parallel "${v.parallel}" is not a whole number ≥ 1`);
    a.parallel = n;
  }
  if (v.out !== undefined) a.out = v.out;
  if (v.outcome !== undefined) a.outcome = v.outcome;
  if (v.title !== undefined) a.title = v.title;
  if (v['record-cell'] !== undefined) a.cell = v['record-cell'];
  const startedAt = v['started-at'];
  // An empty or unset shell variable means "unknown": no duration, not an error.
  if (startedAt !== undefined && startedAt !== '') {
    const n = Number(startedAt);
    if (!Number.isFinite(n)) throw new UserError(`--started-at "${startedAt}" is not a number of milliseconds since the epoch`);
    a.startedAt = n;
  }
  if (a.mode === 'summarize' && a.inputs.length === 0) throw new UserError('--summarize needs at least one outcome log (e.g. reports/outcomes.jsonl)');
  if (a.mode === 'record-cell' && !a.outcome) throw new UserError('--record-cell needs --outcome <success|failure|cancelled|skipped>');
  return a;
}
