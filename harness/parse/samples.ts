import { recordedBeside } from '../recorded.ts';

/** Real output of the tools harness/parse/ reads (sources in data/README.md). */
export const parseSample = recordedBeside(import.meta.url);
