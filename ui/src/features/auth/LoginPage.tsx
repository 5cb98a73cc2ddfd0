import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LoginInput } from '../../bindings/LoginInput';
import { call } from '../../api/invoke';
import { errorMessage } from '../../api/errors';
import { useSetSessionUser } from '../../app/session';
import { useRules } from '../../lib/rules';
import { AuthLayout } from './AuthLayout';

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginInput>();
  const rules = useRules();
  const navigate = useNavigate();
  const setUser = useSetSessionUser();
  const [failure, setFailure] = useState<string | null>(null);

  const login = useMutation({
    mutationFn: (input: LoginInput) => call('login', input),
    onSuccess: (actor) => {
      setUser(actor);
      navigate('/dashboard', { replace: true });
    },
    onError: (e) => setFailure(errorMessage(t, e)),
  });

  return (
    <AuthLayout title={t('auth:login.title')} width={400}>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => {
          setFailure(null);
          login.mutate({ username: v.username.trim(), password: v.password });
        }}
        onValuesChange={() => failure && setFailure(null)}
      >
        <Form.Item name="username" label={t('auth:fields.username')} rules={[rules.required()]}>
          <Input
            prefix={<UserOutlined />}
            autoFocus
            autoComplete="username"
            data-testid="login-username"
            placeholder={t('auth:login.usernamePlaceholder')}
          />
        </Form.Item>
        <Form.Item name="password" label={t('auth:fields.password')} rules={[rules.required()]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        {failure && <Alert type="error" showIcon message={failure} className="form-alert" data-testid="login-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending} data-testid="login-submit">
          {t('auth:login.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
