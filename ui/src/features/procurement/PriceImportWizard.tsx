import { useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Input,
  InputNumber,
  Progress,
  Result,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Issue } from '../../bindings/Issue';
import type { PreviewRow } from '../../bindings/PreviewRow';
import type { PriceImportSummary } from '../../bindings/PriceImportSummary';
import type { PriceSheetOptions } from '../../bindings/PriceSheetOptions';
import type { StagedFile } from '../../bindings/StagedFile';
import type { TextEncoding } from '../../bindings/TextEncoding';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { parseColumns, useColumnMapping } from '../../lib/columnMapping';
import { SupplierSelect } from './SupplierSelect';
import { useImport, useImportProgress, usePreview, useRejects, useStageFile } from './queries';

/** The fields of a price sheet, in the order the mapping editor shows them. */
export const PRICE_FIELDS = [
  'name',
  'price',
  'spec',
  'unit',
  'supplier_sku',
  'sku',
  'barcode',
  'currency',
  'moq',
  'lead_time_days',
  'category',
  'valid_from',
  'note',
] as const;

const STATUS_COLOR: Record<string, string> = {
  ok: 'green',
  warning: 'gold',
  error: 'red',
  skipped: 'default',
  superseded: 'purple',
};

export { parseColumns };

/** The mapping the preview found, as the editable text per field (`C` or `A, D` for side-by-side blocks). */
function mappingTexts(summary: PriceImportSummary | undefined): Record<string, string> {
  const table = summary?.sheets.flatMap((s) => s.tables)[0];
  const out: Record<string, string> = {};
  if (!table) return out;
  for (const [field, cols] of Object.entries(table.columns)) {
    out[field] = (cols ?? []).map((c) => c.letter).join(', ');
  }
  return out;
}

function issueText(i: Issue) {
  return `${i.column ? `${i.column}: ` : ''}${i.message}`;
}

export function PriceImportWizard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [step, setStep] = useState(0);
  const [supplier, setSupplier] = useState<string>();
  const [file, setFile] = useState<StagedFile>();
  const [sheet, setSheet] = useState<string | null>(null);
  const [encoding, setEncoding] = useState<TextEncoding>('auto');
  const [currency, setCurrency] = useState('');
  const [edited, setEdited] = useState<Record<string, string> | null>(null);
  const [headerRow, setHeaderRow] = useState<number | null>(null);
  const [saveMapping, setSaveMapping] = useState(true);
  const inputRef = useRef<HTMLInputElement>(null);
  const stage = useStageFile();
  const preview = usePreview();
  const run = useImport();
  const rejects = useRejects();
  const progress = useImportProgress(run.isPending);

  const mapping = useColumnMapping(edited, headerRow);

  const options = (dryRun: boolean): PriceSheetOptions => ({
    sheet,
    mapping,
    encoding,
    dry_run: dryRun,
    valid_from: null,
    currency: currency.trim() || null,
    save_mapping: edited !== null && saveMapping,
  });
  const request = (dryRun: boolean) => ({ token: file?.token ?? '', supplier_code: supplier ?? '', options: options(dryRun) });

  const onPick = async (f: File | undefined) => {
    if (!f) return;
    try {
      const staged = await stage.mutateAsync(f);
      setFile(staged);
      setSheet(null);
      setEdited(null);
      preview.reset();
    } catch (e) {
      report(e);
    }
  };

  const doPreview = () =>
    preview
      .mutateAsync(request(true))
      .then(() => setStep(1))
      .catch(report);

  const doImport = () =>
    run
      .mutateAsync(request(false))
      .then(() => setStep(2))
      .catch(report);

  const downloadRejects = () =>
    rejects
      .mutateAsync(request(true))
      .then((r) => message.success(t('procurement:wizard.rejectsSaved', { path: r.path, count: r.rows })))
      .catch(report);

  const summary = step === 2 ? run.data : preview.data;
  const current = summary ? (step === 1 ? mappingTexts(summary) : {}) : {};
  const texts = edited ?? current;

  const rowColumns: TableColumnsType<PreviewRow> = [
    { key: 'row', title: t('procurement:preview.row'), width: 90, render: (_: unknown, r) => `${r.sheet}!${r.row}${r.block ? ` #${r.block + 1}` : ''}` },
    {
      key: 'status',
      dataIndex: 'status',
      title: t('procurement:preview.status'),
      width: 90,
      render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`procurement:status.${s}`)}</Tag>,
    },
    { key: 'supplier_sku', dataIndex: 'supplier_sku', title: t('procurement:fields.supplier_sku'), width: 120 },
    { key: 'name', dataIndex: 'name', title: t('procurement:fields.name'), width: 220 },
    { key: 'spec', dataIndex: 'spec', title: t('procurement:fields.spec'), width: 140 },
    { key: 'unit', dataIndex: 'unit', title: t('procurement:fields.unit'), width: 70 },
    {
      key: 'price',
      title: t('procurement:fields.price'),
      width: 130,
      align: 'right',
      render: (_: unknown, r) => (r.price ? `${r.price} ${r.currency}${r.price_unit ? `/${r.price_unit}` : ''}` : ''),
    },
    { key: 'category', dataIndex: 'category', title: t('procurement:fields.category'), width: 120 },
    {
      key: 'issues',
      title: t('procurement:preview.issues'),
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          {r.issues.map((i, n) => (
            <Typography.Text key={n} type={r.status === 'error' ? 'danger' : 'secondary'} className="cell-sub">
              {issueText(i)}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
  ];

  const counts = summary && (
    <Descriptions size="small" column={4} bordered data-testid="import-counts">
      <Descriptions.Item label={t('procurement:counts.rows_read')}>{summary.rows_read}</Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.items_imported')}>{summary.items_imported}</Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.rows_skipped')}>{summary.rows_skipped}</Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.rows_failed')}>
        <Typography.Text type={summary.rows_failed > 0 ? 'danger' : undefined}>{summary.rows_failed}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.prices_new')}>{summary.prices_new}</Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.prices_changed')}>{summary.prices_changed}</Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.prices_unchanged')}>{summary.prices_unchanged}</Descriptions.Item>
      <Descriptions.Item label={t('procurement:counts.matches_suggested')}>{summary.matches_suggested}</Descriptions.Item>
    </Descriptions>
  );

  return (
    <Card className="list-card">
      <Steps
        current={step}
        size="small"
        items={[
          { title: t('procurement:wizard.step1') },
          { title: t('procurement:wizard.step2') },
          { title: t('procurement:wizard.step3') },
        ]}
        style={{ marginBottom: 24 }}
      />
      {step === 0 && (
        <Flex vertical gap={16}>
          <Space wrap>
            <Typography.Text strong>{t('procurement:fields.supplier')}</Typography.Text>
            <SupplierSelect value={supplier} onChange={setSupplier} testId="import-supplier" />
          </Space>
          <Space wrap>
            <input
              ref={inputRef}
              type="file"
              accept=".xlsx,.xls,.ods,.csv,.txt"
              style={{ display: 'none' }}
              data-testid="import-file"
              onChange={(e) => void onPick(e.target.files?.[0])}
            />
            <Button icon={<UploadOutlined />} loading={stage.isPending} onClick={() => inputRef.current?.click()}>
              {t('procurement:wizard.pickFile')}
            </Button>
            {file && (
              <Typography.Text data-testid="import-file-name">
                {file.file_name} · {t('procurement:wizard.sheetCount', { count: file.sheet_names.length })}
              </Typography.Text>
            )}
          </Space>
          {file && (
            <Space wrap>
              <Typography.Text>{t('procurement:wizard.sheet')}</Typography.Text>
              <Select
                value={sheet ?? ''}
                onChange={(v: string) => setSheet(v === '' ? null : v)}
                options={[{ value: '', label: t('procurement:wizard.allSheets') }, ...file.sheet_names.map((s) => ({ value: s, label: s }))]}
                style={{ minWidth: 200 }}
                data-testid="import-sheet"
              />
              {file.kind === 'csv' && (
                <>
                  <Typography.Text>{t('procurement:wizard.encoding')}</Typography.Text>
                  <Select
                    value={encoding}
                    onChange={setEncoding}
                    options={(['auto', 'utf8', 'gb18030'] as TextEncoding[]).map((e) => ({ value: e, label: t(`procurement:encoding.${e}`) }))}
                    style={{ width: 180 }}
                  />
                </>
              )}
              <Typography.Text>{t('procurement:wizard.currency')}</Typography.Text>
              <Input value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} placeholder="CNY" style={{ width: 90 }} maxLength={3} />
            </Space>
          )}
          <div>
            <Button type="primary" disabled={!supplier || !file} loading={preview.isPending} onClick={() => void doPreview()} data-testid="import-preview">
              {t('procurement:wizard.preview')}
            </Button>
          </div>
        </Flex>
      )}
      {step === 1 && summary && (
        <Flex vertical gap={16}>
          {summary.previous_import_id !== null && (
            <Alert type="info" showIcon message={t('procurement:wizard.importedBefore')} />
          )}
          {summary.sheets
            .filter((s) => s.note)
            .map((s) => (
              <Alert key={s.name} type="warning" showIcon message={s.note?.message} />
            ))}
          <Card size="small" title={t('procurement:wizard.mapping')} data-testid="import-mapping">
            <Typography.Paragraph type="secondary">
              {t('procurement:wizard.mappingHelp', {
                tables: summary.sheets
                  .flatMap((s) => s.tables.map((tb) => `${s.name}!${tb.header_row ?? '-'}`))
                  .join(', '),
              })}
            </Typography.Paragraph>
            <Flex wrap gap={12}>
              {PRICE_FIELDS.map((f) => (
                <Space key={f} size={4}>
                  <Typography.Text>{t(`procurement:fields.${f}`)}</Typography.Text>
                  <Input
                    value={texts[f] ?? ''}
                    onChange={(e) => setEdited({ ...texts, [f]: e.target.value })}
                    style={{ width: 110 }}
                    data-testid={`map-${f}`}
                  />
                </Space>
              ))}
              <Space size={4}>
                <Typography.Text>{t('procurement:wizard.headerRow')}</Typography.Text>
                <InputNumber min={1} value={headerRow} onChange={(v) => { setHeaderRow(v); setEdited({ ...texts }); }} style={{ width: 80 }} />
              </Space>
            </Flex>
            <Flex gap={12} style={{ marginTop: 12 }} align="center">
              <Button onClick={() => void doPreview()} loading={preview.isPending} disabled={edited === null} data-testid="import-apply-mapping">
                {t('procurement:wizard.applyMapping')}
              </Button>
              <Checkbox checked={saveMapping} onChange={(e) => setSaveMapping(e.target.checked)}>
                {t('procurement:wizard.saveMapping')}
              </Checkbox>
            </Flex>
          </Card>
          {counts}
          <Table<PreviewRow>
            rowKey={(r) => `${r.sheet}-${r.row}-${r.block}`}
            size="small"
            columns={rowColumns}
            dataSource={summary.preview}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            scroll={{ x: 1200 }}
            data-testid="import-preview-table"
            rowClassName={(r) => (r.status === 'error' ? 'row-error' : '')}
          />
          {run.isPending && (
            <Flex gap={12} align="center">
              <Progress
                percent={progress.data && progress.data.total > 0 ? Math.floor((progress.data.done * 100) / progress.data.total) : 0}
                status="active"
                style={{ flex: 1 }}
              />
              <Button danger onClick={() => void call('import_cancel', null)} data-testid="import-cancel">
                {t('procurement:wizard.cancel')}
              </Button>
            </Flex>
          )}
          <Space wrap>
            <Button onClick={() => setStep(0)}>{t('procurement:wizard.back')}</Button>
            <Button icon={<DownloadOutlined />} disabled={summary.rows_failed === 0} loading={rejects.isPending} onClick={() => void downloadRejects()} data-testid="import-rejects">
              {t('procurement:wizard.downloadRejects', { count: summary.rows_failed })}
            </Button>
            <Button type="primary" disabled={summary.items_imported === 0} loading={run.isPending} onClick={() => void doImport()} data-testid="import-run">
              {t('procurement:wizard.import', { count: summary.items_imported })}
            </Button>
          </Space>
        </Flex>
      )}
      {step === 2 && summary && (
        <Flex vertical gap={16}>
          <Result
            status={summary.rows_failed > 0 ? 'warning' : 'success'}
            title={t('procurement:wizard.done', { count: summary.items_imported, file: summary.file })}
            subTitle={summary.rows_failed > 0 ? t('procurement:wizard.doneWithErrors', { count: summary.rows_failed }) : undefined}
            extra={
              <Button
                type="primary"
                onClick={() => {
                  setStep(0);
                  setFile(undefined);
                  setEdited(null);
                  preview.reset();
                  run.reset();
                }}
                data-testid="import-again"
              >
                {t('procurement:wizard.again')}
              </Button>
            }
          />
          {counts}
        </Flex>
      )}
    </Card>
  );
}
