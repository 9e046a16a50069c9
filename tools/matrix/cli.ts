#!/usr/bin/env -S npx tsx
// The matrix: pinned Cilium versions × cluster variants, from one source of
// truth (pins.json, clusters/variants/, the stories' rows in stories/index.ts) for GitHub Actions and for one
// local machine. `npm run matrix -- --help`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError, UserError } from '../../config/errors.ts';
import { parseMatrixArgs, USAGE, type MatrixArgs } from './args.ts';
import { buildCells, matrixInclude, selectCells } from './cells.ts';
import { CELL_RESULT_FILE, cellResult, collectArtifacts } from './ci.ts';
import { readOutcomes } from './outcomes.ts';
import { buildReport, summarizeOutcomes } from './report.ts';
import { readTestCounts, writeReport } from './files.ts';
import { pins } from '../../config/pins.ts';

async function main(args: MatrixArgs): Promise<number> {
  const all = buildCells(pins);
  const selected = selectCells(all, args.cells, pins);
  switch (args.mode) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'json':
      console.log(JSON.stringify(matrixInclude(selected)));
      return 0;
    case 'list':
      for (const c of selected) console.log(c.id);
      return 0;
    case 'summarize': {
      const parsed = args.inputs.map((f) => readOutcomes(f));
      const records = parsed.flatMap((p) => p.records);
      const problems = parsed.flatMap((p) => p.problems);
      process.stdout.write(summarizeOutcomes(records, { ...(args.title ? { title: args.title } : {}), problems }));
      return 0;
    }
    case 'record-cell': {
      const [cell] = selectCells(all, args.cell, pins);
      if (!cell || cell.id !== args.cell) throw new UserError(`--record-cell needs one exact cell id (e.g. ${all[1]?.id ?? 'bpf@1.20.2'}), got "${args.cell}"`);
      const result = cellResult(cell, args.outcome!, args.startedAt, readTestCounts(join(args.reports, 'vitest.json')));
      mkdirSync(args.reports, { recursive: true });
      writeFileSync(join(args.reports, CELL_RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
      console.error(`[matrix] ${cell.id}: ${result.status}; wrote ${join(args.reports, CELL_RESULT_FILE)}`);
      return 0;
    }
    case 'report': {
      const out = args.out ?? 'matrix-report';
      const { runs, records, problems } = collectArtifacts(args.inputs[0]!, selected);
      const report = buildReport(runs, records, { problems });
      writeReport(report, { markdown: join(out, 'matrix.md'), json: join(out, 'matrix.json'), html: join(out, 'matrix.html'), badges: join(out, 'badges') });
      console.error(`[matrix] ${runs.length} cell(s), ${records.length} outcome record(s); wrote ${out}/matrix.md, matrix.html, matrix.json, badges/`);
      return 0;
    }
    case 'timings': {
      const { printTimings } = await import('./timings-report.ts');
      return printTimings(all, selected, args.reports);
    }
    case 'run': {
      // Loaded only here: it pulls in docker and kind helpers the other modes do not need.
      const { runLocalMatrix } = await import('./runner.ts');
      const { defaultParallel } = await import('./schedule.ts');
      return runLocalMatrix({
        all,
        selected,
        reportsDir: args.reports,
        cellTimeoutMs: args.cellTimeoutMs,
        keep: args.keep,
        fresh: args.fresh,
        dryRun: args.dryRun,
        verbose: args.verbose,
        parallel: args.parallel ?? defaultParallel(),
      });
    }
  }
}

try {
  process.exitCode = await main(parseMatrixArgs(process.argv.slice(2)));
} catch (e) {
  if (isUserError(e)) {
    process.stderr.write(`netrepro matrix: ${(e as Error).message}\n`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
