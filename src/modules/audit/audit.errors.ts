/**
 * The refusals of the audit module, one factory each. Those naming a file are raised when the
 * store opens (the operator reads them on the console); the ones a request can meet name no path.
 */
import { AppError } from '../../errors.ts';

const HOW = '设置 INNOLINK_AUDIT_KEY_FILE 指向审计密钥文件（见 README“审计日志”）';
const HOW_EN = 'set INNOLINK_AUDIT_KEY_FILE to the audit key file (README, "Audit log")';

export const auditKeyMissing = (file: string) =>
  new AppError(
    'AUDIT_KEY_MISSING',
    500,
    `审计日志已用密钥保护，但密钥文件 ${file} 不存在。请从保管处恢复该文件，或${HOW}；不会自动生成新密钥，否则日志将无法校验。`,
    `The audit log is keyed, but the key file ${file} is missing. Restore it from where it is kept, or ${HOW_EN}; no new key is made, since the log could then no longer be verified.`,
    [{ field: 'INNOLINK_AUDIT_KEY_FILE', value: file }],
  );

export const auditKeyInsecure = (file: string, mode: number) =>
  new AppError(
    'AUDIT_KEY_INSECURE',
    500,
    `审计密钥文件 ${file} 的权限为 ${mode.toString(8)}，其他用户可读。请执行 chmod 600 ${file}。`,
    `The audit key file ${file} has mode ${mode.toString(8)}: other users can read it. Run chmod 600 ${file}.`,
    [{ field: 'INNOLINK_AUDIT_KEY_FILE', value: file }],
  );

export const auditKeyInvalid = (file: string) =>
  new AppError(
    'AUDIT_KEY_INVALID',
    500,
    `审计密钥文件 ${file} 格式不对：应只有一行 64 位以上的十六进制数字（# 开头的行为注释）。`,
    `The audit key file ${file} is malformed: it must hold one line of at least 64 hex digits (lines starting with # are comments).`,
    [{ field: 'INNOLINK_AUDIT_KEY_FILE', value: file }],
  );

export const auditKeyInStore = (file: string, dataDir: string) =>
  new AppError(
    'AUDIT_KEY_IN_STORE',
    500,
    `审计密钥文件 ${file} 位于数据目录 ${dataDir} 之内，会随数据一起被复制和备份。请把它放在数据目录之外（${HOW}）。`,
    `The audit key file ${file} lies inside the data folder ${dataDir}, so every copy and backup of the data would carry it. Keep it outside (${HOW_EN}).`,
    [{ field: 'INNOLINK_AUDIT_KEY_FILE', value: file }],
  );

/** The key loaded is not the one the log is chained under (the store names the other key's id). */
export const auditKeyMismatch = (loaded: string, chained: string) =>
  new AppError(
    'AUDIT_KEY_MISMATCH',
    500,
    `审计密钥（编号 ${loaded}）不是本库审计日志所用的密钥（编号 ${chained}），无法继续记录。请管理员配置正确的密钥文件。`,
    `The audit key (id ${loaded}) is not the key this store's audit log is chained under (id ${chained}); nothing more can be recorded. The operator must configure the right key file.`,
    [{ code: 'AUDIT_KEY_MISMATCH', key_id: loaded, log_key_id: chained }],
  );

/** A store opened without its audit anchor (a program that bypassed openStore). */
export const auditKeyNotLoaded = () =>
  new AppError(
    'AUDIT_KEY_NOT_LOADED',
    500,
    '未载入审计密钥，无法记录或校验审计日志',
    'No audit key is loaded: the audit log can be neither written nor verified',
  );
