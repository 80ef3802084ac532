import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';

/** A folder of JSON records, one file per id, written atomically (temp file + rename). */
export class JsonFolder<T> {
  /** Writes per id, chained so that the last write called is the last one on disk. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(readonly directory: string, private readonly schema: z.ZodType<T>) {}

  private pathOf(id: string): string {
    return join(this.directory, `${encodeURIComponent(id)}.json`);
  }

  /** Writes one record. */
  async write(id: string, value: T): Promise<void> {
    const text = JSON.stringify(value);
    const path = this.pathOf(id);
    const write = async (): Promise<void> => {
      await mkdir(this.directory, { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, path);
    };
    const next = (this.pending.get(id) ?? Promise.resolve()).then(write, write);
    this.pending.set(id, next);
    try {
      await next;
    } finally {
      if (this.pending.get(id) === next) this.pending.delete(id);
    }
  }

  /** Reads one record, or null when there is none. */
  async read(id: string): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.pathOf(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const parsed = this.schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`reading ${this.pathOf(id)}: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Reads every record in the folder. */
  async readAll(): Promise<T[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: T[] = [];
    for (const name of names.filter((file) => file.endsWith('.json')).sort()) {
      const record = await this.read(decodeURIComponent(name.slice(0, -'.json'.length)));
      if (record !== null) records.push(record);
    }
    return records;
  }
}
