import { App, Button, Card, Col, Form, Input, Row, Select, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CompanySettings } from '../../bindings/CompanySettings';
import { useErrorReporter } from '../../api/errors';
import { QueryError } from '../../components/QueryError';
import { CURRENCIES, TIME_ZONES } from '../../lib/currencies';
import { useRules } from '../../lib/rules';
import { useCompanySettings, useSaveCompanySettings } from './queries';

function withCurrent(list: readonly string[], current: string | undefined): string[] {
  return current && !list.includes(current) ? [current, ...list] : [...list];
}

function CompanyForm({ settings }: { settings: CompanySettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CompanySettings>();
  const rules = useRules();
  const report = useErrorReporter();
  const save = useSaveCompanySettings();

  return (
    <Form<CompanySettings>
      form={form}
      layout="vertical"
      initialValues={settings}
      onFinish={(v) =>
        save.mutate(
          { company_name: v.company_name.trim(), time_zone: v.time_zone, currency: v.currency },
          { onSuccess: () => void message.success(t('settings:company.saved')), onError: (e) => report(e, form) },
        )
      }
    >
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item name="company_name" label={t('settings:fields.company_name')} rules={[rules.required(), rules.maxLength(128)]}>
            <Input data-testid="settings-company-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="time_zone"
            label={t('settings:fields.time_zone')}
            rules={[rules.required()]}
            extra={t('settings:company.timeZoneHint')}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={withCurrent(TIME_ZONES, settings.time_zone).map((z) => ({
                value: z,
                label: `${t(`settings:timeZones.${z}`, { defaultValue: z })} (${z})`,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="currency" label={t('settings:fields.currency')} rules={[rules.required()]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={withCurrent(CURRENCIES, settings.currency).map((c) => ({
                value: c,
                label: `${c} · ${t(`settings:currencies.${c}`, { defaultValue: c })}`,
              }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-company-save">
        {t('common:actions.save')}
      </Button>
    </Form>
  );
}

export function CompanySettingsCard() {
  const { t } = useTranslation();
  const settings = useCompanySettings();
  return (
    <Card title={t('settings:company.title')} className="settings-card">
      <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      {settings.data ? <CompanyForm settings={settings.data} /> : settings.isPending && <Skeleton active />}
    </Card>
  );
}
