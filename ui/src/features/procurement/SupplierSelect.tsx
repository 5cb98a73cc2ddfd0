import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { EMPTY_LIST_QUERY } from '../../lib/useListQuery';
import { useSuppliers } from '../suppliers/queries';

/** Picks a supplier by code, searching as you type (server-side). */
export function SupplierSelect({
  value,
  onChange,
  testId,
}: {
  value?: string;
  onChange: (code: string | undefined) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const suppliers = useSuppliers({ ...EMPTY_LIST_QUERY, search: search.trim() || null, page_size: 50 });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      value={value}
      onSearch={setSearch}
      onChange={(v?: string) => onChange(v)}
      placeholder={t('procurement:pickSupplier')}
      loading={suppliers.isFetching}
      options={(suppliers.data?.items ?? []).map((s) => ({
        value: s.code,
        label: `${s.code} · ${s.name}`,
        disabled: s.status === 'archived',
      }))}
      style={{ minWidth: 320 }}
      data-testid={testId}
    />
  );
}
