/**
 * The refusals of log-in and user management, one factory each (like src/errors.ts), so that
 * codes and wording stay the same wherever they are raised.
 */
import { AppError, type ErrorDetail } from '../../errors.ts';
import { USER_ROLES } from './auth.policy.ts';

/** Wrong user name or password; the same answer whether or not the name exists. */
export const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 401, '用户名或密码错误', 'Wrong user name or password');

export const accountLocked = (retryAfterSeconds: number) =>
  new AppError(
    'ACCOUNT_LOCKED',
    423,
    `登录失败次数过多，账户已锁定，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`,
    `Too many failed log-ins: the account is locked; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`,
    [{ code: 'ACCOUNT_LOCKED', retry_after_seconds: retryAfterSeconds }],
  );

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(
    'TOO_MANY_ATTEMPTS',
    429,
    `来自此地址的登录失败次数过多，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`,
    `Too many failed log-ins from this address; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`,
    [{ code: 'TOO_MANY_ATTEMPTS', retry_after_seconds: retryAfterSeconds }],
  );

export const currentPasswordWrong = () =>
  new AppError('CURRENT_PASSWORD_WRONG', 400, '当前密码不正确', 'The current password is wrong', [{ field: 'current_password' }]);

export const passwordRejected = (details: ErrorDetail[]) =>
  new AppError('PASSWORD_REJECTED', 400, '密码不符合要求', 'The password does not meet the rules', details);

export const userNotFound = (username: string) =>
  new AppError('USER_NOT_FOUND', 404, `没有这个用户：${username}`, `No user named ${username}`, [{ field: 'username', value: username }]);

export const userIdNotFound = (id: number) =>
  new AppError('USER_NOT_FOUND', 404, `没有编号为 ${id} 的用户`, `No user with id ${id}`, [{ field: 'id', value: id }]);

export const roleUnknown = (role: string) =>
  new AppError('ROLE_UNKNOWN', 400, `未知的角色：${role}（可选：${USER_ROLES.join('、')}）`, `Unknown role: ${role} (one of ${USER_ROLES.join(', ')})`, [
    { field: 'role', code: 'ROLE_UNKNOWN', value: role },
  ]);

export const userExists = (username: string) =>
  new AppError('USER_EXISTS', 409, `用户名已被使用：${username}`, `The user name is taken: ${username}`, [{ field: 'username', value: username }]);

export const lastAdmin = () =>
  new AppError('LAST_ADMIN', 409, '这是最后一个可用的管理员账户，不能停用或降级', 'This is the last enabled administrator: it cannot be disabled or given another role');

export const regionRequired = (role: string) =>
  new AppError('REGION_REQUIRED', 400, `角色 ${role} 需要指定所属地区（--region）`, `Role ${role} needs a region (--region)`, [{ field: 'region' }]);

export const orgRequired = (role: string) =>
  new AppError('ORG_REQUIRED', 400, `角色 ${role} 需要指定所属机构（--org）`, `Role ${role} needs an organisation (--org)`, [{ field: 'org' }]);
