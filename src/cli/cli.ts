/**
 * What every CLI command shares: opening the store (refusing politely when a running server
 * holds the embedded data folder), one-JSON-object output, and exit codes
 * (0 ok, 1 refused or failed, 2 bad usage).
 */
import type { Command } from 'commander';
import { systemActor } from '../actor.ts';
import { loadConfig, type Config } from '../config.ts';
import { AppError, isAppError } from '../errors.ts';
import type { ServiceContext } from '../http/context.ts';
import { openStore } from '../store/store.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Raised by commands for bad usage (exit 2). */
export class UsageError extends AppError {
  constructor(zh: string, en: string) {
    super('BAD_USAGE', 400, zh, en);
  }
}

export interface CliRuntime {
  config: Config;
  /** Opens the store, runs fn with a service context, closes the store. */
  withStore<T>(fn: (ctx: ServiceContext) => Promise<T>): Promise<T>;
  /** Prints one JSON object on stdout. */
  printJson(value: unknown): void;
  /** Prints human-readable text on stdout. */
  print(text: string): void;
  /** Progress and notes go to stderr so stdout stays machine-readable. */
  note(text: string): void;
  setExitCode(code: number): void;
}

export function createRuntime(): CliRuntime {
  const config = loadConfig();
  return {
    config,
    async withStore(fn) {
      const db = await openStore(config);
      try {
        return await fn({ db, actor: systemActor(process.env.USER ? `cli:${process.env.USER}` : 'cli'), config });
      } finally {
        await db.close();
      }
    },
    printJson(value) {
      process.stdout.write(`${JSON.stringify(value)}\n`);
    },
    print(text) {
      process.stdout.write(`${text}\n`);
    },
    note(text) {
      process.stderr.write(`${text}\n`);
    },
    setExitCode(code) {
      process.exitCode = code;
    },
  };
}

/** Reports an error the way the command's output mode asks, and sets the exit code. */
export function reportError(rt: CliRuntime, e: unknown, json: boolean): void {
  if (isAppError(e)) {
    if (json) rt.printJson(e.toJSON());
    else {
      rt.note(`错误 [${e.code}]：${e.messageZh}`);
      rt.note(`Error [${e.code}]: ${e.messageEn}`);
      for (const d of e.details.slice(0, 20)) rt.note(`  - ${JSON.stringify(d)}`);
    }
    rt.setExitCode(e instanceof UsageError || e.code === 'BAD_USAGE' ? EXIT_USAGE : EXIT_FAILED);
    return;
  }
  rt.note(`内部错误 / Internal error: ${(e as Error)?.stack ?? String(e)}`);
  if (json) rt.printJson({ error: { code: 'INTERNAL', message: '内部错误', message_en: 'Internal error', details: [] } });
  rt.setExitCode(EXIT_FAILED);
}

/** Wraps a command action: errors are reported, never thrown out as stack traces. */
export function action<A extends unknown[]>(rt: CliRuntime, fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command;
    const json = Boolean(cmd?.opts?.().json);
    try {
      await fn(...args);
    } catch (e) {
      reportError(rt, e, json);
    }
  };
}

export type CommandModule = (program: Command, rt: CliRuntime) => void;
