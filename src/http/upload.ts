/**
 * The one uploaded file of a multipart request (field "file"), read whole, with the same coded
 * refusals wherever files are uploaded: not multipart or no file (FILE_MISSING), over the size
 * limit (PAYLOAD_TOO_LARGE).
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

export async function uploadedFile(req: FastifyRequest): Promise<{ fileName: string; buffer: Buffer }> {
  if (!req.isMultipart()) {
    throw new AppError('FILE_MISSING', 400, '请以 multipart/form-data 上传文件（字段 file）', 'Upload the file as multipart/form-data (field "file")');
  }
  const file = await req.file();
  if (!file) throw new AppError('FILE_MISSING', 400, '请求中没有文件', 'The request holds no file');
  const buffer = await file.toBuffer();
  if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', 413, '文件过大', 'The file is too large');
  return { fileName: file.filename, buffer };
}
