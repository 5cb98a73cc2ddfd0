import { Result, Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { UpcomingModule } from '../../app/navigation';

/** A module of the product that this version does not have yet: said plainly, with what it will do. */
export function ModuleUnavailablePage({ module }: { module: UpcomingModule }) {
  const { t } = useTranslation();
  const name = t(`common:nav.${module}`);
  return (
    <div className="page">
      <Result
        icon={<ClockCircleOutlined />}
        title={<span data-testid="page-title">{name}</span>}
        subTitle={
          <div className="module-unavailable" data-testid="module-unavailable">
            <Typography.Paragraph strong>{t('modules:notAvailable', { module: name })}</Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t(`modules:descriptions.${module}`)}</Typography.Paragraph>
          </div>
        }
      />
    </div>
  );
}
