import type { ReactNode } from 'react';
import { Button, Form, Modal } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';

type Props<T> = {
  title: string;
  form: FormInstance<T>;
  initialValues: Partial<T>;
  onSubmit: (values: T) => void;
  onClose: () => void;
  submitting: boolean;
  submitTestId?: string;
  width?: number;
  children: ReactNode;
};

/**
 * The create/edit dialog of every module. Mounted only while open, so each opening starts from its initial values.
 * Keyboard: Enter in a field saves, Escape cancels; the first field gets the focus.
 */
export function FormModal<T>({ title, form, initialValues, onSubmit, onClose, submitting, submitTestId, width = 720, children }: Props<T>) {
  const { t } = useTranslation();
  return (
    <Modal open title={title} onCancel={onClose} footer={null} width={width} maskClosable={false} destroyOnHidden>
      <Form<T>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onSubmit}
        scrollToFirstError
        className="entity-form"
      >
        {children}
        <div className="form-actions">
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid={submitTestId}>
            {t('common:actions.save')}
          </Button>
        </div>
      </Form>
    </Modal>
  );
}
