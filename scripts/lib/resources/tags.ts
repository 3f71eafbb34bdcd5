/** Tags are compared as a subset: others' tags on a resource are left alone. */
export function missingTags(
  have: Record<string, string | undefined> | undefined,
  want: Record<string, string>,
): Record<string, string> {
  const missing: Record<string, string> = {};
  for (const [key, value] of Object.entries(want)) if (have?.[key] !== value) missing[key] = value;
  return missing;
}

export const hasMissing = (missing: Record<string, string>): boolean => Object.keys(missing).length > 0;

export const tagList = (tags: Record<string, string>): Array<{ Key: string; Value: string }> =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function tagRecord(
  list: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Key, Value } of list ?? []) if (Key !== undefined) out[Key] = Value ?? '';
  return out;
}
