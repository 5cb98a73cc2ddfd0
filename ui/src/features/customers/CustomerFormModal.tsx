import { App, Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../bindings/Customer';
import type { CustomerInput } from '../../bindings/CustomerInput';
import { useErrorReporter } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useRules } from '../../lib/rules';
import { COMMON_TAGS, useSaveCustomer } from './queries';

type Props = { customer: Customer | null; knownTags: string[]; onClose: () => void };

export function CustomerFormModal({ customer, knownTags, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CustomerInput>();
  const rules = useRules();
  const report = useErrorReporter();
  const save = useSaveCustomer();
  const tagOptions = [...new Set([...COMMON_TAGS, ...knownTags])].map((tag) => ({ value: tag, label: tag }));

  const submit = (v: CustomerInput) => {
    const trim = (x: string | undefined) => (x ?? '').trim();
    const data: CustomerInput = {
      code: trim(v.code),
      name: trim(v.name),
      phone: trim(v.phone),
      email: trim(v.email),
      province: trim(v.province),
      city: trim(v.city),
      address: trim(v.address),
      tags: (v.tags ?? []).map((x) => x.trim()).filter((x) => x !== ''),
      notes: trim(v.notes),
    };
    save.mutate(
      { id: customer?.id ?? null, data },
      {
        onSuccess: (c) => {
          void message.success(customer ? t('customers:saved', { code: c.code }) : t('customers:created', { code: c.code }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <FormModal<CustomerInput>
      title={customer ? t('customers:edit', { code: customer.code }) : t('customers:new')}
      form={form}
      initialValues={{
        code: customer?.code ?? '',
        name: customer?.name ?? '',
        phone: customer?.phone ?? '',
        email: customer?.email ?? '',
        province: customer?.province ?? '',
        city: customer?.city ?? '',
        address: customer?.address ?? '',
        tags: customer?.tags ?? [],
        notes: customer?.notes ?? '',
      }}
      onSubmit={submit}
      onClose={onClose}
      submitting={save.isPending}
      submitTestId="customer-form-submit"
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="code" label={t('customers:fields.code')} rules={[rules.required(), rules.maxLength(32), rules.noSpaces()]}>
            <Input autoFocus data-testid="customer-form-code" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="name" label={t('customers:fields.name')} rules={[rules.required(), rules.maxLength(128)]}>
            <Input data-testid="customer-form-name" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="phone" label={t('customers:fields.phone')} rules={[rules.phone()]}>
            <Input inputMode="tel" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="email" label={t('customers:fields.email')} rules={[rules.email()]}>
            <Input inputMode="email" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="province" label={t('customers:fields.province')} rules={[rules.maxLength(32)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="city" label={t('customers:fields.city')} rules={[rules.maxLength(32)]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('customers:fields.address')} rules={[rules.maxLength(255)]}>
        <Input />
      </Form.Item>
      <Form.Item name="tags" label={t('customers:fields.tags')} extra={t('customers:tagsHint')}>
        <Select mode="tags" tokenSeparators={[',', '，']} options={tagOptions} data-testid="customer-form-tags" />
      </Form.Item>
      <Form.Item name="notes" label={t('customers:fields.notes')} rules={[rules.maxLength(2000)]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
    </FormModal>
  );
}
