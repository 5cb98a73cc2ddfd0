import { App, Col, Form, Input, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../bindings/Role';
import type { User } from '../../bindings/User';
import { useErrorReporter } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { currentLanguage, LANGUAGES } from '../../i18n';
import { useRules } from '../../lib/rules';
import { MIN_PASSWORD_LENGTH } from '../../lib/validation';
import { ROLES, useCreateUser, useUpdateUser } from './queries';

type Values = {
  username: string;
  display_name: string;
  role: Role;
  active: boolean;
  language: string;
  password: string;
  password2: string;
};

/** Create a user (`user` null) or change one: role, active, language and, optionally, a new password. */
export function UserFormModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const rules = useRules();
  const report = useErrorReporter();
  const create = useCreateUser();
  const update = useUpdateUser();
  const isNew = user === null;

  const done = (u: User) => {
    void message.success(isNew ? t('users:created', { username: u.username }) : t('users:saved', { username: u.username }));
    onClose();
  };

  const submit = (v: Values) => {
    if (isNew) {
      create.mutate(
        {
          username: v.username.trim(),
          display_name: (v.display_name ?? '').trim(),
          password: v.password,
          role: v.role,
          language: v.language,
        },
        { onSuccess: done, onError: (e) => report(e, form) },
      );
    } else {
      update.mutate(
        {
          id: user.id,
          data: {
            display_name: (v.display_name ?? '').trim(),
            role: v.role,
            active: v.active,
            language: v.language,
            password: v.password ? v.password : null,
          },
        },
        { onSuccess: done, onError: (e) => report(e, form) },
      );
    }
  };

  return (
    <FormModal<Values>
      title={isNew ? t('users:new') : t('users:edit', { username: user.username })}
      form={form}
      initialValues={{
        username: user?.username ?? '',
        display_name: user?.display_name ?? '',
        role: user?.role ?? 'operations',
        active: user?.active ?? true,
        language: user?.language ?? currentLanguage(),
        password: '',
        password2: '',
      }}
      onSubmit={submit}
      onClose={onClose}
      submitting={create.isPending || update.isPending}
      submitTestId="user-form-submit"
      width={620}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="username"
            label={t('users:fields.username')}
            rules={isNew ? [rules.required(), rules.maxLength(64), rules.noSpaces()] : []}
          >
            <Input autoFocus={isNew} disabled={!isNew} data-testid="user-form-username" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="display_name" label={t('users:fields.display_name')} rules={[rules.maxLength(128)]}>
            <Input autoFocus={!isNew} data-testid="user-form-display-name" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="role" label={t('users:fields.role')} rules={[rules.required()]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`users:roles.${r}`) }))} data-testid="user-form-role" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="language" label={t('users:fields.language')} rules={[rules.required()]}>
            <Select options={LANGUAGES.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      {!isNew && (
        <Form.Item name="active" label={t('users:fields.active')} valuePropName="checked" extra={t('users:activeHint')}>
          <Switch checkedChildren={t('users:active')} unCheckedChildren={t('users:inactive')} />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="password"
            label={isNew ? t('users:fields.password') : t('users:fields.new_password')}
            extra={isNew ? t('users:passwordHint', { min: MIN_PASSWORD_LENGTH }) : t('users:newPasswordHint')}
            rules={[...(isNew ? [rules.required()] : []), rules.minLength(MIN_PASSWORD_LENGTH)]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="password2"
            label={t('users:fields.password2')}
            dependencies={['password']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, value: string) => {
                  const pw = getFieldValue('password') as string;
                  if (!pw && !value) return Promise.resolve();
                  return value === pw ? Promise.resolve() : Promise.reject(new Error(t('auth:setup.passwordMismatch')));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
