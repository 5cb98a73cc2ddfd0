import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { BackupsCard } from './BackupsCard';
import { CompanySettingsCard } from './CompanySettingsCard';
import { DatabaseCard } from './DatabaseCard';
import { IntegrityCard } from './IntegrityCard';
import { ProcurementSettingsCard } from './ProcurementSettingsCard';

export function SettingsPage() {
  const { t } = useTranslation();
  const { can, status } = useSession();
  return (
    <div className="page">
      <PageHeader title={t('settings:title')} subtitle={t('settings:subtitle', { version: status.version })} />
      <Space direction="vertical" size={16} className="settings-stack">
        {can('edit_settings') && <CompanySettingsCard />}
        {can('edit_settings') && <ProcurementSettingsCard />}
        {can('edit_settings') && <DatabaseCard />}
        {can('backup') && <BackupsCard dbKind={status.db_kind} />}
        <IntegrityCard />
      </Space>
    </div>
  );
}
