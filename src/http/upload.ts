/**
 * Uploaded files (multipart field "file"), the same wherever files are uploaded. A file is
 * streamed to a fresh temporary folder under the configured upload folder, never held in
 * memory, and the folder is deleted when the work on it ends — also when that work fails or
 * the client goes away mid-upload. Coded refusals: not multipart or no file (FILE_MISSING),
 * over the size limit (PAYLOAD_TOO_LARGE, 413), more uploads of one user running at once than
 * allowed (TOO_MANY_UPLOADS, 429).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, payloadTooLarge } from '../errors.ts';

/** An uploaded file on disk, under the name the user gave it. */
export interface UploadedFile {
  fileName: string;
  path: string;
  size: number;
}

const tooManyUploads = (limit: number) =>
  new AppError(
    'TOO_MANY_UPLOADS',
    429,
    `您已有 ${limit} 个文件正在上传或处理，请等其完成后再上传`,
    `You already have ${limit} uploads being received or processed; wait for them to finish, then upload again`,
    [{ code: 'TOO_MANY_UPLOADS', limit }],
  );

const notMultipart = () => new AppError('FILE_MISSING', 400, '请以 multipart/form-data 上传文件（字段 file）', 'Upload the file as multipart/form-data (field "file")');
const uploadAborted = () => new AppError('UPLOAD_ABORTED', 400, '上传未完成：连接已断开', 'The upload did not complete: the connection was closed');
const noFile = () => new AppError('FILE_MISSING', 400, '请求中没有文件', 'The request holds no file');

// Uploads running per user, per application (each test builds its own).
const running = new WeakMap<FastifyInstance, Map<string, number>>();

/** Take one of the user's upload slots; the returned function gives it back. */
function takeSlot(req: FastifyRequest): () => void {
  const limit = req.server.config.maxUploadsPerUser;
  let counts = running.get(req.server);
  if (!counts) running.set(req.server, (counts = new Map()));
  const key = req.actor.userId !== undefined ? `user:${req.actor.userId}` : `name:${req.actor.name}`;
  const now = counts.get(key) ?? 0;
  if (now >= limit) throw tooManyUploads(limit);
  counts.set(key, now + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (counts.get(key) ?? 1) - 1;
    if (left > 0) counts.set(key, left);
    else counts.delete(key);
  };
}

async function save(req: FastifyRequest, part: MultipartFile, dir: string, n: number): Promise<UploadedFile> {
  const limit = req.server.config.maxImportBytes;
  // The user's file name is kept for messages and the extension; the disk name is ours.
  const file = path.join(dir, `upload-${n}${path.extname(part.filename).replace(/[^.\w]/g, '').slice(0, 10)}`);
  try {
    await pipeline(part.file, fs.createWriteStream(file, { flags: 'wx' }));
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw payloadTooLarge(limit);
    // A client that hung up is not the server's failure (nor is it answered: it is gone).
    if (req.raw.destroyed) throw uploadAborted();
    throw e;
  }
  if (part.file.truncated) throw payloadTooLarge(limit);
  return { fileName: part.filename || 'upload', path: file, size: (await fs.promises.stat(file)).size };
}

/**
 * The request's file parts, one per call, undefined at the end. The request is listened to
 * from the moment this is called: a client that hangs up after it fails the part being
 * received; one that hung up before is refused at once.
 */
function fileParts(req: FastifyRequest, maxFiles: number | undefined): () => Promise<MultipartFile | undefined> {
  if (req.raw.destroyed) throw uploadAborted();
  if (maxFiles === undefined) {
    let first: Promise<MultipartFile | undefined> | undefined = req.file();
    first.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    return async () => {
      const part = first;
      first = undefined;
      return part ? await part : undefined;
    };
  }
  const parts = req.files({ limits: { files: maxFiles } });
  let pending: Promise<IteratorResult<MultipartFile>> | undefined = parts.next();
  pending.catch(() => undefined);
  return async () => {
    const r = await (pending ?? parts.next());
    pending = undefined;
    return r.done ? undefined : r.value;
  };
}

/**
 * Receive the request's uploaded file (or files, up to `maxFiles`; empty ones left out) into a
 * temporary folder, run `use` on them, and delete the folder whatever happens. Counts as one
 * of the user's running uploads until `use` has finished.
 */
export async function withUploads<T>(req: FastifyRequest, use: (files: UploadedFile[]) => Promise<T>, opts: { maxFiles?: number } = {}): Promise<T> {
  if (!req.isMultipart()) throw notMultipart();
  const release = takeSlot(req);
  let dir: string | undefined;
  try {
    const next = fileParts(req, opts.maxFiles);
    // Made at once, with no wait between listening to the request and owning the folder.
    dir = fs.mkdtempSync(path.join(req.server.config.uploadDir, 'innolink-upload-'));
    const files: UploadedFile[] = [];
    for (let part = await next(), n = 0; part; part = await next(), n++) {
      const file = await save(req, part, dir, n);
      // One file, even an empty one: the service says what is wrong with it. Of several, the
      // empty ones are left out.
      if (opts.maxFiles === undefined) {
        files.push(file);
        break;
      }
      if (file.size > 0) files.push(file);
    }
    if (!files.length) throw noFile();
    return await use(files);
  } finally {
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
    release();
  }
}

/** The one uploaded file of a request (field "file"), on disk while `use` runs. */
export function withUpload<T>(req: FastifyRequest, use: (file: UploadedFile) => Promise<T>): Promise<T> {
  return withUploads(req, (files) => use(files[0]));
}
