import { App, AutoComplete, Button, Col, DatePicker, Divider, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Certificate } from '../../bindings/Certificate';
import type { Supplier } from '../../bindings/Supplier';
import type { SupplierInput } from '../../bindings/SupplierInput';
import { useErrorReporter } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useRules } from '../../lib/rules';
import { QUALIFICATIONS, useSaveSupplier } from './queries';
import type { Qualification } from './queries';

type Values = Omit<SupplierInput, 'qualification' | 'payment_days'> & {
  qualification: Qualification;
  payment_days: number | null;
};

const CERTIFICATE_KINDS = ['businessLicence', 'foodLicence', 'productionLicence', 'iso9001', 'ccc', 'taxRegistration'] as const;

function toValues(s: Supplier | null): Values {
  return {
    code: s?.code ?? '',
    name: s?.name ?? '',
    contact_name: s?.contact_name ?? '',
    phone: s?.phone ?? '',
    email: s?.email ?? '',
    address: s?.address ?? '',
    payment_terms: s?.payment_terms ?? '',
    payment_days: s?.payment_days ?? 30,
    qualification: (s?.qualification as Qualification | undefined) ?? 'candidate',
    notes: s?.notes ?? '',
    certificates: (s?.certificates ?? []).map((c) => ({ ...c })),
  };
}

function toInput(v: Values): SupplierInput {
  const trim = (x: string | undefined | null) => (x ?? '').trim();
  return {
    code: trim(v.code),
    name: trim(v.name),
    contact_name: trim(v.contact_name),
    phone: trim(v.phone),
    email: trim(v.email),
    address: trim(v.address),
    payment_terms: trim(v.payment_terms),
    payment_days: v.payment_days ?? 0,
    qualification: v.qualification,
    notes: trim(v.notes),
    certificates: (v.certificates ?? []).map(
      (c): Certificate => ({ id: c.id ?? null, kind: trim(c.kind), number: trim(c.number), expires_on: c.expires_on ?? null }),
    ),
  };
}

/** Create or edit one supplier with its qualification (资质审核) and certificates. */
export function SupplierFormModal({ supplier, onClose }: { supplier: Supplier | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const rules = useRules();
  const report = useErrorReporter();
  const save = useSaveSupplier();
  const kindOptions = CERTIFICATE_KINDS.map((k) => ({ value: t(`suppliers:certificateKinds.${k}`) }));

  const submit = (v: Values) =>
    save.mutate(
      { id: supplier?.id ?? null, data: toInput(v) },
      {
        onSuccess: (s) => {
          void message.success(supplier ? t('suppliers:saved', { code: s.code }) : t('suppliers:created', { code: s.code }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <FormModal<Values>
      title={supplier ? t('suppliers:edit', { code: supplier.code }) : t('suppliers:new')}
      form={form}
      initialValues={toValues(supplier)}
      onSubmit={submit}
      onClose={onClose}
      submitting={save.isPending}
      submitTestId="supplier-form-submit"
      width={820}
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="code" label={t('suppliers:fields.code')} rules={[rules.required(), rules.maxLength(32), rules.noSpaces()]}>
            <Input autoFocus data-testid="supplier-form-code" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="name" label={t('suppliers:fields.name')} rules={[rules.required(), rules.maxLength(200)]}>
            <Input data-testid="supplier-form-name" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="contact_name" label={t('suppliers:fields.contact_name')} rules={[rules.maxLength(64)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="phone" label={t('suppliers:fields.phone')} rules={[rules.phone()]}>
            <Input inputMode="tel" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="email" label={t('suppliers:fields.email')} rules={[rules.email()]}>
            <Input inputMode="email" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('suppliers:fields.address')} rules={[rules.maxLength(255)]}>
        <Input />
      </Form.Item>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="payment_terms" label={t('suppliers:fields.payment_terms')} rules={[rules.maxLength(64)]}>
            <Input placeholder={t('suppliers:placeholders.payment_terms')} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="payment_days" label={t('suppliers:fields.payment_days')} rules={[rules.range(0, 365)]}>
            <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} addonAfter={t('suppliers:days')} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="qualification" label={t('suppliers:fields.qualification')} rules={[rules.required()]}>
            <Select
              data-testid="supplier-form-qualification"
              options={QUALIFICATIONS.map((q) => ({ value: q, label: t(`suppliers:qualification.${q}`) }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain className="form-divider">
        {t('suppliers:fields.certificates')}
      </Divider>
      <Form.List name="certificates">
        {(fields, { add, remove }) => (
          <div className="cert-list">
            {fields.length === 0 && <Typography.Text type="secondary">{t('suppliers:noCertificates')}</Typography.Text>}
            {fields.map((field) => (
              <Row gutter={8} key={field.key} align="top" data-testid="certificate-row">
                <Form.Item name={[field.name, 'id']} hidden>
                  <Input />
                </Form.Item>
                <Col span={8}>
                  <Form.Item
                    name={[field.name, 'kind']}
                    label={t('suppliers:certificate.kind')}
                    rules={[rules.required(), rules.maxLength(64)]}
                  >
                    <AutoComplete options={kindOptions} filterOption={(input, o) => String(o?.value ?? '').includes(input)} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name={[field.name, 'number']} label={t('suppliers:certificate.number')} rules={[rules.maxLength(64)]}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item
                    name={[field.name, 'expires_on']}
                    label={t('suppliers:certificate.expires_on')}
                    getValueProps={(v: string | null) => ({ value: v ? dayjs(v) : null })}
                    normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)}
                  >
                    <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
                  </Form.Item>
                </Col>
                <Col span={2} className="cert-remove">
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('common:actions.remove')}
                    title={t('common:actions.remove')}
                  />
                </Col>
              </Row>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ id: null, kind: '', number: '', expires_on: null } satisfies Certificate)}
              block
              data-testid="certificate-add"
            >
              {t('suppliers:addCertificate')}
            </Button>
          </div>
        )}
      </Form.List>
      <Form.Item name="notes" label={t('suppliers:fields.notes')} rules={[rules.maxLength(2000)]} className="notes-item">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
    </FormModal>
  );
}
