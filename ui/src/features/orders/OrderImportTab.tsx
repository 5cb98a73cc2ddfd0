import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Collapse, Descriptions, Flex, Input, InputNumber, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../bindings/Channel';
import type { Issue } from '../../bindings/Issue';
import type { OrderImportRequest } from '../../bindings/OrderImportRequest';
import type { StagedFile } from '../../bindings/StagedFile';
import type { TextEncoding } from '../../bindings/TextEncoding';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { useColumnMapping } from '../../lib/columnMapping';
import { useImportProgress, useStageFile } from '../procurement/queries';
import { CHANNELS, useOrderImport, useOrderPreview, useOrderRejects } from './queries';

/** The fields the mapping editor offers, most needed first. */
const MAP_FIELDS = [
  'order_no',
  'ordered_at',
  'paid_at',
  'status',
  'total',
  'paid',
  'refunded',
  'shipping_fee',
  'discount',
  'currency',
  'buyer',
  'receiver',
  'phone',
  'address',
  'platform_sku',
  'title',
  'spec',
  'qty',
  'unit_price',
  'line_amount',
  'shop',
] as const;

/** Import a channel's order export: pick → preview (counts, problems, unmapped codes, columns) → import. */
export function OrderImportTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [channel, setChannel] = useState<Channel>('tmall');
  const [shop, setShop] = useState('');
  const [encoding, setEncoding] = useState<TextEncoding>('auto');
  const [file, setFile] = useState<StagedFile>();
  const [edited, setEdited] = useState<Record<string, string> | null>(null);
  const [headerRow, setHeaderRow] = useState<number | null>(null);
  const [saveMapping, setSaveMapping] = useState(true);
  const inputRef = useRef<HTMLInputElement>(null);
  const stage = useStageFile();
  const preview = useOrderPreview();
  const run = useOrderImport();
  const rejects = useOrderRejects();
  const progress = useImportProgress(run.isPending);

  const mapping = useColumnMapping(edited, headerRow);

  const request = (dryRun: boolean): OrderImportRequest => ({
    token: file?.token ?? '',
    options: { channel, shop, sheet: null, mapping, encoding, dry_run: dryRun, currency: null, save_mapping: edited !== null && saveMapping },
  });

  const onPick = async (f: File | undefined) => {
    if (!f) return;
    try {
      setFile(await stage.mutateAsync(f));
      setEdited(null);
      preview.reset();
      run.reset();
    } catch (e) {
      report(e);
    }
  };
  const doPreview = () => {
    run.reset();
    preview.mutateAsync(request(true)).catch(report);
  };
  const doImport = () =>
    run
      .mutateAsync(request(false))
      .then((s) => message.success(t('orders:import.done', { created: s.orders_created, updated: s.orders_updated })))
      .catch(report);
  const downloadRejects = () =>
    rejects
      .mutateAsync(request(true))
      .then((r) => message.success(t('orders:import.rejectsSaved', { path: r.path, count: r.rows })))
      .catch(report);

  const summary = run.data ?? preview.data;
  const texts = edited ?? summary?.columns ?? {};
  const issueColumns: TableColumnsType<Issue> = [
    { key: 'where', title: t('orders:import.where'), width: 150, render: (_: unknown, i) => `${i.sheet}!${i.column}${i.row}` },
    { key: 'message', dataIndex: 'message', title: t('orders:import.problem') },
  ];
  const pct = progress.data && progress.data.total > 0 ? Math.round((progress.data.done / progress.data.total) * 100) : 0;

  return (
    <Card className="list-card">
      <Flex gap={12} wrap align="center">
        <Select<Channel>
          showSearch
          optionFilterProp="label"
          value={channel}
          style={{ width: 170 }}
          onChange={(c) => {
            setChannel(c);
            setEdited(null);
            preview.reset();
            run.reset();
          }}
          options={CHANNELS.map((c) => ({ value: c, label: t(`orders:channel.${c}`) }))}
          data-testid="order-import-channel"
        />
        <Input placeholder={t('orders:import.shop')} value={shop} onChange={(e) => setShop(e.target.value)} style={{ width: 180 }} maxLength={64} />
        <Select<TextEncoding>
          value={encoding}
          style={{ width: 140 }}
          onChange={setEncoding}
          options={(['auto', 'utf8', 'gb18030'] as TextEncoding[]).map((e) => ({ value: e, label: t(`orders:import.encoding.${e}`) }))}
        />
        <input ref={inputRef} type="file" hidden accept=".csv,.txt,.xlsx,.xls,.ods" data-testid="order-file" onChange={(e) => void onPick(e.target.files?.[0])} />
        <Button icon={<UploadOutlined />} loading={stage.isPending} onClick={() => inputRef.current?.click()}>
          {file ? file.file_name : t('orders:import.pick')}
        </Button>
        <Button type="primary" disabled={!file} loading={preview.isPending} onClick={doPreview} data-testid="order-preview">
          {t('orders:import.preview')}
        </Button>
        <Button type="primary" disabled={!preview.data || run.isSuccess} loading={run.isPending} onClick={() => void doImport()} data-testid="order-import">
          {t('orders:import.run', { count: Number(preview.data?.orders_created ?? 0) + Number(preview.data?.orders_updated ?? 0) })}
        </Button>
        {run.isPending && (
          <Button danger onClick={() => void call('import_cancel', null)}>
            {t('orders:import.cancel')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('orders:import.hint')}
      </Typography.Paragraph>
      {run.isPending && <Progress percent={pct} status="active" />}
      {summary && (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          {run.data && <Alert type="success" showIcon message={t('orders:import.done', { created: run.data.orders_created, updated: run.data.orders_updated })} />}
          <Descriptions size="small" column={4} bordered data-testid="order-import-counts">
            <Descriptions.Item label={t('orders:import.rows_read')}>{summary.rows_read}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.orders_created')}>{summary.orders_created}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.orders_updated')}>{summary.orders_updated}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.orders_unchanged')}>{summary.orders_unchanged}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.lines')}>{summary.lines}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.rows_failed')}>
              <Typography.Text type={summary.rows_failed > 0 ? 'danger' : undefined}>{summary.rows_failed}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('orders:import.unmapped')}>{summary.unmapped_sku_count}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.mapping')}>{t(`orders:import.source.${summary.mapping_source}`)}</Descriptions.Item>
          </Descriptions>
          {summary.review && (
            <Alert
              data-testid="order-import-review"
              type={summary.review.held > 0 ? 'warning' : 'info'}
              showIcon
              message={t('orders:import.reviewed', { approved: summary.review.approved, held: summary.review.held })}
            />
          )}
          {summary.allocation && (
            <Alert
              data-testid="order-import-allocation"
              type={summary.allocation.allocated < summary.allocation.orders ? 'warning' : 'info'}
              showIcon
              message={t('orders:import.allocated', {
                allocated: summary.allocation.allocated,
                parcels: summary.allocation.parcels,
                waiting: summary.allocation.orders - summary.allocation.allocated,
              })}
            />
          )}
          {Object.keys(summary.created_by_status).length > 0 && (
            <Space wrap>
              {Object.entries(summary.created_by_status).map(([s, n]) => (
                <Tag key={s}>
                  {t(`orders:statuses.${s}`)} {n}
                </Tag>
              ))}
            </Space>
          )}
          <Collapse
            size="small"
            items={[
              {
                key: 'mapping',
                label: t('orders:import.columns'),
                children: (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Flex gap={8} wrap>
                      {MAP_FIELDS.map((f) => (
                        <Input
                          key={f}
                          addonBefore={t(`orders:fields.${f}`)}
                          style={{ width: 260 }}
                          value={texts[f] ?? ''}
                          placeholder={t('orders:import.columnHint')}
                          onChange={(e) => setEdited({ ...texts, [f]: e.target.value })}
                        />
                      ))}
                    </Flex>
                    <Flex gap={12} align="center" wrap>
                      <InputNumber min={1} placeholder={t('orders:import.headerRow')} value={headerRow} onChange={(v) => setHeaderRow(v)} style={{ width: 160 }} />
                      <Checkbox checked={saveMapping} onChange={(e) => setSaveMapping(e.target.checked)}>
                        {t('orders:import.saveMapping')}
                      </Checkbox>
                      <Button onClick={doPreview} disabled={!edited}>
                        {t('orders:import.applyMapping')}
                      </Button>
                    </Flex>
                    <Typography.Text type="secondary">
                      {Object.entries(summary.headers)
                        .map(([c, h]) => `${c}: ${h}`)
                        .join('  ·  ')}
                    </Typography.Text>
                  </Space>
                ),
              },
            ]}
          />
          {summary.errors.length > 0 && (
            <div data-testid="order-import-errors">
              <Flex justify="space-between" align="center">
                <Typography.Title level={5}>{t('orders:import.errors', { count: summary.errors.length })}</Typography.Title>
                <Button icon={<DownloadOutlined />} loading={rejects.isPending} onClick={() => void downloadRejects()}>
                  {t('orders:import.rejects')}
                </Button>
              </Flex>
              <Table<Issue> rowKey={(i) => `${i.sheet}-${i.row}-${i.column}-${i.code}`} size="small" columns={issueColumns} dataSource={summary.errors} pagination={{ pageSize: 10 }} />
            </div>
          )}
          {summary.warnings.length > 0 && (
            <Collapse
              size="small"
              items={[
                {
                  key: 'w',
                  label: t('orders:import.warnings', { count: summary.warnings.length }),
                  children: <Table<Issue> rowKey={(i) => `${i.sheet}-${i.row}-${i.column}-${i.code}`} size="small" columns={issueColumns} dataSource={summary.warnings} pagination={{ pageSize: 10 }} />,
                },
              ]}
            />
          )}
          {summary.unmapped_skus.length > 0 && (
            <Alert type="warning" showIcon message={t('orders:import.unmappedHint', { count: summary.unmapped_sku_count, codes: summary.unmapped_skus.slice(0, 10).join(', ') })} />
          )}
        </Space>
      )}
    </Card>
  );
}
