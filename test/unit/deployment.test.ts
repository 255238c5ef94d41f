import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The top-level service names of docker-compose.yml (two-space keys under `services:`). */
function composeServices(compose: string): string[] {
  const body = compose.slice(compose.indexOf('\nservices:\n'), compose.indexOf('\nvolumes:\n'));
  return [...body.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1] ?? '');
}

/**
 * The production files and what the README says of them agree (the compose
 * file itself is validated by scripts/check-compose.sh in .ci/run).
 */
describe('the production deployment', () => {
  const compose = read('docker-compose.yml');
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Running in production'), readme.indexOf('\n## ', readme.indexOf('## Running in production') + 1));

  it('names in the README every service the compose file starts', () => {
    const services = composeServices(compose);
    expect(services).toEqual(expect.arrayContaining(['mongo', 'migrate', 'bot1', 'bot2', 'caddy']));
    for (const service of services) expect(section).toContain(`\`${service}\``);
  });

  it('runs the bots on webhooks behind the proxy, healthy by /readyz, after the migration, on a replica set', () => {
    const bots = composeServices(compose).filter((s) => /^bot\d$/.test(s));
    expect(bots.length).toBeGreaterThanOrEqual(2);
    const caddyfile = read('deploy/Caddyfile');
    for (const bot of bots) expect(caddyfile).toContain(`${bot}:3000`);
    expect(caddyfile).toContain('health_uri /readyz');
    expect(compose).toMatch(/TELEGRAM_POLLING: "false"/);
    expect(compose).toMatch(/TELEGRAM_WEBHOOK_URL: https:\/\/\$\{PUBLIC_HOST/);
    expect(compose).toMatch(/127\.0\.0\.1:3000\/readyz/);
    expect(compose).toMatch(/condition: service_completed_successfully/);
    expect(compose).toMatch(/replicaSet=rs0/);
    expect(compose).toMatch(/command: \["node", "dist\/db-migrate\.js"\]/);
    expect(readFileSync(path.join(ROOT, 'src/db-migrate.ts'), 'utf8')).toContain("schema: 'migrate'");
  });
});
