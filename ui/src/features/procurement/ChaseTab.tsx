import { useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ChaseLine } from '../../bindings/ChaseLine';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { useChaseList, useMarkChased } from './orderQueries';

/** The chasing list (催货): outstanding lines that are late or due soon, with the supplier's contact. */
export function ChaseTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [days, setDays] = useState(3);
  const list = useChaseList(days);
  const mark = useMarkChased();
  const [chasing, setChasing] = useState<ChaseLine | null>(null);
  const [note, setNote] = useState('');
  const [promised, setPromised] = useState<Dayjs | null>(null);
  const columns: TableColumnsType<ChaseLine> = [
    { key: 'po', dataIndex: 'po_no', title: t('procurement:po.no'), width: 160 },
    { key: 'supplier', title: t('procurement:fields.supplier'), render: (_: unknown, c) => `${c.supplier_code} · ${c.supplier_name}` },
    { key: 'contact', title: t('procurement:chase.contact'), render: (_: unknown, c) => `${c.contact_name} ${c.phone}` },
    { key: 'item', title: t('procurement:fields.name'), render: (_: unknown, c) => `${c.sku} ${c.name}` },
    { key: 'qty', dataIndex: 'outstanding_qty', title: t('procurement:po.outstanding'), align: 'right', width: 80 },
    {
      key: 'due',
      title: t('procurement:chase.due'),
      width: 170,
      render: (_: unknown, c) => (
        <Space size={4}>
          <span>{c.due ?? ''}</span>
          {c.days_left !== null &&
            (c.days_left < 0 ? (
              <Tag color="red">{t('procurement:chase.late', { count: -c.days_left })}</Tag>
            ) : (
              <Tag color="gold">{t('procurement:chase.inDays', { count: c.days_left })}</Tag>
            ))}
        </Space>
      ),
    },
    { key: 'note', dataIndex: 'chase_note', title: t('procurement:chase.note') },
  ];
  if (can('edit_purchase_orders')) {
    columns.push({
      key: 'act',
      title: '',
      width: 110,
      render: (_: unknown, c) => (
        <Button size="small" onClick={() => { setChasing(c); setNote(c.chase_note); setPromised(null); }}>
          {t('procurement:chase.mark')}
        </Button>
      ),
    });
  }
  const save = () =>
    chasing &&
    mark
      .mutateAsync({ line_id: chasing.line_id, note, promised_date: promised ? promised.format('YYYY-MM-DD') : null })
      .then(() => {
        message.success(t('procurement:chase.saved'));
        setChasing(null);
      })
      .catch(report);
  return (
    <Card className="list-card">
      <Flex gap={12} align="center" className="list-toolbar">
        <Typography.Text>{t('procurement:chase.within')}</Typography.Text>
        <InputNumber min={0} max={365} value={days} onChange={(v) => setDays(v ?? 0)} style={{ width: 90 }} />
      </Flex>
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <div data-testid="chase-table">
        <Table<ChaseLine> rowKey="line_id" size="middle" columns={columns} dataSource={list.data} loading={list.isFetching} pagination={false} />
      </div>
      <Modal open={chasing !== null} title={t('procurement:chase.mark')} onCancel={() => setChasing(null)} onOk={() => void save()} confirmLoading={mark.isPending}>
        <Flex vertical gap={12}>
          <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('procurement:chase.note')} maxLength={500} />
          <Space>
            <Typography.Text>{t('procurement:chase.promised')}</Typography.Text>
            <DatePicker value={promised} onChange={setPromised} />
          </Space>
        </Flex>
      </Modal>
    </Card>
  );
}
