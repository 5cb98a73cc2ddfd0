import { App, Col, Form, Input, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Warehouse } from '../../bindings/Warehouse';
import type { WarehouseInput } from '../../bindings/WarehouseInput';
import { useErrorReporter } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useRules } from '../../lib/rules';
import { useSaveWarehouse } from './queries';

export function WarehouseFormModal({ warehouse, onClose }: { warehouse: Warehouse | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<WarehouseInput>();
  const rules = useRules();
  const report = useErrorReporter();
  const save = useSaveWarehouse();

  const submit = (v: WarehouseInput) =>
    save.mutate(
      {
        id: warehouse?.id ?? null,
        data: {
          code: (v.code ?? '').trim(),
          name: (v.name ?? '').trim(),
          address: (v.address ?? '').trim(),
          manager: (v.manager ?? '').trim(),
        },
      },
      {
        onSuccess: (w) => {
          void message.success(warehouse ? t('warehouses:saved', { code: w.code }) : t('warehouses:created', { code: w.code }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <FormModal<WarehouseInput>
      title={warehouse ? t('warehouses:edit', { code: warehouse.code }) : t('warehouses:new')}
      form={form}
      initialValues={{
        code: warehouse?.code ?? '',
        name: warehouse?.name ?? '',
        address: warehouse?.address ?? '',
        manager: warehouse?.manager ?? '',
      }}
      onSubmit={submit}
      onClose={onClose}
      submitting={save.isPending}
      submitTestId="warehouse-form-submit"
      width={640}
    >
      <Row gutter={16}>
        <Col span={10}>
          <Form.Item name="code" label={t('warehouses:fields.code')} rules={[rules.required(), rules.maxLength(32), rules.noSpaces()]}>
            <Input autoFocus data-testid="warehouse-form-code" />
          </Form.Item>
        </Col>
        <Col span={14}>
          <Form.Item name="name" label={t('warehouses:fields.name')} rules={[rules.required(), rules.maxLength(128)]}>
            <Input data-testid="warehouse-form-name" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('warehouses:fields.address')} rules={[rules.maxLength(255)]}>
        <Input />
      </Form.Item>
      <Form.Item name="manager" label={t('warehouses:fields.manager')} rules={[rules.maxLength(64)]}>
        <Input />
      </Form.Item>
    </FormModal>
  );
}
