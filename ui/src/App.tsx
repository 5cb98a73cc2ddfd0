import { useState } from 'react';
import { HashRouter } from 'react-router';
import { AppProviders } from './app/AppProviders';
import { createQueryClient } from './app/queryClient';
import { StartupGate } from './app/StartupGate';

/** HashRouter: the app is served from Tauri's custom protocol, where only the hash is ours. */
export function App() {
  const [client] = useState(createQueryClient);
  return (
    <AppProviders client={client}>
      <HashRouter>
        <StartupGate />
      </HashRouter>
    </AppProviders>
  );
}
