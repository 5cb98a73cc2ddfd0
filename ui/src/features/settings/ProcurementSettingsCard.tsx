import { App, Button, Card, Col, Form, Input, Row, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProcurementSettings } from '../../bindings/ProcurementSettings';
import { useErrorReporter } from '../../api/errors';
import { QueryError } from '../../components/QueryError';
import { useRules } from '../../lib/rules';
import { useProcurementSettings, useSaveProcurementSettings } from './queries';

/** The purchasing clerk's approval limit and the three-way-match tolerances. */
export function ProcurementSettingsCard() {
  const { t } = useTranslation();
  const settings = useProcurementSettings();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProcurementSettings>();
  const rules = useRules();
  const report = useErrorReporter();
  const save = useSaveProcurementSettings();
  return (
    <Card title={t('settings:procurement.title')} data-testid="settings-procurement">
      <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      {settings.isPending ? (
        <Skeleton active />
      ) : (
        settings.data && (
          <Form<ProcurementSettings>
            form={form}
            layout="vertical"
            initialValues={settings.data}
            onFinish={(v) =>
              save.mutate(v, {
                onSuccess: (saved) => {
                  form.setFieldsValue(saved);
                  void message.success(t('settings:procurement.saved'));
                },
                onError: (e) => report(e, form),
              })
            }
          >
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item name="purchasing_approval_limit" label={t('settings:procurement.purchasing_approval_limit')} extra={t('settings:procurement.limitHint')} rules={[rules.required()]}>
                  <Input data-testid="settings-approval-limit" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="invoice_price_tolerance_pct" label={t('settings:procurement.invoice_price_tolerance_pct')} extra={t('settings:procurement.priceHint')} rules={[rules.required()]}>
                  <Input suffix="%" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="invoice_amount_tolerance" label={t('settings:procurement.invoice_amount_tolerance')} extra={t('settings:procurement.amountHint')} rules={[rules.required()]}>
                  <Input />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-procurement-save">
              {t('common:actions.save')}
            </Button>
          </Form>
        )
      )}
    </Card>
  );
}
