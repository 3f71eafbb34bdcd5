import { describe, expect, it } from 'vitest';
import { AwsError } from '../../core/aws-error.ts';
import { compileFilterPattern } from './filter-pattern.ts';

/** The filter pattern rules of FilterAndPatternSyntax.html, on the compiled matcher itself. */
describe('filter patterns', () => {
  const matches = (pattern: string, message: string) => compileFilterPattern(pattern)(message);

  it('terms: all required, case-sensitive, quoted phrases, ?any, -none, %regex%', () => {
    expect(matches('', 'anything')).toBe(true);
    expect(matches('ERROR', '[ERROR] disk')).toBe(true);
    expect(matches('ERROR', 'error')).toBe(false);
    expect(matches('ERROR disk', 'ERROR: the disk is full')).toBe(true);
    expect(matches('ERROR disk', 'ERROR: the network')).toBe(false);
    expect(matches('"disk is full"', 'ERROR: the disk is full')).toBe(true);
    expect(matches('"disk full"', 'ERROR: the disk is full')).toBe(false);
    expect(matches('?ERROR ?WARN', 'WARN slow')).toBe(true);
    expect(matches('?ERROR ?WARN', 'INFO fine')).toBe(false);
    expect(matches('ERROR -Exiting', 'ERROR Exiting')).toBe(false);
    expect(matches('ERROR -"Exiting now"', 'ERROR Exiting soon')).toBe(true);
    expect(matches('%user [0-9]+%', 'user 42 logged in')).toBe(true);
    expect(matches('%user [0-9]+%', 'user x logged in')).toBe(false);
  });

  it('JSON patterns: strings with wildcards, numbers, IS NULL / TRUE, NOT EXISTS, && || and parentheses', () => {
    const doc = JSON.stringify({
      level: 'error',
      ms: 1200,
      ok: true,
      gone: null,
      user: { id: 7, tags: ['a', 'b'] },
    });
    expect(matches('{ $.level = "error" }', doc)).toBe(true);
    expect(matches('{ $.level = err* }', doc)).toBe(true);
    expect(matches('{ $.level != "error" }', doc)).toBe(false);
    expect(matches('{ $.ms >= 1200 && $.ms < 1201 }', doc)).toBe(true);
    expect(matches('{ $.ms > 5000 || $.user.id = 7 }', doc)).toBe(true);
    expect(matches('{ ($.ms > 5000 || $.ok IS TRUE) && $.user.tags[1] = "b" }', doc)).toBe(true);
    expect(matches('{ $.gone IS NULL }', doc)).toBe(true);
    expect(matches('{ $.missing NOT EXISTS }', doc)).toBe(true);
    expect(matches('{ $.level NOT EXISTS }', doc)).toBe(false);
    expect(matches('{ $.level = "error" }', 'not json')).toBe(false);
  });

  it('a pattern that does not parse is an InvalidParameterException', () => {
    for (const bad of ['{ $.a = ', '{ level = 1 }', '"unclosed', '{ $.a > x }']) {
      let error: unknown;
      try {
        compileFilterPattern(bad);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AwsError);
      expect((error as AwsError).code).toBe('InvalidParameterException');
    }
  });
});
