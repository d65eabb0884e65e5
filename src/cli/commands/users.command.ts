/**
 * `innolink users create|list|set-role|set-password|disable|enable`: user management by the
 * installation's operator (the first administrator is created here; there is no default
 * password). Passwords come from standard input (--password-stdin) or are typed twice on a
 * terminal, never as an argument, so they stay out of shell history and process lists.
 */
import type { Command } from 'commander';
import { USER_ROLES } from '../../modules/auth/auth.policy.ts';
import { createUser, listUsers, setUserDisabled, setUserPassword, setUserRole, type UserDto } from '../../modules/auth/auth.service.ts';
import { action, UsageError, type CliRuntime, type CommandModule } from '../cli.ts';

const JSON_OPT = ['--json', '输出一个 JSON 对象 / print one JSON object'] as const;
const STDIN_OPT = ['--password-stdin', '从标准输入读取密码 / read the password from standard input'] as const;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new UsageError('已取消', 'Cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    process.stderr.write(question);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: from stdin with --password-stdin, else typed twice on a terminal. */
async function newPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) {
    const text = (await readStdin()).replace(/\r?\n$/, '');
    if (text === '') throw new UsageError('标准输入中没有密码', 'No password on standard input');
    if (/[\r\n]/.test(text)) throw new UsageError('密码只能占一行', 'The password must be a single line');
    return text;
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      '标准输入不是终端，无法提示输入密码：请用 --password-stdin 从标准输入传入密码（例如 printf %s "$PW" | innolink users create …）',
      'Standard input is not a terminal, so no password can be prompted for: pass it with --password-stdin (e.g. printf %s "$PW" | innolink users create …)',
    );
  }
  const first = await promptHidden('新密码 / New password: ');
  const second = await promptHidden('再次输入 / Repeat: ');
  if (first !== second) throw new UsageError('两次输入的密码不一致', 'The two passwords differ');
  return first;
}

// East Asian wide characters take two columns in a terminal.
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describe(u: UserDto): string {
  const where = [u.region_name && `地区/region ${u.region_name}`, u.org_name && `机构/org ${u.org_name}`].filter(Boolean).join(', ');
  return `${u.username}（${u.role}${where ? `; ${where}` : ''}${u.disabled ? '; 已停用/disabled' : ''}）`;
}

function printUser(rt: CliRuntime, json: boolean | undefined, zh: string, en: string, u: UserDto) {
  if (json) rt.printJson({ user: u });
  else rt.print(`${zh}：${describe(u)} / ${en}`);
}

type Opts = { json?: boolean; passwordStdin?: boolean; region?: string; org?: string; displayName?: string; role?: string };

export const usersCommand: CommandModule = (program: Command, rt) => {
  const users = program.command('users').description('用户与角色 / users and roles');
  const roles = USER_ROLES.join('|');

  users
    .command('create')
    .description('新建用户（第一个管理员也由此创建） / create a user (the first administrator too)')
    .argument('<name>', '用户名 / user name')
    .requiredOption('--role <role>', `角色 / role: ${roles}`)
    .option('--region <region>', '所属地区（名称、代码或编号） / region (name, code or id)')
    .option('--org <org>', '所属机构（编号或名称） / organisation (id or name)')
    .option('--display-name <text>', '显示名称 / display name')
    .option(...STDIN_OPT)
    .option(...JSON_OPT)
    .action(
      action(rt, async (name: string, opts: Opts) => {
        const password = await newPassword(opts.passwordStdin);
        const user = await rt.withStore((ctx) =>
          createUser(ctx, { username: name, role: opts.role!, password, region: opts.region, org: opts.org, displayName: opts.displayName }),
        );
        printUser(rt, opts.json, '已创建用户', 'user created', user);
      }),
    );

  users
    .command('list')
    .description('列出用户 / list users')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const list = await rt.withStore((ctx) => listUsers(ctx));
        if (opts.json) {
          rt.printJson({ items: list, total: list.length });
          return;
        }
        rt.print(
          table(
            ['ID', '用户名 / user', '角色 / role', '地区 / region', '机构 / org', '状态 / status', '最近登录 / last log-in'],
            list.map((u) => [
              String(u.id),
              u.username,
              u.role,
              u.region_name ?? '-',
              u.org_name ?? '-',
              u.disabled ? '停用 / disabled' : u.locked_until ? '锁定 / locked' : '正常 / active',
              u.last_login_at?.slice(0, 16).replace('T', ' ') ?? '-',
            ]),
          ),
        );
      }),
    );

  users
    .command('set-role')
    .description('修改用户角色 / give a user another role')
    .argument('<name>', '用户名 / user name')
    .argument('<role>', `角色 / role: ${roles}`)
    .option('--region <region>', '所属地区（名称、代码或编号） / region (name, code or id)')
    .option('--org <org>', '所属机构（编号或名称） / organisation (id or name)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (name: string, role: string, opts: Opts) => {
        const user = await rt.withStore((ctx) => setUserRole(ctx, name, { role, region: opts.region, org: opts.org }));
        printUser(rt, opts.json, '已修改角色', 'role changed', user);
      }),
    );

  users
    .command('set-password')
    .description('重设用户密码（结束其会话并解除锁定） / reset a password (ends sessions, lifts a lock)')
    .argument('<name>', '用户名 / user name')
    .option(...STDIN_OPT)
    .option(...JSON_OPT)
    .action(
      action(rt, async (name: string, opts: Opts) => {
        const password = await newPassword(opts.passwordStdin);
        const user = await rt.withStore((ctx) => setUserPassword(ctx, name, password));
        printUser(rt, opts.json, '已重设密码', 'password reset', user);
      }),
    );

  for (const [cmd, disabled, zh, en] of [
    ['disable', true, '停用用户（并结束其会话） / disable a user (and end its sessions)', 'user disabled'],
    ['enable', false, '启用用户 / enable a user', 'user enabled'],
  ] as const) {
    users
      .command(cmd)
      .description(zh)
      .argument('<name>', '用户名 / user name')
      .option(...JSON_OPT)
      .action(
        action(rt, async (name: string, opts: Opts) => {
          const user = await rt.withStore((ctx) => setUserDisabled(ctx, name, disabled));
          printUser(rt, opts.json, disabled ? '已停用' : '已启用', en, user);
        }),
      );
  }
};
