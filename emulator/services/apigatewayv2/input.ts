import type { RequestContext } from '../../core/context.ts';
import { readJson } from '../../protocols/rest-json.ts';
import { apiErrors } from './errors.ts';

/** A JSON request body with typed accessors that answer a BadRequestException for a wrong type. */
export class Input {
  private constructor(readonly raw: Record<string, unknown>) {}

  static async read(ctx: RequestContext): Promise<Input> {
    return new Input(await readJson(ctx, 'BadRequestException'));
  }

  /** Input built by the emulator itself (quick create). */
  static of(raw: Record<string, unknown>): Input {
    return new Input(raw);
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(name, 'a string');
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw apiErrors.badRequest(`${name} must be specified.`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw invalid(name, 'true or false');
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Number.isInteger(value)) throw invalid(name, 'an integer');
    return value as number;
  }

  stringMap(name: string): Record<string, string> | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (
      typeof value !== 'object' ||
      Array.isArray(value) ||
      Object.values(value).some((v) => typeof v !== 'string')
    )
      throw invalid(name, 'a map of strings');
    return { ...(value as Record<string, string>) };
  }

  stringList(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw invalid(name, 'a list of strings');
    return [...(value as string[])];
  }
}

const invalid = (name: string, what: string) =>
  apiErrors.badRequest(`Invalid request: ${name} must be ${what}.`);
