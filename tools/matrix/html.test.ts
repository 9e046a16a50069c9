import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderHtml } from './html.ts';
import { fixtureReport } from './report-fixture.ts';

describe('renderHtml: reports/matrix.html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netrepro-html-'));
  const { report, logOf } = fixtureReport(dir);
  const page = renderHtml(report, { pageDir: dir, linksOf: (id) => ({ log: logOf(id) }) });

  test('one grid cell per (story, case, variant) and version, each with its verdict', () => {
    expect(page).toContain('<th>Cilium 1.19.7</th><th>Cilium 1.20.2</th>');
    expect(page).toMatch(/class="entry ok" data-verdict="as-expected"[^>]*>✓ healthy/);
    expect(page).toMatch(/class="entry bad" data-verdict="regression"/);
    expect(page).toMatch(/class="entry doubt" data-verdict="fixed-upstream"/);
    expect(page).toMatch(/class="entry seen" data-verdict="observed-only"/);
    expect(page).toMatch(/class="entry none" data-verdict="not-run"/);
  });

  test('links are relative to the page and point at the evidence and each cell\'s log', () => {
    expect(page).toContain('href="matrix/bpf@1.20.2/run/udp-clients-replaced">evidence</a>');
    expect(page).toContain('href="matrix/bpf@1.20.2.log">log</a>');
  });

  test('an evidence folder that was never written (a passing test keeps none) gets no link', () => {
    expect(page).not.toContain('never-written');
  });

  test('text from records is escaped, and the page loads nothing from anywhere', () => {
    expect(page).toContain('&lt;b&gt;not&lt;/b&gt; escaped');
    expect(page).not.toContain('<b>not</b>');
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/https?:\/\//);
  });
});
