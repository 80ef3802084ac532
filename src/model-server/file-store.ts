import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { notFound } from './http/openai-error';
import { JsonFolder } from './json-folder';

/** A stored file's metadata, shaped like OpenAI's file object. */
export const storedFileSchema = z.strictObject({
  id: z.string(),
  object: z.literal('file'),
  bytes: z.number().int().nonnegative(),
  created_at: z.number().int(),
  filename: z.string(),
  purpose: z.string(),
  status: z.literal('processed'),
  expires_at: z.number().int().nullable(),
  status_details: z.string().nullable(),
});
export type StoredFile = z.infer<typeof storedFileSchema>;

/** Uploaded files: metadata as JSON records, contents beside them. */
export class FileStore {
  private readonly records: JsonFolder<StoredFile>;
  private readonly contentDirectory: string;

  constructor(dataDir: string) {
    this.records = new JsonFolder(join(dataDir, 'files'), storedFileSchema);
    this.contentDirectory = join(dataDir, 'file-contents');
  }

  /** Stores an uploaded file. */
  async create(input: { filename: string; purpose: string; content: Buffer }): Promise<StoredFile> {
    const file: StoredFile = {
      id: `file-${randomBytes(12).toString('hex')}`,
      object: 'file',
      bytes: input.content.length,
      created_at: Math.floor(Date.now() / 1000),
      filename: input.filename,
      purpose: input.purpose,
      status: 'processed',
      expires_at: null,
      status_details: null,
    };
    await mkdir(this.contentDirectory, { recursive: true });
    await writeFile(join(this.contentDirectory, file.id), input.content);
    await this.records.write(file.id, file);
    return file;
  }

  /** A file's metadata, or a 404. */
  async get(id: string): Promise<StoredFile> {
    const file = await this.records.read(id);
    if (!file) throw notFound('file', id);
    return file;
  }

  /** A file's bytes, or a 404. */
  async content(id: string): Promise<Buffer> {
    await this.get(id);
    return readFile(join(this.contentDirectory, id));
  }

  /** Every file, newest first. */
  async list(): Promise<StoredFile[]> {
    return (await this.records.readAll()).sort((a, b) => b.created_at - a.created_at || b.id.localeCompare(a.id));
  }
}
