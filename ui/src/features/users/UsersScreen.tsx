import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import {
  commands,
  type Role,
  type User,
  type UserFilter,
  type UserSort,
  type UserStatus,
} from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataGrid, gridColumnHelper, type PageRequest } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { MasterDetail, Screen, Toolbar } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { Select } from '../../components/Select';
import { DetailList, SidePanel } from '../../components/SidePanel';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { isErrorKind, unwrap } from '../../lib/ipc';
import { pageRequest } from '../../lib/paging';
import { queryKeys } from '../../lib/queryKeys';
import { ROLE_LABELS, ROLES } from '../session/roles';
import { useMe } from '../session/session';

const USER_SORTS: readonly UserSort[] = ['created_at', 'email'];
const USER_STATUSES: readonly UserStatus[] = ['active', 'invited', 'suspended'];

export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  invited: 'Invited',
  active: 'Active',
  suspended: 'Suspended',
};
const USER_STATUS_TONES: Record<UserStatus, BadgeTone> = {
  invited: 'info',
  active: 'success',
  suspended: 'danger',
};

const col = gridColumnHelper<User>();
const columns = col.columns([
  col.accessor('email', { header: 'Email', meta: { sortKey: 'email', width: 230 } }),
  col.accessor('username', { header: 'Username', meta: { width: 130 } }),
  col.accessor('display_name', { header: 'Name', meta: { width: 170 } }),
  col.accessor('role', {
    header: 'Role',
    meta: { width: 100 },
    cell: (info) => ROLE_LABELS[info.getValue()],
  }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: 110 },
    cell: (info) => (
      <Badge tone={USER_STATUS_TONES[info.getValue()]} dot>
        {USER_STATUS_LABELS[info.getValue()]}
      </Badge>
    ),
  }),
  col.accessor('last_sign_in_at', {
    header: 'Last sign-in',
    meta: { width: 150 },
    cell: (info) => {
      const at = info.getValue();
      return at ? (
        <span title={formatDateTime(at)}>{formatRelative(at)}</span>
      ) : (
        <span className="text-fg-faint">Never</span>
      );
    },
  }),
  col.accessor('created_at', {
    header: 'Created',
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
]);

function UserPanel({
  user,
  onClose,
  onChanged,
}: {
  user: User;
  onClose: () => void;
  onChanged: (u: User) => void;
}) {
  const me = useMe();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const suspend = user.status !== 'suspended';
  const self = user.id === me.id;

  const setActive = useMutation({
    mutationFn: (active: boolean) => unwrap(commands.setUserActive(user.id, user.version, active)),
    onSettled: () => client.invalidateQueries({ queryKey: ['users', 'list'] }),
  });

  const confirm = async () => {
    try {
      const version = await setActive.mutateAsync(!suspend);
      const status: UserStatus = suspend ? 'suspended' : 'active';
      onChanged({ ...user, version, status });
      toast.success(`${user.display_name} ${suspend ? 'suspended' : 'reactivated'}`, {
        description: suspend ? 'They are signed out and cannot sign in.' : 'They can sign in again.',
      });
    } catch (e) {
      toast.error(errorMessage(e), {
        description: isErrorKind(e, 'conflict')
          ? 'The list has been reloaded: open the person again.'
          : undefined,
      });
      if (isErrorKind(e, 'conflict')) onClose();
    }
  };

  return (
    <SidePanel
      data-testid="user-detail"
      focusKey={user.id}
      title={user.display_name}
      description={user.email}
      onClose={onClose}
      footer={
        self ? undefined : (
          <Button
            variant={suspend ? 'danger' : 'primary'}
            data-testid={suspend ? 'suspend' : 'reactivate'}
            loading={setActive.isPending}
            onClick={() => setConfirming(true)}
          >
            {suspend ? 'Suspend…' : 'Reactivate…'}
          </Button>
        )
      }
    >
      <DetailList
        items={[
          ['Username', user.username],
          ['Role', ROLE_LABELS[user.role]],
          [
            'Status',
            <Badge key="s" tone={USER_STATUS_TONES[user.status]} dot>
              {USER_STATUS_LABELS[user.status]}
            </Badge>,
          ],
          ['Last sign-in', user.last_sign_in_at ? formatDateTime(user.last_sign_in_at) : 'Never'],
          ['Created', formatDateTime(user.created_at)],
          ['Updated', formatDateTime(user.updated_at)],
        ]}
      />
      {self && <p className="mt-4 text-sm text-fg-subtle">This is you: another admin can suspend you.</p>}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={suspend ? `Suspend ${user.display_name}?` : `Reactivate ${user.display_name}?`}
        description={
          suspend
            ? 'They are signed out everywhere and cannot sign in until reactivated.'
            : 'They can sign in again with their password.'
        }
        confirmLabel={suspend ? 'Suspend' : 'Reactivate'}
        tone={suspend ? 'danger' : 'primary'}
        onConfirm={confirm}
      />
    </SidePanel>
  );
}

/** Everyone who may sign in (admins only). */
export function UsersScreen() {
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<UserStatus | ''>('');
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<User | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  const filter: UserFilter = useMemo(
    () => ({
      role: role === '' ? null : role,
      status: status === '' ? null : status,
      search: search === '' ? null : search,
    }),
    [role, status, search],
  );
  const fetchPage = useCallback(
    (request: PageRequest) =>
      unwrap(commands.listUsers(filter, pageRequest(request, USER_SORTS, 'created_at'))),
    [filter],
  );
  const close = useCallback(() => {
    setOpen(null);
    gridRef.current?.focus();
  }, []);
  const filtered = role !== '' || status !== '' || search !== '';

  return (
    <Screen>
      <Toolbar>
        <SearchInput label="Search people" placeholder="Email, username or name" onSearch={setSearch} />
        <Select
          aria-label="Role"
          data-testid="filter-role"
          placeholder="Any role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role | '')}
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          className="w-36"
        />
        <Select
          aria-label="Status"
          data-testid="filter-status"
          placeholder="Any status"
          value={status}
          onChange={(e) => setStatus(e.target.value as UserStatus | '')}
          options={USER_STATUSES.map((s) => ({ value: s, label: USER_STATUS_LABELS[s] }))}
          className="w-36"
        />
      </Toolbar>
      <MasterDetail
        detail={open && <UserPanel key={open.id} user={open} onClose={close} onChanged={setOpen} />}
      >
        <DataGrid
          aria-label="People"
          data-testid="grid-users"
          className="min-h-0 flex-1"
          gridRef={gridRef}
          columns={columns}
          queryKey={queryKeys.userList(filter)}
          fetchPage={fetchPage}
          rowKey={(u) => u.id}
          defaultSort={{ key: 'created_at', dir: 'desc' }}
          openOnClick
          selectedKey={open?.id ?? null}
          onRowOpen={setOpen}
          emptyState={
            <EmptyState
              title={filtered ? 'No one matches these filters' : 'No people yet'}
              description={filtered ? 'Try another role, status or search.' : undefined}
            />
          }
        />
      </MasterDetail>
    </Screen>
  );
}
