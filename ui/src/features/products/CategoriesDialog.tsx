import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type CategoryChange, type CategoryNode } from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

type Mode = 'rename' | 'move' | 'merge' | 'add';

/** What an admin does to one category: the fields of the chosen action, applied by the core. */
function NodeEditor({
  node,
  tree,
  onDone,
}: {
  node: CategoryNode;
  tree: readonly CategoryNode[];
  onDone: () => void;
}) {
  const client = useQueryClient();
  const [mode, setMode] = useState<Mode>('rename');
  const [text, setText] = useState(node.name);
  const [target, setTarget] = useState('');
  const run = useMutation({
    mutationFn: (change: CategoryChange | { add: string }) =>
      'add' in change
        ? unwrap(commands.addCategory(change.add, node.id)).then(() => undefined)
        : unwrap(commands.changeCategory(change)),
    onSuccess: () => {
      toast.success('Categories saved');
      void client.invalidateQueries({ queryKey: ['products'] });
      onDone();
    },
    onError: (e) => toast.error(errorMessage(e), { description: 'The tree is unchanged.' }),
  });
  const others = tree.filter((n) => n.id !== node.id && !n.path.startsWith(node.path));
  const apply = () => {
    const version = node.version;
    if (mode === 'rename') run.mutate({ change: 'rename', id: node.id, version, name: text });
    if (mode === 'add') run.mutate({ add: text });
    if (mode === 'move')
      run.mutate({ change: 'move', id: node.id, version, parent: target === '' ? null : target });
    if (mode === 'merge' && target !== '')
      run.mutate({ change: 'merge', id: node.id, version, into: target });
  };
  return (
    <form
      className="flex flex-wrap items-end gap-2 border-t border-line bg-raised/50 px-3 py-2"
      data-testid="category-editor"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <Select
        aria-label="What to do"
        value={mode}
        onChange={(e) => {
          const next = e.target.value as Mode;
          setMode(next);
          setText(next === 'rename' ? node.name : '');
        }}
        options={[
          { value: 'rename', label: 'Rename' },
          { value: 'add', label: 'Add a sub-category' },
          { value: 'move', label: 'Move under…' },
          { value: 'merge', label: 'Merge into…' },
        ]}
        className="w-48"
      />
      {(mode === 'rename' || mode === 'add') && (
        <Input
          aria-label="Name"
          autoFocus
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-60"
          data-testid="category-name"
        />
      )}
      {(mode === 'move' || mode === 'merge') && (
        <Select
          aria-label={mode === 'move' ? 'New parent' : 'Merge into'}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          placeholder={mode === 'move' ? 'The root' : 'Choose a category'}
          options={others.map((o) => ({ value: o.id, label: `${'  '.repeat(Number(o.depth))}${o.name}` }))}
          className="w-60"
        />
      )}
      <Button type="submit" variant="primary" loading={run.isPending} data-testid="category-apply">
        Apply
      </Button>
      <Button
        variant="ghost"
        onClick={() => run.mutate({ change: 'archive', id: node.id, version: node.version })}
        disabled={run.isPending}
      >
        Archive
      </Button>
    </form>
  );
}

/** The category tree for admins: each category with its products, and what can be done to it. */
export function CategoriesDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [rootName, setRootName] = useState('');
  const tree = useQuery({
    queryKey: ['products', 'category-tree'],
    queryFn: () => unwrap(commands.categoryTree()),
  });
  const addRoot = useMutation({
    mutationFn: () => unwrap(commands.addCategory(rootName, null)),
    onSuccess: () => {
      setRootName('');
      void client.invalidateQueries({ queryKey: ['products'] });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Dialog open size="lg" onOpenChange={(o) => !o && onClose()} title="Categories">
      {tree.isPending ? (
        <Skeleton className="h-48" />
      ) : tree.isError ? (
        <QueryErrorState query={tree} />
      ) : (
        <div className="flex flex-col gap-3">
          {tree.data.length === 0 ? (
            <EmptyState title="No categories yet" description="Add the first one below." />
          ) : (
            <ul className="rounded-lg border border-line" data-testid="category-tree">
              {tree.data.map((n) => (
                <li key={n.id} className="border-t border-line first:border-t-0">
                  <button
                    type="button"
                    className="flex w-full items-center justify-between px-3 py-1.5 text-left hover:bg-raised focus-visible:bg-raised"
                    style={{ paddingLeft: `${0.75 + Number(n.depth) * 1.25}rem` }}
                    aria-expanded={open === n.id}
                    onClick={() => setOpen(open === n.id ? null : n.id)}
                  >
                    <span>{n.name}</span>
                    <span className="text-sm text-fg-muted">
                      {n.products === 0
                        ? 'no products'
                        : `${n.products} product${n.products === 1 ? '' : 's'}`}
                    </span>
                  </button>
                  {open === n.id && <NodeEditor node={n} tree={tree.data} onDone={() => setOpen(null)} />}
                </li>
              ))}
            </ul>
          )}
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              addRoot.mutate();
            }}
          >
            <Input
              aria-label="New top-level category"
              placeholder="New top-level category"
              value={rootName}
              onChange={(e) => setRootName(e.target.value)}
              className="w-72"
            />
            <Button type="submit" loading={addRoot.isPending} disabled={rootName.trim() === ''}>
              Add
            </Button>
          </form>
        </div>
      )}
    </Dialog>
  );
}
