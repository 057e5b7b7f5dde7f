import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  commands,
  type Role,
  type User,
  type UserFilter,
  type UserSort,
  type UserStatus,
} from '../../bindings';
import { type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { ListScreen } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { DetailList, SidePanel } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { UserPlusIcon } from '../../components/icons';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { isErrorKind, unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { InviteDialog } from './InviteDialog';
import { ROLE_LABELS, ROLES } from '../session/roles';
import { useOnline } from '../session/connection';
import { useMe } from '../session/session';
import { VendorProfileForm } from '../vendors/VendorProfileForm';

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
      <StatusBadge status={info.getValue()} labels={USER_STATUS_LABELS} tones={USER_STATUS_TONES} />
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
  const online = useOnline();
  const [confirming, setConfirming] = useState(false);
  const [resetting, setResetting] = useState(false);
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

  const reset = useMutation({
    mutationFn: () => unwrap(commands.resetUserPassword(user.id)),
    onSettled: () => client.invalidateQueries({ queryKey: ['users', 'list'] }),
  });
  const confirmReset = async () => {
    try {
      await reset.mutateAsync();
      toast.success(`${user.display_name}'s password reset`, {
        description: `A temporary password is on its way to ${user.email}; they choose their own at the next sign-in.`,
      });
    } catch (e) {
      toast.error(errorMessage(e));
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
          <>
            {online && user.status !== 'suspended' && (
              <Button
                data-testid="reset-password"
                loading={reset.isPending}
                onClick={() => setResetting(true)}
              >
                Reset password…
              </Button>
            )}
            <Button
              variant={suspend ? 'danger' : 'primary'}
              data-testid={suspend ? 'suspend' : 'reactivate'}
              loading={setActive.isPending}
              onClick={() => setConfirming(true)}
            >
              {suspend ? 'Suspend…' : 'Reactivate…'}
            </Button>
          </>
        )
      }
    >
      <DetailList
        items={[
          ['Username', user.username],
          ['Role', ROLE_LABELS[user.role]],
          [
            'Status',
            <StatusBadge
              key="s"
              status={user.status}
              labels={USER_STATUS_LABELS}
              tones={USER_STATUS_TONES}
            />,
          ],
          ['Last sign-in', user.last_sign_in_at ? formatDateTime(user.last_sign_in_at) : 'Never'],
          ['Created', formatDateTime(user.created_at)],
          ['Updated', formatDateTime(user.updated_at)],
        ]}
      />
      {self && <p className="mt-4 text-sm text-fg-subtle">This is you: another admin can suspend you.</p>}
      {online && user.role === 'vendor' && (
        <section className="mt-5 flex flex-col gap-2" aria-label="Business profile">
          <h3 className="text-sm font-semibold">Business profile</h3>
          <VendorProfileForm vendorId={user.id} />
        </section>
      )}
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
      <ConfirmDialog
        open={resetting}
        onOpenChange={setResetting}
        title={`Reset ${user.display_name}'s password?`}
        description={`Their password stops working now. A temporary one is mailed to ${user.email}, and they must choose their own at the next sign-in.`}
        confirmLabel="Reset password"
        tone="danger"
        onConfirm={confirmReset}
      />
    </SidePanel>
  );
}

/** Everyone who may sign in (admins only). */
export function UsersScreen() {
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<UserStatus | ''>('');
  const [search, setSearch] = useState('');
  const { open, setOpen, close, gridProps } = useOpenRow<User>();
  const online = useOnline();
  const [inviting, setInviting] = useState(false);

  const filter: UserFilter = useMemo(
    () => ({
      role: role === '' ? null : role,
      status: status === '' ? null : status,
      search: search === '' ? null : search,
    }),
    [role, status, search],
  );
  const fetchPage = usePagedList(filter, commands.listUsers, USER_SORTS, 'created_at');
  const filtered = role !== '' || status !== '' || search !== '';

  return (
    <ListScreen
      filters={
        <>
          <SearchInput label="Search people" placeholder="Email, username or name" onSearch={setSearch} />
          <FilterSelect
            label="Role"
            data-testid="filter-role"
            placeholder="Any role"
            value={role}
            onValueChange={setRole}
            values={ROLES}
            labels={ROLE_LABELS}
            className="w-36"
          />
          <FilterSelect
            label="Status"
            data-testid="filter-status"
            placeholder="Any status"
            value={status}
            onValueChange={setStatus}
            values={USER_STATUSES}
            labels={USER_STATUS_LABELS}
            className="w-36"
          />
        </>
      }
      toolbarEnd={
        <>
          {!online && (
            <span className="text-sm text-fg-subtle">Inviting needs a sign-in to the central server</span>
          )}
          <Button
            variant="primary"
            size="sm"
            data-testid="invite"
            icon={<UserPlusIcon size={14} />}
            disabled={!online}
            onClick={() => setInviting(true)}
          >
            Invite person…
          </Button>
          {inviting && <InviteDialog onClose={() => setInviting(false)} />}
        </>
      }
      detail={open && <UserPanel key={open.id} user={open} onClose={close} onChanged={setOpen} />}
    >
      <DataGrid
        aria-label="People"
        data-testid="grid-users"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={columns}
        queryKey={queryKeys.userList(filter)}
        fetchPage={fetchPage}
        rowKey={(u) => u.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No one matches these filters' : 'No people yet'}
            description={filtered ? 'Try another role, status or search.' : undefined}
          />
        }
      />
    </ListScreen>
  );
}
