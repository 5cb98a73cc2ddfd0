import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NewUser } from '../../bindings/NewUser';
import type { Role } from '../../bindings/Role';
import type { UserUpdate } from '../../bindings/UserUpdate';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

export const ROLES: Role[] = ['admin', 'purchasing', 'warehouse', 'operations', 'customer_service', 'finance', 'manager'];

export const userKeys = {
  all: ['users'] as const,
  list: ['users', 'list'] as const,
};

export function useUsers() {
  return useQuery({ queryKey: userKeys.list, queryFn: () => call('users_list', null) });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (u: NewUser) => call('user_create', u),
    onSuccess: () => invalidateAfterChange(qc, userKeys.all[0]),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; data: UserUpdate }) => call('user_update', v),
    onSuccess: () => invalidateAfterChange(qc, userKeys.all[0]),
  });
}
