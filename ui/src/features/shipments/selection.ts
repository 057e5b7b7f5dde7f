import { useCallback, useMemo, useState } from 'react';

/**
 * Parcels picked by hand in a list (checkboxes, Space on the row under the cursor): the ids, in
 * the order they were picked, kept while the filters change.
 */
export function useSelection() {
  const [ids, setIds] = useState<readonly string[]>([]);
  const toggle = useCallback(
    (id: string) => setIds((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id])),
    [],
  );
  const clear = useCallback(() => setIds([]), []);
  const set = useMemo(() => new Set(ids), [ids]);
  const has = useCallback((id: string) => set.has(id), [set]);
  return { ids, has, toggle, clear };
}
