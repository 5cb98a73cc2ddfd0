import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Form, Input, Result, Select, Space, Steps, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DemoSummary } from '../../bindings/DemoSummary';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { applyLanguage, isLanguage, LANGUAGES } from '../../i18n';
import type { Language } from '../../i18n';
import { useRules } from '../../lib/rules';
import { MIN_PASSWORD_LENGTH } from '../../lib/validation';
import { AuthLayout } from './AuthLayout';

type AdminForm = {
  username: string;
  display_name: string;
  password: string;
  password2: string;
  language: Language;
};

type Props = {
  /** The administrator exists and is logged in; the page stays for the demo step. */
  onAdminCreated: () => void;
  /** Setup is over: show the app. */
  onFinished: () => Promise<void> | void;
};

/** First start: create the administrator, then offer the demo company. */
export function SetupPage({ onAdminCreated, onFinished }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<AdminForm>();
  const rules = useRules();
  const report = useErrorReporter();
  const [step, setStep] = useState<0 | 1>(0);
  const [summary, setSummary] = useState<DemoSummary | null>(null);
  const [finishing, setFinishing] = useState(false);

  // The language switch in the corner and the language field stay the same.
  useEffect(() => {
    if (isLanguage(i18n.language)) form.setFieldValue('language', i18n.language);
  }, [form, i18n.language]);

  const setup = useMutation({
    mutationFn: (v: AdminForm) =>
      call('setup_admin', {
        username: v.username.trim(),
        display_name: v.display_name.trim(),
        password: v.password,
        role: 'admin',
        language: v.language,
      }),
    onSuccess: () => {
      onAdminCreated();
      setStep(1);
    },
    onError: (e) => report(e, form),
  });

  const demo = useMutation({
    mutationFn: () => call('load_demo', { seed: null }),
    onSuccess: setSummary,
    onError: (e) => report(e),
  });

  const finish = async () => {
    setFinishing(true);
    try {
      await onFinished();
    } finally {
      setFinishing(false);
    }
  };

  const steps = (
    <Steps
      size="small"
      current={summary ? 2 : step}
      className="setup-steps"
      items={[{ title: t('auth:setup.stepAdmin') }, { title: t('auth:setup.stepDemo') }, { title: t('auth:setup.stepStart') }]}
    />
  );

  if (step === 0) {
    return (
      <AuthLayout title={t('auth:setup.title')} width={520}>
        {steps}
        <Typography.Paragraph type="secondary">{t('auth:setup.intro')}</Typography.Paragraph>
        <Form<AdminForm>
          form={form}
          layout="vertical"
          initialValues={{ username: '', display_name: '', password: '', password2: '', language: i18n.language }}
          onFinish={(v) => setup.mutate(v)}
        >
          <Form.Item
            name="username"
            label={t('auth:fields.username')}
            rules={[rules.required(), rules.maxLength(64), rules.noSpaces()]}
          >
            <Input autoFocus autoComplete="username" data-testid="setup-username" placeholder={t('auth:setup.usernamePlaceholder')} />
          </Form.Item>
          <Form.Item name="display_name" label={t('auth:fields.displayName')} rules={[rules.maxLength(128)]}>
            <Input data-testid="setup-display-name" placeholder={t('auth:setup.displayNamePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth:fields.password')}
            extra={t('auth:setup.passwordHint', { min: MIN_PASSWORD_LENGTH })}
            rules={[rules.required(), rules.minLength(MIN_PASSWORD_LENGTH)]}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-password" />
          </Form.Item>
          <Form.Item
            name="password2"
            label={t('auth:fields.password2')}
            dependencies={['password']}
            rules={[
              rules.required(),
              ({ getFieldValue }) => ({
                validator: (_r, value: string) =>
                  !value || value === getFieldValue('password')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('auth:setup.passwordMismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-password2" />
          </Form.Item>
          <Form.Item name="language" label={t('auth:fields.language')} rules={[rules.required()]}>
            <Select
              data-testid="setup-language"
              options={LANGUAGES.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
              onChange={(l: Language) => void applyLanguage(l)}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={setup.isPending} data-testid="setup-submit">
            {t('auth:setup.submit')}
          </Button>
        </Form>
      </AuthLayout>
    );
  }

  if (!summary) {
    return (
      <AuthLayout title={t('auth:demo.title')} width={560}>
        {steps}
        <Alert type="success" showIcon message={t('auth:demo.adminCreated')} className="form-alert" />
        <Typography.Paragraph>{t('auth:demo.intro')}</Typography.Paragraph>
        <ul className="demo-list">
          <li>{t('auth:demo.includes.masterData')}</li>
          <li>{t('auth:demo.includes.users')}</li>
          <li>{t('auth:demo.includes.deterministic')}</li>
        </ul>
        <Typography.Paragraph type="secondary">{t('auth:demo.emptyHint')}</Typography.Paragraph>
        <Space className="demo-actions">
          <Button type="primary" size="large" loading={demo.isPending} onClick={() => demo.mutate()} data-testid="demo-load">
            {t('auth:demo.load')}
          </Button>
          <Button size="large" disabled={demo.isPending} loading={finishing} onClick={() => void finish()} data-testid="demo-skip">
            {t('auth:demo.skip')}
          </Button>
        </Space>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('auth:demo.loadedTitle')} width={560}>
      {steps}
      <Result
        status="success"
        className="demo-result"
        title={t('auth:demo.loaded')}
        extra={
          <Button type="primary" size="large" loading={finishing} onClick={() => void finish()} data-testid="demo-continue">
            {t('auth:demo.continue')}
          </Button>
        }
      >
        <Descriptions column={2} size="small" bordered data-testid="demo-summary">
          <Descriptions.Item label={t('common:entitiesPlural.product')}>{summary.products}</Descriptions.Item>
          <Descriptions.Item label={t('common:entitiesPlural.supplier')}>{summary.suppliers}</Descriptions.Item>
          <Descriptions.Item label={t('common:entitiesPlural.warehouse')}>{summary.warehouses}</Descriptions.Item>
          <Descriptions.Item label={t('common:entitiesPlural.location')}>{summary.locations}</Descriptions.Item>
          <Descriptions.Item label={t('common:entitiesPlural.customer')}>{summary.customers}</Descriptions.Item>
          <Descriptions.Item label={t('common:entitiesPlural.user')}>{summary.users}</Descriptions.Item>
        </Descriptions>
        <Alert
          type="info"
          showIcon
          className="demo-password"
          message={t('auth:demo.passwordTitle')}
          description={
            <span>
              {t('auth:demo.passwordText')}{' '}
              <Typography.Text code copyable strong data-testid="demo-password">
                {summary.user_password}
              </Typography.Text>
            </span>
          }
        />
      </Result>
    </AuthLayout>
  );
}
