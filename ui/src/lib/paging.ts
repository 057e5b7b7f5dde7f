import type { PageRequest } from '../bindings';
import type { PageRequest as GridPageRequest } from '../components/DataGrid';

/**
 * The grid's page request as a list command takes it, with the sort key checked against
 * the command's sort columns (`fallback` when the grid asks for one the core does not know).
 */
export function pageRequest<S extends string>(
  request: GridPageRequest,
  sorts: readonly S[],
  fallback: S,
): PageRequest<S> {
  const sort = (sorts as readonly string[]).includes(request.sort) ? (request.sort as S) : fallback;
  return { sort, dir: request.dir, after: request.after, limit: request.limit };
}
