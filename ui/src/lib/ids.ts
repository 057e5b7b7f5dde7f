/** The first block of a UUID, for showing a row the core names only by id ('0190a3f2'). */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  return id.split('-')[0] ?? id;
}
