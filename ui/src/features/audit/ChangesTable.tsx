import { Table, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../bindings/AuditEntry';
import type { FieldChange } from '../../bindings/FieldChange';
import { fieldLabelKey } from './queries';

function Value({ v, kind }: { v: string | null; kind: 'before' | 'after' }) {
  const { t } = useTranslation();
  if (v === null || v === '') return <Typography.Text type="secondary">{t('common:emptyValue')}</Typography.Text>;
  return <span className={`diff-${kind}`}>{v}</span>;
}

/** The fields one change touched: before → after. */
export function ChangesTable({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  return (
    <Table<FieldChange>
      size="small"
      rowKey="field"
      pagination={false}
      className="changes-table"
      dataSource={entry.changes}
      data-testid="audit-changes"
      columns={[
        {
          key: 'field',
          dataIndex: 'field',
          title: t('audit:diff.field'),
          width: 200,
          render: (f: string) => {
            const key = fieldLabelKey(entry.entity, f);
            return (
              <span>
                {key ? t(key, { defaultValue: f }) : f}
                <Typography.Text type="secondary" className="field-code">
                  {f}
                </Typography.Text>
              </span>
            );
          },
        },
        { key: 'before', dataIndex: 'before', title: t('audit:diff.before'), render: (v: string | null) => <Value v={v} kind="before" /> },
        { key: 'arrow', width: 32, render: () => <ArrowRightOutlined className="diff-arrow" /> },
        { key: 'after', dataIndex: 'after', title: t('audit:diff.after'), render: (v: string | null) => <Value v={v} kind="after" /> },
      ]}
    />
  );
}
