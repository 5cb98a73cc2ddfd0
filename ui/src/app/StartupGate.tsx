import { useEffect, useState } from 'react';
import { Spin } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { toApiError } from '../api/apiError';
import { LoginPage } from '../features/auth/LoginPage';
import { SetupPage } from '../features/auth/SetupPage';
import { StartupErrorPage } from '../features/auth/StartupErrorPage';
import { applyLanguage, isLanguage, storedLanguage } from '../i18n';
import { appKeys } from './appKeys';
import { AppShell } from './AppShell';
import { adoptUserLanguage } from './language';
import { SessionProvider, useAppStatus } from './session';

/**
 * What the window shows, from `app_status`: the start-up error, the first-start setup, the login page,
 * or the app itself for a logged-in user.
 */
export function StartupGate() {
  const status = useAppStatus();
  const qc = useQueryClient();
  const navigate = useNavigate();
  // The setup page stays open after the administrator exists, for the demo-company step.
  const [finishingSetup, setFinishingSetup] = useState(false);
  const data = status.data;
  const user = data?.user ?? null;
  const defaultLanguage = data?.default_language;

  useEffect(() => {
    adoptUserLanguage(user);
    if (!user && !storedLanguage() && isLanguage(defaultLanguage)) void applyLanguage(defaultLanguage);
  }, [user, defaultLanguage]);

  if (status.isPending) {
    return (
      <div className="full-center">
        <Spin size="large" />
      </div>
    );
  }
  if (status.isError || !data) {
    return <StartupErrorPage error={toApiError(status.error)} dbUrl={null} onRetry={() => void status.refetch()} />;
  }
  if (data.startup_error) {
    return (
      <StartupErrorPage
        error={data.startup_error}
        dbUrl={data.db_url}
        dataDir={data.data_dir}
        retrying={status.isFetching}
        onRetry={() => void status.refetch()}
      />
    );
  }
  if (data.needs_setup || finishingSetup) {
    return (
      <SetupPage
        onAdminCreated={() => setFinishingSetup(true)}
        onFinished={async () => {
          await qc.invalidateQueries({ queryKey: appKeys.status });
          setFinishingSetup(false);
          navigate('/dashboard', { replace: true });
        }}
      />
    );
  }
  if (!user) return <LoginPage />;
  return (
    <SessionProvider actor={user} status={data}>
      <AppShell />
    </SessionProvider>
  );
}
