import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../../../test/stores.ts';
import { DEFAULT_AUTH_SETTINGS, login } from './auth.service.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The CLI opens its own store, so it runs against a server database. Spawns are slow (tsx
// start-up): four in all.
describe('innolink users / audit (CLI)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('postgres');
  });
  afterAll(async () => store?.close());

  const cli = (args: string[], input?: string): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/innolink.mjs', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill(), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      if (input !== undefined) child.stdin.end(input);
      else child.stdin.end();
    });

  it('users create … --role admin --password-stdin creates the first administrator, who can log in', async () => {
    const res = await cli(['users', 'create', 'admin', '--role', 'admin', '--region', '常州', '--password-stdin', '--json'], 'Jiangsu-first-key-1\n');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    const { user } = JSON.parse(res.stdout);
    expect(user).toMatchObject({ username: 'admin', role: 'admin', region_name: '常州市', disabled: false });
    expect(user).not.toHaveProperty('password_hash');
    const session = await login(store.db, 'admin', 'Jiangsu-first-key-1', DEFAULT_AUTH_SETTINGS);
    expect(session.user.role).toBe('admin');
  });

  it('refuses to prompt when standard input is not a terminal (exit 2, says to use --password-stdin)', async () => {
    const res = await cli(['users', 'create', 'officer', '--role', 'bureau', '--json']);
    expect(res.code).toBe(2);
    const { error } = JSON.parse(res.stdout);
    expect(error.code).toBe('BAD_USAGE');
    expect(error.message_en).toMatch(/not a terminal.*--password-stdin/);
    expect(await store.db.query(`SELECT 1 FROM users WHERE username = 'officer'`)).toHaveLength(0);
  });

  it('users create … --role auditor creates an auditor (审计员), who reads the audit log and not the users', async () => {
    const res = await cli(['users', 'create', 'auditor-1', '--role', 'auditor', '--password-stdin', '--json'], 'Audit-trail-key-9\n');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).user).toMatchObject({ username: 'auditor-1', role: 'auditor', region_id: null, org_id: null });
    const session = await login(store.db, 'auditor-1', 'Audit-trail-key-9', DEFAULT_AUTH_SETTINGS);
    expect(session.user.role).toBe('auditor');
  });

  it('audit verify --json: the creations and the log-ins are on a keyed chain that verifies', async () => {
    const res = await cli(['audit', 'verify', '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ ok: true, mode: 'full', entries: 5, key: { epoch_seq: expect.any(Number), legacy_entries: 0 } });
    const actions = await store.db.query<{ action: string; actor: string }>('SELECT action, actor FROM audit_log ORDER BY seq');
    expect(actions.map((a) => a.action)).toEqual(['audit.key_epoch', 'create', 'auth.login', 'create', 'auth.login']);
    expect(actions[1].actor).toMatch(/^cli/);
  });
});
