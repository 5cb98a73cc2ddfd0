import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Flex, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Parcel } from '../../bindings/Parcel';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { ListSearch } from '../../components/ListSearch';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { SEARCH_DEBOUNCE_MS } from '../../lib/useListQuery';
import { EMPTY_PARCEL_FILTER, PARCEL_STATUSES, PARCEL_STATUS_COLOR, UNSHIPPED, useCancelParcel, useParcels } from './fulfilmentQueries';

export function ParcelStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={PARCEL_STATUS_COLOR[status]}>{t(`orders:parcelStatuses.${status}`, { defaultValue: status })}</Tag>;
}

/** Carrier, service and tracking number of a parcel, in one cell. */
export function TrackingCell({ p }: { p: Pick<Parcel, 'carrier' | 'service' | 'tracking_no'> }) {
  if (!p.carrier && !p.tracking_no) return <>—</>;
  return (
    <div>
      {p.carrier} {p.tracking_no}
      {p.service && <div className="cell-sub">{p.service}</div>}
    </div>
  );
}

/** The columns every parcel list shares: number (and wave), warehouse, status, orders, receiver, units, tracking. */
export function useParcelColumns(): TableColumnsType<Parcel> {
  const { t } = useTranslation();
  return [
    {
      key: 'parcel_no',
      title: t('orders:parcels.parcelNo'),
      width: 170,
      render: (_: unknown, p) => (
        <div>
          {p.parcel_no}
          {p.wave_no && <div className="cell-sub">{t('orders:parcels.inWave', { wave: p.wave_no, slot: p.wave_slot })}</div>}
          {p.reship_of && <div className="cell-sub">{t('orders:parcels.reshipOf', { parcel: p.reship_of })}</div>}
        </div>
      ),
    },
    { key: 'warehouse', dataIndex: 'warehouse', title: t('orders:parcels.warehouse'), width: 90 },
    { key: 'status', title: t('orders:status'), width: 90, render: (_: unknown, p) => <ParcelStatusTag status={p.status} /> },
    { key: 'orders', title: t('orders:parcels.orders'), width: 190, render: (_: unknown, p) => p.orders.join(', ') },
    { key: 'receiver', title: t('orders:receiver'), ellipsis: true, render: (_: unknown, p) => `${p.receiver} ${p.phone}`.trim() || p.address },
    { key: 'units', dataIndex: 'units', title: t('orders:parcels.units'), align: 'right', width: 60 },
    { key: 'tracking', title: t('orders:parcels.tracking'), width: 190, render: (_: unknown, p) => <TrackingCell p={p} /> },
  ];
}

/** Cancels a parcel not yet shipped, with the reason: its stock reservation is released, its orders wait for allocation again. */
function CancelParcelModal({ parcel, onClose }: { parcel: Parcel; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const cancel = useCancelParcel();
  const [note, setNote] = useState('');
  return (
    <Modal
      open
      title={t('orders:parcels.cancelTitle', { parcel: parcel.parcel_no })}
      onCancel={onClose}
      okText={t('orders:parcels.cancel')}
      okButtonProps={{ danger: true, disabled: note.trim() === '', loading: cancel.isPending, 'data-testid': 'parcel-cancel-ok' } as ButtonProps}
      onOk={() =>
        void cancel
          .mutateAsync({ parcel_no: parcel.parcel_no, note: note.trim() })
          .then(() => {
            void message.success(t('orders:parcels.cancelled', { parcel: parcel.parcel_no }));
            onClose();
          })
          .catch(report)
      }
    >
      <Typography.Paragraph type="secondary">{t('orders:parcels.cancelHint')}</Typography.Paragraph>
      <Input.TextArea autoFocus rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('orders:noteRequired')} data-testid="parcel-cancel-note" />
    </Modal>
  );
}

/** Every parcel (the 500 most urgent), by status and by parcel, tracking or order number; cancel one not yet shipped. */
export function ParcelsCard() {
  const { t } = useTranslation();
  const can = useCan();
  const [status, setStatus] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Parcel | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onSearch = (v: string) => {
    setText(v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setSearch(v.trim() === '' ? null : v.trim()), SEARCH_DEBOUNCE_MS);
  };
  const parcels = useParcels({ ...EMPTY_PARCEL_FILTER, status, search });
  const base = useParcelColumns();
  const columns: TableColumnsType<Parcel> = [
    ...base,
    { key: 'promised_at', title: t('orders:parcels.promisedAt'), width: 140, render: (_: unknown, p) => formatDateTime(p.promised_at) || '—' },
    ...(can('reserve_stock')
      ? [
          {
            key: 'act',
            width: 60,
            render: (_: unknown, p: Parcel) =>
              UNSHIPPED.includes(p.status) ? (
                <Button size="small" danger icon={<StopOutlined />} title={t('orders:parcels.cancel')} onClick={() => setCancelling(p)} data-testid={`parcel-cancel-${p.parcel_no}`} />
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Card className="list-card" title={t('orders:parcels.title')}>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <ListSearch value={text} onChange={onSearch} placeholder={t('orders:parcels.search')} testId="parcels-search" />
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t('orders:status')}
          value={status ?? undefined}
          onChange={(v) => setStatus(v ?? null)}
          options={PARCEL_STATUSES.map((s) => ({ value: s, label: t(`orders:parcelStatuses.${s}`) }))}
          data-testid="parcels-status"
        />
      </Flex>
      <QueryError error={parcels.error} onRetry={() => void parcels.refetch()} />
      <div data-testid="parcels-table">
        <Table<Parcel>
          rowKey="parcel_no"
          size="middle"
          columns={columns}
          dataSource={parcels.data}
          loading={parcels.isFetching}
          pagination={{ pageSize: 50, showTotal: (n) => t('orders:parcels.count', { count: n }) }}
        />
      </div>
      {cancelling && <CancelParcelModal parcel={cancelling} onClose={() => setCancelling(null)} />}
    </Card>
  );
}
