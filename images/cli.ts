import { hostStep } from './host.ts';
import { kubernetesStep } from './kubernetes.ts';
import { plan, runSteps, type Step } from './steps.ts';
import { StepError } from './run.ts';

const STEPS: Step[] = [hostStep, kubernetesStep];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('-'));
  const steps = plan(STEPS, names, !args.includes('--only'));
  await runSteps(steps, { force: args.includes('--force') });
}

main().catch((err: unknown) => {
  console.error(err instanceof StepError ? `✗ ${err.message}` : err);
  process.exit(1);
});
