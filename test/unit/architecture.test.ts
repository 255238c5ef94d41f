import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../support/services';

interface CruiseResult {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
}

/** Runs dependency-cruiser with the project's rules over the `src/` below `cwd`. */
function cruise(cwd: string): CruiseResult {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
  try {
    return JSON.parse(execFileSync(bin, ['src', '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8' })) as CruiseResult;
  } catch (error) {
    // depcruise exits non-zero when it finds violations; its JSON is still on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    return JSON.parse(stdout) as CruiseResult;
  }
}

describe('the direction of dependencies (core ← domain ← conversation ← channels ← app)', () => {
  it('holds in the source tree', () => {
    expect(cruise(ROOT).summary.violations).toEqual([]);
  });

  it('refuses an upward import planted in the domain or in core', () => {
    const violations = cruise(path.join(ROOT, 'test', 'fixtures', 'upward-import')).summary.violations.map((v) => [v.rule.name, v.from, v.to]);
    expect(violations).toEqual(
      expect.arrayContaining([
        ['domain-speaks-no-language', 'src/domain/planted-upward.ts', 'src/conversation/greeting.ts'],
        ['core-is-the-bottom', 'src/core/planted-core.ts', 'src/domain/planted-upward.ts'],
      ]),
    );
  });
});
