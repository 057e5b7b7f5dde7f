import type { Value } from '../../bindings';

/** One changed field of an audit entry: `details` is `{ field: [old, new] }`. */
export type AuditChange = { field: string; from: Value; to: Value };

/**
 * The changes in an audit entry's details, when every entry is a `[old, new]` pair;
 * null when the details have another shape (shown as JSON instead).
 */
export function auditChanges(details: Value | null): AuditChange[] | null {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return null;
  const entries = Object.entries(details);
  if (entries.length === 0) return null;
  const changes: AuditChange[] = [];
  for (const [field, value] of entries) {
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [from, to] = value as [Value, Value];
    changes.push({ field, from, to });
  }
  return changes;
}

/** A value of a change as text: strings as they are, nothing as '—', the rest as JSON. */
export function formatAuditValue(value: Value): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

/** Details as indented JSON (the fallback for details that are not a list of changes). */
export function prettyDetails(details: Value): string {
  return JSON.stringify(details, null, 2);
}
