import { useState } from 'react';
import { App, Button, Card, Flex, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, FilePdfOutlined, NodeIndexOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Wave } from '../../bindings/Wave';
import type { WaveKind } from '../../bindings/WaveKind';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { ReportView } from '../../components/ReportView';
import { formatDateTime } from '../../lib/format';
import { useWarehouseOptions } from '../inventory/queries';
import { WAVE_KINDS, useCreateWave, usePackingSlipsExport, usePickList, usePickListExport, useWaves } from './fulfilmentQueries';

/** The pick list of one wave, with its exports: the pick list (PDF, Excel) and the packing slips (PDF). */
function WaveDocs({ wave }: { wave: Wave }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const pick = usePickList(wave.wave_no);
  const pickExport = usePickListExport();
  const slips = usePackingSlipsExport();
  const exportPick = (format: string) =>
    pickExport
      .mutateAsync({ key: wave.wave_no, format })
      .then((r) => message.success(t('orders:exported', { path: r.path })))
      .catch(report);
  const exportSlips = () =>
    slips
      .mutateAsync(wave.wave_no)
      .then((r) => message.success(t('orders:exported', { path: r.path })))
      .catch(report);
  return (
    <Card
      className="list-card"
      title={t('orders:waves.pickTitle', { wave: wave.wave_no })}
      extra={
        <Space wrap>
          <Button icon={<FilePdfOutlined />} loading={pickExport.isPending && pickExport.variables?.format === 'pdf'} onClick={() => void exportPick('pdf')} data-testid="wave-pick-pdf">
            {t('orders:waves.pickPdf')}
          </Button>
          <Button icon={<DownloadOutlined />} loading={pickExport.isPending && pickExport.variables?.format === 'xlsx'} onClick={() => void exportPick('xlsx')} data-testid="wave-pick-xlsx">
            {t('orders:waves.pickXlsx')}
          </Button>
          <Button icon={<PrinterOutlined />} loading={slips.isPending} onClick={() => void exportSlips()} data-testid="wave-slips">
            {t('orders:waves.slips')}
          </Button>
        </Space>
      }
    >
      <QueryError error={pick.error} onRetry={() => void pick.refetch()} />
      {pick.data && <ReportView report={pick.data} testId="pick-list" />}
    </Card>
  );
}

/** Waves (波次): start one per warehouse and kind, then print its pick list (in location order) and packing slips. */
export function WavesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const warehouses = useWarehouseOptions();
  const [warehouse, setWarehouse] = useState<string | null>(null);
  const [kind, setKind] = useState<WaveKind>('mixed');
  const [max, setMax] = useState<number>(50);
  const [openOnly, setOpenOnly] = useState(true);
  const [selected, setSelected] = useState<Wave | null>(null);
  const waves = useWaves({ open_only: openOnly });
  const create = useCreateWave();
  // The chosen warehouse, or the only one there is.
  const code = warehouse ?? (warehouses.length === 1 ? warehouses[0].value : null);

  const start = () =>
    code &&
    create
      .mutateAsync({ warehouse: code, kind, max_parcels: max })
      .then((w) => {
        if (!w) {
          void message.info(t('orders:waves.none'));
          return;
        }
        setSelected(w);
        void message.success(t('orders:waves.created', { wave: w.wave_no, parcels: w.parcels, units: w.units }));
      })
      .catch(report);

  const columns: TableColumnsType<Wave> = [
    { key: 'no', dataIndex: 'wave_no', title: t('orders:waves.waveNo'), width: 170 },
    { key: 'warehouse', dataIndex: 'warehouse', title: t('orders:parcels.warehouse'), width: 100 },
    { key: 'kind', title: t('orders:waves.kind'), width: 100, render: (_: unknown, w) => t(`orders:waveKinds.${w.kind}`, { defaultValue: w.kind }) },
    {
      key: 'status',
      title: t('orders:status'),
      width: 90,
      render: (_: unknown, w) => <Tag color={w.status === 'open' ? 'blue' : 'green'}>{t(`orders:waveStatuses.${w.status}`, { defaultValue: w.status })}</Tag>,
    },
    { key: 'done', title: t('orders:waves.done'), align: 'right', width: 110, render: (_: unknown, w) => `${w.done} / ${w.parcels}` },
    { key: 'units', dataIndex: 'units', title: t('orders:parcels.units'), align: 'right', width: 70 },
    { key: 'by', dataIndex: 'created_by', title: t('orders:waves.createdBy'), width: 100 },
    { key: 'at', title: t('orders:waves.createdAt'), width: 150, render: (_: unknown, w) => formatDateTime(w.created_at) },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {can('post_stock') && (
        <Card className="list-card">
          <Flex gap={12} wrap align="center">
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              placeholder={t('orders:parcels.warehouse')}
              value={code ?? undefined}
              onChange={(v) => setWarehouse(v)}
              options={warehouses}
              data-testid="wave-warehouse"
            />
            <Select<WaveKind>
              style={{ width: 180 }}
              value={kind}
              onChange={setKind}
              options={WAVE_KINDS.map((k) => ({ value: k, label: t(`orders:waveKinds.${k}`) }))}
              data-testid="wave-kind"
            />
            <Flex gap={8} align="center">
              <label htmlFor="wave-max">{t('orders:waves.max')}</label>
              <InputNumber id="wave-max" min={1} max={2000} precision={0} value={max} onChange={(v) => setMax(v ?? 1)} style={{ width: 100 }} data-testid="wave-max" />
            </Flex>
            <Button type="primary" icon={<NodeIndexOutlined />} disabled={!code} loading={create.isPending} onClick={() => void start()} data-testid="wave-create">
              {t('orders:waves.create')}
            </Button>
          </Flex>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('orders:waves.hint')}
          </Typography.Paragraph>
        </Card>
      )}
      <Card
        className="list-card"
        title={t('orders:waves.title')}
        extra={
          <Flex gap={8} align="center">
            <Switch id="waves-open-only" size="small" checked={openOnly} onChange={setOpenOnly} data-testid="waves-open-only" />
            <label htmlFor="waves-open-only">{t('orders:waves.openOnly')}</label>
          </Flex>
        }
      >
        <QueryError error={waves.error} onRetry={() => void waves.refetch()} />
        <div data-testid="waves-table">
          <Table<Wave>
            rowKey="wave_no"
            size="middle"
            columns={columns}
            dataSource={waves.data}
            loading={waves.isFetching}
            pagination={{ pageSize: 20 }}
            rowSelection={{
              type: 'radio',
              selectedRowKeys: selected ? [selected.wave_no] : [],
              onChange: (_, rows) => setSelected(rows[0] ?? null),
            }}
            onRow={(w) => ({ onClick: () => setSelected(w), style: { cursor: 'pointer' } })}
          />
        </div>
      </Card>
      {selected ? (
        <WaveDocs key={selected.wave_no} wave={selected} />
      ) : (
        <Typography.Text type="secondary">{t('orders:waves.pickHint')}</Typography.Text>
      )}
    </Space>
  );
}
