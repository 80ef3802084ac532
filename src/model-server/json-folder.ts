import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';

/** A folder of JSON records, one file per id, written atomically (temp file + rename). */
export class JsonFolder<T> {
  constructor(readonly directory: string, private readonly schema: z.ZodType<T>) {}

  private pathOf(id: string): string {
    return join(this.directory, `${encodeURIComponent(id)}.json`);
  }

  /** Writes one record. */
  async write(id: string, value: T): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const path = this.pathOf(id);
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify(value));
    await rename(temporary, path);
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
