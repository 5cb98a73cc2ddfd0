import { App, Button } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ListKind } from '../bindings/ListKind';
import type { ListQuery } from '../bindings/ListQuery';
import { call } from '../api/invoke';
import { useErrorReporter } from '../api/errors';
import { useCan } from '../app/session';
import { currentLanguage } from '../i18n';

/** "Export to Excel" with the list's current search, filters and sort, headers in the UI language. */
export function ExportButton({ list, query, testId = 'export-button' }: { list: ListKind; query: ListQuery; testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const report = useErrorReporter();
  const exportList = useMutation({
    mutationFn: () => call('export_list', { list, query: { ...query, page: 1 }, language: currentLanguage() }),
    onSuccess: (r) => void message.success({ content: t('common:export.done', { rows: r.rows, path: r.path }), duration: 8 }),
    onError: (e) => report(e),
  });
  if (!can('export_data')) return null;
  return (
    <Button icon={<FileExcelOutlined />} loading={exportList.isPending} onClick={() => exportList.mutate()} data-testid={testId}>
      {t('common:actions.export')}
    </Button>
  );
}
