import { App, Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Location } from '../../bindings/Location';
import type { Warehouse } from '../../bindings/Warehouse';
import { useErrorReporter } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useRules } from '../../lib/rules';
import { LOCATION_KINDS, useSaveLocation } from './queries';
import type { LocationKind } from './queries';

type Values = { code: string; zone: string; kind: LocationKind };

type Props = { warehouse: Warehouse; location: Location | null; onClose: () => void };

export function LocationFormModal({ warehouse, location, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const rules = useRules();
  const report = useErrorReporter();
  const save = useSaveLocation();

  const submit = (v: Values) =>
    save.mutate(
      {
        id: location?.id ?? null,
        data: { warehouse_id: warehouse.id, code: v.code.trim(), zone: (v.zone ?? '').trim(), kind: v.kind },
      },
      {
        onSuccess: (l) => {
          void message.success(location ? t('warehouses:location.saved', { code: l.code }) : t('warehouses:location.created', { code: l.code }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <FormModal<Values>
      title={
        location
          ? t('warehouses:location.edit', { code: location.code })
          : t('warehouses:location.new', { warehouse: warehouse.code })
      }
      form={form}
      initialValues={{
        code: location?.code ?? '',
        zone: location?.zone ?? '',
        kind: (location?.kind as LocationKind | undefined) ?? 'storage',
      }}
      onSubmit={submit}
      onClose={onClose}
      submitting={save.isPending}
      submitTestId="location-form-submit"
      width={560}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="code"
            label={t('warehouses:location.fields.code')}
            rules={[rules.required(), rules.maxLength(32), rules.noSpaces()]}
            extra={t('warehouses:location.codeHint')}
          >
            <Input autoFocus data-testid="location-form-code" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="zone" label={t('warehouses:location.fields.zone')} rules={[rules.maxLength(32)]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="kind" label={t('warehouses:location.fields.kind')} rules={[rules.required()]}>
        <Select options={LOCATION_KINDS.map((k) => ({ value: k, label: t(`warehouses:location.kinds.${k}`) }))} />
      </Form.Item>
    </FormModal>
  );
}
