/** Changing one's own password. */
import { App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorView.tsx';
import { useLang } from '../i18n.ts';

export default function PasswordPage() {
  const { t } = useLang();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  return (
    <Card title={t('action.changePassword')} style={{ maxWidth: 480 }}>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: { current: string; next: string }) => {
          setError(null);
          try {
            await api.post('/api/auth/password', { current_password: v.current, new_password: v.next });
            form.resetFields();
            void message.success(t('password.changed'));
          } catch (e) {
            setError(e);
          }
        }}
      >
        <Form.Item name="current" label={t('password.current')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="next" label={t('password.next')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['next']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_r, v) => (!v || getFieldValue('next') === v ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
        <Button type="primary" htmlType="submit" style={{ marginTop: 16 }}>
          {t('action.save')}
        </Button>
      </Form>
    </Card>
  );
}
